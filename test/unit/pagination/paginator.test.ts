/** The behaviour every strategy gets from the shared loop. */
import { CommerceError } from '../../../nodes/shared/core/http/errors';
import {
	bodyCursor,
	DEFAULT_MAX_PAGES,
	offset,
	paginate,
	type PaginationStrategy,
} from '../../../nodes/shared/core/pagination';
import { offsetApi, recording, rows, type Row } from './fakes';

const failure = (promise: Promise<unknown>) =>
	promise.then(
		() => {
			throw new Error('expected the walk to fail');
		},
		(error: unknown) => error,
	);

/** A cursor API that never ends: every page has 2 items and a fresh token. */
const endless = () =>
	recording((request) => {
		const n = Number(request.query?.after ?? 0);
		return {
			headers: {},
			body: {
				results: [{ id: String(n) }, { id: String(n + 1) }],
				paging: { next: { after: String(n + 2) } },
			},
		};
	});
const hubspot = bodyCursor({ items: 'results', cursor: 'paging.next.after', param: 'after' });

describe('stopping', () => {
	it('stops at an empty page even when the server says there is more', async () => {
		const fetch = recording((_request, call) => ({
			headers: {},
			body: { items: call === 1 ? rows(3) : [], hasMore: true },
		}));
		const items = await paginate({
			system: 'x',
			fetchPage: fetch,
			strategy: offset({ items: 'items', hasMore: 'hasMore', pageSize: 3 }),
			request: { path: '/x' },
		}).collect();
		expect(items).toEqual(rows(3));
		expect(fetch.calls).toHaveLength(2);
	});

	it('can be told to page on through empty pages, and the max-pages valve still ends it', async () => {
		const fetch = recording((request) => ({
			headers: {},
			body: { items: Number(request.query?.offset) === 0 ? rows(3) : [], hasMore: true },
		}));
		const error = await failure(
			paginate({
				system: 'x',
				fetchPage: fetch,
				strategy: bodyCursor({
					items: 'items',
					cursor: (r) => `t${fetch.calls.length}`,
					param: 'c',
				}),
				request: { path: '/x', query: { offset: 0 } },
				stopOnEmptyPage: false,
				maxPages: 5,
			}).collect(),
		);
		expect(error).toMatchObject({ code: 'PAGINATION_MAX_PAGES' });
		expect(fetch.calls).toHaveLength(5);
	});

	it('trips the max-pages valve after exactly maxPages fetches, naming it', async () => {
		const fetch = endless();
		const error = await failure(
			paginate({
				system: 'hubspot',
				fetchPage: fetch,
				strategy: hubspot,
				request: { path: '/c' },
				maxPages: 7,
			}).collect(),
		);
		expect(error).toMatchObject({
			kind: 'fatal',
			code: 'PAGINATION_MAX_PAGES',
			system: 'hubspot',
			retryable: false,
		});
		expect((error as Error).message).toContain('7 pages');
		expect(fetch.calls).toHaveLength(7);
	});

	it('does not trip the valve when the last page is exactly the maxPages-th', async () => {
		const fetch = offsetApi(rows(12));
		const items = await paginate({
			system: 'x',
			fetchPage: fetch,
			strategy: offset({ items: 'items', hasMore: 'hasMore', pageSize: 3 }),
			request: { path: '/x' },
			maxPages: 4,
		}).collect();
		expect(items).toHaveLength(12);
	});

	it('has a default valve', async () => {
		expect(DEFAULT_MAX_PAGES).toBe(10_000);
	});
});

describe('cancellation', () => {
	it('checks the signal between pages and fetches nothing more once it aborts', async () => {
		const controller = new AbortController();
		const reason = new Error('execution cancelled');
		const base = endless();
		const fetch = recording((request, call) => {
			if (call === 2) controller.abort(reason);
			return base(request) as never;
		});
		const seen: Array<AbortSignal | undefined> = [];
		const error = await failure(
			paginate({
				system: 'hubspot',
				fetchPage: async (request, signal) => {
					seen.push(signal);
					return fetch(request);
				},
				strategy: hubspot,
				request: { path: '/c' },
				signal: controller.signal,
			}).collect(),
		);
		expect(error).toBe(reason);
		expect(fetch.calls).toHaveLength(2);
		expect(seen.every((s) => s === controller.signal)).toBe(true);
	});

	it('fetches nothing when the signal is already aborted', async () => {
		const fetch = endless();
		const controller = new AbortController();
		controller.abort();
		await expect(
			paginate({
				system: 'x',
				fetchPage: fetch,
				strategy: hubspot,
				request: { path: '/c' },
				signal: controller.signal,
			}).collect(),
		).rejects.toMatchObject({ name: 'AbortError' });
		expect(fetch.calls).toHaveLength(0);
	});
});

describe('limits', () => {
	it.each([0, -1, 1.5, Number.NaN])('rejects limit %p with a clear message', async (limit) => {
		const fetch = endless();
		expect(() =>
			paginate({
				system: 'x',
				fetchPage: fetch,
				strategy: hubspot,
				request: { path: '/c' },
				limit,
			}),
		).toThrow(/limit must be a whole number of 1 or more/);
		await expect(
			paginate({
				system: 'x',
				fetchPage: fetch,
				strategy: hubspot,
				request: { path: '/c' },
			}).collect(limit),
		).rejects.toMatchObject({ kind: 'validation' });
		expect(fetch.calls).toHaveLength(0);
	});

	it('collect(limit) overrides the paginator limit', async () => {
		const fetch = endless();
		const paginator = paginate({
			system: 'x',
			fetchPage: fetch,
			strategy: hubspot,
			request: { path: '/c' },
			limit: 9,
		});
		expect(await paginator.collect(3)).toHaveLength(3);
		expect(fetch.calls).toHaveLength(2);
		expect(await paginator.collect()).toHaveLength(9);
	});

	it('cuts the last page to the limit and exposes each page with its request and response', async () => {
		const fetch = endless();
		const pages = [];
		for await (const page of paginate({
			system: 'x',
			fetchPage: fetch,
			strategy: hubspot,
			request: { path: '/c' },
			limit: 5,
		}).pages())
			pages.push(page);
		expect(pages.map((p) => p.index)).toEqual([0, 1, 2]);
		expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
		expect(pages[2].request).toEqual({ path: '/c', query: { after: '4' } });
		expect((pages[2].response.body as { results: unknown[] }).results).toHaveLength(2);
	});

	it('starts a fresh walk on every iteration', async () => {
		const fetch = offsetApi(rows(5));
		const paginator = paginate({
			system: 'x',
			fetchPage: fetch,
			strategy: offset<Row>({ items: 'items', hasMore: 'hasMore', pageSize: 2 }),
			request: { path: '/x' },
		});
		expect(await paginator.collect()).toEqual(rows(5));
		expect(await paginator.collect()).toEqual(rows(5));
		expect(fetch.calls.map((c) => c.query?.offset)).toEqual([0, 2, 4, 0, 2, 4]);
	});
});

describe('faults', () => {
	it('passes a fetch error through untouched', async () => {
		const error = new CommerceError({
			kind: 'rateLimited',
			system: 'x',
			message: 'throttled',
			retryable: true,
			status: 429,
		});
		const fetch = recording(() => {
			throw error;
		});
		await expect(
			paginate({
				system: 'x',
				fetchPage: fetch,
				strategy: hubspot,
				request: { path: '/c' },
			}).collect(),
		).rejects.toBe(error);
	});

	it('turns a strategy ceiling step into a ceiling error', async () => {
		const strategy: PaginationStrategy<number> = {
			name: 'custom',
			start: (base) => ({
				first: base,
				items: () => [1],
				next: () => ({ kind: 'ceiling', message: 'page 2 is out of reach', hint: 'use keyset' }),
			}),
		};
		const error = await failure(
			paginate({ system: 'x', fetchPage: endless(), strategy, request: { path: '/c' } }).collect(),
		);
		expect(error).toMatchObject({
			code: 'PAGINATION_CEILING',
			message: 'x: page 2 is out of reach',
			hint: 'use keyset',
		});
	});

	it('rejects a page request with both path and url, or neither', async () => {
		for (const request of [{ path: '/a', url: 'https://a.example/a' }, {}]) {
			const fetch = endless();
			await expect(
				paginate({ system: 'x', fetchPage: fetch, strategy: hubspot, request }).collect(),
			).rejects.toMatchObject({
				kind: 'validation',
				message: expect.stringContaining('exactly one is required'),
			});
			expect(fetch.calls).toHaveLength(0);
		}
	});

	it('cuts a huge looping token short in the message', async () => {
		const huge = 'A'.repeat(5000);
		const fetch = recording(() => ({
			headers: {},
			body: { results: rows(2), paging: { next: { after: huge } } },
		}));
		const error = await failure(
			paginate({
				system: 'x',
				fetchPage: fetch,
				strategy: hubspot,
				request: { path: '/c' },
			}).collect(),
		);
		expect(error).toMatchObject({ code: 'PAGINATION_LOOP' });
		expect((error as Error).message).toContain('A'.repeat(100));
		expect((error as Error).message.length).toBeLessThan(500);
	});
});
