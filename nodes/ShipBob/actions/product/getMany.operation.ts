// API: https://developer.shipbob.com/2026-01/api/products/get-products
import type { INodeProperties } from 'n8n-workflow';

import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { systemClient } from '../../../shared/n8n/system';
import { productFromShipBob } from '../../mappers';
import { shipBobDefinition } from '../../transport';
import { limitParam, pagedItems, stringParam } from '../common';

export const description: INodeProperties[] = displayFor('product', 'getMany', [
	{
		displayName: 'SKU',
		name: 'sku',
		type: 'string',
		default: '',
		description: 'Only the product with this SKU',
	},
	...returnAllOrLimit,
]);

export const operation: ItemOperation = {
	async execute({ index }) {
		const { fetchPage, profile } = await systemClient(this, shipBobDefinition);
		const sku = stringParam(this, 'sku', index);
		const items = await pagedItems(
			fetchPage,
			profile.baseUrl,
			'/product',
			{ PageSize: '250', SKU: sku || undefined },
			limitParam(this, index),
		);
		return items.map(productFromShipBob);
	},
};
