import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CommerceError } from '../../../shared/core/http/errors';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { FULFILLMENT_CREATE, ORDER_FULFILLMENT_ORDERS } from '../../graphql/documents';
import { MUTATION_COST, cost } from '../../graphql/cost';
import { shopifyGraphql, type UserError } from '../common';
import { gidField } from '../fields';

export const description: INodeProperties[] = displayFor('fulfillment', 'create', [
	{ displayName: 'Order ID', name: 'orderId', type: 'string', default: '={{ $json.orderId }}', required: true, description: 'Shopify order (GID or number)' },
	{ displayName: 'Tracking Number', name: 'trackingNumber', type: 'string', default: '={{ $json.trackingNumber }}' },
	{ displayName: 'Carrier', name: 'carrier', type: 'string', default: '={{ $json.carrier }}', description: 'Carrier name as Shopify knows it (e.g. UPS, USPS, DHL Express)' },
	{ displayName: 'Tracking URL', name: 'trackingUrl', type: 'string', default: '' },
	{ displayName: 'Notify Customer', name: 'notifyCustomer', type: 'boolean', default: false, description: 'Whether Shopify emails the customer the shipping confirmation' },
	dryRunField,
	correlationIdField,
]);

interface FulfillmentOrder {
	id: string;
	status: string;
	lineItems: { nodes: Array<{ id: string; remainingQuantity: number; sku?: string | null }> };
}

// Fulfils every open fulfilment order of the order: running it again finds nothing open and
// reports "alreadyFulfilled" instead of shipping twice.
// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentCreate
export const operation: ItemOperation = {
	correlation: true,
	async execute(this: IExecuteFunctions, { index }) {
		const orderId = gidField('Order', this.getNodeParameter('orderId', index, '') as unknown, 'orderId');
		const trackingNumber = String(this.getNodeParameter('trackingNumber', index, '') ?? '').trim();
		const carrier = String(this.getNodeParameter('carrier', index, '') ?? '').trim();
		const trackingUrl = String(this.getNodeParameter('trackingUrl', index, '') ?? '').trim();
		if (trackingUrl && !/^https?:\/\//.test(trackingUrl)) {
			throw new InputError(`Tracking URL "${trackingUrl}" is not a web address`, 'trackingUrl', 'Use a full https:// address or leave it empty');
		}
		const data = await shopifyGraphql<{ order: { id: string; name: string; fulfillmentOrders: { nodes: FulfillmentOrder[] } } | null }>(this, {
			query: ORDER_FULFILLMENT_ORDERS,
			variables: { id: orderId },
			cost: cost.orderFulfillmentOrders(),
		});
		if (!data.order) throw new CommerceError({ kind: 'notFound', system: 'shopify', retryable: false, message: `Shopify has no order ${orderId}`, hint: 'Check the order ID' });
		const open = data.order.fulfillmentOrders.nodes.filter(
			(fo) => ['OPEN', 'IN_PROGRESS'].includes(fo.status) && fo.lineItems.nodes.some((l) => l.remainingQuantity > 0),
		);
		const base: IDataObject = { orderId, orderNumber: data.order.name, trackingNumber, carrier };
		if (open.length === 0) return { ...base, status: 'alreadyFulfilled' };
		const fulfillment: IDataObject = {
			lineItemsByFulfillmentOrder: open.map((fo) => ({ fulfillmentOrderId: fo.id })),
			notifyCustomer: this.getNodeParameter('notifyCustomer', index, false) as boolean,
		};
		if (trackingNumber || carrier || trackingUrl) {
			fulfillment.trackingInfo = {
				...(trackingNumber ? { number: trackingNumber } : {}),
				...(carrier ? { company: carrier } : {}),
				...(trackingUrl ? { url: trackingUrl } : {}),
			};
		}
		if (this.getNodeParameter('dryRun', index, false)) return { ...base, status: 'dryRun', request: { mutation: 'fulfillmentCreate', fulfillment } };
		const result = await shopifyGraphql<{ fulfillmentCreate: { fulfillment: { id: string; status: string } | null; userErrors: UserError[] } }>(this, {
			query: FULFILLMENT_CREATE,
			variables: { fulfillment },
			// No key: a lost answer is not resent blindly; running again skips the now-closed order.
			cost: MUTATION_COST,
		});
		const e = result.fulfillmentCreate.userErrors?.[0];
		if (e || !result.fulfillmentCreate.fulfillment) {
			throw new InputError(`Shopify refused the fulfilment of ${data.order.name}: ${e?.message ?? 'no fulfilment returned'}`, (e?.field ?? []).join('.'), 'Check the order is open and the tracking details are valid');
		}
		return { ...base, status: 'fulfilled', fulfillmentId: result.fulfillmentCreate.fulfillment.id };
	},
};
