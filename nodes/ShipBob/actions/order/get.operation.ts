// API: https://developer.shipbob.com/2026-01/api/orders/get-order
import type { INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { orderFromShipBob } from '../../mappers';
import { findOrder } from '../common';

export const description: INodeProperties[] = [
	...displayFor(
		'order',
		['get', 'getShipments'],
		[
			{
				displayName: 'Find By',
				name: 'findBy',
				type: 'options',
				options: [
					{ name: 'Order ID', value: 'id' },
					{ name: 'Reference ID', value: 'referenceId' },
				],
				default: 'referenceId',
			},
			{
				displayName: 'Value',
				name: 'value',
				type: 'string',
				default: '',
				required: true,
				description: 'ShipBob order ID or your reference ID',
			},
		],
	),
];

export const operation: ItemOperation = {
	async execute({ index }) {
		return orderFromShipBob((await findOrder(this, index)).order);
	},
};
