import type { INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { productRow, type AkeneoProduct } from '../../mappers/products';
import { akeneoClient } from '../common';

export const description: INodeProperties[] = displayFor('product', 'get', [
	{ displayName: 'Product UUID', name: 'uuid', type: 'string', default: '={{ $json.uuid }}', required: true },
]);

// API: https://api.akeneo.com/api-reference.html#get_products_uuid__uuid_
export const operation: ItemOperation = {
	async execute({ index }) {
		const uuid = String(this.getNodeParameter('uuid', index, '') ?? '').trim();
		if (!/^[0-9a-f-]{36}$/i.test(uuid)) throw new InputError(`"${uuid}" is not a product UUID`, 'uuid', 'Map "Product UUID" to the product’s uuid (Get Many outputs it)');
		const { client } = await akeneoClient(this);
		const response = await client.request<AkeneoProduct>({ method: 'GET', path: `/api/rest/v1/products-uuid/${uuid}`, signal: this.getExecutionCancelSignal?.() });
		return productRow(response.body);
	},
};
