/**
 * SP-API listings and JSON_LISTINGS_FEED payloads ↔ our rows: listings → stock rows, quantity
 * and price changes → JSON patches and feed messages, processing reports → one result per SKU.
 * API: https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-reference
 */
import type { IDataObject } from 'n8n-workflow';

import { toQuantity } from '../../shared/core/domain/stock';
import { InputError } from '../../shared/n8n/errors';

/** Merchant-fulfilled stock lives under this fulfilment channel code; it is our location id. */
export const MFN_CHANNEL = 'DEFAULT';

/** One quantity and/or price change for one SKU. */
export interface ListingChange {
	sku: string;
	productType: string;
	marketplaceId: string;
	quantity?: number;
	price?: number;
	currency?: string;
	/** Fulfilment channel code; MFN `DEFAULT` unless the seller uses another. */
	channelCode?: string;
}

/** A JSON-patch operation as the Listings Items API and the listings feed take it. */
export interface PatchOperation {
	op: 'add' | 'replace' | 'merge' | 'delete';
	path: string;
	value?: IDataObject[];
}

/** What one SKU's change came to (PATCH submission or feed report). */
export interface ListingResult {
	sku: string;
	status: string;
	submissionId?: string;
	errors: IDataObject[];
	warnings: IDataObject[];
}

/** A stock row as every Commerce Sync node emits it (Inventory Reconcile reads it as is). */
export interface AmazonStockRow extends IDataObject {
	sku: string;
	locationId: string;
	quantities: { onHand: number; available: number; committed: number; reserved: number; incoming: number };
	source: 'amazon';
	channel: 'amazon';
	asOf: string;
}

/** Checks and normalises one change; bad input names the field. */
export function toListingChange(input: {
	sku: unknown;
	productType: unknown;
	marketplaceId: string;
	quantity?: unknown;
	price?: unknown;
	currency?: unknown;
	channelCode?: unknown;
}): ListingChange {
	const sku = input.sku === undefined || input.sku === null ? '' : String(input.sku).trim();
	if (!sku) throw new InputError('The item has no SKU', 'sku', 'Map "SKU" to the seller SKU of the listing');
	const productType = String(input.productType ?? '').trim().toUpperCase();
	if (!productType) {
		throw new InputError('The item has no product type', 'productType', 'Set "Product Type" (PRODUCT works for offer-only changes)');
	}
	const has = (v: unknown) => v !== undefined && v !== null && v !== '';
	const change: ListingChange = { sku, productType, marketplaceId: input.marketplaceId };
	if (has(input.quantity)) change.quantity = toQuantity(input.quantity, 'quantity');
	if (has(input.price)) {
		const price = typeof input.price === 'number' ? input.price : Number(String(input.price).trim());
		if (!Number.isFinite(price) || price <= 0) {
			throw new InputError(
				`The price ${JSON.stringify(input.price)} for ${sku} is not a positive number`,
				'price',
				'Map "Price" to a number like 19.99, or leave it empty to change only the quantity',
			);
		}
		change.price = Math.round(price * 100) / 100;
		const currency = String(input.currency ?? '').trim().toUpperCase();
		if (!/^[A-Z]{3}$/.test(currency)) {
			throw new InputError(`The currency "${currency}" for ${sku} is not a 3-letter code`, 'currency', 'Set "Currency" to e.g. USD');
		}
		change.currency = currency;
	}
	if (change.quantity === undefined && change.price === undefined) {
		throw new InputError(`The item for ${sku} has neither a quantity nor a price`, 'quantity', 'Map "Quantity" or "Price"');
	}
	const channel = String(input.channelCode ?? '').trim();
	if (channel) change.channelCode = channel;
	return change;
}

/**
 * The JSON patches for a change: quantity through `fulfillment_availability`, price through
 * `purchasable_offer.our_price` (replace, so the values are absolute and a repeat is harmless).
 */
export function patchesFor(change: ListingChange): PatchOperation[] {
	const patches: PatchOperation[] = [];
	if (change.quantity !== undefined) {
		patches.push({
			op: 'replace',
			path: '/attributes/fulfillment_availability',
			value: [{ fulfillment_channel_code: change.channelCode ?? MFN_CHANNEL, quantity: change.quantity }],
		});
	}
	if (change.price !== undefined) {
		patches.push({
			op: 'replace',
			path: '/attributes/purchasable_offer',
			value: [
				{
					marketplace_id: change.marketplaceId,
					currency: change.currency,
					our_price: [{ schedule: [{ value_with_tax: change.price }] }],
				},
			],
		});
	}
	return patches;
}

/** The PATCH body for one SKU. */
export function patchRequest(change: ListingChange): IDataObject {
	return { productType: change.productType, patches: patchesFor(change) as unknown as IDataObject[] };
}

/**
 * A JSON_LISTINGS_FEED document (listings-feed-schema-v2): one PATCH message per change,
 * numbered from 1 so report issues can be traced back.
 */
export function listingsFeed(sellerId: string, changes: ListingChange[], issueLocale = 'en_US'): IDataObject {
	return {
		header: { sellerId, version: '2.0', issueLocale },
		messages: changes.map((change, i) => ({
			messageId: i + 1,
			sku: change.sku,
			operationType: 'PATCH',
			productType: change.productType,
			patches: patchesFor(change),
		})),
	};
}

/** A ListingsItemSubmissionResponse → our result. */
export function submissionResult(body: IDataObject): ListingResult {
	const issues = Array.isArray(body.issues) ? (body.issues as IDataObject[]) : [];
	return {
		sku: String(body.sku ?? ''),
		status: String(body.status ?? ''),
		submissionId: body.submissionId === undefined ? undefined : String(body.submissionId),
		errors: issues.filter((i) => i.severity === 'ERROR'),
		warnings: issues.filter((i) => i.severity === 'WARNING'),
	};
}

/**
 * A processing report (listings-feed-processing-report-schema-v2) → one result per message, in
 * message order. Issues name their messageId; a message with an ERROR issue was not applied.
 * Issues without a messageId concern the whole feed and are given to every message.
 */
export function reportResults(report: IDataObject, feed: IDataObject): ListingResult[] {
	const messages = (feed.messages as IDataObject[]) ?? [];
	const issues = Array.isArray(report.issues) ? (report.issues as IDataObject[]) : [];
	const byMessage = new Map<number, IDataObject[]>();
	const general: IDataObject[] = [];
	for (const issue of issues) {
		const id = Number(issue.messageId);
		if (!Number.isInteger(id) || id < 1) {
			general.push(issue);
			continue;
		}
		byMessage.set(id, [...(byMessage.get(id) ?? []), issue]);
	}
	return messages.map((message) => {
		const own = [...(byMessage.get(Number(message.messageId)) ?? []), ...general].map(cleanIssue);
		const errors = own.filter((i) => i.severity === 'ERROR');
		return {
			sku: String(message.sku),
			status: errors.length > 0 ? 'INVALID' : 'ACCEPTED',
			errors,
			warnings: own.filter((i) => i.severity === 'WARNING'),
		};
	});
}

function cleanIssue(issue: IDataObject): IDataObject {
	const out: IDataObject = { code: issue.code, severity: issue.severity, message: issue.message };
	if (issue.attributeName !== undefined) out.attributeName = issue.attributeName;
	return out;
}

/**
 * A listings item (with `fulfillmentAvailability`, `offers`, `summaries`) → one stock row per
 * fulfilment channel; an item without availability data gives none (nothing to compare).
 */
export function stockRowsFromListing(item: IDataObject, marketplaceId: string, asOf: string): AmazonStockRow[] {
	const sku = String(item.sku ?? '');
	const summary = ((item.summaries as IDataObject[]) ?? []).find((s) => s.marketplaceId === marketplaceId) ?? {};
	const offer = ((item.offers as IDataObject[]) ?? []).find((o) => o.marketplaceId === marketplaceId);
	const price = offer?.price as IDataObject | undefined;
	return ((item.fulfillmentAvailability as IDataObject[]) ?? []).map((fa) => {
		const q = fa.quantity === undefined || fa.quantity === null ? 0 : toQuantity(fa.quantity, 'fulfillmentAvailability.quantity');
		const row: AmazonStockRow = {
			sku,
			locationId: String(fa.fulfillmentChannelCode ?? MFN_CHANNEL),
			quantities: { onHand: q, available: q, committed: 0, reserved: 0, incoming: 0 },
			source: 'amazon',
			channel: 'amazon',
			asOf,
			marketplaceId,
		};
		if (summary.asin !== undefined) row.asin = String(summary.asin);
		if (summary.productType !== undefined) row.productType = String(summary.productType);
		if (Array.isArray(summary.status)) row.status = summary.status as string[];
		if (summary.lastUpdatedDate !== undefined) row.updatedAt = String(summary.lastUpdatedDate);
		if (price?.amount !== undefined) {
			row.price = String(price.amount);
			row.currency = String(price.currencyCode ?? '');
		}
		return row;
	});
}
