import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../../shared/n8n/router';
import * as attributeGetMany from './attribute/getMany.operation';
import * as categoryGetMany from './category/getMany.operation';
import * as familyGetMany from './family/getMany.operation';
import * as productGet from './product/get.operation';
import * as productGetMany from './product/getMany.operation';
import * as productMap from './product/map.operation';
import * as productUpsert from './product/upsert.operation';

/** resource → operation → handler, checked by the router. */
export const operations: OperationMap = {
	product: { getMany: productGetMany.operation, get: productGet.operation, upsert: productUpsert.operation, map: productMap.operation },
	family: { getMany: familyGetMany.operation },
	attribute: { getMany: attributeGetMany.operation },
	category: { getMany: categoryGetMany.operation },
};

const listOnly = (resource: string, plural: string): INodeProperties => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [resource] } },
	options: [{ name: 'Get Many', value: 'getMany', description: `List ${plural}`, action: `Get many ${plural}` }],
	default: 'getMany',
});

/** Resource and operation pickers plus every operation's fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Attribute', value: 'attribute' },
			{ name: 'Category', value: 'category' },
			{ name: 'Family', value: 'family' },
			{ name: 'Product', value: 'product' },
		],
		default: 'product',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'One product by UUID', action: 'Get a product' },
			{ name: 'Get Many', value: 'getMany', description: 'Products, optionally only those updated since a time', action: 'Get many products' },
			{ name: 'Map to Channel Product', value: 'map', description: 'Turn an Akeneo product into title, description, prices, images and attributes for one locale and channel', action: 'Map a product to a channel product' },
			{ name: 'Upsert', value: 'upsert', description: 'Create or update products, 100 per call, with a status per product', action: 'Upsert products' },
		],
		default: 'getMany',
	},
	listOnly('family', 'families'),
	listOnly('attribute', 'attributes'),
	listOnly('category', 'categories'),
	...productGetMany.description,
	...productGet.description,
	...productUpsert.description,
	...productMap.description,
	...familyGetMany.description,
	...attributeGetMany.description,
	...categoryGetMany.description,
];
