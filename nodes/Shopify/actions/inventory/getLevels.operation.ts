import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { displayFor, readLimit, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { BatchOperation, BatchResult } from '../../../shared/n8n/router';
import { LOCATIONS } from '../../graphql/documents';
import { cost } from '../../graphql/cost';
import { toGid } from '../../mappers/inventory';
import { shopifyCollect } from '../common';
import { locationLocator, readLocation } from '../fields';
import { itemsBySku, levelsAtLocation, rowsOf } from './levels';

export const description: INodeProperties[] = displayFor('inventory', 'getLevels', [
	{
		displayName: 'Read By',
		name: 'readBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'SKUs From Input Items', value: 'sku', description: 'Batched: many SKUs per call' },
			{ name: 'Location', value: 'location', description: 'Every level at a location (or at all locations)' },
		],
		default: 'sku',
	},
	{
		displayName: 'SKUs',
		name: 'skus',
		type: 'string',
		default: '={{ $json.sku }}',
		description: 'SKU of each input item; a comma-separated list is also accepted. SKUs are case-sensitive.',
		displayOptions: { show: { readBy: ['sku'] } },
	},
	{ ...locationLocator, required: false, description: 'Only levels at this location. Empty means every location.' },
	...returnAllOrLimit.map((p) => ({ ...p, displayOptions: { show: { readBy: ['location'], ...(p.displayOptions?.show ?? {}) } } })),
	{
		displayName: 'Unknown SKUs',
		name: 'onUnknownSku',
		type: 'options',
		options: [
			{ name: 'Fail the Item', value: 'error', description: 'The item goes to the error output (or stops the workflow)' },
			{ name: 'Skip', value: 'skip', description: 'Output nothing for SKUs Shopify does not have' },
		],
		default: 'error',
		displayOptions: { show: { readBy: ['sku'] } },
	},
	{
		displayName: 'Max Locations per Item',
		name: 'maxLevels',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 250 },
		default: 10,
		description: 'How many locations one SKU can be stocked at. Lower values fit more SKUs into each call.',
		displayOptions: { show: { readBy: ['sku'] } },
	},
]);

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/inventoryItems
export const operation: BatchOperation = {
	kind: 'batch',
	async execute(this: IExecuteFunctions, items): Promise<BatchResult[]> {
		const readBy = this.getNodeParameter('readBy', 0, 'sku') as string;
		if (readBy === 'location') {
			const results: BatchResult[] = [];
			for (const ctx of items) {
				try {
					const location = readLocation(this, ctx.index);
					const limit = readLimit(this, ctx.index);
					const locations = location
						? [location]
						: (await shopifyCollect<{ id: string }>(this, { query: LOCATIONS, variables: {}, connection: 'locations', pageSize: 100, costOf: cost.locations })).map((l) => l.id);
					const rows: IDataObject[] = [];
					for (const id of locations) {
						if (limit !== undefined && rows.length >= limit) break;
						rows.push(...(await levelsAtLocation(this, id, limit === undefined ? undefined : limit - rows.length)));
					}
					results.push({ index: ctx.index, json: rows });
				} catch (error) {
					results.push({ index: ctx.index, error });
				}
			}
			return results;
		}

		const wanted = new Map<number, string[]>();
		const results: BatchResult[] = [];
		for (const ctx of items) {
			const raw = this.getNodeParameter('skus', ctx.index, '') as unknown;
			const skus = (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
				.map((s) => String(s).trim())
				.filter((s) => s !== '');
			if (skus.length === 0) {
				results.push({
					index: ctx.index,
					error: new InputError('The item has no SKU to read', 'skus', 'Map "SKUs" to the field holding the SKU, e.g. {{ $json.sku }}'),
				});
			} else wanted.set(ctx.index, skus);
		}
		const maxLevels = this.getNodeParameter('maxLevels', 0, 10) as number;
		const onUnknown = this.getNodeParameter('onUnknownSku', 0, 'error') as string;
		const asOf = Date.now();
		const found = await itemsBySku(this, [...wanted.values()].flat(), maxLevels);
		const bySku = new Map<string, typeof found>();
		for (const item of found) bySku.set(item.sku as string, [...(bySku.get(item.sku as string) ?? []), item]);
		for (const [index, skus] of wanted) {
			try {
				const location = readLocation(this, index);
				const missing = skus.filter((s) => !bySku.has(s));
				if (missing.length > 0 && onUnknown === 'error') {
					throw new InputError(
						`Shopify has no inventory item with SKU ${missing.map((s) => `"${s}"`).join(', ')}`,
						'skus',
						'Check the SKU (it is case-sensitive), or set "Unknown SKUs" to Skip',
					);
				}
				const rows = rowsOf(skus.flatMap((s) => bySku.get(s) ?? []), location, asOf);
				results.push({ index, json: rows });
			} catch (error) {
				results.push({ index, error });
			}
		}
		return results;
	},
};

export { toGid };
