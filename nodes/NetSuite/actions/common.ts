/**
 * What several NetSuite operations share: a SuiteQL read over the kernel paginator (keyset by
 * id, so no 100,000-row ceiling), and reading parameters as strings.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	nextLink,
	paginate,
	suiteqlKeyset,
	SUITEQL_MAX_PAGE_SIZE,
} from '../../shared/core/pagination';
import type { FetchPage } from '../../shared/core/pagination/types';
import { InputError } from '../../shared/n8n/errors';
import { SUITEQL_PATH } from '../transport';

/** The SuiteQL call without its body; the strategies add `q`, `limit` and `offset`. */
export const SUITEQL_REQUEST = {
	method: 'POST' as const,
	path: SUITEQL_PATH,
	headers: { Prefer: 'transient' },
};

/** Reads every row of a keyset query (`query(afterId)`), or the first `limit`. */
export async function suiteqlRows(
	fetchPage: FetchPage,
	baseUrl: string,
	query: (afterId: string | undefined) => string,
	options: { limit?: number; keyColumn?: string; pageSize?: number; signal?: AbortSignal } = {},
): Promise<IDataObject[]> {
	return (await paginate({
		system: 'netsuite',
		fetchPage,
		baseUrl,
		request: SUITEQL_REQUEST,
		strategy: suiteqlKeyset({ query, keyColumn: options.keyColumn, pageSize: options.pageSize }),
		limit: options.limit,
		signal: options.signal,
	}).collect()) as IDataObject[];
}

/**
 * Like `suiteqlRows`, but maps each page as it arrives, so the mapping overlaps the wait for
 * the next page instead of running after the last one.
 */
export async function suiteqlMapped<T>(
	fetchPage: FetchPage,
	baseUrl: string,
	query: (afterId: string | undefined) => string,
	map: (row: IDataObject) => T,
	options: { keyColumn?: string; pageSize?: number; signal?: AbortSignal } = {},
): Promise<T[]> {
	const out: T[] = [];
	const pages = paginate({
		system: 'netsuite',
		fetchPage,
		baseUrl,
		request: SUITEQL_REQUEST,
		strategy: suiteqlKeyset({ query, keyColumn: options.keyColumn, pageSize: options.pageSize }),
		signal: options.signal,
	}).pages();
	for await (const page of pages) for (const row of page.items) out.push(map(row as IDataObject));
	return out;
}

/**
 * Reads a query as written, following NetSuite's own `links[rel=next]` (limit/offset, up to
 * NetSuite's 100,000 rows), for grouped or ordered queries. The query text stays in the body of
 * every page.
 */
export async function suiteqlOffsetRows(
	fetchPage: FetchPage,
	baseUrl: string,
	q: string,
	options: { limit?: number; pageSize?: number; signal?: AbortSignal } = {},
): Promise<IDataObject[]> {
	const pageSize = Math.min(options.pageSize ?? SUITEQL_MAX_PAGE_SIZE, SUITEQL_MAX_PAGE_SIZE);
	// A limit below a page asks for just that many; NetSuite keeps it in its next links.
	const first = options.limit !== undefined && options.limit < pageSize ? options.limit : pageSize;
	return (await paginate({
		system: 'netsuite',
		fetchPage,
		baseUrl,
		request: { ...SUITEQL_REQUEST, query: { limit: first, offset: 0 }, body: { q } },
		strategy: nextLink({ items: 'items', next: { bodyLinks: 'links' }, resendBody: true }),
		limit: options.limit,
		signal: options.signal,
	}).collect()) as IDataObject[];
}

/** Removes the `links` NetSuite adds to every SuiteQL row. */
export function withoutLinks(row: IDataObject): IDataObject {
	const rest = { ...row };
	delete rest.links;
	return rest;
}

/** A parameter as a trimmed string ('' when empty). */
export function stringParam(ctx: IExecuteFunctions, name: string, index: number): string {
	const value = ctx.getNodeParameter(name, index, '') as unknown;
	if (value && typeof value === 'object' && 'value' in (value as IDataObject))
		return String((value as IDataObject).value ?? '').trim();
	return value === undefined || value === null ? '' : String(value).trim();
}

/** A comma-separated or array parameter as a list of non-empty strings. */
export function listParam(ctx: IExecuteFunctions, name: string, index: number): string[] {
	const value = ctx.getNodeParameter(name, index, '') as unknown;
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((v) => String(v).trim()).filter((v) => v !== '');
}

/** A JSON parameter (object or array) as a value; a string is parsed. */
export function jsonParam(ctx: IExecuteFunctions, name: string, index: number): unknown {
	const value = ctx.getNodeParameter(name, index, undefined) as unknown;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch {
		throw new InputError(
			`"${name}" is not valid JSON`,
			name,
			'Fix the JSON, or map an array/object from the input item with an expression.',
		);
	}
}

/** The id at the end of a 204's Location header. */
export function locationHeader(headers: Record<string, unknown>): string | undefined {
	const value = headers.location;
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}
