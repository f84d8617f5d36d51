import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { route } from '../shared/n8n/router';
import { operations, properties } from './actions';
import { searchLocations } from './methods/listSearch';

/**
 * Shopify through the Admin GraphQL API: inventory per location with compare-and-set and
 * idempotency keys, products, orders, fulfilments and bulk exports, paced by Shopify's cost
 * bucket instead of failing on throttling.
 */
export class ShopifyAdmin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Shopify Admin GraphQL',
		name: 'shopifyAdmin',
		icon: { light: 'file:shopify.svg', dark: 'file:shopify.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Sync inventory, products, orders and fulfilments with Shopify (GraphQL Admin API)',
		defaults: { name: 'Shopify Admin GraphQL' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shopifyAdminGraphqlApi', required: true }],
		properties,
	};

	methods = { listSearch: { searchLocations } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, operations);
	}
}
