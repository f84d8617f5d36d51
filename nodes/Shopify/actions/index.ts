import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../../shared/n8n/router';
import * as bulkRunQuery from './bulk/runQuery.operation';
import * as fulfillmentCreate from './fulfillment/create.operation';
import * as inventoryAdjust from './inventory/adjustQuantities.operation';
import * as inventoryGetLevels from './inventory/getLevels.operation';
import * as inventorySet from './inventory/setQuantities.operation';
import * as locationGetAll from './location/getAll.operation';
import * as orderGet from './order/get.operation';
import * as orderGetAll from './order/getAll.operation';
import * as productGetAll from './product/getAll.operation';
import * as productUpdatePrices from './product/updatePrices.operation';
import * as productUpsert from './product/upsert.operation';

/** resource → operation → handler, checked by the router. */
export const operations: OperationMap = {
	bulk: { runQuery: bulkRunQuery.operation },
	fulfillment: { create: fulfillmentCreate.operation },
	inventory: {
		adjustQuantities: inventoryAdjust.operation,
		getLevels: inventoryGetLevels.operation,
		setQuantities: inventorySet.operation,
	},
	location: { getAll: locationGetAll.operation },
	order: { get: orderGet.operation, getAll: orderGetAll.operation },
	product: {
		getAll: productGetAll.operation,
		updatePrices: productUpdatePrices.operation,
		upsert: productUpsert.operation,
	},
};

const op = (resource: string, options: INodeProperties['options'], fallback: string): INodeProperties => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [resource] } },
	options,
	default: fallback,
});

/** Resource and operation pickers plus every operation's fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Bulk Export', value: 'bulk' },
			{ name: 'Fulfillment', value: 'fulfillment' },
			{ name: 'Inventory', value: 'inventory' },
			{ name: 'Location', value: 'location' },
			{ name: 'Order', value: 'order' },
			{ name: 'Product', value: 'product' },
		],
		default: 'inventory',
	},
	op('bulk', [{ name: 'Run Query', value: 'runQuery', description: 'Export the catalog or inventory of a large store as items', action: 'Run a bulk export' }], 'runQuery'),
	op('fulfillment', [{ name: 'Create', value: 'create', description: 'Fulfil an order’s open fulfilment orders with tracking', action: 'Create a fulfillment' }], 'create'),
	op(
		'inventory',
		[
			{ name: 'Adjust Quantities', value: 'adjustQuantities', description: 'Add or remove stock by deltas', action: 'Adjust inventory quantities' },
			{ name: 'Get Levels', value: 'getLevels', description: 'Read stock per SKU and location', action: 'Get inventory levels' },
			{ name: 'Set Quantities', value: 'setQuantities', description: 'Set absolute stock, with compare-and-set', action: 'Set inventory quantities' },
		],
		'getLevels',
	),
	op('location', [{ name: 'Get Many', value: 'getAll', description: 'List locations', action: 'Get many locations' }], 'getAll'),
	op(
		'order',
		[
			{ name: 'Get', value: 'get', description: 'Get one order', action: 'Get an order' },
			{ name: 'Get Many', value: 'getAll', description: 'Orders updated since a time', action: 'Get many orders' },
		],
		'getAll',
	),
	op(
		'product',
		[
			{ name: 'Get Many', value: 'getAll', description: 'Products with variants, SKUs and inventory item IDs', action: 'Get many products' },
			{ name: 'Update Prices', value: 'updatePrices', description: 'Set variant prices by SKU, in bulk', action: 'Update variant prices' },
			{ name: 'Upsert', value: 'upsert', description: 'Create or update a product by handle', action: 'Upsert a product' },
		],
		'getAll',
	),
	...bulkRunQuery.description,
	...fulfillmentCreate.description,
	...inventoryAdjust.description,
	...inventoryGetLevels.description,
	...inventorySet.description,
	...locationGetAll.description,
	...orderGet.description,
	...orderGetAll.description,
	...productGetAll.description,
	...productUpdatePrices.description,
	...productUpsert.description,
];
