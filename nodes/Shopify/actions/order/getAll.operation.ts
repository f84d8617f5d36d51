import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { ORDERS } from '../../graphql/documents';
import { cost, largestPage } from '../../graphql/cost';
import { orderToRow, type ShopifyOrder } from '../../mappers/order';
import { readLimit, shopifyCollect } from '../common';

const LINE_ITEMS = 50;

export const description: INodeProperties[] = displayFor('order', 'getAll', [
	...returnAllOrLimit,
	{
		displayName: 'Updated Since',
		name: 'updatedSince',
		type: 'string',
		default: '',
		placeholder: '2026-11-01T00:00:00Z',
		description: 'Only orders changed after this time (ISO 8601) — the cursor of an incremental sync',
	},
]);

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/orders
export const operation: ItemOperation = {
	async execute(this: IExecuteFunctions, { index }) {
		const since = String(this.getNodeParameter('updatedSince', index, '') ?? '').trim();
		let query: string | null = null;
		if (since) {
			const at = new Date(since);
			if (Number.isNaN(at.getTime())) throw new InputError(`"${since}" is not a date`, 'updatedSince', 'Use an ISO 8601 time such as 2026-11-01T00:00:00Z');
			query = `updated_at:>'${at.toISOString()}'`;
		}
		const orders = await shopifyCollect<ShopifyOrder>(this, {
			query: ORDERS,
			variables: { query, lineItems: LINE_ITEMS },
			connection: 'orders',
			pageSize: largestPage((n) => cost.orders(n, LINE_ITEMS)),
			costOf: (n) => cost.orders(n, LINE_ITEMS),
			limit: readLimit(this, index),
		});
		return orders.map(orderToRow);
	},
};
