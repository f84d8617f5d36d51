import type { IExecuteFunctions } from 'n8n-workflow';

import { graphqlRequest, type GraphqlCall } from '../../shared/core/http/graphql';
import { graphqlCursor, paginate } from '../../shared/core/pagination';
import type { FetchPage } from '../../shared/core/pagination/types';
import { systemClient, type SystemClient } from '../../shared/n8n/system';
import { shopify, type ShopifyCredentials } from '../transport';

/** The Shopify client for this execution (limiter shared per credential in the process). */
export async function shopifyClient(ctx: IExecuteFunctions): Promise<SystemClient<ShopifyCredentials>> {
	return await systemClient(ctx, shopify);
}

/** One GraphQL call through the kernel (cost-aware, retried when safe). */
export async function shopifyGraphql<T>(ctx: IExecuteFunctions, call: GraphqlCall): Promise<T> {
	const { client } = await shopifyClient(ctx);
	return (await graphqlRequest<T>(client, { ...call, signal: call.signal ?? ctx.getExecutionCancelSignal?.() })).data;
}

/**
 * Pages one connection with the kernel paginator; each page goes through graphqlRequest so
 * GraphQL errors and throttling are handled like any other call. `costOf(first)` estimates
 * the requested cost of a page of that size.
 */
export async function shopifyCollect<T>(
	ctx: IExecuteFunctions,
	options: {
		query: string;
		variables: Record<string, unknown>;
		connection: string;
		pageSize: number;
		costOf: (first: number) => number;
		limit?: number;
		map?: (node: unknown) => T;
	},
): Promise<T[]> {
	const { client, profile } = await shopifyClient(ctx);
	const signal = ctx.getExecutionCancelSignal?.();
	const fetchPage: FetchPage = async (request, pageSignal) => {
		const body = request.body as { query: string; variables: Record<string, unknown> };
		const first = Number(body.variables.first ?? options.pageSize);
		const result = await graphqlRequest<unknown>(client, {
			query: body.query,
			variables: body.variables,
			cost: options.costOf(first),
			signal: pageSignal,
		});
		return { status: result.response.status, headers: result.response.headers, body: { data: result.data } };
	};
	return await paginate<T>({
		system: 'shopify',
		fetchPage,
		baseUrl: profile.baseUrl,
		request: { method: 'POST', path: 'graphql.json', body: { query: options.query, variables: options.variables } },
		strategy: graphqlCursor<T>({ connection: `data.${options.connection}`, pageSize: options.pageSize, map: options.map }),
		limit: options.limit,
		signal,
	}).collect();
}

/** Shared with every system: the Return All / Limit reader. */
export { readLimit } from '../../shared/n8n/descriptions';

/** Shopify search syntax: a value quoted so spaces, colons and quotes in SKUs stay literal. */
export function searchValue(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(list: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

/** A GraphQL userError as Shopify returns it. */
export interface UserError {
	code?: string | null;
	field?: string[] | null;
	message: string;
}
