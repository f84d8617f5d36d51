/** GraphQL and body-token specifics beyond the shared strategy table. */
import {
	bodyCursor,
	graphqlCursor,
	paginate,
	type PageResponse,
} from '../../../nodes/shared/core/pagination';
import { cursorFor, graphqlApi, recording, rows, tokenApi, type Row } from './fakes';

const failure = (promise: Promise<unknown>) =>
	promise.then(
		() => {
			throw new Error('expected the walk to fail');
		},
		(error: unknown) => error,
	);

const QUERY =
	'query($first: Int!, $after: String, $q: String) { products(first: $first, after: $after, query: $q) { nodes { id title } pageInfo { hasNextPage endCursor } } }';
const shopify = (
	fetchPage: ReturnType<typeof recording>,
	options: Partial<Parameters<typeof graphqlCursor>[0]> = {},
	limit?: number,
	variables: Record<string, unknown> = { q: 'status:active' },
) =>
	paginate({
		system: 'shopify',
		fetchPage,
		strategy: graphqlCursor({ connection: 'data.products', pageSize: 250, ...options }),
		request: { method: 'POST', path: '/graphql.json', body: { query: QUERY, variables } },
		limit,
	}).collect();

describe('graphqlCursor', () => {
	it('asks for no more than the remaining limit and keeps the other variables', async () => {
		const fetch = graphqlApi(rows(600));
		expect(await shopify(fetch, {}, 300)).toEqual(rows(300));
		expect(fetch.calls.map((c) => (c.body as { variables: unknown }).variables)).toEqual([
			{ q: 'status:active', first: 250 },
			{ q: 'status:active', first: 50, after: expect.any(String) },
		]);
		expect(fetch.calls[1].body).toMatchObject({ query: QUERY });
	});

	it('resumes from a cursor the caller put in the variables', async () => {
		const all = rows(600);
		const fetch = graphqlApi(all);
		const resumed = await shopify(fetch, {}, 10, { after: cursorFor(250) });
		expect(resumed).toEqual(all.slice(250, 260));
		expect((fetch.calls[0].body as { variables: unknown }).variables).toEqual({
			after: cursorFor(250),
			first: 10,
		});
	});

	it('maps each node', async () => {
		const items = await shopify(graphqlApi(rows(3)), { map: (node) => (node as Row).id });
		expect(items).toEqual(['1', '2', '3']);
	});

	it('reports a missing connection with the GraphQL error text', async () => {
		const fetch = recording(() => ({
			headers: {},
			body: { data: null, errors: [{ message: 'Field products does not exist on QueryRoot' }] },
		}));
		const error = await failure(shopify(fetch));
		expect(error).toMatchObject({ code: 'PAGINATION_BAD_RESPONSE', system: 'shopify' });
		expect((error as Error).message).toContain('"data.products"');
		expect((error as Error).message).toContain('Field products does not exist');
	});

	it.each<[string, unknown, RegExp]>([
		['hasNextPage without endCursor', { hasNextPage: true, endCursor: null }, /endCursor is null/],
		['an empty endCursor', { hasNextPage: true, endCursor: '' }, /endCursor is empty/],
		['no pageInfo selected', undefined, /no pageInfo.hasNextPage at "data.products.pageInfo"/],
	])('rejects %s', async (_name, pageInfo, message) => {
		const fetch = recording(() => ({
			headers: {},
			body: { data: { products: { nodes: rows(2), pageInfo } } },
		}));
		const error = await failure(shopify(fetch));
		expect(error).toMatchObject({
			kind: 'fatal',
			code: 'PAGINATION_BAD_RESPONSE',
			message: expect.stringMatching(message),
		});
		expect(fetch.calls).toHaveLength(1);
	});

	it('rejects an edge without a node', async () => {
		const fetch = recording(() => ({
			headers: {},
			body: { data: { products: { edges: [{ cursor: 'a' }], pageInfo: { hasNextPage: false } } } },
		}));
		await expect(shopify(fetch)).rejects.toMatchObject({
			message: expect.stringContaining('edge 0 at "data.products.edges" has no node'),
		});
	});

	it('reads pageInfo from a configured path', async () => {
		const fetch = recording((request) => {
			const after = (request.body as { variables: { after?: string } }).variables.after;
			return {
				headers: {},
				body: {
					data: {
						inventory: {
							nodes: after ? rows(1) : rows(2),
							meta: { hasNextPage: !after, endCursor: after ? null : 'c1' },
						},
					},
				},
			};
		});
		const items = await shopify(fetch, {
			connection: 'data.inventory',
			pageInfo: 'data.inventory.meta',
		});
		expect(items).toHaveLength(3);
	});

	it.each([
		['a string body', 'query { shop { name } }'],
		['no query', { variables: {} }],
		['array variables', { query: QUERY, variables: [] }],
	])('rejects %s before fetching', async (_name, body) => {
		const fetch = graphqlApi(rows(3));
		const walk = paginate({
			system: 'shopify',
			fetchPage: fetch,
			strategy: graphqlCursor({ connection: 'data.products' }),
			request: { path: '/graphql.json', body },
		});
		await expect(walk.collect()).rejects.toMatchObject({ kind: 'validation' });
		expect(fetch.calls).toHaveLength(0);
	});
});

describe('bodyCursor', () => {
	it('turns a numeric token into a string', async () => {
		const fetch = recording((request) => {
			const after = request.query?.after;
			return {
				headers: {},
				body: {
					results: after === undefined ? rows(2) : rows(1),
					paging: after === undefined ? { next: { after: 42 } } : undefined,
				},
			};
		});
		const items = await paginate({
			system: 'hubspot',
			fetchPage: fetch,
			strategy: bodyCursor({ items: 'results', cursor: 'paging.next.after', param: 'after' }),
			request: { path: '/c' },
		}).collect();
		expect(items).toHaveLength(3);
		expect(fetch.calls[1].query).toEqual({ after: '42' });
	});

	it('rejects a token that is not a string', async () => {
		const fetch = recording(() => ({
			headers: {},
			body: { results: rows(1), pagination: { nextToken: { id: 1 } } },
		}));
		const error = await failure(
			paginate({
				system: 'amazon',
				fetchPage: fetch,
				strategy: bodyCursor({
					items: 'results',
					cursor: 'pagination.nextToken',
					param: 'nextToken',
				}),
				request: { path: '/c' },
			}).collect(),
		);
		expect(error).toMatchObject({
			code: 'PAGINATION_BAD_RESPONSE',
			message: expect.stringContaining('"pagination.nextToken" but found an object'),
		});
	});

	it('reads the token through a function (search_after style) and sends it back', async () => {
		const fetch = tokenApi(rows(7), {
			param: 'search_after',
			sizeParam: 'limit',
			defaultSize: 10,
			in: 'query',
			render: (items, next) => ({ items, meta: next ? [{ sort: next }] : [] }),
		});
		const cursor = (response: PageResponse) =>
			(response.body as { meta: Array<{ sort: string }> }).meta[0]?.sort;
		const items = await paginate({
			system: 'x',
			fetchPage: fetch,
			strategy: bodyCursor({
				items: 'items',
				cursor,
				param: 'search_after',
				pageSizeParam: 'limit',
				pageSize: 3,
			}),
			request: { path: '/p' },
		}).collect();
		expect(items).toEqual(rows(7));
		expect(fetch.calls).toHaveLength(3);
	});
});
