/**
 * Every strategy against a fake of the API it was built for: pages to the end, honours the
 * limit without fetching a page it does not need, and catches a server that loops.
 */
import { isCommerceError } from '../../../nodes/shared/core/http/errors';
import {
	bodyCursor,
	graphqlCursor,
	keyset,
	nextLink,
	offset,
	paginate,
	suiteqlKeyset,
	type PageRequest,
	type PaginationStrategy,
} from '../../../nodes/shared/core/pagination';
import {
	cursorFor,
	graphqlApi,
	linkApi,
	offsetApi,
	recording,
	rows,
	suiteqlRows,
	tokenApi,
	urlOf,
	type RecordingFetch,
	type Row,
} from './fakes';

interface Setup {
	fetch: RecordingFetch;
	strategy: PaginationStrategy<unknown>;
	request: PageRequest;
	baseUrl?: string;
}

interface Case {
	name: string;
	/**
	 * Builds the fake API over `data` (3 items a page) and the strategy; `stuck` makes the API repeat
	 * one token.
	 */
	make: (data: Row[], stuck?: string) => Setup;
	/**
	 * Whether the API can be made to repeat a token (offset and keyset loops are caught otherwise).
	 */
	canLoop: boolean;
}

const SHOP = 'https://demo.myshopify.com/admin/api/2025-01';
const SHOPIFY_QUERY =
	'query($first: Int!, $after: String) { products(first: $first, after: $after) { nodes { id title } pageInfo { hasNextPage endCursor } } }';

const cases: Case[] = [
	{
		name: 'graphqlCursor, Shopify nodes[]',
		canLoop: true,
		make: (data, stuck) => ({
			fetch: graphqlApi(data, { stuckCursor: stuck }),
			strategy: graphqlCursor({ connection: 'data.products', pageSize: 3 }),
			request: {
				method: 'POST',
				path: '/graphql.json',
				body: { query: SHOPIFY_QUERY, variables: {} },
			},
		}),
	},
	{
		name: 'graphqlCursor, Shopify edges[].node',
		canLoop: true,
		make: (data, stuck) => ({
			fetch: graphqlApi(data, { shape: 'edges', stuckCursor: stuck }),
			strategy: graphqlCursor({ connection: 'data.products', pageSize: 3, shape: 'edges' }),
			request: { method: 'POST', path: '/graphql.json', body: { query: SHOPIFY_QUERY } },
		}),
	},
	{
		name: 'nextLink, Link header (Shopify REST)',
		canLoop: true,
		make: (data, stuck) => ({
			fetch: linkApi(data, {
				baseUrl: SHOP,
				pageSize: 3,
				link: (p) => `${SHOP}/products.json?limit=3&cursor=${stuck ?? cursorFor(p)}`,
				render: (page) => ({
					headers: {
						link: [
							page.previous && `<${page.previous}>; rel="previous"`,
							page.next && `<${page.next}>; rel="next"`,
						]
							.filter(Boolean)
							.join(', '),
					},
					body: { products: page.items },
				}),
			}),
			strategy: nextLink({ items: 'products', next: { header: 'Link' } }),
			request: { method: 'GET', path: '/products.json', query: { limit: 3 } },
			baseUrl: SHOP,
		}),
	},
	{
		name: 'nextLink, _links.next.href (Akeneo search_after)',
		canLoop: true,
		make: (data, stuck) => {
			const base = 'https://pim.example.com/api/rest/v1';
			return {
				fetch: linkApi(data, {
					baseUrl: base,
					pageSize: 3,
					link: (p) => `${base}/products-uuid?cursor=${stuck ?? cursorFor(p)}&limit=3`,
					render: (page) => ({
						headers: {},
						body: {
							_links: {
								self: { href: 'x' },
								first: { href: 'y' },
								...(page.next ? { next: { href: page.next } } : {}),
							},
							_embedded: { items: page.items },
						},
					}),
				}),
				strategy: nextLink({ items: '_embedded.items', next: { body: '_links.next.href' } }),
				request: {
					method: 'GET',
					path: '/products-uuid',
					query: { pagination_type: 'search_after', limit: 3 },
				},
				baseUrl: base,
			};
		},
	},
	{
		name: 'nextLink, paging.next.link (HubSpot)',
		canLoop: true,
		make: (data, stuck) => {
			const base = 'https://api.hubapi.com';
			return {
				fetch: linkApi(data, {
					baseUrl: base,
					pageSize: 3,
					link: (p) => `${base}/crm/v3/objects/contacts?cursor=${stuck ?? cursorFor(p)}`,
					render: (page) => ({
						headers: {},
						body: {
							results: page.items,
							...(page.next ? { paging: { next: { after: 'x', link: page.next } } } : {}),
						},
					}),
				}),
				strategy: nextLink({ items: 'results', next: { body: 'paging.next.link' } }),
				request: { method: 'GET', path: '/crm/v3/objects/contacts', query: { limit: 3 } },
				baseUrl: base,
			};
		},
	},
	{
		name: 'nextLink, origin-relative next (ShipBob)',
		canLoop: true,
		make: (data, stuck) => {
			const base = 'https://api.shipbob.com/2026-01';
			return {
				fetch: linkApi(data, {
					baseUrl: base,
					pageSize: 3,
					link: (p) => `/2026-01/inventory-level?cursor=${stuck ?? cursorFor(p)}`,
					render: (page) => ({
						headers: {},
						body: {
							items: page.items,
							next: page.next ?? null,
							prev: page.previous ?? null,
							first: null,
							last: null,
						},
					}),
					check: (_request, url) => {
						if (url.pathname !== '/2026-01/inventory-level')
							throw new Error(`wrong path ${url.pathname}`);
					},
				}),
				strategy: nextLink({ items: 'items', next: { body: 'next' } }),
				request: { method: 'GET', path: '/inventory-level', query: { PageSize: 3 } },
				baseUrl: base,
			};
		},
	},
	{
		name: 'nextLink, links[rel=next] with the POST body re-sent (NetSuite SuiteQL)',
		canLoop: true,
		make: (data, stuck) => {
			const base = 'https://123456.suitetalk.api.netsuite.com/services/rest';
			return {
				fetch: linkApi(data, {
					baseUrl: base,
					pageSize: 3,
					link: (p) => `${base}/query/v1/suiteql?cursor=${stuck ?? cursorFor(p)}`,
					render: (page) => ({
						headers: {},
						body: {
							links: [
								{ rel: 'self', href: 'self' },
								...(page.previous ? [{ rel: 'previous', href: page.previous }] : []),
								...(page.next ? [{ rel: 'next', href: page.next }] : []),
							],
							items: page.items,
							hasMore: page.next !== undefined,
						},
					}),
					check: (request) => {
						if (
							(request.body as { q?: string } | undefined)?.q !== 'SELECT id FROM item ORDER BY id'
						) {
							throw new Error('SuiteQL body not re-sent');
						}
					},
				}),
				strategy: nextLink({ items: 'items', next: { bodyLinks: 'links' } }),
				request: {
					method: 'POST',
					path: '/query/v1/suiteql',
					body: { q: 'SELECT id FROM item ORDER BY id' },
				},
				baseUrl: base,
			};
		},
	},
	{
		name: 'offset + hasMore (NetSuite)',
		canLoop: false,
		make: (data) => ({
			fetch: offsetApi(data),
			strategy: offset({ items: 'items', hasMore: 'hasMore', total: 'totalResults', pageSize: 3 }),
			request: { method: 'GET', path: '/record/v1/inventoryItem' },
		}),
	},
	{
		name: 'offset + total (eBay)',
		canLoop: false,
		make: (data) => ({
			fetch: offsetApi(data, { body: 'ebay' }),
			strategy: offset({ items: 'inventoryItems', total: 'total', pageSize: 3 }),
			request: { method: 'GET', path: '/inventory_item' },
		}),
	},
	{
		name: 'bodyCursor, paging.next.after in the query (HubSpot list)',
		canLoop: true,
		make: (data, stuck) => ({
			fetch: tokenApi(data, {
				param: 'after',
				sizeParam: 'limit',
				defaultSize: 10,
				in: 'query',
				stuckToken: stuck,
				required: { properties: 'email' },
				render: (items, next) => ({
					results: items,
					...(next ? { paging: { next: { after: next, link: 'ignored' } } } : {}),
				}),
			}),
			strategy: bodyCursor({
				items: 'results',
				cursor: 'paging.next.after',
				param: 'after',
				pageSizeParam: 'limit',
				pageSize: 3,
			}),
			request: { method: 'GET', path: '/crm/v3/objects/contacts', query: { properties: 'email' } },
		}),
	},
	{
		name: 'bodyCursor, after in the body (HubSpot search)',
		canLoop: true,
		make: (data, stuck) => ({
			fetch: tokenApi(data, {
				param: 'after',
				sizeParam: 'limit',
				defaultSize: 10,
				in: 'body',
				stuckToken: stuck,
				required: {
					filterGroups: [{ filters: [{ propertyName: 'sku', operator: 'HAS_PROPERTY' }] }],
				},
				render: (items, next) => ({
					total: data.length,
					results: items,
					...(next ? { paging: { next: { after: next } } } : {}),
				}),
			}),
			strategy: bodyCursor({
				items: 'results',
				cursor: 'paging.next.after',
				param: 'after',
				in: 'body',
				pageSizeParam: 'limit',
				pageSize: 3,
			}),
			request: {
				method: 'POST',
				path: '/crm/v3/objects/products/search',
				body: { filterGroups: [{ filters: [{ propertyName: 'sku', operator: 'HAS_PROPERTY' }] }] },
			},
		}),
	},
	{
		name: 'bodyCursor, pagination.nextToken -> pageToken (Amazon SP-API)',
		canLoop: true,
		make: (data, stuck) => ({
			fetch: tokenApi(data, {
				param: 'pageToken',
				sizeParam: 'pageSize',
				defaultSize: 10,
				in: 'query',
				stuckToken: stuck,
				required: { marketplaceIds: 'ATVPDKIKX0DER' },
				render: (items, next) => ({
					numberOfResults: data.length,
					items,
					pagination: next ? { nextToken: next } : {},
				}),
			}),
			strategy: bodyCursor({
				items: 'items',
				cursor: 'pagination.nextToken',
				param: 'pageToken',
				pageSizeParam: 'pageSize',
				pageSize: 3,
			}),
			request: {
				method: 'GET',
				path: '/listings/2021-08-01/items/SELLER',
				query: { marketplaceIds: 'ATVPDKIKX0DER' },
			},
		}),
	},
	{
		name: 'keyset alone (id > last, one page a segment)',
		canLoop: false,
		make: (data) => ({
			fetch: recording((request) => {
				const after = request.query?.idAfter;
				const size = Number(request.query?.limit);
				const items = data
					.filter((r) => after === undefined || Number(r.id) > Number(after))
					.slice(0, size);
				return { headers: {}, body: { items } };
			}),
			strategy: keyset<Row>({
				keyOf: (row) => row.id,
				build: (base, after, { remaining }) => ({
					...base,
					query: {
						...base.query,
						limit: Math.min(3, remaining ?? 3),
						...(after === undefined ? {} : { idAfter: String(after) }),
					},
				}),
				items: 'items',
				pageSize: 3,
			}) as PaginationStrategy<unknown>,
			request: { method: 'GET', path: '/items' },
		}),
	},
	{
		name: 'suiteqlKeyset (keyset over offset, ceiling 6)',
		canLoop: false,
		make: (data) => ({
			fetch: offsetApi(
				(request) => {
					const after = /WHERE id > (\d+)/.exec(String((request.body as { q: string }).q));
					return after ? data.filter((r) => Number(r.id) > Number(after[1])) : data;
				},
				{ ceiling: 6 },
			),
			strategy: suiteqlKeyset({
				query: (after) =>
					`SELECT id, title FROM item${after ? ` WHERE id > ${after}` : ''} ORDER BY id`,
				pageSize: 3,
				ceiling: 6,
			}) as PaginationStrategy<unknown>,
			request: { method: 'POST', path: '/query/v1/suiteql', headers: { Prefer: 'transient' } },
		}),
	},
];

const run = (setup: Setup, limit?: number) =>
	paginate({
		system: 'fake',
		fetchPage: setup.fetch,
		strategy: setup.strategy,
		request: setup.request,
		baseUrl: setup.baseUrl,
		limit,
	});

describe.each(cases)('$name', ({ make }) => {
	const data = rows(10);

	it('pages to the end, every item once and in order', async () => {
		const setup = make(data);
		const items = await run(setup).collect();
		expect(items).toEqual(data);
		expect(setup.fetch.calls).toHaveLength(4);
	});

	it.each([
		[1, 1],
		[3, 1],
		[4, 2],
		[6, 2],
		[7, 3],
	])('honours limit %i with %i fetches', async (limit, fetches) => {
		const setup = make(data);
		const items = await run(setup, limit).collect();
		expect(items).toEqual(data.slice(0, limit));
		expect(setup.fetch.calls).toHaveLength(fetches);
	});

	it('yields the same items through items() as collect()', async () => {
		const out: unknown[] = [];
		for await (const item of run(make(data), 5)) out.push(item);
		expect(out).toEqual(data.slice(0, 5));
	});
});

describe.each(cases.filter((c) => c.canLoop))('$name against a looping API', ({ make }) => {
	it('catches the repeated token and names it', async () => {
		const stuck = cursorFor(3);
		const setup = make(rows(10), stuck);
		const error = await run(setup)
			.collect()
			.then(
				() => undefined,
				(e: unknown) => e,
			);
		expect(isCommerceError(error)).toBe(true);
		expect(error).toMatchObject({
			kind: 'fatal',
			code: 'PAGINATION_LOOP',
			system: 'fake',
			retryable: false,
		});
		expect((error as Error).message).toContain(stuck);
		// Page 1 hands out the token, page 2 (fetched with it) hands it out again: stop there.
		expect(setup.fetch.calls).toHaveLength(2);
	});
});

it('the fake APIs reject a query sent beside an absolute url', () => {
	expect(() =>
		urlOf({ url: 'https://a.example/x?cursor=1', query: { limit: 3 } }, 'https://a.example'),
	).toThrow(/beside absolute url/);
});
