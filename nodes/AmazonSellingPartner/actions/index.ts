import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../../shared/n8n/router';
import * as feedGet from './feed/get.operation';
import * as listingGet from './listing/get.operation';
import * as listingGetMany from './listing/getMany.operation';
import * as listingPut from './listing/put.operation';
import * as listingUpdate from './listing/updateQuantityPrice.operation';

/** resource → operation → handler, checked by the router. */
export const operations: OperationMap = {
	feed: { get: feedGet.operation },
	listing: {
		get: listingGet.operation,
		getMany: listingGetMany.operation,
		put: listingPut.operation,
		updateQuantityPrice: listingUpdate.operation,
	},
};

/** Resource and operation pickers plus every operation's fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Feed', value: 'feed' },
			{ name: 'Listing', value: 'listing' },
		],
		default: 'listing',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['feed'] } },
		options: [{ name: 'Get Status', value: 'get', description: 'Processing status and report of a feed', action: 'Get a feed status' }],
		default: 'get',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['listing'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'One listing with quantity, price and issues', action: 'Get a listing' },
			{ name: 'Get Many', value: 'getMany', description: 'The seller’s listings as stock rows', action: 'Get many listings' },
			{ name: 'Put (Full Listing)', value: 'put', description: 'Create or fully replace a listing', action: 'Put a listing' },
			{ name: 'Update Quantity and Price', value: 'updateQuantityPrice', description: 'Set quantity and/or price per SKU, by PATCH or listings feed', action: 'Update quantity and price' },
		],
		default: 'updateQuantityPrice',
	},
	...feedGet.description,
	...listingGet.description,
	...listingGetMany.description,
	...listingPut.description,
	...listingUpdate.description,
];
