import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { PRODUCTS } from '../../graphql/documents';
import { cost, largestPage } from '../../graphql/cost';
import { productToRow, type ShopifyProduct } from '../../mappers/product';
import { readLimit, shopifyCollect } from '../common';

export const description: INodeProperties[] = displayFor('product', 'getAll', [
	...returnAllOrLimit,
	{
		displayName: 'Updated Since',
		name: 'updatedSince',
		type: 'string',
		default: '',
		placeholder: '2026-11-01T00:00:00Z',
		description: 'Only products changed after this time (ISO 8601)',
	},
	{
		displayName: 'Max Variants per Product',
		name: 'maxVariants',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 250 },
		default: 20,
		description: 'Variants read with each product; lower values fit more products into each call',
	},
]);

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/products
export const operation: ItemOperation = {
	async execute(this: IExecuteFunctions, { index }) {
		const since = (this.getNodeParameter('updatedSince', index, '') as string).trim();
		const variants = this.getNodeParameter('maxVariants', index, 20) as number;
		const products = await shopifyCollect<ShopifyProduct>(this, {
			query: PRODUCTS,
			variables: { query: since ? `updated_at:>'${new Date(since).toISOString()}'` : null, variants },
			connection: 'products',
			pageSize: largestPage((n) => cost.products(n, variants)),
			costOf: (n) => cost.products(n, variants),
			limit: readLimit(this, index),
		});
		return products.map(productToRow) as IDataObject[];
	},
};
