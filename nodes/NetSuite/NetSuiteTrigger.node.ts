import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	offset,
	paginate,
	SUITEQL_MAX_PAGE_SIZE,
	SUITEQL_OFFSET_CEILING,
} from '../shared/core/pagination';
import { systemClient } from '../shared/n8n/system';
import { InputError } from '../shared/n8n/errors';
import { SUITEQL_REQUEST } from './actions/common';
import { itemFromSuiteql } from './mappers/records';
import { stockRowFromSuiteql } from './mappers/stock';
import { CHANGE_FEEDS, changesQuery, stockForItemsQuery } from './mappers/suiteql';
import { netSuiteDefinition } from './transport';
import { advance, readCursor, readFrom, type ChangeCursor, type ChangeRow } from './trigger/cursor';

type Feed = keyof typeof CHANGE_FEEDS;

/**
 * Polls NetSuite for items, stock or sales orders changed since the last poll (NetSuite sends no
 * webhooks). The cursor is NetSuite's own change stamp, never this host's clock, with an overlap
 * window so a change saved while a poll runs is picked up by the next one.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html
 */
export class NetSuiteTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NetSuite ERP (Commerce Sync) Trigger',
		name: 'netSuiteTrigger',
		icon: { light: 'file:netSuite.svg', dark: 'file:netSuite.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"On " + $parameter["event"] + " changed"}}',
		description: 'Starts the workflow when items, stock or sales orders change in NetSuite',
		defaults: { name: 'NetSuite ERP Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'netSuiteTbaApi', required: true }],
		properties: [
			{
				displayName: 'Watch',
				name: 'event',
				type: 'options',
				options: [
					{ name: 'Item Changed', value: 'items', description: 'Any change to an item record' },
					{
						name: 'Sales Order Changed',
						value: 'orders',
						description: 'A sales order created or changed',
					},
					{
						name: 'Stock Changed',
						value: 'stock',
						description: 'Available quantity moved at any location; outputs the item’s stock rows',
					},
				],
				default: 'stock',
			},
			{
				displayName: 'Max Changes per Poll',
				name: 'maxPerPoll',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10000 },
				default: 500,
				description: 'Older changes beyond this wait for the next poll; none are skipped',
			},
			{
				displayName: 'Overlap (Seconds)',
				name: 'overlapSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 120,
				description:
					'How far back each poll looks again, for changes committed late. Rows already emitted are not emitted twice.',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const feedName = this.getNodeParameter('event', 'stock') as Feed;
		const feed = CHANGE_FEEDS[feedName];
		if (!feed)
			throw new InputError(
				`Unknown feed "${feedName}"`,
				'event',
				'Pick Item, Stock or Sales Order.',
			);
		const max = this.getNodeParameter('maxPerPoll', 500) as number;
		const overlap = this.getNodeParameter('overlapSeconds', 120) as number;
		const data = this.getWorkflowStaticData('node') as IDataObject;
		const manual = this.getMode() === 'manual';
		const { fetchPage, profile } = await systemClient(this, netSuiteDefinition);
		const read = (q: string, limit?: number) =>
			paginate({
				system: 'netsuite',
				fetchPage,
				baseUrl: profile.baseUrl,
				request: { ...SUITEQL_REQUEST, body: { q } },
				strategy: offset({
					items: 'items',
					hasMore: 'hasMore',
					pageSize: SUITEQL_MAX_PAGE_SIZE,
					ceiling: SUITEQL_OFFSET_CEILING,
				}),
				limit,
			});

		let cursor = data.feed === feedName ? readCursor(data.cursor) : undefined;
		let rows: Array<ChangeRow & { raw: IDataObject }>;
		if (!cursor) {
			// A new poller starts at the newest change NetSuite has, by NetSuite's own clock.
			const newest = (await read(
				changesQuery(feed, undefined),
				manual ? Math.min(max, 10) : 1,
			).collect()) as IDataObject[];
			const top = newest[0];
			const start: ChangeCursor = top
				? { since: String(top.changedat), seen: [`${String(top.id)}@${String(top.changedat)}`] }
				: { since: '1970-01-01 00:00:00', seen: [] };
			if (!manual) {
				data.feed = feedName;
				data.cursor = start as unknown as IDataObject;
				return null;
			}
			// A manual test run shows the latest changes without moving any saved cursor.
			rows = newest.map((r) => ({ id: String(r.id), changedAt: String(r.changedat), raw: r }));
			cursor = undefined;
		} else {
			rows = [];
			const seen = new Set(cursor.seen);
			let fresh = 0;
			for await (const raw of read(changesQuery(feed, readFrom(cursor, overlap))).items()) {
				const r = raw as IDataObject;
				const row = { id: String(r.id), changedAt: String(r.changedat), raw: r };
				rows.push(row);
				if (!seen.has(`${row.id}@${row.changedAt}`) && ++fresh >= max) break;
			}
			const next = advance(cursor, rows, max, overlap);
			rows = next.emit;
			if (!manual) {
				data.feed = feedName;
				data.cursor = next.cursor as unknown as IDataObject;
			}
		}
		if (rows.length === 0) return null;

		let out: IDataObject[];
		if (feedName === 'items') {
			out = rows.map((r) => ({ ...itemFromSuiteql(r.raw), changedAt: r.changedAt }));
		} else if (feedName === 'orders') {
			out = rows.map((r) => ({
				id: r.id,
				tranId: r.raw.tranid,
				externalId: r.raw.externalid,
				status: r.raw.status,
				customerId: r.raw.entity,
				memo: r.raw.memo,
				changedAt: r.changedAt,
				source: 'netsuite',
			}));
		} else {
			const skuById = new Map(rows.map((r) => [r.id, String(r.raw.itemid)]));
			const changedAt = new Map(rows.map((r) => [r.id, r.changedAt]));
			const stock = (await read(
				stockForItemsQuery([...skuById.keys()]),
			).collect()) as IDataObject[];
			const asOf = new Date().toISOString();
			out = [];
			for (const s of stock) {
				const level = stockRowFromSuiteql(s, skuById, asOf);
				if (level) out.push({ ...level, changedAt: changedAt.get(level.itemId) } as IDataObject);
			}
		}
		return out.length ? [this.helpers.returnJsonArray(out)] : null;
	}
}
