import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CommerceError } from '../../../shared/core/http/errors';
import { displayFor } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import { n8nClock } from '../../../shared/n8n/clock';
import type { ItemOperation } from '../../../shared/n8n/router';
import { BULK_EXPORTS, BULK_OPERATION_RUN_QUERY, BULK_OPERATION_STATUS } from '../../graphql/documents';
import { MUTATION_COST, cost } from '../../graphql/cost';
import { shopifyGraphql, type UserError } from '../common';

export const description: INodeProperties[] = displayFor('bulk', 'runQuery', [
	{
		displayName: 'Export',
		name: 'export',
		type: 'options',
		options: [
			{ name: 'Catalog (Products and Variants)', value: 'catalog' },
			{ name: 'Inventory (Items and Levels)', value: 'inventory' },
			{ name: 'Custom Query', value: 'custom' },
		],
		default: 'inventory',
	},
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '',
		description: 'A bulk query: at least one connection, at most five, nested at most two deep',
		displayOptions: { show: { export: ['custom'] } },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5,
	},
	{
		displayName: 'Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'Give up waiting after this long (the export keeps running in Shopify)',
	},
]);

interface BulkStatus {
	id: string;
	status: string;
	errorCode?: string | null;
	objectCount?: string;
	url?: string | null;
	partialDataUrl?: string | null;
}

// API: https://shopify.dev/docs/api/usage/bulk-operations/queries
export const operation: ItemOperation = {
	async execute(this: IExecuteFunctions, { index }) {
		const kind = this.getNodeParameter('export', index, 'inventory') as string;
		const query = kind === 'custom' ? String(this.getNodeParameter('query', index, '')).trim() : BULK_EXPORTS[kind as keyof typeof BULK_EXPORTS];
		if (!query) throw new InputError('The custom bulk query is empty', 'query', 'Write a query with at least one connection');
		const started = await shopifyGraphql<{ bulkOperationRunQuery: { bulkOperation: { id: string; status: string } | null; userErrors: UserError[] } }>(this, {
			query: BULK_OPERATION_RUN_QUERY,
			variables: { query },
			cost: MUTATION_COST,
		});
		const e = started.bulkOperationRunQuery.userErrors?.[0];
		if (e || !started.bulkOperationRunQuery.bulkOperation) {
			throw new InputError(`Shopify refused the bulk query${e?.code ? ` (${e.code})` : ''}: ${e?.message ?? 'no operation returned'}`, 'query', 'Check the query, or wait for the running bulk export to finish');
		}
		const id = started.bulkOperationRunQuery.bulkOperation.id;
		const pollMs = (this.getNodeParameter('pollSeconds', index, 5) as number) * 1000;
		const deadline = Date.now() + (this.getNodeParameter('timeoutMinutes', index, 60) as number) * 60_000;
		const signal = this.getExecutionCancelSignal?.();
		let status: BulkStatus;
		for (;;) {
			status = (await shopifyGraphql<{ node: BulkStatus }>(this, { query: BULK_OPERATION_STATUS, variables: { id }, cost: cost.node() })).node;
			if (['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED'].includes(status.status)) break;
			if (Date.now() > deadline) {
				throw new CommerceError({ kind: 'transient', system: 'shopify', retryable: false, message: `The bulk export ${id} was still ${status.status} when the timeout ran out`, hint: 'Raise "Timeout", or read the result later' });
			}
			await n8nClock.sleep(pollMs, signal);
		}
		if (status.status !== 'COMPLETED') {
			throw new CommerceError({ kind: 'fatal', system: 'shopify', retryable: false, code: status.errorCode ?? status.status, message: `The bulk export ${id} ended ${status.status}${status.errorCode ? ` (${status.errorCode})` : ''}` });
		}
		if (!status.url) return [];
		// The result sits on Shopify's file storage under a signed URL: no credential goes with it.
		const text = (await this.helpers.httpRequest({ method: 'GET', url: status.url, json: false, encoding: 'text' })) as string;
		return groupJsonl(text);
	},
};

/**
 * Turns bulk JSONL (children flattened with `__parentId`) back into one item per root object,
 * children grouped by their type (`ProductVariant` → `productVariants`).
 */
export function groupJsonl(text: string): IDataObject[] {
	const roots: IDataObject[] = [];
	const byId = new Map<string, IDataObject>();
	for (const [n, line] of text.split('\n').entries()) {
		if (line.trim() === '') continue;
		let row: IDataObject;
		try {
			row = JSON.parse(line) as IDataObject;
		} catch {
			throw new CommerceError({ kind: 'fatal', system: 'shopify', retryable: false, message: `Line ${n + 1} of the bulk result is not JSON` });
		}
		const parent = row.__parentId as string | undefined;
		if (!parent) {
			roots.push(row);
			if (typeof row.id === 'string') byId.set(row.id, row);
			continue;
		}
		delete row.__parentId;
		const owner = byId.get(parent);
		const type = typeof row.id === 'string' ? (row.id.split('/')[3] ?? 'children') : 'children';
		const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}s`;
		if (owner) owner[key] = [...((owner[key] as IDataObject[]) ?? []), row];
		if (typeof row.id === 'string') byId.set(row.id, row);
	}
	return roots;
}
