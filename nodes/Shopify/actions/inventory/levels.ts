import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	INVENTORY_LEVELS_AT_LOCATION,
	INVENTORY_LEVELS_BY_ITEM_IDS,
	INVENTORY_LEVELS_BY_SKU,
} from '../../graphql/documents';
import { cost, largestPage, READ_BATCH_COST } from '../../graphql/cost';
import { QUANTITY_NAMES, levelToRow, type ShopifyLevelNode } from '../../mappers/inventory';
import { InputError } from '../../../shared/n8n/errors';
import { chunk, shopifyCollect, shopifyGraphql, searchValue } from '../common';

/** An inventory item with its levels, as our level queries return it. */
export interface ItemWithLevels {
	id: string;
	sku?: string | null;
	tracked?: boolean;
	inventoryLevels?: { nodes: ShopifyLevelNode[] };
}

/**
 * Inventory items (with levels) for a set of SKUs, batched so a thousand SKUs become a few
 * dozen calls: as many SKUs per query as half of Shopify's 1,000-point bucket allows (READ_BATCH_COST). Each quantity
 * name read costs a point per level, so reading only the names needed stretches the budget.
 */
export async function itemsBySku(ctx: IExecuteFunctions, skus: string[], maxLevels: number, names: readonly string[] = QUANTITY_NAMES): Promise<ItemWithLevels[]> {
	const perQuery = largestPage((n) => cost.levelsBySku(n, maxLevels, names.length), 250, READ_BATCH_COST);
	const unique = [...new Set(skus)];
	const out: ItemWithLevels[] = [];
	for (const batch of chunk(unique, perQuery)) {
		const rows = await shopifyCollect<ItemWithLevels>(ctx, {
			query: INVENTORY_LEVELS_BY_SKU,
			variables: { query: batch.map((s) => `sku:${searchValue(s)}`).join(' OR '), levels: maxLevels, names },
			connection: 'inventoryItems',
			pageSize: perQuery,
			costOf: (first) => cost.levelsBySku(first, maxLevels, names.length),
		});
		// Shopify's search is case-insensitive and prefix-tolerant; SKUs are exact.
		const wanted = new Set(batch);
		out.push(...rows.filter((r) => r.sku !== null && r.sku !== undefined && wanted.has(r.sku)));
	}
	return out;
}

/** Inventory items (with levels) by inventory item GID. */
export async function itemsById(ctx: IExecuteFunctions, ids: string[], maxLevels: number, names: readonly string[] = QUANTITY_NAMES): Promise<ItemWithLevels[]> {
	const perQuery = largestPage((n) => cost.levelsByItemIds(n, maxLevels, names.length), 250, READ_BATCH_COST);
	const out: ItemWithLevels[] = [];
	for (const batch of chunk([...new Set(ids)], perQuery)) {
		const data = await shopifyGraphql<{ nodes: Array<ItemWithLevels | null> }>(ctx, {
			query: INVENTORY_LEVELS_BY_ITEM_IDS,
			variables: { ids: batch, levels: maxLevels, names },
			cost: cost.levelsByItemIds(batch.length, maxLevels, names.length),
		});
		for (const node of data.nodes ?? []) if (node && node.id) out.push(node);
	}
	return out;
}

/** Every level at one location, as stock rows. */
export async function levelsAtLocation(ctx: IExecuteFunctions, locationId: string, limit?: number, names: readonly string[] = QUANTITY_NAMES): Promise<IDataObject[]> {
	const pageSize = largestPage((n) => cost.levelsAtLocation(n, names.length));
	const asOf = Date.now();
	const levels = await shopifyCollect<ShopifyLevelNode & { item: { id: string; sku?: string | null; tracked?: boolean } }>(ctx, {
		query: INVENTORY_LEVELS_AT_LOCATION,
		variables: { location: locationId, names },
		connection: 'location.inventoryLevels',
		pageSize,
		costOf: (first) => cost.levelsAtLocation(first, names.length),
		limit,
	});
	return levels.map((level) => levelToRow(level.item, { ...level, location: level.location ?? { id: locationId } }, asOf));
}

/** Flattens items into one stock row per level, optionally at one location only. */
export function rowsOf(items: ItemWithLevels[], locationId: string | undefined, asOf: number): IDataObject[] {
	const rows: IDataObject[] = [];
	for (const item of items) {
		for (const level of item.inventoryLevels?.nodes ?? []) {
			if (locationId && level.location.id !== locationId) continue;
			rows.push(levelToRow(item, level, asOf));
		}
	}
	return rows;
}

/**
 * Resolves inventory item ids for items that only carry a SKU, in batches. Each item gets its id,
 * or an error when Shopify has no such SKU or several items share it (SKUs are not unique there).
 */
export async function resolveInventoryItemIds<T extends { sku?: string; inventoryItemId?: string; ctx: { index: number } }>(
	ctx: IExecuteFunctions,
	planned: T[],
): Promise<Array<{ index: number; error: InputError }>> {
	const needing = planned.filter((p) => !p.inventoryItemId && p.sku);
	if (needing.length === 0) return [];
	// Only the ids are needed: one level and one quantity per item keep the lookup cheap.
	const found = await itemsBySku(ctx, needing.map((p) => p.sku as string), 1, ['available']);
	const bySku = new Map<string, string[]>();
	for (const item of found) bySku.set(item.sku as string, [...(bySku.get(item.sku as string) ?? []), item.id]);
	const errors: Array<{ index: number; error: InputError }> = [];
	for (const p of needing) {
		const ids = bySku.get(p.sku as string) ?? [];
		if (ids.length === 1) p.inventoryItemId = ids[0];
		else {
			errors.push({
				index: p.ctx.index,
				error: new InputError(
					ids.length === 0
						? `Shopify has no inventory item with SKU "${p.sku}"`
						: `SKU "${p.sku}" belongs to ${ids.length} inventory items in Shopify, so the target is ambiguous`,
					'sku',
					ids.length === 0 ? 'Check the SKU (it is case-sensitive)' : 'Pass the Inventory Item ID instead of the SKU',
				),
			});
		}
	}
	return errors;
}
