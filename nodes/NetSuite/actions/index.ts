/** Resources and operations of the NetSuite node. */
import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../../shared/n8n/router';
import * as customerUpsert from './customer/upsert.operation';
import * as adjustmentCreate from './inventoryAdjustment/create.operation';
import * as itemGet from './item/get.operation';
import * as itemUpsert from './item/upsert.operation';
import * as orderFulfil from './salesOrder/fulfil.operation';
import * as orderStatus from './salesOrder/getStatus.operation';
import * as orderUpsert from './salesOrder/upsert.operation';
import * as stockGetLevels from './stock/getLevels.operation';
import * as suiteqlQuery from './suiteql/query.operation';

export const operations: OperationMap = {
	suiteql: { query: suiteqlQuery.operation },
	stock: { getLevels: stockGetLevels.operation },
	item: { get: itemGet.operation, upsert: itemUpsert.operation },
	customer: { upsert: customerUpsert.operation },
	salesOrder: {
		upsert: orderUpsert.operation,
		getStatus: orderStatus.operation,
		fulfil: orderFulfil.operation,
	},
	inventoryAdjustment: { create: adjustmentCreate.operation },
};

const op = (
	resource: string,
	options: INodeProperties['options'],
	dflt: string,
): INodeProperties => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [resource] } },
	options,
	default: dflt,
});

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Customer', value: 'customer' },
			{ name: 'Inventory Adjustment', value: 'inventoryAdjustment' },
			{ name: 'Item', value: 'item' },
			{ name: 'Sales Order', value: 'salesOrder' },
			{ name: 'Stock', value: 'stock' },
			{ name: 'SuiteQL', value: 'suiteql' },
		],
		default: 'stock',
	},
	op(
		'suiteql',
		[
			{
				name: 'Query',
				value: 'query',
				description: 'Run a SuiteQL query, paged past 100,000 rows',
				action: 'Run a SuiteQL query',
			},
		],
		'query',
	),
	op(
		'stock',
		[
			{
				name: 'Get Levels',
				value: 'getLevels',
				description: 'On hand, available, committed and on order per item and location',
				action: 'Get stock levels',
			},
		],
		'getLevels',
	),
	op(
		'item',
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Get an item by internal ID, external ID or SKU',
				action: 'Get an item',
			},
			{
				name: 'Upsert',
				value: 'upsert',
				description: 'Create or update an item by external ID',
				action: 'Upsert an item',
			},
		],
		'get',
	),
	op(
		'customer',
		[
			{
				name: 'Upsert',
				value: 'upsert',
				description: 'Create or update a customer by external ID',
				action: 'Upsert a customer',
			},
		],
		'upsert',
	),
	op(
		'salesOrder',
		[
			{
				name: 'Fulfil',
				value: 'fulfil',
				description:
					'Create the item fulfilment for the lines still to ship, once per shipment key, and report the new order status',
				action: 'Fulfil a sales order',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Order status with its item fulfilments',
				action: 'Get a sales order status',
			},
			{
				name: 'Upsert',
				value: 'upsert',
				description: 'Create or update a sales order by external ID (retry-safe)',
				action: 'Upsert a sales order',
			},
		],
		'upsert',
	),
	op(
		'inventoryAdjustment',
		[
			{
				name: 'Create',
				value: 'create',
				description: 'Adjust stock by signed quantities (applied once)',
				action: 'Create an inventory adjustment',
			},
		],
		'create',
	),
	...suiteqlQuery.description,
	...stockGetLevels.description,
	...itemGet.description,
	...itemUpsert.description,
	...orderUpsert.description,
	...orderStatus.description,
	...orderFulfil.description,
	...customerUpsert.description,
	...adjustmentCreate.description,
];
