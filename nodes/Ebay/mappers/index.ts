/**
 * eBay Sell Inventory payloads ↔ our rows: inventory items → stock rows, price/quantity
 * changes → bulkUpdatePriceQuantity requests, per-item responses → one result per SKU.
 * API: https://developer.ebay.com/api-docs/sell/inventory/resources/methods
 */
import type { IDataObject } from 'n8n-workflow';

import { toQuantity } from '../../shared/core/domain/stock';
import { InputError } from '../../shared/n8n/errors';

/**
 * eBay keeps one ship-to quantity per SKU (its per-location split is optional), so a marketplace
 * row has this single location id.
 */
export const SHIP_TO_LOCATION = 'SHIP_TO';

/** One absolute price and/or quantity change for one SKU. */
export interface PriceQuantityChange {
	sku: string;
	quantity?: number;
	price?: string;
	currency?: string;
	/** Offers to set; their available quantity follows the item quantity when one is given. */
	offerIds: string[];
}

/** What one SKU's change came to. */
export interface PriceQuantityResult {
	sku: string;
	ok: boolean;
	statusCodes: number[];
	offerIds: string[];
	errors: IDataObject[];
	warnings: IDataObject[];
}

/** A stock row as every Commerce Sync node emits it. */
export interface EbayStockRow extends IDataObject {
	sku: string;
	locationId: string;
	quantities: { onHand: number; available: number; committed: number; reserved: number; incoming: number };
	source: 'ebay';
	channel: 'ebay';
	asOf: string;
}

const has = (v: unknown) => v !== undefined && v !== null && v !== '';

/** eBay takes amounts as decimal strings with two places. */
export function toAmount(value: unknown, sku: string): string {
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(n) || n <= 0) {
		throw new InputError(
			`The price ${JSON.stringify(value)} for ${sku} is not a positive number`,
			'price',
			'Map "Price" to a number like 19.99, or leave it empty to change only the quantity',
		);
	}
	return n.toFixed(2);
}

/** Checks and normalises one change; bad input names the field. */
export function toPriceQuantityChange(input: {
	sku: unknown;
	quantity?: unknown;
	price?: unknown;
	currency?: unknown;
	offerId?: unknown;
}): PriceQuantityChange {
	const sku = has(input.sku) ? String(input.sku).trim() : '';
	if (!sku) throw new InputError('The item has no SKU', 'sku', 'Map "SKU" to the eBay inventory item SKU');
	if (sku.length > 50) throw new InputError(`The SKU "${sku}" is longer than eBay’s 50 characters`, 'sku', 'Shorten the SKU');
	const change: PriceQuantityChange = { sku, offerIds: [] };
	if (has(input.quantity)) change.quantity = toQuantity(input.quantity, 'quantity');
	if (has(input.price)) {
		change.price = toAmount(input.price, sku);
		const currency = String(input.currency ?? '').trim().toUpperCase();
		if (!/^[A-Z]{3}$/.test(currency)) {
			throw new InputError(`The currency "${currency}" for ${sku} is not a 3-letter code`, 'currency', 'Set "Currency" to e.g. USD');
		}
		change.currency = currency;
	}
	if (change.quantity === undefined && change.price === undefined) {
		throw new InputError(`The item for ${sku} has neither a quantity nor a price`, 'quantity', 'Map "Quantity" or "Price"');
	}
	const offers = Array.isArray(input.offerId) ? input.offerId : has(input.offerId) ? String(input.offerId).split(',') : [];
	change.offerIds = offers.map((o) => String(o).trim()).filter(Boolean);
	return change;
}

/** The bulkUpdatePriceQuantity body for up to 25 changes. */
export function bulkPriceQuantityBody(changes: PriceQuantityChange[]): IDataObject {
	return {
		requests: changes.map((c) => {
			const request: IDataObject = { sku: c.sku };
			if (c.quantity !== undefined) request.shipToLocationAvailability = { quantity: c.quantity };
			if (c.offerIds.length > 0) {
				request.offers = c.offerIds.map((offerId) => {
					const offer: IDataObject = { offerId };
					if (c.quantity !== undefined) offer.availableQuantity = c.quantity;
					if (c.price !== undefined) offer.price = { value: c.price, currency: c.currency };
					return offer;
				});
			}
			return request;
		}),
	};
}

/**
 * The per-item responses → one result per SKU of the request. eBay answers per offer (and per
 * SKU for item-only changes); a SKU succeeded when every response for it is 200.
 */
export function bulkResults(body: IDataObject | undefined, changes: PriceQuantityChange[]): PriceQuantityResult[] {
	const responses = Array.isArray(body?.responses) ? (body.responses as IDataObject[]) : [];
	return changes.map((c) => {
		const own = responses.filter((r) => String(r.sku ?? '') === c.sku);
		const statusCodes = own.map((r) => Number(r.statusCode));
		const errors = own.flatMap((r) => ((r.errors as IDataObject[]) ?? []).map(cleanError));
		const warnings = own.flatMap((r) => ((r.warnings as IDataObject[]) ?? []).map(cleanError));
		if (own.length === 0) {
			errors.push({ message: 'eBay returned no status for this SKU' });
		}
		return {
			sku: c.sku,
			ok: own.length > 0 && statusCodes.every((s) => s === 200) && errors.length === 0,
			statusCodes,
			offerIds: own.map((r) => r.offerId).filter((o): o is string => typeof o === 'string'),
			errors,
			warnings,
		};
	});
}

function cleanError(e: IDataObject): IDataObject {
	const out: IDataObject = { errorId: e.errorId, message: e.message };
	if (e.longMessage !== undefined) out.longMessage = e.longMessage;
	if (e.category !== undefined) out.category = e.category;
	if (Array.isArray(e.parameters)) out.parameters = e.parameters;
	return out;
}

/** An inventory item → its stock row (ship-to quantity). */
export function stockRowFromInventoryItem(item: IDataObject, asOf: string): EbayStockRow {
	const sku = String(item.sku ?? '');
	const ship = ((item.availability as IDataObject | undefined)?.shipToLocationAvailability ?? {}) as IDataObject;
	const q = has(ship.quantity) ? toQuantity(ship.quantity, 'shipToLocationAvailability.quantity') : 0;
	const product = (item.product ?? {}) as IDataObject;
	const row: EbayStockRow = {
		sku,
		locationId: SHIP_TO_LOCATION,
		quantities: { onHand: q, available: q, committed: 0, reserved: 0, incoming: 0 },
		source: 'ebay',
		channel: 'ebay',
		asOf,
	};
	if (product.title !== undefined) row.title = String(product.title);
	if (item.condition !== undefined) row.condition = String(item.condition);
	if (Array.isArray(ship.availabilityDistributions)) {
		row.distributions = (ship.availabilityDistributions as IDataObject[]).map((d) => ({
			merchantLocationKey: String(d.merchantLocationKey ?? ''),
			quantity: Number(d.quantity ?? 0),
		}));
	}
	return row;
}

/** The createOrReplaceInventoryItem body from plain fields. */
export function inventoryItemBody(input: {
	quantity?: unknown;
	condition: string;
	title?: string;
	description?: string;
	brand?: string;
	mpn?: string;
	upc?: string;
	imageUrls?: string[];
	aspects?: IDataObject;
}): IDataObject {
	const product: IDataObject = {};
	if (input.title) product.title = input.title;
	if (input.description) product.description = input.description;
	if (input.brand) product.brand = input.brand;
	if (input.mpn) product.mpn = input.mpn;
	if (input.upc) product.upc = [input.upc];
	if (input.imageUrls?.length) product.imageUrls = input.imageUrls;
	if (input.aspects && Object.keys(input.aspects).length > 0) product.aspects = input.aspects;
	const body: IDataObject = { condition: input.condition, product };
	if (has(input.quantity)) {
		body.availability = { shipToLocationAvailability: { quantity: toQuantity(input.quantity, 'quantity') } };
	}
	return body;
}

/** Item fields a replace would drop that this package never sets. */
const KEPT_ITEM_FIELDS = ['conditionDescription', 'conditionDescriptors', 'packageWeightAndSize'];

/**
 * A createOrReplace body that keeps what the current item has and `body` does not set (eBay's
 * call replaces the whole item): the availability when no quantity is given, product fields
 * left out, and the item fields this package never sets. No current item: `body` unchanged.
 */
export function keepCurrentValues(body: IDataObject, current: IDataObject | undefined): IDataObject {
	if (!current) return body;
	const out: IDataObject = {};
	for (const field of KEPT_ITEM_FIELDS) if (current[field] !== undefined) out[field] = current[field];
	Object.assign(out, body);
	if (body.availability === undefined && current.availability !== undefined) out.availability = current.availability;
	const product = (current.product ?? {}) as IDataObject;
	out.product = { ...product, ...((body.product as IDataObject | undefined) ?? {}) };
	return out;
}

/** An offer → the fields people and the price update need. */
export function offerRow(offer: IDataObject): IDataObject {
	const price = ((offer.pricingSummary as IDataObject | undefined)?.price ?? {}) as IDataObject;
	const listing = (offer.listing ?? {}) as IDataObject;
	return {
		offerId: String(offer.offerId ?? ''),
		sku: String(offer.sku ?? ''),
		marketplaceId: offer.marketplaceId,
		format: offer.format,
		status: offer.status,
		availableQuantity: offer.availableQuantity,
		price: price.value,
		currency: price.currency,
		listingId: listing.listingId === undefined ? undefined : String(listing.listingId),
	};
}
