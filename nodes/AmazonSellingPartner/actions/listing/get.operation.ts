import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { stockRowsFromListing } from '../../mappers';
import { amazonClient, listingsPath, sellerAndMarketplace } from '../common';
import { marketplaceField, skuField } from '../fields';

export const INCLUDED_DATA = 'summaries,attributes,issues,offers,fulfillmentAvailability';

export const description: INodeProperties[] = displayFor('listing', 'get', [skuField, marketplaceField]);

// API: https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-reference#getlistingsitem
export const operation: ItemOperation = {
	async execute({ index }) {
		const { client, credentials } = await amazonClient(this);
		const { sellerId, marketplaceId } = sellerAndMarketplace(this, credentials, index);
		const sku = String(this.getNodeParameter('sku', index, '') ?? '').trim();
		if (!sku) throw new InputError('The item has no SKU', 'sku', 'Map "SKU" to the seller SKU of the listing');
		const response = await client.request<IDataObject>({
			method: 'GET',
			path: listingsPath(sellerId, sku),
			query: { marketplaceIds: marketplaceId, includedData: INCLUDED_DATA },
			operation: 'getListingsItem',
			signal: this.getExecutionCancelSignal?.(),
		});
		const rows = stockRowsFromListing(response.body, marketplaceId, new Date().toISOString());
		const issues = (response.body.issues as IDataObject[]) ?? [];
		if (rows.length === 0) return { sku, marketplaceId, listing: response.body };
		return rows.map((r) => ({ ...r, issues, attributes: response.body.attributes as IDataObject }));
	},
};
