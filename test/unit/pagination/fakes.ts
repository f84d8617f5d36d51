/**
 * In-memory APIs behind the paginators' fetch seam. Each one really serves a dataset page by
 * page in its vendor's paging style, records every request, and answers a request a real API
 * would reject (query beside an absolute link, page past a ceiling) with an error, so a test
 * that sends it fails loudly.
 */
import { CommerceError } from '../../../nodes/shared/core/http/errors';
import type { FetchPage, PageRequest, PageResponse } from '../../../nodes/shared/core/pagination';

export interface Row {
	id: string;
	title: string;
}

/** `count` rows with string ids 1..count. */
export function rows(count: number): Row[] {
	return Array.from({ length: count }, (_, i) => ({ id: String(i + 1), title: `Item ${i + 1}` }));
}

/** A fetchPage that records its requests. */
export interface RecordingFetch extends FetchPage {
	calls: PageRequest[];
}

export function recording(
	serve: (request: PageRequest, call: number) => PageResponse,
): RecordingFetch {
	const calls: PageRequest[] = [];
	const fetch = (async (request: PageRequest) => {
		calls.push(structuredClone(request));
		if (calls.length > 500)
			throw new Error('fake API: more than 500 requests, the paginator is not stopping');
		return serve(request, calls.length);
	}) as RecordingFetch;
	fetch.calls = calls;
	return fetch;
}

function reject(message: string): never {
	throw new CommerceError({
		kind: 'validation',
		system: 'fake',
		status: 400,
		message,
		retryable: false,
	});
}

/**
 * The URL a request goes to. A fake API refuses `query` beside an absolute `url`, the rule the
 * paginators must keep: a next link already holds its query.
 */
export function urlOf(request: PageRequest, baseUrl: string): URL {
	if (request.url !== undefined) {
		if (request.query !== undefined)
			reject(`query ${JSON.stringify(request.query)} sent beside absolute url ${request.url}`);
		return new URL(request.url);
	}
	const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${(request.path ?? '').replace(/^\/+/, '')}`);
	for (const [key, value] of Object.entries(request.query ?? {})) {
		if (value !== undefined) url.searchParams.set(key, String(value));
	}
	return url;
}

const encode = (position: number) => Buffer.from(`position:${position}`).toString('base64url');
const decode = (cursor: string): number => {
	const match = /^position:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
	if (!match) reject(`unknown cursor ${cursor}`);
	return Number(match[1]);
};

/** A Shopify-style GraphQL connection at `data.products`. */
export function graphqlApi(
	data: Row[],
	options: { shape?: 'nodes' | 'edges'; stuckCursor?: string } = {},
): RecordingFetch {
	return recording((request) => {
		const body = request.body as { query: string; variables: { first?: number; after?: string } };
		const first = body.variables.first ?? 10;
		if (first > 250) reject('first must be at most 250');
		const start = body.variables.after === undefined ? 0 : decode(body.variables.after);
		const page = data.slice(start, start + first);
		const end = start + page.length;
		const connection =
			options.shape === 'edges'
				? { edges: page.map((node) => ({ cursor: encode(start + 1), node })) }
				: { nodes: page };
		return {
			headers: {},
			body: {
				data: {
					products: {
						...connection,
						pageInfo: {
							hasNextPage: end < data.length,
							endCursor: end < data.length ? (options.stuckCursor ?? encode(end)) : null,
						},
					},
				},
				extensions: { cost: { requestedQueryCost: 12 } },
			},
		};
	});
}

/** How a next-link API renders one page. */
export interface LinkPage {
	items: Row[];
	next?: string;
	previous?: string;
}

/**
 * A next-link API: the position is in the `cursor` query param of the links it hands out.
 * `link(position)` writes the link the way the vendor does (absolute, origin-relative, ...);
 * `render` puts links and items in headers or body.
 */
export function linkApi(
	data: Row[],
	options: {
		baseUrl: string;
		pageSize: number;
		link: (position: number) => string;
		render: (page: LinkPage) => PageResponse;
		/** Extra check on each request (e.g. the body is re-sent). */
		check?: (request: PageRequest, url: URL) => void;
	},
): RecordingFetch {
	return recording((request) => {
		const url = urlOf(request, options.baseUrl);
		if (url.origin !== new URL(options.baseUrl).origin)
			reject(`request left the API origin: ${url.origin}`);
		options.check?.(request, url);
		const cursor = url.searchParams.get('cursor');
		if (
			cursor !== null &&
			[...url.searchParams.keys()].some((k) => k !== 'cursor' && k !== 'limit')
		) {
			// Shopify's rule for page_info: nothing but limit may travel with a cursor.
			reject(`params ${url.search} sent beside a cursor`);
		}
		const start = cursor === null ? 0 : decode(cursor);
		const page = data.slice(start, start + options.pageSize);
		const end = start + page.length;
		return options.render({
			items: page,
			next: end < data.length ? options.link(end) : undefined,
			previous: start > 0 ? options.link(Math.max(0, start - options.pageSize)) : undefined,
		});
	});
}

/** `cursor` query value for a position, as `linkApi` hands it out. */
export const cursorFor = encode;

/**
 * An offset API (NetSuite REST query shape). With `ceiling`, a page that ends past it is
 * rejected the way NetSuite rejects paging past 100,000 rows; offsets must be a multiple of the
 * limit.
 */
export function offsetApi(
	data: Row[] | ((request: PageRequest) => Row[]),
	options: {
		ceiling?: number;
		body?: 'netsuite' | 'ebay' | 'plain';
		hasMoreOnEmpty?: boolean;
	} = {},
): RecordingFetch {
	return recording((request) => {
		const offset = Number(request.query?.offset ?? 0);
		const limit = Number(request.query?.limit ?? 1000);
		if (!Number.isInteger(offset) || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
			reject(`bad offset/limit ${offset}/${limit}`);
		}
		if (offset % limit !== 0) reject(`offset ${offset} is not a multiple of limit ${limit}`);
		if (options.ceiling !== undefined && offset + limit > options.ceiling) {
			reject(`offset ${offset} + limit ${limit} goes past the ${options.ceiling}-row ceiling`);
		}
		const rowsNow = typeof data === 'function' ? data(request) : data;
		const items = rowsNow.slice(offset, offset + limit);
		const hasMore =
			options.hasMoreOnEmpty && items.length === 0 ? true : offset + items.length < rowsNow.length;
		const style = options.body ?? 'netsuite';
		const body =
			style === 'netsuite'
				? { links: [], count: items.length, hasMore, items, offset, totalResults: rowsNow.length }
				: style === 'ebay'
					? {
							href: 'x',
							limit,
							offset,
							size: items.length,
							total: rowsNow.length,
							inventoryItems: items.length ? items : undefined,
						}
					: { items };
		return { headers: {}, body };
	});
}

/**
 * A cursor-token API. `where` says where the token and size are read from; `render` puts the
 * items and the next token into the vendor's body shape.
 */
export function tokenApi(
	data: Row[],
	options: {
		param: string;
		sizeParam?: string;
		defaultSize: number;
		in: 'query' | 'body';
		render: (items: Row[], next: string | undefined) => unknown;
		stuckToken?: string;
		/** Params or body fields every page must carry (the filters). */
		required?: Record<string, unknown>;
	},
): RecordingFetch {
	return recording((request) => {
		const source = (options.in === 'query' ? request.query : request.body) as
			Record<string, unknown> | undefined;
		for (const [key, value] of Object.entries(options.required ?? {})) {
			if (JSON.stringify(source?.[key]) !== JSON.stringify(value))
				reject(`required ${key} missing on a page request`);
		}
		const token = source?.[options.param];
		const size =
			options.sizeParam && source?.[options.sizeParam] !== undefined
				? Number(source[options.sizeParam])
				: options.defaultSize;
		const start = token === undefined ? 0 : decode(String(token));
		const items = data.slice(start, start + size);
		const end = start + items.length;
		const next = end < data.length ? (options.stuckToken ?? encode(end)) : undefined;
		return { headers: {}, body: options.render(items, next) };
	});
}

/**
 * NetSuite-like row ids: ascending, with gaps, crossing from 3 to 4 digits (string order != number
 * order).
 */
export function suiteqlRows(count: number): Array<{ links: never[]; id: string; itemid: string }> {
	return Array.from({ length: count }, (_, i) => {
		const id = 2 + i * 3 + (i % 7 === 0 ? 1 : 0);
		return { links: [], id: String(id), itemid: `SKU-${id}` };
	});
}

/**
 * A SuiteQL endpoint over `table`: understands `SELECT ... FROM item [WHERE id > N] ORDER BY id`,
 * serves `limit`/`offset` pages with `hasMore`, and rejects any page ending past `ceiling`.
 */
export function suiteqlApi(
	table: Array<{ id: string }>,
	options: { ceiling: number; ignoreWhere?: boolean },
): RecordingFetch {
	const select = (request: PageRequest): Row[] => {
		const q = (request.body as { q?: unknown } | undefined)?.q;
		if (typeof q !== 'string' || !/^SELECT .+ FROM item( WHERE id > \d+)? ORDER BY id$/.test(q)) {
			reject(`unsupported SuiteQL: ${String(q)}`);
		}
		const after = /WHERE id > (\d+)/.exec(q);
		const matching =
			after && !options.ignoreWhere
				? table.filter((row) => BigInt(row.id) > BigInt(after[1]))
				: table;
		return [...matching].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)) as unknown as Row[];
	};
	return offsetApi(select, { ceiling: options.ceiling });
}
