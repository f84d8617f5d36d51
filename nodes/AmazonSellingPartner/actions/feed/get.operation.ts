import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { displayFor } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { amazonClient } from '../common';
import { downloadReport } from '../listing/updateQuantityPrice.operation';

export const description: INodeProperties[] = displayFor('feed', 'get', [
	{
		displayName: 'Feed ID',
		name: 'feedId',
		type: 'string',
		default: '={{ $json.feedId }}',
		required: true,
	},
	{
		displayName: 'Include Processing Report',
		name: 'includeReport',
		type: 'boolean',
		default: true,
		description: 'Whether to download the report (per-message issues) once the feed is done',
	},
]);

// API: https://developer-docs.amazon.com/sp-api/docs/feeds-api-v2021-06-30-reference#getfeed
export const operation: ItemOperation = {
	async execute({ index }) {
		const feedId = String(this.getNodeParameter('feedId', index, '') ?? '').trim();
		if (!/^\d+$/.test(feedId)) throw new InputError(`"${feedId}" is not a feed ID`, 'feedId', 'Map "Feed ID" to the number Amazon returned when the feed was created');
		const { client } = await amazonClient(this);
		const feed = (await client.request<IDataObject>({ method: 'GET', path: `/feeds/2021-06-30/feeds/${feedId}`, operation: 'getFeed', signal: this.getExecutionCancelSignal?.() })).body;
		const out: IDataObject = { ...feed, feedId: String(feed.feedId) };
		if (this.getNodeParameter('includeReport', index, true) && feed.resultFeedDocumentId) {
			out.report = await downloadReport(this, client, String(feed.resultFeedDocumentId));
		}
		return out;
	},
};
