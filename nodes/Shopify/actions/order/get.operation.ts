import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CommerceError } from '../../../shared/core/http/errors';
import { displayFor } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { ORDER } from '../../graphql/documents';
import { cost } from '../../graphql/cost';
import { orderToRow, type ShopifyOrder } from '../../mappers/order';
import { shopifyGraphql } from '../common';
import { gidField } from '../fields';

export const description: INodeProperties[] = displayFor('order', 'get', [
	{ displayName: 'Order ID', name: 'orderId', type: 'string', default: '={{ $json.orderId }}', required: true, description: 'Shopify order (GID or number)' },
]);

// API: https://shopify.dev/docs/api/admin-graphql/latest/queries/order
export const operation: ItemOperation = {
	async execute(this: IExecuteFunctions, { index }) {
		const id = gidField('Order', this.getNodeParameter('orderId', index, '') as unknown, 'orderId');
		const data = await shopifyGraphql<{ order: ShopifyOrder | null }>(this, { query: ORDER, variables: { id, lineItems: 100 }, cost: cost.order(100) });
		if (!data.order) {
			throw new CommerceError({ kind: 'notFound', system: 'shopify', retryable: false, message: `Shopify has no order ${id}`, hint: 'Check the order ID' });
		}
		return orderToRow(data.order);
	},
};
