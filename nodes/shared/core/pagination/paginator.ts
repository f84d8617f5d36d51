/**
 * The page loop every strategy shares. Strategies only know how to start, read items and pick
 * the next request; everything about when to stop and when to distrust the server lives here,
 * once: the item limit (never fetch a page that is not needed), empty pages, repeated tokens
 * (Meltano's `BaseAPIPaginator`), the max-pages valve and cancellation between pages.
 */
import { describeToken, paginationConfigError, paginationError } from './errors';
import type { FetchPage, Page, PageRequest, PaginationStrategy } from './types';

/** Pages fetched before the safety valve trips when the caller sets no `maxPages`. */
export const DEFAULT_MAX_PAGES = 10_000;

/** Everything one paginated read needs. */
export interface PaginateOptions<T> {
	/** System name for error messages ('shopify', 'netsuite', ...). */
	system: string;
	/** Sends one page request (the HTTP client, the sandbox, or an in-memory dataset). */
	fetchPage: FetchPage;
	/** How this endpoint pages. */
	strategy: PaginationStrategy<T>;
	/** The first request before paging params are added (path, query, body, headers). */
	request: PageRequest;
	/** The system's absolute base URL; next-link paging needs it to resolve and check links. */
	baseUrl?: string;
	/** Stop after this many items; absent means read to the end. */
	limit?: number;
	/** Throw instead of fetching more than this many pages (default DEFAULT_MAX_PAGES). */
	maxPages?: number;
	/** Checked before every page; an aborted signal stops the walk with its reason. */
	signal?: AbortSignal;
	/**
	 * Stop at the first page without items even if the server says there is more (default true).
	 * Servers that report `hasMore`/`hasNextPage` on an empty page would otherwise page forever.
	 */
	stopOnEmptyPage?: boolean;
}

/**
 * A paginated read. Each call to `pages()`, `items()` or `collect()` starts a new walk from the
 * first page, so a paginator can be reused but a walk is never shared.
 */
export interface Paginator<T> extends AsyncIterable<T> {
	/** Yields pages in order; items on the last page are cut to the limit. */
	pages(): AsyncGenerator<Page<T>, void, undefined>;
	/** Yields items in order, at most `limit` of them. */
	items(): AsyncGenerator<T, void, undefined>;
	/** Reads all items (or the first `limit`, which overrides the paginator's own) into an array. */
	collect(limit?: number): Promise<T[]>;
}

/**
 * Creates a paginated read over `fetchPage` with the given strategy. Nothing is fetched until
 * the paginator is iterated; a bad `limit` or `maxPages` throws here, at once. Without a `map`,
 * items are the raw API values cast to `T`: mapping vendor fields is the mappers' job.
 *
 * @example
 * const rows = await paginate({ system: 'hubspot', fetchPage, baseUrl,
 *   request: { method: 'GET', path: '/crm/v3/objects/contacts', query: { properties: 'email' } },
 *   strategy: bodyCursor({ items: 'results', cursor: 'paging.next.after', param: 'after',
 *     pageSizeParam: 'limit', pageSize: 100 }),
 * }).collect(250);
 */
export function paginate<T>(options: PaginateOptions<T>): Paginator<T> {
	checkWhole(options.system, 'maxPages', options.maxPages);
	checkWhole(options.system, 'limit', options.limit);
	const pages = (limit: number | undefined) => walkPages(options, limit);
	const items = async function* (limit: number | undefined): AsyncGenerator<T, void, undefined> {
		for await (const page of pages(limit)) yield* page.items;
	};
	return {
		pages: () => pages(options.limit),
		items: () => items(options.limit),
		async collect(limit?: number): Promise<T[]> {
			checkWhole(options.system, 'limit', limit);
			const out: T[] = [];
			for await (const page of pages(limit ?? options.limit)) out.push(...page.items);
			return out;
		},
		[Symbol.asyncIterator]: () => items(options.limit),
	};
}

async function* walkPages<T>(
	options: PaginateOptions<T>,
	limit: number | undefined,
): AsyncGenerator<Page<T>, void, undefined> {
	const { system, strategy, baseUrl, signal } = options;
	const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
	const stopOnEmpty = options.stopOnEmptyPage ?? true;
	const walker = strategy.start(options.request, { system, baseUrl, limit });
	const seen = new Set<string>();
	let request = walker.first;
	let taken = 0;
	for (let index = 0; ; index++) {
		signal?.throwIfAborted();
		if (index >= maxPages) {
			throw paginationError(
				system,
				'PAGINATION_MAX_PAGES',
				`stopped after ${maxPages} pages (the maxPages safety valve) while the API still announced more`,
				'Set a limit or narrow the query; raise maxPages only if the result really is that large.',
			);
		}
		checkRequest(system, strategy.name, request);
		const response = await options.fetchPage(request, signal);
		const all = walker.items(response);
		const wanted = limit === undefined ? all.length : Math.min(all.length, limit - taken);
		const items = wanted === all.length ? all : all.slice(0, wanted);
		taken += items.length;
		yield { index, request, response, items };
		if (limit !== undefined && taken >= limit) return;
		if (all.length === 0 && stopOnEmpty) return;
		const step = walker.next(response, all, {
			system,
			baseUrl,
			request,
			pageIndex: index,
			remaining: limit === undefined ? undefined : limit - taken,
		});
		if (step.kind === 'done') return;
		if (step.kind === 'ceiling') {
			throw paginationError(system, 'PAGINATION_CEILING', step.message, step.hint);
		}
		if (seen.has(step.token)) {
			throw paginationError(
				system,
				'PAGINATION_LOOP',
				`${strategy.name} paging got the same next-page token ${describeToken(step.token)} twice (after page ${index + 1}); the API is serving pages in a loop, so paging stopped`,
				'This is a server-side fault: retry later or narrow the query, and report it to the vendor with the request id if it persists.',
			);
		}
		seen.add(step.token);
		request = step.request;
	}
}

function checkWhole(system: string, field: string, value: number | undefined): void {
	if (value === undefined) return;
	if (!Number.isInteger(value) || value < 1) {
		throw paginationConfigError(
			system,
			`${field} must be a whole number of 1 or more, got ${String(value)}`,
			field === 'limit' ? 'Leave the limit out (Return All) to read every item.' : undefined,
		);
	}
}

function checkRequest(system: string, strategy: string, request: PageRequest): void {
	if ((request.path === undefined) === (request.url === undefined)) {
		throw paginationConfigError(
			system,
			`${strategy} paging built a page request with ${request.path === undefined ? 'neither' : 'both'} path and url; exactly one is required`,
		);
	}
}
