import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { displayFor, readLimit, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { BatchOperation, BatchResult, ItemContext } from '../../../shared/n8n/router';
import { LOCATIONS } from '../../graphql/documents';
import { cost } from '../../graphql/cost';
import { QUANTITY_NAMES, toGid } from '../../mappers/inventory';
import { shopifyCollect } from '../common';
import { gidField, locationLocator, readLocation } from '../fields';
import { itemsById, itemsBySku, levelsAtLocation, rowsOf } from './levels';

export const description: INodeProperties[] = displayFor('inventory', 'getLevels', [
	{
		displayName: 'Read By',
		name: 'readBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'SKUs From Input Items', value: 'sku', description: 'Batched: many SKUs per call' },
			{
				name: 'Inventory Item IDs From Input Items',
				value: 'inventoryItem',
				description: 'Batched; e.g. the inventory_item_id an inventory webhook carries',
			},
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
	{
		displayName: 'Inventory Item IDs',
		name: 'inventoryItemIds',
		type: 'string',
		default: '={{ $json.inventoryItemId }}',
		description: 'Inventory item of each input item (GID or number); a comma-separated list is also accepted',
		displayOptions: { show: { readBy: ['inventoryItem'] } },
	},
	{ ...locationLocator, required: false, description: 'Only levels at this location. Empty means every location.' },
	...returnAllOrLimit.map((p) => ({ ...p, displayOptions: { show: { readBy: ['location'], ...(p.displayOptions?.show ?? {}) } } })),
	{
		displayName: 'Unknown SKUs or Items',
		name: 'onUnknownSku',
		type: 'options',
		options: [
			{ name: 'Fail the Item', value: 'error', description: 'The item goes to the error output (or stops the workflow)' },
			{ name: 'Skip', value: 'skip', description: 'Output nothing for SKUs or inventory items Shopify does not have' },
		],
		default: 'error',
		displayOptions: { show: { readBy: ['sku', 'inventoryItem'] } },
	},
	{
		displayName: 'Max Locations per Item',
		name: 'maxLevels',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 250 },
		default: 10,
		description: 'How many locations one SKU can be stocked at. Lower values fit more SKUs into each call.',
		displayOptions: { show: { readBy: ['sku', 'inventoryItem'] } },
	},
	{
		displayName: 'Quantities',
		name: 'quantities',
		type: 'options',
		options: [
			{ name: 'All', value: 'all', description: 'Available, on hand, committed, reserved and incoming' },
			{
				name: 'Available Only',
				value: 'available',
				description: 'What a channel offers; enough to reconcile it, at about half the query cost of All',
			},
		],
		default: 'all',
		description: 'Each quantity read costs Shopify query points per level, so a large read goes faster with fewer',
	},
]);

/** The Shopify quantity names to read. */
function quantityNames(ctx: IExecuteFunctions): readonly string[] {
	return ctx.getNodeParameter('quantities', 0, 'all') === 'available' ? ['available'] : QUANTITY_NAMES;
}

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
						rows.push(...(await levelsAtLocation(this, id, limit === undefined ? undefined : limit - rows.length, quantityNames(this))));
					}
					results.push({ index: ctx.index, json: rows });
				} catch (error) {
					results.push({ index: ctx.index, error });
				}
			}
			return results;
		}

		if (readBy === 'inventoryItem') return await byInventoryItem(this, items);

		const wanted = new Map<number, string[]>();
		const results: BatchResult[] = [];
		for (const ctx of items) {
			const skus = listParam(this, 'skus', ctx.index);
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
		const found = await itemsBySku(this, [...wanted.values()].flat(), maxLevels, quantityNames(this));
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
						'Check the SKU (it is case-sensitive), or set "Unknown SKUs or Items" to Skip',
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

/**
 * A parameter holding one value or a list (an array, or comma-separated text), trimmed, without
 * blanks and without repeats: a SKU named twice would otherwise give its levels twice.
 */
function listParam(ctx: IExecuteFunctions, name: string, index: number): string[] {
	const raw = ctx.getNodeParameter(name, index, '') as unknown;
	const values = (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
		.map((s) => (s === null || s === undefined ? '' : String(s).trim()))
		.filter((s) => s !== '');
	return [...new Set(values)];
}

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/nodes
async function byInventoryItem(ctx: IExecuteFunctions, items: ItemContext[]): Promise<BatchResult[]> {
	const wanted = new Map<number, string[]>();
	const results: BatchResult[] = [];
	for (const item of items) {
		try {
			const ids = listParam(ctx, 'inventoryItemIds', item.index).map((id) => gidField('InventoryItem', id, 'inventoryItemIds'));
			if (ids.length === 0) {
				throw new InputError('The item has no inventory item ID to read', 'inventoryItemIds', 'Map "Inventory Item IDs" to the field holding it, e.g. {{ $json.inventoryItemId }}');
			}
			wanted.set(item.index, [...new Set(ids)]);
		} catch (error) {
			results.push({ index: item.index, error });
		}
	}
	const maxLevels = ctx.getNodeParameter('maxLevels', 0, 10) as number;
	const onUnknown = ctx.getNodeParameter('onUnknownSku', 0, 'error') as string;
	const asOf = Date.now();
	const found = new Map((await itemsById(ctx, [...wanted.values()].flat(), maxLevels, quantityNames(ctx))).map((i) => [i.id, i]));
	for (const [index, ids] of wanted) {
		try {
			const location = readLocation(ctx, index);
			const missing = ids.filter((id) => !found.has(id));
			if (missing.length > 0 && onUnknown === 'error') {
				throw new InputError(
					`Shopify has no inventory item ${missing.join(', ')}`,
					'inventoryItemIds',
					'Check the ID, or set "Unknown SKUs or Items" to Skip',
				);
			}
			const rows = rowsOf(ids.flatMap((id) => found.get(id) ?? []), location, asOf);
			results.push({ index, json: rows });
		} catch (error) {
			results.push({ index, error });
		}
	}
	return results;
}

export { toGid };
