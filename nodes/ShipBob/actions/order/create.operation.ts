// API: https://developer.shipbob.com/2026-01/api/orders/create-order
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isCommerceError } from '../../../shared/core/http/errors';
import { scopedIdempotencyKey } from '../../../shared/core/idempotency/key';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { orderBody, orderFromShipBob } from '../../mappers';
import { isDuplicateReference } from '../../mappers/errors';
import { fulfillmentCenterLocator } from '../../methods';
import { shipBobDefinition } from '../../transport';
import { stringParam } from '../common';

export const description: INodeProperties[] = displayFor('order', 'create', [
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		default: '={{ $json.orderId }}',
		required: true,
		description:
			'Your unique order key. ShipBob refuses a second order with it, so a retried or re-run create returns the existing order instead of shipping twice.',
	},
	{ displayName: 'Order Number', name: 'orderNumber', type: 'string', default: '' },
	{
		displayName: 'Shipping Method',
		name: 'shippingMethod',
		type: 'string',
		default: 'Standard',
		required: true,
		description: 'A ship option your ShipBob account knows',
	},
	{
		displayName: 'Order Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'B2B', value: 'B2B' },
			{ name: 'DTC', value: 'DTC' },
			{ name: 'DropShip', value: 'DropShip' },
		],
		default: 'DTC',
	},
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'json',
		default: '={{ $json.recipient }}',
		required: true,
		description:
			'{"name": "…", "email": "…", "address": {"address1": "…", "city": "…", "state": "…", "zip_code": "…", "country": "US"}}',
	},
	{
		displayName: 'Products',
		name: 'products',
		type: 'json',
		default: '={{ $json.products }}',
		required: true,
		description:
			'[{"referenceId": "SKU-1", "name": "…", "quantity": 1}]; referenceId is the product’s reference ID (usually the SKU)',
	},
	fulfillmentCenterLocator('locationId', 'Leave empty to let ShipBob choose'),
	dryRunField,
	correlationIdField,
]);

export const operation: ItemOperation = {
	correlation: true,
	async execute({ index, correlationId }) {
		const body = orderBody({
			referenceId: stringParam(this, 'referenceId', index),
			orderNumber: stringParam(this, 'orderNumber', index),
			shippingMethod: stringParam(this, 'shippingMethod', index),
			type: stringParam(this, 'type', index),
			recipient: this.getNodeParameter('recipient', index, undefined),
			products: this.getNodeParameter('products', index, undefined),
			locationId: stringParam(this, 'locationId', index) || undefined,
			correlationId,
		});
		const headers = { 'X-Correlation-Id': String(correlationId) };
		if (this.getNodeParameter('dryRun', index, false)) {
			return { dryRun: true, request: { method: 'POST', path: '/order', headers, body } };
		}
		const { client } = await systemClient(this, shipBobDefinition);
		try {
			// The key only lets the kernel retry the POST: reference_id is what makes a repeat harmless.
			const response = await client.request<IDataObject>({
				method: 'POST',
				path: '/order',
				body,
				headers,
				idempotencyKey: scopedIdempotencyKey('shipbob:order', body.reference_id),
			});
			return { ...orderFromShipBob(response.body), created: true };
		} catch (error) {
			if (!isCommerceError(error) || !isDuplicateReference(error.status, error.body)) throw error;
			const existing = await client.request<IDataObject[]>({
				method: 'GET',
				path: '/order',
				query: { ReferenceIds: String(body.reference_id) },
			});
			const order = Array.isArray(existing.body) ? existing.body[0] : undefined;
			if (!order) throw error;
			return { ...orderFromShipBob(order), created: false };
		}
	},
};
