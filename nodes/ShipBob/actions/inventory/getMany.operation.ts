// API: https://developer.shipbob.com/2026-01/api/inventory/get-inventory-levels-by-location
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { stockRowsFromInventoryLevel } from '../../mappers';
import { fulfillmentCenterLocator } from '../../methods';
import { shipBobDefinition } from '../../transport';
import { limitParam, pagedItems, stringParam } from '../common';

export const description: INodeProperties[] = displayFor('inventory', 'getMany', [
	fulfillmentCenterLocator(
		'locationId',
		'Only stock at this fulfillment center. Empty returns every center.',
	),
	{
		displayName: 'Search',
		name: 'search',
		type: 'string',
		default: '',
		description: 'Only inventory items whose SKU or name contains this',
	},
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 250 },
		default: 250,
		description: 'Inventory items per request (ShipBob allows up to 250)',
	},
	...returnAllOrLimit,
]);

/** Stock rows, one per inventory item and fulfillment center; the limit counts inventory items. */
export const operation: ItemOperation = {
	async execute({ index }) {
		const { fetchPage, profile } = await systemClient(this, shipBobDefinition);
		const locationId = stringParam(this, 'locationId', index);
		const items = await pagedItems(
			fetchPage,
			profile.baseUrl,
			'/inventory-level/locations',
			{
				PageSize: String(this.getNodeParameter('pageSize', index, 250)),
				LocationId: locationId || undefined,
				SearchBy: stringParam(this, 'search', index) || undefined,
			},
			limitParam(this, index),
		);
		const asOf = new Date().toISOString();
		const rows = items.flatMap((item) => stockRowsFromInventoryLevel(item, asOf));
		return (locationId ? rows.filter((r) => r.locationId === locationId) : rows) as IDataObject[];
	},
};
