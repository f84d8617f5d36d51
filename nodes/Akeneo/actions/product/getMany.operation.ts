import type { INodeProperties } from 'n8n-workflow';

import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { productRow, productSearch, type AkeneoProduct } from '../../mappers/products';
import { codes, readLimit, walk } from '../common';

export const description: INodeProperties[] = displayFor('product', 'getMany', [
	{
		displayName: 'Updated Since',
		name: 'updatedSince',
		type: 'string',
		default: '',
		placeholder: '2026-01-31T08:00:00Z',
		description: 'Only products changed after this time (ISO, or the cursor a previous run kept); empty for all',
	},
	{
		displayName: 'Status',
		name: 'enabled',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'Enabled Only', value: 'enabled' },
			{ name: 'Disabled Only', value: 'disabled' },
		],
		default: 'any',
	},
	{ displayName: 'Families', name: 'families', type: 'string', default: '', placeholder: 'clothing,shoes', description: 'Comma-separated family codes; empty for all' },
	{ displayName: 'Categories', name: 'categories', type: 'string', default: '', placeholder: 'summer', description: 'Comma-separated category codes; empty for all' },
	...returnAllOrLimit,
]);

// API: https://api.akeneo.com/api-reference.html#get_products_uuid
export const operation: ItemOperation = {
	async execute({ index }) {
		const search = productSearch({
			updatedSince: this.getNodeParameter('updatedSince', index, ''),
			enabled: this.getNodeParameter('enabled', index, 'any') as string,
			families: codes(this.getNodeParameter('families', index, '')),
			categories: codes(this.getNodeParameter('categories', index, '')),
		});
		const rows = await walk(this, '/api/rest/v1/products-uuid', { pagination_type: 'search_after', search }, readLimit(this, index));
		return rows.map((p) => {
			const { _links, ...product } = p;
			void _links;
			return productRow(product as AkeneoProduct);
		});
	},
};
