import {
	keyset,
	offset,
	paginate,
	suiteqlKeyset,
	type PageRequest,
	type SuiteqlRow,
} from '../../../nodes/shared/core/pagination';
import { offsetApi, recording, rows, suiteqlApi, suiteqlRows, type Row } from './fakes';

const failure = (promise: Promise<unknown>) =>
	promise.then(
		() => {
			throw new Error('expected the walk to fail');
		},
		(error: unknown) => error,
	);

describe('offset paging', () => {
	it('throws a clear ceiling error instead of requesting past the ceiling', async () => {
		const fetch = offsetApi(rows(400), { ceiling: 250 });
		const error = await failure(
			paginate({
				system: 'netsuite',
				fetchPage: fetch,
				strategy: offset({ items: 'items', hasMore: 'hasMore', pageSize: 50, ceiling: 250 }),
				request: { method: 'GET', path: '/record/v1/salesOrder' },
			}).collect(),
		);
		expect(error).toMatchObject({
			kind: 'fatal',
			code: 'PAGINATION_CEILING',
			system: 'netsuite',
			retryable: false,
		});
		expect((error as Error).message).toContain('250');
		expect((error as { hint: string }).hint).toMatch(/keyset/);
		// Offsets 0..200 were read; the page at 250 was never requested.
		expect(fetch.calls.map((c) => c.query?.offset)).toEqual([0, 50, 100, 150, 200]);
	});

	it('reads a result that ends exactly at the ceiling without complaint', async () => {
		const fetch = offsetApi(rows(250), { ceiling: 250 });
		const items = await paginate({
			system: 'netsuite',
			fetchPage: fetch,
			strategy: offset({ items: 'items', hasMore: 'hasMore', pageSize: 50, ceiling: 250 }),
			request: { path: '/record/v1/salesOrder' },
		}).collect();
		expect(items).toHaveLength(250);
	});

	it('shrinks only the first page to the limit, keeping later offsets multiples of the page size', async () => {
		const small = offsetApi(rows(100));
		await paginate({
			system: 'netsuite',
			fetchPage: small,
			strategy: offset({ items: 'items', hasMore: 'hasMore', pageSize: 20 }),
			request: { path: '/x' },
			limit: 7,
		}).collect();
		expect(small.calls.map((c) => c.query)).toEqual([{ offset: 0, limit: 7 }]);
		const large = offsetApi(rows(100));
		const items = await paginate({
			system: 'netsuite',
			fetchPage: large,
			strategy: offset({ items: 'items', hasMore: 'hasMore', pageSize: 20 }),
			request: { path: '/x' },
			limit: 45,
		}).collect();
		expect(items).toEqual(rows(45));
		expect(large.calls.map((c) => c.query)).toEqual([
			{ offset: 0, limit: 20 },
			{ offset: 20, limit: 20 },
			{ offset: 40, limit: 20 },
		]);
	});

	it('without hasMore or total, stops at the first short page', async () => {
		const fetch = offsetApi(rows(9), { body: 'plain' });
		const items = await paginate({
			system: 'x',
			fetchPage: fetch,
			strategy: offset({ items: 'items', pageSize: 3 }),
			request: { path: '/x' },
		}).collect();
		expect(items).toEqual(rows(9));
		// 3 full pages, then an empty one proves the end.
		expect(fetch.calls).toHaveLength(4);
	});

	it('puts offset and limit in the body when asked', async () => {
		const fetch = recording((request) => {
			const { from, size } = request.body as { from: number; size: number };
			return { headers: {}, body: { hits: rows(7).slice(from, from + size), total: '7' } };
		});
		const items = await paginate({
			system: 'x',
			fetchPage: fetch,
			strategy: offset({
				items: 'hits',
				total: 'total',
				pageSize: 5,
				in: 'body',
				offsetParam: 'from',
				limitParam: 'size',
			}),
			request: { method: 'POST', path: '/search', body: { filter: 'a' } },
		}).collect();
		expect(items).toEqual(rows(7));
		expect(fetch.calls[1].body).toEqual({ filter: 'a', from: 5, size: 5 });
	});

	it('rejects a response without the hasMore flag it was told to read', async () => {
		const fetch = recording(() => ({ headers: {}, body: { items: rows(3) } }));
		const error = await failure(
			paginate({
				system: 'netsuite',
				fetchPage: fetch,
				strategy: offset({ items: 'items', hasMore: 'hasMore', pageSize: 3 }),
				request: { path: '/x' },
			}).collect(),
		);
		expect(error).toMatchObject({
			code: 'PAGINATION_BAD_RESPONSE',
			message: expect.stringContaining('"hasMore"'),
		});
	});

	it.each([
		['pageSize 0', { pageSize: 0 }],
		['start past the ceiling', { pageSize: 10, ceiling: 100, start: 100 }],
		['negative start', { pageSize: 10, start: -1 }],
	])('rejects a bad setup: %s', async (_name, setup) => {
		const fetch = offsetApi(rows(3));
		const walk = paginate({
			system: 'netsuite',
			fetchPage: fetch,
			strategy: offset({ items: 'items', ...setup }),
			request: { path: '/x' },
		});
		await expect(walk.collect()).rejects.toMatchObject({ kind: 'validation' });
		expect(fetch.calls).toHaveLength(0);
	});
});

describe('suiteqlKeyset past a 250-row ceiling', () => {
	const table = suiteqlRows(1000);
	const query = (after: string | undefined) =>
		`SELECT id, itemid FROM item${after === undefined ? '' : ` WHERE id > ${after}`} ORDER BY id`;
	const base: PageRequest = {
		method: 'POST',
		path: '/services/rest/query/v1/suiteql',
		headers: { Prefer: 'transient' },
	};
	const walk = (fetchPage = suiteqlApi(table, { ceiling: 250 }), limit?: number) => ({
		fetchPage,
		paginator: paginate<SuiteqlRow>({
			system: 'netsuite',
			fetchPage,
			strategy: suiteqlKeyset({ query, pageSize: 100, ceiling: 250 }),
			request: base,
			limit,
		}),
	});

	it('yields every one of ~1,000 rows exactly once, in id order', async () => {
		const { fetchPage, paginator } = walk();
		const items = await paginator.collect();
		expect(items.map((r) => r.id)).toEqual(table.map((r) => r.id));
		expect(new Set(items.map((r) => r.id)).size).toBe(1000);
		// Ids cross from 3 to 4 digits: keys must be compared as numbers, not strings.
		expect(items.some((r) => String(r.id).length === 4)).toBe(true);
		// Every page stayed within the ceiling (the fake rejects otherwise) and every segment
		// after the first filters on the last id of the one before.
		const segmentStarts = fetchPage.calls
			.filter((c) => c.query?.offset === 0)
			.map((c) => (c.body as { q: string }).q);
		expect(segmentStarts[0]).toBe('SELECT id, itemid FROM item ORDER BY id');
		expect(segmentStarts[1]).toBe(
			`SELECT id, itemid FROM item WHERE id > ${table[199].id} ORDER BY id`,
		);
		expect(segmentStarts).toHaveLength(5);
		expect(fetchPage.calls).toHaveLength(10);
		expect(
			fetchPage.calls.every((c) => Number(c.query?.offset) + Number(c.query?.limit) <= 250),
		).toBe(true);
		expect(
			fetchPage.calls.every((c) => (c.headers as Record<string, string>).Prefer === 'transient'),
		).toBe(true);
	});

	it('honours a limit that falls inside a later segment without over-fetching', async () => {
		const { fetchPage, paginator } = walk(undefined, 620);
		const items = await paginator.collect();
		expect(items.map((r) => r.id)).toEqual(table.slice(0, 620).map((r) => r.id));
		// 200 rows a segment in pages of 100: the 620th row is on the 7th page.
		expect(fetchPage.calls).toHaveLength(7);
	});

	it('catches a server that ignores the keyset filter', async () => {
		const error = await failure(
			walk(suiteqlApi(table, { ceiling: 250, ignoreWhere: true })).paginator.collect(),
		);
		expect(error).toMatchObject({ kind: 'fatal', code: 'PAGINATION_BAD_KEY', system: 'netsuite' });
		expect((error as Error).message).toContain(`"${table[0].id}"`);
	});

	it('names the missing key column', async () => {
		const fetchPage = recording(() => ({
			headers: {},
			body: { items: [{ itemid: 'A' }], hasMore: true },
		}));
		const error = await failure(
			paginate({
				system: 'netsuite',
				fetchPage,
				strategy: suiteqlKeyset({ query }),
				request: base,
			}).collect(),
		);
		expect(error).toMatchObject({
			code: 'PAGINATION_BAD_KEY',
			message: expect.stringContaining('"id"'),
			hint: expect.stringContaining('SELECT id'),
		});
	});

	it('uses NetSuite defaults: 1,000 rows a page, ceiling 100,000', async () => {
		const fetchPage = suiteqlApi(table, { ceiling: 100_000 });
		const small = paginate({
			system: 'netsuite',
			fetchPage,
			strategy: suiteqlKeyset({ query }),
			request: base,
		});
		expect(await small.collect()).toHaveLength(1000);
		expect(fetchPage.calls.map((c) => c.query)).toEqual([{ offset: 0, limit: 1000 }]);
	});
});

describe('keyset composed by hand', () => {
	it('rejects keys that do not rise (a query without ORDER BY)', async () => {
		const shuffled = [...rows(6)].reverse();
		const fetch = recording((request) => {
			const after = request.query?.after;
			return {
				headers: {},
				body: { items: after === undefined ? shuffled.slice(0, 3) : shuffled.slice(3) },
			};
		});
		const error = await failure(
			paginate({
				system: 'x',
				fetchPage: fetch,
				strategy: keyset<Row>({
					keyOf: (r) => r.id,
					build: (b, after) => ({ ...b, query: after === undefined ? {} : { after } }),
					items: 'items',
					pageSize: 3,
				}),
				request: { path: '/rows' },
			}).collect(),
		);
		expect(error).toMatchObject({
			code: 'PAGINATION_BAD_KEY',
			hint: expect.stringContaining('ORDER BY'),
		});
	});

	it('catches a repeated string key through the loop check', async () => {
		const fetch = recording(() => ({
			headers: {},
			body: {
				items: [
					{ id: 'sku-a', title: '' },
					{ id: 'sku-b', title: '' },
				],
			},
		}));
		const error = await failure(
			paginate({
				system: 'x',
				fetchPage: fetch,
				strategy: keyset<Row>({
					keyOf: (r) => r.id,
					build: (b, after) => ({
						...b,
						query: { after: after === undefined ? undefined : String(after) },
					}),
					items: 'items',
				}),
				request: { path: '/rows' },
			}).collect(),
		);
		expect(error).toMatchObject({
			code: 'PAGINATION_LOOP',
			message: expect.stringContaining('after sku-b'),
		});
		expect(fetch.calls).toHaveLength(2);
	});

	it('needs an inner strategy or an items selector', async () => {
		const walk = paginate({
			system: 'x',
			fetchPage: recording(() => ({ headers: {}, body: {} })),
			strategy: keyset<Row>({ keyOf: (r) => r.id, build: (b) => b }),
			request: { path: '/' },
		});
		await expect(walk.collect()).rejects.toMatchObject({ kind: 'validation' });
	});
});
