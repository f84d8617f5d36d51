/**
 * SuiteQL `inventoryitemlocations` rows → our stock rows. NetSuite leaves empty quantities out
 * of SuiteQL rows (and shows them as blank in the UI); blank means zero. On hand and available
 * may be negative in NetSuite (oversold), so they are not clamped.
 */
import { toId, toQuantity } from '../../shared/core/domain/stock';

/** A stock row as every Commerce Sync node emits it (Inventory Reconcile reads it as is). */
export interface NetSuiteStockRow {
	[key: string]: unknown;
	sku: string;
	locationId: string;
	locationName?: string;
	quantities: {
		onHand: number;
		available: number;
		committed: number;
		reserved: number;
		incoming: number;
	};
	backOrdered: number;
	source: 'netsuite';
	asOf: string;
	itemId: string;
}

function quantity(row: Record<string, unknown>, column: string, allowNegative: boolean): number {
	const value = row[column];
	if (value === undefined || value === null || value === '') return 0;
	return toQuantity(value, column, allowNegative);
}

/** A SuiteQL stock row with its numbers read, before the SKU is known. */
export interface ParsedStock {
	itemId: string;
	locationId: string;
	onHand: number;
	available: number;
	committed: number;
	incoming: number;
	backOrdered: number;
}

/** Reads the ids and quantities of one SuiteQL stock row. */
export function parseStockRow(row: Record<string, unknown>): ParsedStock {
	return {
		itemId: toId(row.item ?? row.id, 'item'),
		locationId: toId(row.location, 'location'),
		onHand: quantity(row, 'quantityonhand', true),
		available: quantity(row, 'quantityavailable', true),
		committed: quantity(row, 'quantitycommitted', false),
		incoming: quantity(row, 'quantityonorder', false),
		backOrdered: quantity(row, 'quantitybackordered', false),
	};
}

/** A parsed row to a stock row, once its SKU is known. */
export function stockRow(
	parsed: ParsedStock,
	sku: string,
	asOf: string,
	locationName?: string,
): NetSuiteStockRow {
	return {
		sku,
		locationId: parsed.locationId,
		...(locationName === undefined ? {} : { locationName }),
		quantities: {
			onHand: parsed.onHand,
			available: parsed.available,
			committed: parsed.committed,
			// NetSuite has no separate reserved state: available is already on hand − committed.
			reserved: 0,
			incoming: parsed.incoming,
		},
		backOrdered: parsed.backOrdered,
		source: 'netsuite',
		asOf,
		itemId: parsed.itemId,
	};
}

/**
 * One SuiteQL stock row to a stock row. `skuById` maps item internal ids to SKUs (`itemid`);
 * a row whose item is not in it is skipped (returns undefined), because the item is inactive
 * or not an inventory item and has no SKU to reconcile against.
 */
export function stockRowFromSuiteql(
	row: Record<string, unknown>,
	skuById: ReadonlyMap<string, string>,
	asOf: string,
	locationName?: string,
): NetSuiteStockRow | undefined {
	const parsed = parseStockRow(row);
	const sku = skuById.get(parsed.itemId);
	return sku === undefined ? undefined : stockRow(parsed, sku, asOf, locationName);
}
