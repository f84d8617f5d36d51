/**
 * The seam between the paginators and whoever sends requests. Paginators never see the HTTP
 * client: the caller hands them a `fetchPage` function, so the same strategies run over the
 * real client, the sandbox or an in-memory dataset in tests.
 */
import type { HttpMethod, TransportResponse } from '../http/transport';

/** A query-string value as the HTTP client accepts it; `undefined` means "leave it out". */
export type QueryValue = string | number | boolean | string[] | undefined;

/**
 * One page request. Exactly one of `path` and `url` is set: `path` is relative to the system's
 * base URL and gets `query` merged in; `url` is an absolute next-page link that already carries
 * its own query string, so the caller must send it as is and must not add `query` to it.
 */
export interface PageRequest {
	method?: HttpMethod;
	/** Path relative to the system's base URL (`/products`, `crm/v3/objects/contacts`). */
	path?: string;
	/** Absolute URL taken from a next-page link; already checked to be on the base origin. */
	url?: string;
	query?: Record<string, QueryValue>;
	/** JSON body (GraphQL `{query, variables}`, SuiteQL `{q}`, HubSpot search filters). */
	body?: unknown;
	headers?: Record<string, string>;
}

/** What a page fetch returns: the parsed body and the headers (names in any case). */
export interface PageResponse {
	status?: number;
	headers: TransportResponse['headers'];
	body: unknown;
}

/**
 * Sends one page request and resolves with its response. Failures (4xx/5xx after retries) are
 * the fetcher's business and should reject with a CommerceError; the paginator passes them on.
 */
export type FetchPage = (request: PageRequest, signal?: AbortSignal) => Promise<PageResponse>;

/** What a strategy knows when a walk starts. */
export interface StartContext {
	/** System name for error messages ('shopify', 'netsuite', ...). */
	system: string;
	/**
	 * The system's absolute base URL; next links are resolved against it and must keep its origin.
	 */
	baseUrl?: string;
	/** Items the caller wants in total, if limited; strategies may shrink the first page to it. */
	limit?: number;
}

/** What a strategy knows when it decides the next page. */
export interface StepContext {
	system: string;
	baseUrl?: string;
	/** The request that produced the response being looked at. */
	request: PageRequest;
	/** Zero-based index of that page. */
	pageIndex: number;
	/** Items still wanted after this page, if limited; strategies may shrink the next page to it. */
	remaining?: number;
}

/**
 * The decision after a page: fetch `request` next, stop, or report that this way of paging can
 * go no further although more data exists (an offset ceiling). `token` identifies the position
 * (cursor, link, offset); the paginator throws if a token repeats, because the API is looping.
 */
export type PageStep =
	| { kind: 'next'; request: PageRequest; token: string }
	| { kind: 'done' }
	| { kind: 'ceiling'; message: string; hint?: string };

/**
 * One walk through a result set. A walker may keep state between pages (current offset,
 * keyset segment), which is why a strategy hands out a fresh walker per walk.
 */
export interface PageWalker<T> {
	/** The first request of the walk. */
	readonly first: PageRequest;
	/** All items of a page, mapped, in server order. */
	items(response: PageResponse): T[];
	/** Decides what comes after a non-empty page whose items were `items`. */
	next(response: PageResponse, items: readonly T[], context: StepContext): PageStep;
}

/**
 * A way of paging (GraphQL cursor, next link, offset, body cursor, keyset). Strategies are
 * plain data plus functions, built once per system profile or operation and reused.
 */
export interface PaginationStrategy<T> {
	/** Short name for messages ('graphqlCursor', 'nextLink', ...). */
	readonly name: string;
	/** Starts a walk from the caller's base request. Throws on a base request it cannot page. */
	start(base: PageRequest, context: StartContext): PageWalker<T>;
}

/** One fetched page as the paginator yields it. */
export interface Page<T> {
	/** Zero-based page index. */
	index: number;
	request: PageRequest;
	response: PageResponse;
	/** The page's items, cut so that the walk never yields more than `limit` items in total. */
	items: T[];
}
