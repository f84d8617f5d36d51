import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CommerceError } from '../../../shared/core/http/errors';
import { n8nClock } from '../../../shared/n8n/clock';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { BatchOperation, BatchResult, ItemContext } from '../../../shared/n8n/router';
import { bulkPriceQuantityBody, bulkResults, toPriceQuantityChange, type PriceQuantityChange } from '../../mappers';
import { BULK_PRICE_QUANTITY_MAX, REVISIONS_PER_LISTING_PER_DAY } from '../../transport';
import { countRevision, ebayClient, revisionsToday } from '../common';

export const description: INodeProperties[] = displayFor('inventoryItem', 'bulkUpdatePriceQuantity', [
	{
		displayName: 'SKU',
		name: 'sku',
		type: 'string',
		default: '={{ $json.sku }}',
		required: true,
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'string',
		default: '={{ $json.target }}',
		description: 'Absolute ship-to quantity (a whole number, not negative). Empty leaves it unchanged.',
	},
	{
		displayName: 'Price',
		name: 'price',
		type: 'string',
		default: '',
		description: 'New price of the SKU’s offers; needs the offer IDs. Empty leaves prices unchanged.',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'USD',
	},
	{
		displayName: 'Offer IDs',
		name: 'offerId',
		type: 'string',
		default: '',
		placeholder: '={{ $json.offerId }}',
		description: 'Comma-separated offers of the SKU to set too. Needed for a price; with only a quantity the item is enough.',
	},
	dryRunField,
	correlationIdField,
]);

interface Planned {
	ctx: ItemContext;
	change: PriceQuantityChange;
}

// API: https://developer.ebay.com/api-docs/sell/inventory/resources/inventory_item/methods/bulkUpdatePriceQuantity
export const operation: BatchOperation = {
	kind: 'batch',
	correlation: true,
	async execute(this: IExecuteFunctions, items): Promise<BatchResult[]> {
		const results: BatchResult[] = [];
		const planned: Planned[] = [];
		const now = n8nClock.now();
		const lastFor = new Map<string, Planned>();
		for (const ctx of items) {
			try {
				const i = ctx.index;
				const change = toPriceQuantityChange({
					sku: this.getNodeParameter('sku', i, ''),
					quantity: this.getNodeParameter('quantity', i, ''),
					price: this.getNodeParameter('price', i, ''),
					currency: this.getNodeParameter('currency', i, 'USD'),
					offerId: this.getNodeParameter('offerId', i, ''),
				});
				if (change.price !== undefined && change.offerIds.length === 0) {
					throw new InputError(`A price for ${change.sku} needs the offer to set it on`, 'offerId', 'Map "Offer IDs" (Offer → Get by SKU gives them)');
				}
				const keys = change.offerIds.length > 0 ? change.offerIds : [change.sku];
				const used = Math.max(...keys.map((k) => revisionsToday(k, now)));
				if (used >= REVISIONS_PER_LISTING_PER_DAY) {
					throw new CommerceError({ kind: 'rateLimited', system: 'ebay', retryable: false, code: 'REVISION_CAP', message: `${change.sku} has been revised ${used} times today; eBay allows ${REVISIONS_PER_LISTING_PER_DAY} per listing per day`, hint: 'Send this SKU again after midnight US Pacific time' });
				}
				const earlier = lastFor.get(change.sku);
				if (earlier) {
					results.push({ index: earlier.ctx.index, error: new InputError(`Item ${earlier.ctx.index} and item ${i} both set ${change.sku}; only the later one is sent`, 'sku', 'Send one change per SKU') });
				}
				const p = { ctx, change };
				lastFor.set(change.sku, p);
				planned.push(p);
			} catch (error) {
				results.push({ index: ctx.index, error });
			}
		}
		const ready = planned.filter((p) => lastFor.get(p.change.sku) === p);
		const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;
		const batches: Planned[][] = [];
		for (let i = 0; i < ready.length; i += BULK_PRICE_QUANTITY_MAX) batches.push(ready.slice(i, i + BULK_PRICE_QUANTITY_MAX));
		if (ready.length === 0) return results;
		const { client } = await ebayClient(this);
		const signal = this.getExecutionCancelSignal?.();
		await Promise.all(
			batches.map(async (batch) => {
				const body = bulkPriceQuantityBody(batch.map((p) => p.change));
				const request = { method: 'POST' as const, path: '/bulk_update_price_quantity', body };
				if (dryRun) {
					for (const p of batch) results.push({ index: p.ctx.index, json: { ...row(p.change), status: 'dryRun', request } });
					return;
				}
				try {
					const correlation = batch.map((p) => p.ctx.correlationId).filter(Boolean).join(',');
					const response = await client.request<IDataObject>({
						...request,
						headers: correlation ? { 'X-Correlation-Id': correlation.slice(0, 1000) } : undefined,
						// Absolute price and quantity: a repeat sets the same values.
						absoluteSet: true,
						signal,
					});
					const perSku = bulkResults(response.body, batch.map((p) => p.change));
					batch.forEach((p, i) => {
						const r = perSku[i];
						if (!r.ok) {
							const first = r.errors[0] ?? {};
							results.push({
								index: p.ctx.index,
								error: new CommerceError({
									kind: r.statusCodes.includes(404) ? 'notFound' : 'validation',
									system: 'ebay',
									status: r.statusCodes.find((s) => s !== 200),
									retryable: false,
									code: first.errorId === undefined ? undefined : String(first.errorId),
									body: { sku: r.sku, errors: r.errors },
									message: `eBay refused the change for ${r.sku}: ${String(first.message ?? 'no reason given')}`,
									hint: 'Fix the SKU, offer or value named in the message and send the item again',
								}),
							});
							return;
						}
						const keys = p.change.offerIds.length > 0 ? p.change.offerIds : [p.change.sku];
						const count = Math.max(...keys.map((k) => countRevision(k, n8nClock.now())));
						results.push({ index: p.ctx.index, json: { ...row(p.change), status: 'updated', offerIds: r.offerIds, warnings: r.warnings, revisionsLeftToday: Math.max(0, REVISIONS_PER_LISTING_PER_DAY - count) } });
					});
				} catch (error) {
					for (const p of batch) results.push({ index: p.ctx.index, error });
				}
			}),
		);
		return results;
	},
};

function row(change: PriceQuantityChange): IDataObject {
	const out: IDataObject = { sku: change.sku };
	if (change.quantity !== undefined) out.target = change.quantity;
	if (change.price !== undefined) {
		out.price = change.price;
		out.currency = change.currency;
	}
	return out;
}
