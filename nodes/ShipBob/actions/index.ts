/** Resources and operations of the ShipBob node. */
import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../../shared/n8n/router';
import * as inventoryGetMany from './inventory/getMany.operation';
import * as orderCreate from './order/create.operation';
import * as orderGet from './order/get.operation';
import * as orderShipments from './order/getShipments.operation';
import * as productGetMany from './product/getMany.operation';

export const operations: OperationMap = {
	inventory: { getMany: inventoryGetMany.operation },
	product: { getMany: productGetMany.operation },
	order: {
		create: orderCreate.operation,
		get: orderGet.operation,
		getShipments: orderShipments.operation,
	},
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Inventory', value: 'inventory' },
			{ name: 'Order', value: 'order' },
			{ name: 'Product', value: 'product' },
		],
		default: 'inventory',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['inventory'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Stock per fulfillment center',
				action: 'Get many inventory levels',
			},
		],
		default: 'getMany',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Products with their variants',
				action: 'Get many products',
			},
		],
		default: 'getMany',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create an order once per reference ID',
				action: 'Create an order',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an order by ID or reference ID',
				action: 'Get an order',
			},
			{
				name: 'Get Shipments',
				value: 'getShipments',
				description: 'Shipments of an order with tracking',
				action: 'Get shipments of an order',
			},
		],
		default: 'create',
	},
	...inventoryGetMany.description,
	...productGetMany.description,
	...orderCreate.description,
	...orderGet.description,
	...orderShipments.description,
];
