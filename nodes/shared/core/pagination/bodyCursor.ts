/**
 * Cursor-token paging: the body names an opaque token and the next request sends it back as a
 * param, with the rest of the request unchanged (HubSpot `paging.next.after` → `after`, Amazon
 * SP-API `pagination.nextToken` → `pageToken`/`nextToken`, Elasticsearch-style `search_after`).
 * Unlike next links, the original query and body are sent again on every page: the token only
 * marks a position, and these APIs still require their filters (HubSpot search re-runs the same
 * filter groups; SP-API still requires `marketplaceIds` and the like beside the token).
 */
import { paginationError } from './errors';
import { describeType, readItems, readPath, withBodyFields, type ItemOptions } from './items';
import type { PageRequest, PageResponse, PageStep, PaginationStrategy, QueryValue } from './types';

/** How to page by a cursor token. */
export interface BodyCursorOptions<T> extends ItemOptions<T> {
	/**
	 * Dot path of the next token in the body, or a function returning it; absent/empty means last
	 * page.
	 */
	cursor: string | ((response: PageResponse) => unknown);
	/**
	 * Name of the param the token goes back in (`after`, `pageToken`, `nextToken`, `search_after`).
	 */
	param: string;
	/** Where the token and page size go (default `query`; HubSpot search takes them in the body). */
	in?: 'query' | 'body';
	/** Name of the page-size param, if the endpoint takes one (`limit`, `pageSize`). */
	pageSizeParam?: string;
	/** Page size to send; shrunk to the remaining limit. Needs `pageSizeParam`. */
	pageSize?: number;
}

const NAME = 'bodyCursor';

/**
 * Cursor-token paging. The token is taken as an opaque string (numbers are turned into one);
 * it is never decoded or built by hand.
 */
export function bodyCursor<T = unknown>(options: BodyCursorOptions<T>): PaginationStrategy<T> {
	const placement = options.in ?? 'query';
	return {
		name: NAME,
		start(base, context) {
			const { system } = context;
			const withParams = (
				request: PageRequest,
				token: string | undefined,
				remaining: number | undefined,
			): PageRequest => {
				const fields: Record<string, QueryValue> = {};
				if (token !== undefined) fields[options.param] = token;
				if (options.pageSizeParam !== undefined && options.pageSize !== undefined) {
					fields[options.pageSizeParam] = Math.min(options.pageSize, remaining ?? Infinity);
				}
				if (Object.keys(fields).length === 0) return request;
				return placement === 'query'
					? { ...request, query: { ...request.query, ...fields } }
					: { ...request, body: withBodyFields(request.body, fields, system, NAME) };
			};
			return {
				first: withParams(base, undefined, context.limit),
				items: (response) => readItems(response, options, system, NAME),
				next(response, _items, step): PageStep {
					const raw =
						typeof options.cursor === 'function'
							? options.cursor(response)
							: readPath(response.body, options.cursor);
					if (raw === undefined || raw === null || raw === '') return { kind: 'done' };
					if (typeof raw !== 'string' && typeof raw !== 'number') {
						throw paginationError(
							system,
							'PAGINATION_BAD_RESPONSE',
							`cursor paging expected a string token ${typeof options.cursor === 'string' ? `at "${options.cursor}"` : 'from the cursor function'} but found ${describeType(raw)}`,
							'Check the cursor path against the API response.',
						);
					}
					const token = String(raw);
					return { kind: 'next', request: withParams(step.request, token, step.remaining), token };
				},
			};
		},
	};
}
