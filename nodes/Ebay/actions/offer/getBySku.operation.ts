import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { offerRow } from '../../mappers';
import { ebayClient } from '../common';

export const description: INodeProperties[] = displayFor('offer', 'getBySku', [
	{ displayName: 'SKU', name: 'sku', type: 'string', default: '={{ $json.sku }}', required: true },
	{ displayName: 'Marketplace ID', name: 'marketplaceId', type: 'string', default: 'EBAY_US' },
]);

// API: https://developer.ebay.com/api-docs/sell/inventory/resources/offer/methods/getOffers
export const operation: ItemOperation = {
	async execute({ index }) {
		const sku = String(this.getNodeParameter('sku', index, '') ?? '').trim();
		if (!sku) throw new InputError('The item has no SKU', 'sku', 'Map "SKU" to the item’s SKU');
		const marketplace = String(this.getNodeParameter('marketplaceId', index, 'EBAY_US') ?? '').trim();
		const { client } = await ebayClient(this);
		const response = await client.request<IDataObject>({
			method: 'GET',
			path: '/offer',
			query: { sku, marketplace_id: marketplace || undefined },
			signal: this.getExecutionCancelSignal?.(),
		});
		return ((response.body.offers as IDataObject[]) ?? []).map(offerRow);
	},
};
