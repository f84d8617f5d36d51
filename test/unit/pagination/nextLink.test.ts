import { isCommerceError } from '../../../nodes/shared/core/http/errors';
import {
	nextLink,
	paginate,
	type NextLinkSource,
	type PageResponse,
} from '../../../nodes/shared/core/pagination';
import { cursorFor, linkApi, rows, type LinkPage, type RecordingFetch } from './fakes';

const SHOP = 'https://demo.myshopify.com/admin/api/2025-01';
const data = rows(10);

const failure = (promise: Promise<unknown>) =>
	promise.then(
		() => {
			throw new Error('expected the walk to fail');
		},
		(error: unknown) => error,
	);

/** A Shopify-REST-like API whose Link header is written by `header(page)`. */
function shopifyRest(
	header: (page: LinkPage) => string | string[] | undefined,
	link?: (p: number) => string,
) {
	return linkApi(data, {
		baseUrl: SHOP,
		pageSize: 3,
		link: link ?? ((p) => `${SHOP}/products.json?limit=3&cursor=${cursorFor(p)}`),
		render: (page) => {
			const value = header(page);
			return {
				headers: value === undefined ? {} : { link: value },
				body: { products: page.items },
			};
		},
	});
}

const walk = (fetch: RecordingFetch, next: NextLinkSource = { header: 'link' }, limit?: number) =>
	paginate({
		system: 'shopify',
		fetchPage: fetch,
		baseUrl: SHOP,
		strategy: nextLink({ items: 'products', next }),
		request: { method: 'GET', path: '/products.json', query: { limit: 3, status: 'active' } },
		limit,
	}).collect();

describe('nextLink over Link header variants', () => {
	const both = (first: string, second: string) => (page: LinkPage) =>
		[
			page.previous && first.replace('%P', page.previous),
			page.next && second.replace('%N', page.next),
		]
			.filter(Boolean)
			.join(', ');
	it.each<[string, (page: LinkPage) => string | string[] | undefined]>([
		['previous then next (Shopify)', both('<%P>; rel="previous"', '<%N>; rel="next"')],
		[
			'next then previous',
			(p) =>
				[p.next && `<${p.next}>; rel="next"`, p.previous && `<${p.previous}>; rel="previous"`]
					.filter(Boolean)
					.join(', '),
		],
		['rel lists', both('<%P>; rel="prev first"', '<%N>; rel="next last"')],
		['unquoted, upper-case rels', both('<%P>; REL=PREVIOUS', '<%N>; REL=NEXT')],
		[
			'title params with commas',
			both('<%P>; title="back, please"; rel="previous"', '<%N>; title="on; and, on"; rel="next"'),
		],
		[
			'one header line per link',
			(p) =>
				[
					p.previous && `<${p.previous}>; rel="previous"`,
					p.next && `<${p.next}>; rel="next"`,
				].filter((v): v is string => Boolean(v)),
		],
		[
			'a "last" link beside next',
			(p) =>
				[
					`<${SHOP}/products.json?cursor=${cursorFor(9)}>; rel="last"`,
					p.next && `<${p.next}>; rel="next"`,
				]
					.filter(Boolean)
					.join(', '),
		],
	])('%s: follows next (never previous) to the end', async (_name, header) => {
		const fetch = shopifyRest(header);
		expect(await walk(fetch)).toEqual(data);
		expect(fetch.calls).toHaveLength(4);
		for (const call of fetch.calls.slice(1)) expect(call.url).toMatch(/cursor=/);
	});

	it('resolves origin-relative links in the header against the request URL', async () => {
		const fetch = shopifyRest(
			(p) => (p.next ? `<${p.next}>; rel="next"` : undefined),
			(p) => `/admin/api/2025-01/products.json?limit=3&cursor=${cursorFor(p)}`,
		);
		expect(await walk(fetch)).toEqual(data);
		expect(fetch.calls[1].url).toBe(`${SHOP}/products.json?limit=3&cursor=${cursorFor(3)}`);
	});

	it('resolves query-only relative links against the page just requested', async () => {
		const fetch = shopifyRest(
			(p) => (p.next ? `<${p.next}>; rel="next"` : undefined),
			(p) => `?limit=3&cursor=${cursorFor(p)}`,
		);
		expect(await walk(fetch)).toEqual(data);
		expect(fetch.calls[2].url).toBe(`${SHOP}/products.json?limit=3&cursor=${cursorFor(6)}`);
	});

	it('reads a bare-URL header (ShipBob legacy Next-Page)', async () => {
		const fetch = linkApi(data, {
			baseUrl: SHOP,
			pageSize: 3,
			link: (p) => `${SHOP}/order?cursor=${cursorFor(p)}`,
			render: (page) => ({
				headers: page.next ? { 'Next-Page': page.next } : {},
				body: page.items,
			}),
		});
		const items = await paginate({
			system: 'shipbob',
			fetchPage: fetch,
			baseUrl: SHOP,
			strategy: nextLink({ items: '', next: { header: 'next-page', format: 'url' } }),
			request: { method: 'GET', path: '/order' },
		}).collect();
		expect(items).toEqual(data);
	});

	it('takes the next URL from a function', async () => {
		const fetch = shopifyRest((p) => (p.next ? `<${p.next}>; rel="next"` : undefined));
		const fromFunction = (response: PageResponse) =>
			/<([^>]+)>/.exec(String(response.headers.link ?? ''))?.[1];
		expect(await walk(fetch, fromFunction)).toEqual(data);
	});
});

describe('nextLink and the original request', () => {
	it('does not re-send the query with an absolute next link', async () => {
		const fetch = shopifyRest((p) => (p.next ? `<${p.next}>; rel="next"` : undefined));
		await walk(fetch);
		expect(fetch.calls[0]).toMatchObject({
			path: '/products.json',
			query: { limit: 3, status: 'active' },
		});
		for (const call of fetch.calls.slice(1)) {
			expect(call.query).toBeUndefined();
			expect(call.path).toBeUndefined();
			expect(new URL(call.url as string).searchParams.has('status')).toBe(false);
		}
	});

	it('re-sends headers and method, and the body unless told not to', async () => {
		const requests = async (resendBody?: boolean) => {
			const fetch = linkApi(data, {
				baseUrl: SHOP,
				pageSize: 5,
				link: (p) => `${SHOP}/q?cursor=${cursorFor(p)}`,
				render: (page) => ({
					headers: {},
					body: { items: page.items, links: page.next ? [{ rel: 'next', href: page.next }] : [] },
				}),
			});
			await paginate({
				system: 'netsuite',
				fetchPage: fetch,
				baseUrl: SHOP,
				strategy: nextLink({ items: 'items', next: { bodyLinks: 'links' }, resendBody }),
				request: {
					method: 'POST',
					path: '/q',
					headers: { Prefer: 'transient' },
					body: { q: 'SELECT id FROM item' },
				},
			}).collect();
			return fetch.calls;
		};
		const resent = await requests();
		expect(resent[1]).toEqual({
			method: 'POST',
			url: `${SHOP}/q?cursor=${cursorFor(5)}`,
			headers: { Prefer: 'transient' },
			body: { q: 'SELECT id FROM item' },
		});
		expect((await requests(false))[1].body).toBeUndefined();
	});
});

describe('nextLink refuses links that leave the base origin', () => {
	it.each([
		['another host', 'https://evil.example.com/admin/api/2025-01/products.json?cursor=x'],
		['a sub-domain', 'https://api.demo.myshopify.com/products.json?cursor=x'],
		['http instead of https', 'http://demo.myshopify.com/admin/api/2025-01/products.json?cursor=x'],
		['another port', 'https://demo.myshopify.com:8443/admin/api/2025-01/products.json?cursor=x'],
		['a protocol-relative link', '//evil.example.com/products.json?cursor=x'],
		['a userinfo trick', 'https://demo.myshopify.com@evil.example.com/products.json?cursor=x'],
		['a javascript: link', 'javascript:alert(1)'],
		['a file: link', 'file:///etc/passwd'],
	])('%s', async (_name, foreign) => {
		const fetch = shopifyRest(
			(p) => (p.next ? `<${p.next}>; rel="next"` : undefined),
			() => foreign,
		);
		const error = await failure(walk(fetch));
		expect(isCommerceError(error)).toBe(true);
		expect(error).toMatchObject({
			kind: 'fatal',
			code: 'PAGINATION_FOREIGN_ORIGIN',
			system: 'shopify',
			retryable: false,
		});
		expect((error as Error).message).toContain('https://demo.myshopify.com');
		expect((error as Error).message).not.toContain('cursor=x');
		expect(fetch.calls).toHaveLength(1);
	});

	it('refuses to start without a base URL to check links against', async () => {
		const fetch = shopifyRest((p) => (p.next ? `<${p.next}>; rel="next"` : undefined));
		const walkWithoutBase = paginate({
			system: 'shopify',
			fetchPage: fetch,
			strategy: nextLink({ items: 'products', next: { header: 'link' } }),
			request: { method: 'GET', path: '/products.json' },
		}).collect();
		await expect(walkWithoutBase).rejects.toMatchObject({
			kind: 'validation',
			message: expect.stringContaining('base URL'),
		});
		expect(fetch.calls).toHaveLength(0);
	});

	it('takes the origin from an absolute base request when no base URL is given', async () => {
		const fetch = shopifyRest((p) => (p.next ? `<${p.next}>; rel="next"` : undefined));
		const items = await paginate({
			system: 'shopify',
			fetchPage: fetch,
			strategy: nextLink({ items: 'products', next: { header: 'link' } }),
			request: { method: 'GET', url: `${SHOP}/products.json?limit=3` },
		}).collect();
		expect(items).toEqual(data);
	});
});

describe('nextLink on odd responses', () => {
	it('stops when the next field is null or empty', async () => {
		for (const last of [null, '']) {
			const fetch = linkApi(data, {
				baseUrl: SHOP,
				pageSize: 4,
				link: (p) => `${SHOP}/x?cursor=${cursorFor(p)}`,
				render: (page) => ({ headers: {}, body: { items: page.items, next: page.next ?? last } }),
			});
			const items = await paginate({
				system: 'ebay',
				fetchPage: fetch,
				baseUrl: SHOP,
				strategy: nextLink({ items: 'items', next: { body: 'next' } }),
				request: { path: '/x' },
			}).collect();
			expect(items).toEqual(data);
		}
	});

	it('rejects a next field that is not a URL string, naming where it looked', async () => {
		const fetch = linkApi(data, {
			baseUrl: SHOP,
			pageSize: 4,
			link: (p) => `${SHOP}/x?cursor=${cursorFor(p)}`,
			render: (page) => ({
				headers: {},
				body: { items: page.items, _links: { next: { href: { broken: true } } } },
			}),
		});
		const error = await failure(
			paginate({
				system: 'akeneo',
				fetchPage: fetch,
				baseUrl: SHOP,
				strategy: nextLink({ items: 'items', next: { body: '_links.next.href' } }),
				request: { path: '/x' },
			}).collect(),
		);
		expect(error).toMatchObject({
			code: 'PAGINATION_BAD_RESPONSE',
			message: expect.stringContaining('"_links.next.href"'),
		});
	});

	it('rejects items that are not an array, naming the path', async () => {
		const fetch = linkApi(data, {
			baseUrl: SHOP,
			pageSize: 4,
			link: (p) => `${SHOP}/x?cursor=${cursorFor(p)}`,
			render: () => ({ headers: {}, body: { _embedded: { items: { id: '1' } } } }),
		});
		const error = await failure(
			paginate({
				system: 'akeneo',
				fetchPage: fetch,
				baseUrl: SHOP,
				strategy: nextLink({ items: '_embedded.items', next: { body: '_links.next.href' } }),
				request: { path: '/x' },
			}).collect(),
		);
		expect(error).toMatchObject({
			code: 'PAGINATION_BAD_RESPONSE',
			system: 'akeneo',
			message: expect.stringContaining('"_embedded.items" but found an object'),
		});
	});
});
