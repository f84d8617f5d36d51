// API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156257770590.html
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { parseStockRow, stockRow } from '../../mappers/stock';
import { itemsQuery, locationsQuery, stockAtLocationQuery } from '../../mappers/suiteql';
import { netSuiteDefinition } from '../../transport';
import { listParam, suiteqlMapped, suiteqlRows } from '../common';

export const description: INodeProperties[] = displayFor('stock', 'getLevels', [
	{
		displayName: 'Location Names or IDs',
		name: 'locationIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getLocations' },
		default: [],
		description:
			'Locations to read. Empty reads every active location. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'SKUs',
		name: 'skus',
		type: 'string',
		default: '',
		placeholder: 'e.g. TEE-BLK-M, CAP-NAV-OS',
		description: 'Comma-separated SKUs (Item Name/Number) to read. Empty reads every active item.',
	},
]);

/**
 * Stock per item and location. Each location is read as its own keyset stream (item id is
 * unique within a location), all at once: the concurrency limiter decides how many run in
 * parallel, so a 5-slot account reads five locations at a time.
 */
export const operation: ItemOperation = {
	async execute({ index }) {
		const { fetchPage, profile } = await systemClient(this, netSuiteDefinition);
		const asOf = new Date().toISOString();
		const skus = listParam(this, 'skus', index);
		const wanted = listParam(this, 'locationIds', index);
		// Locations and items are read beside the stock streams, not before them, so the slots
		// stay full; only a SKU filter must wait for the item ids.
		const itemsRead = suiteqlRows(fetchPage, profile.baseUrl, itemsQuery({ skus }));
		const locationsRead = suiteqlRows(fetchPage, profile.baseUrl, locationsQuery());
		itemsRead.catch(() => undefined);
		locationsRead.catch(() => undefined);
		const itemIds = skus.length ? (await itemsRead).map((i) => String(i.id)) : [];
		if (skus.length && itemIds.length === 0) return [];
		const locationIds = wanted.length ? wanted : (await locationsRead).map((l) => String(l.id));
		const perLocation = await Promise.all(
			locationIds.map((locationId) =>
				suiteqlMapped(
					fetchPage,
					profile.baseUrl,
					stockAtLocationQuery(locationId, itemIds),
					parseStockRow,
				),
			),
		);
		const [items, locations] = await Promise.all([itemsRead, locationsRead]);
		const skuById = new Map(items.map((i) => [String(i.id), String(i.itemid)]));
		const names = new Map(locations.map((l) => [String(l.id), String(l.name ?? '')]));
		const out: IDataObject[] = [];
		perLocation.forEach((rows, i) => {
			const name = names.get(locationIds[i]);
			for (const parsed of rows) {
				// Items without a SKU (inactive, non-inventory) have nothing to reconcile against.
				const sku = skuById.get(parsed.itemId);
				if (sku !== undefined) out.push(stockRow(parsed, sku, asOf, name) as IDataObject);
			}
		});
		return out;
	},
};
