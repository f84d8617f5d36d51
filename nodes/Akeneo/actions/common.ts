import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { nextLink, paginate } from '../../shared/core/pagination';
import { n8nClock } from '../../shared/n8n/clock';
import { displayFor, returnAllOrLimit } from '../../shared/n8n/descriptions';
import type { ItemOperation } from '../../shared/n8n/router';
import { withSession } from '../../shared/n8n/session';
import { pageFetcher, systemClient, type SystemClient } from '../../shared/n8n/system';
import { akeneo, PAGE_MAX, type AkeneoCredentials } from '../transport';

/**
 * The Akeneo client for this execution: the password-grant token is renewed before it expires
 * and once after Akeneo answers 401; calls are paced per connection and per second.
 */
export async function akeneoClient(ctx: IExecuteFunctions): Promise<SystemClient<AkeneoCredentials>> {
	const session = withSession(ctx, akeneo, { token: 'sessionToken', expiresAt: 'sessionExpiresAt' }, n8nClock);
	return await systemClient(session.ctx, session.definition);
}

/** Reads Return All / Limit for an item. */
export function readLimit(ctx: IExecuteFunctions, index: number): number | undefined {
	const returnAll = ctx.getNodeParameter('returnAll', index, false) as boolean;
	return returnAll ? undefined : (ctx.getNodeParameter('limit', index, 50) as number);
}

/** Splits a comma-separated list of codes. */
export function codes(value: unknown): string[] {
	return String(value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Walks an Akeneo list by `_links.next.href`, never building a page or search_after cursor itself. */
export async function walk(ctx: IExecuteFunctions, path: string, query: Record<string, string | undefined>, limit: number | undefined): Promise<IDataObject[]> {
	const { client, profile } = await akeneoClient(ctx);
	const pageSize = Math.min(PAGE_MAX, limit ?? PAGE_MAX);
	return await paginate<IDataObject>({
		system: 'akeneo',
		fetchPage: pageFetcher(client),
		baseUrl: profile.baseUrl,
		request: { method: 'GET', path, query: { ...query, limit: String(pageSize) } },
		strategy: nextLink<IDataObject>({ items: '_embedded.items', next: { body: '_links.next.href' } }),
		limit,
		signal: ctx.getExecutionCancelSignal?.(),
	}).collect();
}

/** A "get many" of a reference list (families, attributes, categories). */
export function referenceList(resource: string, path: string): { description: INodeProperties[]; operation: ItemOperation } {
	return {
		description: displayFor(resource, 'getMany', [...returnAllOrLimit]),
		operation: {
			async execute({ index }) {
				const rows = await walk(this, path, {}, readLimit(this, index));
				// `_links` point back at the PIM; they are noise in a workflow.
				return rows.map(({ _links, ...row }) => (void _links, row));
			},
		},
	};
}
