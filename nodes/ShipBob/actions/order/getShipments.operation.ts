// API: https://developer.shipbob.com/2026-01/api/orders/get-order-shipments
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { toId } from '../../../shared/core/domain/stock';
import type { ItemOperation } from '../../../shared/n8n/router';
import { shipmentFromShipBob } from '../../mappers';
import { findOrder } from '../common';

/** Uses the Find By / Value fields of Order → Get (shown for both operations). */
export const description: INodeProperties[] = [];

/** Shipments of one order (status, fulfilment centre, tracking), one item each. */
export const operation: ItemOperation = {
	async execute({ index }) {
		const { client, order } = await findOrder(this, index);
		const response = await client.request<IDataObject[]>({
			method: 'GET',
			path: `/order/${toId(order.id, 'id')}/shipment`,
		});
		return (Array.isArray(response.body) ? response.body : []).map(shipmentFromShipBob);
	},
};
