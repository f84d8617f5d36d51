import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { nextLink, paginate } from '../../../shared/core/pagination';
import { displayFor, returnAllOrLimit } from '../../../shared/n8n/descriptions';
import type { ItemOperation } from '../../../shared/n8n/router';
import { pageFetcher } from '../../../shared/n8n/system';
import { stockRowFromInventoryItem } from '../../mappers';
import { ebayClient, readLimit } from '../common';

export const description: INodeProperties[] = displayFor('inventoryItem', 'getMany', [
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 200 },
		default: 100,
		description: 'Inventory items per request (eBay allows up to 200)',
	},
	...returnAllOrLimit,
]);

// API: https://developer.ebay.com/api-docs/sell/inventory/resources/inventory_item/methods/getInventoryItems
export const operation: ItemOperation = {
	async execute({ index }) {
		const { client, profile } = await ebayClient(this);
		const asOf = new Date().toISOString();
		const limit = readLimit(this, index);
		const pageSize = Math.min(this.getNodeParameter('pageSize', index, 100) as number, limit ?? 200);
		// eBay's `next` link carries limit and offset; a server that repeats it is caught.
		const items = await paginate<IDataObject>({
			system: 'ebay',
			fetchPage: pageFetcher(client),
			baseUrl: profile.baseUrl,
			request: { method: 'GET', path: '/inventory_item', query: { limit: String(pageSize), offset: '0' } },
			strategy: nextLink<IDataObject>({ items: 'inventoryItems', next: { body: 'next' } }),
			limit,
			signal: this.getExecutionCancelSignal?.(),
		}).collect();
		return items.map((item) => stockRowFromInventoryItem(item, asOf));
	},
};
