import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { bodyCursor, paginate } from '../../../shared/core/pagination';
import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { pageFetcher } from '../../../shared/n8n/system';
import { stockRowsFromListing } from '../../mappers';
import { amazonClient, listingsPath, readLimit, sellerAndMarketplace } from '../common';
import { marketplaceField } from '../fields';
import { INCLUDED_DATA } from './get.operation';

export const description: INodeProperties[] = displayFor('listing', 'getMany', [
	marketplaceField,
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 20 },
		default: 20,
		description: 'Listings per request (SP-API allows up to 20)',
	},
	...returnAllOrLimit,
]);

/** Stock rows (quantity per fulfilment channel, with price) for the seller's listings. */
// API: https://developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-reference#searchlistingsitems
export const operation: ItemOperation = {
	async execute({ index }) {
		const { client, credentials, profile } = await amazonClient(this);
		const { sellerId, marketplaceId } = sellerAndMarketplace(this, credentials, index);
		const asOf = new Date().toISOString();
		const items = await paginate<IDataObject>({
			system: 'amazon',
			fetchPage: pageFetcher(client, { operation: 'searchListingsItems' }),
			baseUrl: profile.baseUrl,
			request: { method: 'GET', path: listingsPath(sellerId), query: { marketplaceIds: marketplaceId, includedData: INCLUDED_DATA } },
			strategy: bodyCursor<IDataObject>({
				items: 'items',
				cursor: 'pagination.nextToken',
				param: 'pageToken',
				pageSizeParam: 'pageSize',
				pageSize: this.getNodeParameter('pageSize', index, 20) as number,
			}),
			limit: readLimit(this, index),
			signal: this.getExecutionCancelSignal?.(),
		}).collect();
		return items.flatMap((item): IDataObject[] => {
			const rows = stockRowsFromListing(item, marketplaceId, asOf);
			return rows.length > 0 ? rows : [{ sku: String(item.sku), marketplaceId, listing: item }];
		});
	},
};
