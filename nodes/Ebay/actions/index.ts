import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../../shared/n8n/router';
import * as itemBulk from './inventoryItem/bulkUpdatePriceQuantity.operation';
import * as itemCreate from './inventoryItem/createOrReplace.operation';
import * as itemGetMany from './inventoryItem/getMany.operation';
import * as offerGetBySku from './offer/getBySku.operation';

/** resource → operation → handler, checked by the router. */
export const operations: OperationMap = {
	inventoryItem: {
		bulkUpdatePriceQuantity: itemBulk.operation,
		createOrReplace: itemCreate.operation,
		getMany: itemGetMany.operation,
	},
	offer: { getBySku: offerGetBySku.operation },
};

/** Resource and operation pickers plus every operation's fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Inventory Item', value: 'inventoryItem' },
			{ name: 'Offer', value: 'offer' },
		],
		default: 'inventoryItem',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['inventoryItem'] } },
		options: [
			{ name: 'Bulk Update Price and Quantity', value: 'bulkUpdatePriceQuantity', description: 'Set quantity and/or price for many SKUs, 25 per call', action: 'Bulk update price and quantity' },
			{ name: 'Create or Replace', value: 'createOrReplace', description: 'Create an inventory item or replace it entirely', action: 'Create or replace an inventory item' },
			{ name: 'Get Many', value: 'getMany', description: 'Inventory items as stock rows', action: 'Get many inventory items' },
		],
		default: 'bulkUpdatePriceQuantity',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['offer'] } },
		options: [{ name: 'Get by SKU', value: 'getBySku', description: 'The offers (and prices) of one SKU', action: 'Get offers by SKU' }],
		default: 'getBySku',
	},
	...itemBulk.description,
	...itemCreate.description,
	...itemGetMany.description,
	...offerGetBySku.description,
];
