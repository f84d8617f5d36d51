import { createHttpClient, type HttpClientOptions } from '../../../nodes/shared/core/http/client';
import { CommerceError, isCommerceError } from '../../../nodes/shared/core/http/errors';
import {
	defineProfile,
	type BodyClassification,
	type SystemProfile,
} from '../../../nodes/shared/core/http/profile';
import type { TransportResponse } from '../../../nodes/shared/core/http/transport';
import { ConcurrencyLimiter } from '../../../nodes/shared/core/ratelimit/concurrency';
import {
	CostBucketLimiter,
	readGraphqlCost,
} from '../../../nodes/shared/core/ratelimit/costBucket';
import { RollingWindowLimiter } from '../../../nodes/shared/core/ratelimit/rollingWindow';
import { FakeClock } from '../../helpers/fakeClock';
import { ScriptedTransport } from '../../helpers/scriptedTransport';

const acme = defineProfile({
	system: 'acme',
	baseUrl: 'https://api.acme.test/v1/',
	defaultHeaders: { accept: 'application/json' },
	requestIdHeaders: ['x-request-id'],
	retry: { maxAttempts: 4, maxWaitMs: 30_000, backoff: { baseMs: 100, capMs: 1_000 } },
});

function setup(profile: SystemProfile = acme, extra: Partial<HttpClientOptions> = {}) {
	const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'));
	const scripted = new ScriptedTransport(clock);
	const client = createHttpClient({
		profile,
		transport: scripted.transport,
		clock,
		random: () => 0.5,
		...extra,
	});
	const t0 = clock.now();
	const at = (i: number) => scripted.sent[i].at - t0;
	return { clock, scripted, client, at };
}

async function failure(promise: Promise<unknown>): Promise<CommerceError> {
	const error = await promise.then(
		() => {
			throw new Error('expected the request to fail');
		},
		(e: unknown) => e,
	);
	if (!isCommerceError(error)) throw error;
	return error;
}

describe('createHttpClient: success', () => {
	it('resolves the path against the base URL and returns status, body, attempts and request id', async () => {
		const { scripted, client } = setup();
		scripted.reply({
			status: 200,
			headers: { 'X-Request-Id': 'r-1' },
			body: { id: '9007199254740993' },
		});
		const res = await client.request<{ id: string }>({
			method: 'GET',
			path: '/items/42',
			query: { limit: 5 },
			headers: { 'x-correlation-id': 'c-1' },
			timeoutMs: 5_000,
		});
		expect(res).toEqual({
			status: 200,
			headers: { 'x-request-id': 'r-1' },
			body: { id: '9007199254740993' },
			attempts: 1,
			requestId: 'r-1',
		});
		expect(scripted.sent[0]).toMatchObject({
			method: 'GET',
			url: 'https://api.acme.test/v1/items/42',
			query: { limit: 5 },
			headers: { accept: 'application/json', 'x-correlation-id': 'c-1' },
			timeoutMs: 5_000,
		});
		scripted.assertDone();
	});

	it('follows an absolute URL on the base origin (a next-page link)', async () => {
		const { scripted, client } = setup();
		scripted.reply({ status: 200, body: [] });
		await client.request({ method: 'GET', path: 'https://api.acme.test/v1/items?page=2' });
		expect(scripted.sent[0].url).toBe('https://api.acme.test/v1/items?page=2');
	});

	it('refuses an absolute URL on another origin without sending anything', async () => {
		const { scripted, client } = setup();
		const error = await failure(
			client.request({ method: 'GET', path: 'https://evil.test/v1/items?page=2' }),
		);
		expect(error).toMatchObject({ kind: 'validation', code: 'OFF_ORIGIN_URL', retryable: false });
		expect(error.message).toBe(
			'Refusing to send a acme request to https://evil.test: only https://api.acme.test (the credential’s base URL) may receive it',
		);
		expect(scripted.sent).toHaveLength(0);
		await expect(
			client.request({ method: 'GET', path: 'http://api.acme.test/v1/x' }),
		).rejects.toMatchObject({ code: 'OFF_ORIGIN_URL' });
	});

	it('rejects an unknown method with a clear error', async () => {
		const { client } = setup();
		await expect(client.request({ method: 'FETCH' as 'GET', path: '/x' })).rejects.toThrow(
			/method must be one of GET, POST/,
		);
	});
});

describe('createHttpClient: retries', () => {
	it('retries a 429 after exactly the Retry-After wait, once, with the limiter paused the same time', async () => {
		const { clock, scripted, at } = setup();
		const limiter = new RollingWindowLimiter({ clock, limit: 100, windowMs: 10_000 });
		const client = createHttpClient({
			profile: acme,
			transport: scripted.transport,
			clock,
			limiter,
		});
		scripted.reply(
			{ status: 429, headers: { 'retry-after': '2' }, body: {} },
			{ status: 200, body: { ok: true } },
		);
		const res = await client.request({ method: 'GET', path: '/items' });
		expect(res.attempts).toBe(2);
		expect(at(1) - at(0)).toBe(2_000);
		scripted.assertDone();
	});

	it('tells the limiter about a 429 so other requests hold back too', async () => {
		const { clock, scripted, at } = setup();
		const limiter = new RollingWindowLimiter({ clock, limit: 100, windowMs: 10_000 });
		let other: Promise<unknown> | undefined;
		const client = createHttpClient({
			profile: acme,
			transport: scripted.transport,
			clock,
			limiter,
			// a second request arrives while the first waits out its 429
			onRetry: () => (other = client.request({ method: 'GET', path: '/other' })),
		});
		scripted.reply({ status: 429, headers: { 'retry-after': '2' } }, { status: 200 }, { status: 200 });
		await client.request({ method: 'GET', path: '/items' });
		await other;
		expect([at(0), at(1), at(2)]).toEqual([0, 2_000, 2_000]);
		scripted.assertDone();
	});

	it('reads ShipBob’s x-retry-after with a fraction', async () => {
		const { scripted, client, at } = setup({
			...acme,
			retryAfterHeaders: ['x-retry-after', 'retry-after'],
		});
		scripted.reply({ status: 429, headers: { 'x-retry-after': '0.25' } }, { status: 200 });
		await client.request({ method: 'GET', path: '/inventory-level' });
		expect(at(1)).toBe(250);
	});

	it('reads a Retry-After HTTP date against the clock', async () => {
		const { scripted, client, at } = setup();
		scripted.reply(
			{ status: 503, headers: { 'retry-after': 'Sun, 01 Mar 2026 12:00:07 GMT' } },
			{ status: 200 },
		);
		await client.request({ method: 'GET', path: '/items' });
		expect(at(1)).toBe(7_000);
	});

	it('falls back to computed backoff for a junk Retry-After', async () => {
		const { scripted, client, at } = setup();
		scripted.reply({ status: 429, headers: { 'retry-after': 'in a bit' } }, { status: 200 });
		await client.request({ method: 'GET', path: '/items' });
		// floor(0.5 × (100 + 1))
		expect(at(1)).toBe(50);
	});

	it('retries 5xx on a GET until it succeeds', async () => {
		const { scripted, client } = setup();
		scripted.reply({ status: 503 }, { status: 502 }, { status: 500 }, { status: 200, body: 'ok' });
		await expect(client.request({ method: 'GET', path: '/items' })).resolves.toMatchObject({
			attempts: 4,
			body: 'ok',
		});
	});

	it('gives up after maxAttempts with the last error, counting attempts', async () => {
		const { scripted, client } = setup();
		scripted.reply(
			{ status: 503 },
			{ status: 503 },
			{ status: 503 },
			{ status: 504, headers: { 'x-request-id': 'last' } },
		);
		const error = await failure(client.request({ method: 'GET', path: '/items' }));
		expect(error).toMatchObject({
			kind: 'transient',
			status: 504,
			attempts: 4,
			retryable: true,
			requestId: 'last',
		});
		scripted.assertDone();
	});

	it('fails fast, without waiting, when Retry-After is above the cap', async () => {
		const { clock, scripted, client } = setup();
		scripted.reply({
			status: 429,
			headers: { 'retry-after': '120', 'x-request-id': 'r-9' },
			body: { message: 'slow down' },
		});
		const error = await failure(client.request({ method: 'GET', path: '/items' }));
		expect(error).toMatchObject({
			kind: 'rateLimited',
			retryable: true,
			retryAfterMs: 120_000,
			status: 429,
			attempts: 1,
			requestId: 'r-9',
		});
		expect(error.message).toMatch(
			/^acme asked to wait 2 min before retrying, longer than the 30 s/,
		);
		expect(error.hint).toMatch(/Retry node/);
		expect(clock.sleeps).toEqual([]);
		expect(scripted.sent).toHaveLength(1);
	});

	it.each([[401], [403], [404], [422], [400], [409]])('never retries %p', async (status) => {
		const { scripted, client } = setup();
		scripted.reply({ status, body: { message: 'no' } });
		const error = await failure(client.request({ method: 'GET', path: '/items/1' }));
		expect(error.retryable).toBe(false);
		expect(error.attempts).toBe(1);
		expect(scripted.sent).toHaveLength(1);
	});

	it('maps statuses to kinds', async () => {
		const kinds: Record<number, string> = {
			401: 'auth',
			403: 'auth',
			404: 'notFound',
			409: 'conflict',
			422: 'validation',
			418: 'validation',
		};
		for (const [status, kind] of Object.entries(kinds)) {
			const { scripted, client } = setup();
			scripted.reply({ status: Number(status) });
			await expect(client.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
				kind,
				status: Number(status),
			});
		}
	});

	it('refreshes credentials once after a 401 and sends again at once', async () => {
		let refreshes = 0;
		const { clock, scripted, client } = setup({
			...acme,
			refreshAuth: async () => void refreshes++,
		});
		scripted.reply({ status: 401 }, { status: 200, body: 'fresh' });
		await expect(client.request({ method: 'POST', path: '/orders' })).resolves.toMatchObject({
			attempts: 2,
			body: 'fresh',
		});
		expect(refreshes).toBe(1);
		expect(clock.sleeps).toEqual([]);
	});

	it('fails after the second 401 even with refreshAuth', async () => {
		let refreshes = 0;
		const { scripted, client } = setup({ ...acme, refreshAuth: async () => void refreshes++ });
		scripted.reply({ status: 401 }, { status: 401 });
		const error = await failure(client.request({ method: 'GET', path: '/orders' }));
		expect(error).toMatchObject({ kind: 'auth', attempts: 2, retryable: false });
		expect(refreshes).toBe(1);
		scripted.assertDone();
	});

	it('reports a failed refresh as an auth error without leaking the token', async () => {
		const { scripted, client } = setup({
			...acme,
			refreshAuth: async () => {
				throw new Error('token endpoint said no to Bearer abcdefghijklmnop');
			},
		});
		scripted.reply({ status: 401 });
		const error = await failure(client.request({ method: 'GET', path: '/orders' }));
		expect(error.kind).toBe('auth');
		expect(error.message).toMatch(
			/refreshing the credentials failed too: token endpoint said no to Bearer \[redacted\]/,
		);
	});

	it('does not retry a POST without an idempotency key after a 5xx, and says why', async () => {
		const { scripted, client } = setup();
		scripted.reply({ status: 503 });
		const error = await failure(
			client.request({ method: 'POST', path: '/orders', body: { a: 1 } }),
		);
		expect(error).toMatchObject({ kind: 'transient', retryable: false, attempts: 1 });
		expect(error.hint).toMatch(
			/may have reached acme .* POST without an idempotency key could apply twice/,
		);
		scripted.assertDone();
	});

	it('retries a POST with an idempotency key and sends the key in the profile’s header', async () => {
		const { scripted, client } = setup({ ...acme, idempotencyHeader: 'Idempotency-Key' });
		scripted.reply({ status: 503 }, { status: 201, body: { id: '1' } });
		await expect(
			client.request({ method: 'POST', path: '/orders', idempotencyKey: 'k-1' }),
		).resolves.toMatchObject({ attempts: 2 });
		expect(scripted.sent.map((r) => r.headers?.['Idempotency-Key'])).toEqual(['k-1', 'k-1']);
	});

	it('retries a PATCH declared as an absolute set', async () => {
		const { scripted, client } = setup();
		scripted.reply({ status: 500 }, { status: 200 });
		await expect(
			client.request({ method: 'PATCH', path: '/stock', absoluteSet: true }),
		).resolves.toMatchObject({ attempts: 2 });
	});

	it('retries a POST refused with 429 (the server did not process it)', async () => {
		const { scripted, client } = setup();
		scripted.reply({ status: 429, headers: { 'retry-after': '1' } }, { status: 201 });
		await expect(client.request({ method: 'POST', path: '/orders' })).resolves.toMatchObject({
			attempts: 2,
		});
	});

	it('applies the profile’s status overrides', async () => {
		const { scripted, client } = setup({
			...acme,
			statusOverrides: { 400: { kind: 'rateLimited', action: 'rateLimited' } },
		});
		scripted.reply(
			{
				status: 400,
				body: { 'o:errorDetails': [{ detail: 'Concurrent request limit exceeded' }] },
			},
			{ status: 200 },
		);
		await expect(client.request({ method: 'GET', path: '/x' })).resolves.toMatchObject({
			attempts: 2,
		});
	});

	it('reports each retry through onRetry', async () => {
		const events: unknown[] = [];
		const { scripted, client } = setup(acme, { onRetry: (e) => events.push(e) });
		scripted.reply({ status: 429, headers: { 'retry-after': '3' } }, { status: 200 });
		await client.request({ method: 'GET', path: '/items?x=secret' });
		expect(events).toMatchObject([
			{
				system: 'acme',
				method: 'GET',
				path: '/v1/items',
				attempt: 1,
				waitMs: 3_000,
				source: 'retryAfter',
			},
		]);
	});

	it('stops when the signal aborts during a retry wait', async () => {
		const controller = new AbortController();
		// Abort once the wait has begun: onRetry runs just before the sleep starts.
		const { clock, scripted, client } = setup(acme, {
			onRetry: () => queueMicrotask(() => controller.abort()),
		});
		scripted.reply({ status: 503, headers: { 'retry-after': '10' } });
		const running = client.request({ method: 'GET', path: '/x', signal: controller.signal });
		await expect(running).rejects.toMatchObject({ name: 'AbortError' });
		expect(clock.sleeps).toEqual([10_000]);
		expect(scripted.sent).toHaveLength(1);
	});
});

describe('createHttpClient: network errors', () => {
	it('retries a GET after a reset', async () => {
		const { scripted, client } = setup();
		scripted.reply({ error: { code: 'ECONNRESET' } }, { status: 200 });
		await expect(client.request({ method: 'GET', path: '/x' })).resolves.toMatchObject({
			attempts: 2,
		});
	});

	it('does not retry an unsafe POST after a reset or timeout', async () => {
		for (const code of ['ECONNRESET', 'ETIMEDOUT']) {
			const { scripted, client } = setup();
			scripted.reply({
				error: { code, message: 'socket hang up https://api.acme.test/v1/orders?token=abc' },
			});
			const error = await failure(client.request({ method: 'POST', path: '/orders' }));
			expect(error).toMatchObject({ kind: 'transient', code, retryable: false, attempts: 1 });
			expect(error.message).toBe(`acme POST /v1/orders got no response (${code})`);
			expect(error.hint).toMatch(/idempotency key/);
		}
	});

	it('treats an abort the caller did not ask for as a timeout', async () => {
		const { scripted, client } = setup();
		scripted.reply({ error: { name: 'TimeoutError', message: 'timed out' } }, { status: 200 });
		await expect(client.request({ method: 'GET', path: '/x' })).resolves.toMatchObject({
			attempts: 2,
		});
		scripted.reply({ error: { name: 'AbortError', message: 'aborted' } });
		await expect(client.request({ method: 'POST', path: '/orders' })).rejects.toMatchObject({
			kind: 'transient',
			code: 'ETIMEDOUT',
			retryable: false,
		});
	});

	it('retries an unsafe POST after ECONNREFUSED, which never reached the server', async () => {
		const { scripted, client } = setup();
		scripted.reply({ error: { code: 'ECONNREFUSED' } }, { status: 201 });
		await expect(client.request({ method: 'POST', path: '/orders' })).resolves.toMatchObject({
			attempts: 2,
		});
	});

	it('makes an unknown network code a non-retryable transient error', async () => {
		const { scripted, client } = setup();
		scripted.reply({ error: { code: 'CERT_HAS_EXPIRED' } });
		const error = await failure(client.request({ method: 'GET', path: '/x' }));
		expect(error).toMatchObject({ kind: 'transient', code: 'CERT_HAS_EXPIRED', retryable: false });
		expect(error.hint).toMatch(/check the base URL/);
	});

	it('passes an error without a code through untouched and does not retry it', async () => {
		const { scripted, client } = setup();
		scripted.reply({ error: { message: 'Credentials not found' } });
		await expect(client.request({ method: 'GET', path: '/x' })).rejects.toThrow(
			/^Credentials not found$/,
		);
		expect(scripted.sent).toHaveLength(1);
	});

	it('releases the limiter slot when the transport throws', async () => {
		const { clock, scripted } = setup();
		const limiter = new ConcurrencyLimiter({ clock, slots: 1 });
		const client = createHttpClient({
			profile: acme,
			transport: scripted.transport,
			clock,
			limiter,
		});
		scripted.reply({ error: { message: 'boom' } }, { status: 200 });
		await expect(client.request({ method: 'GET', path: '/x' })).rejects.toThrow('boom');
		expect(limiter.inFlight).toBe(0);
		await client.request({ method: 'GET', path: '/x' });
		expect(limiter.inFlight).toBe(0);
	});
});

describe('createHttpClient: errors', () => {
	it('puts the request id and the vendor message into the error', async () => {
		const { scripted, client } = setup();
		scripted.reply({
			status: 404,
			headers: { 'x-request-id': 'abc-123' },
			body: { message: 'Item 42 not found' },
		});
		const error = await failure(client.request({ method: 'GET', path: '/items/42?fields=all' }));
		expect(error.message).toBe(
			'acme GET /v1/items/42 failed with status 404: Item 42 not found (request id abc-123)',
		);
		expect(error).toMatchObject({
			kind: 'notFound',
			requestId: 'abc-123',
			system: 'acme',
			status: 404,
		});
		expect(error.body).toEqual({ message: 'Item 42 not found' });
	});

	it('never lets credentials from headers, query or body into the error', async () => {
		const { scripted, client } = setup();
		scripted.reply({
			status: 400,
			body: {
				message: 'bad header Authorization: Bearer shpat_0123456789abcdef, key=k3y-v4lue-secret',
				access_token: 'shpat_0123456789abcdef',
				echo: {
					headers: { Authorization: 'Bearer shpat_0123456789abcdef' },
					note: 'token shpat_0123456789abcdef',
				},
			},
		});
		const error = await failure(
			client.request({
				method: 'GET',
				path: '/x',
				headers: { Authorization: 'Bearer shpat_0123456789abcdef' },
				query: { api_key: 'k3y-v4lue-secret' },
			}),
		);
		const everything = JSON.stringify({
			...error.toJSON(),
			message: error.message,
			hint: error.hint,
		});
		expect(everything).not.toMatch(/shpat_0123456789abcdef|k3y-v4lue-secret/);
		expect(error.message).toContain('[redacted]');
		expect(error.body).toMatchObject({
			access_token: '[redacted]',
			echo: { headers: { Authorization: '[redacted]' }, note: 'token [redacted]' },
		});
	});
});

/** A Shopify-like profile: GraphQL errors inside 200 bodies. */
function shopifyClassify(response: TransportResponse): BodyClassification | undefined {
	const body = response.body as
		{ errors?: Array<{ message?: string; extensions?: { code?: string } }> } | undefined;
	const first = body?.errors?.[0];
	if (!first) return undefined;
	const code = first.extensions?.code;
	if (code === 'THROTTLED') {
		const report = readGraphqlCost(body);
		const status = report?.throttleStatus;
		const retryAfterMs =
			status?.restoreRate && report?.requestedQueryCost !== undefined
				? Math.ceil(
						((report.requestedQueryCost - status.currentlyAvailable) / status.restoreRate) * 1000,
					)
				: undefined;
		return {
			kind: 'rateLimited',
			action: 'rateLimited',
			code,
			retryAfterMs,
			message: first.message,
		};
	}
	return { kind: 'validation', action: 'fail', code, message: first.message };
}

const shopify = defineProfile({
	system: 'shopify',
	baseUrl: 'https://shop.myshopify.test/admin/api/2026-01',
	classifyBody: shopifyClassify,
	retry: { maxAttempts: 3 },
});

describe('createHttpClient: errors in 200 bodies (classifyBody)', () => {
	const throttled = {
		errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
		extensions: {
			cost: {
				requestedQueryCost: 752,
				actualQueryCost: null,
				throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 },
			},
		},
	};

	it('retries a 200 THROTTLED after the wait the cost report implies, resyncing the bucket', async () => {
		const { clock, scripted, at } = setup(shopify);
		const limiter = new CostBucketLimiter({
			clock,
			capacity: 1000,
			restoreRatePerSec: 50,
			initialAvailable: 1000,
		});
		const client = createHttpClient({
			profile: shopify,
			transport: scripted.transport,
			clock,
			limiter,
		});
		scripted.reply(
			{ status: 200, body: throttled },
			{
				status: 200,
				body: {
					data: { shop: { id: 'gid://shopify/Shop/1' } },
					extensions: {
						cost: {
							requestedQueryCost: 752,
							actualQueryCost: 12,
							throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 988, restoreRate: 50 },
						},
					},
				},
			},
		);
		const res = await client.request({
			method: 'POST',
			path: '/graphql.json',
			body: { query: '{shop{id}}' },
			cost: 752,
		});
		expect(res.attempts).toBe(2);
		// (752 − 666) / 50 points per second, waited once — not again by the bucket
		expect(at(1)).toBe(1_720);
		expect(limiter.available()).toBe(988);
		scripted.assertDone();
	});

	it('fails a 200 MAX_COST_EXCEEDED as a validation error without retrying', async () => {
		const { scripted, client } = setup(shopify);
		scripted.reply({
			status: 200,
			body: {
				errors: [
					{
						message: 'Query cost is 1200, which exceeds the single query max cost limit (1000).',
						extensions: { code: 'MAX_COST_EXCEEDED' },
					},
				],
			},
		});
		const error = await failure(
			client.request({ method: 'POST', path: '/graphql.json', body: { query: '{}' } }),
		);
		expect(error).toMatchObject({
			kind: 'validation',
			code: 'MAX_COST_EXCEEDED',
			retryable: false,
			status: 200,
		});
		expect(error.message).toBe(
			'shopify POST /admin/api/2026-01/graphql.json returned an error (MAX_COST_EXCEEDED): Query cost is 1200, which exceeds the single query max cost limit (1000).',
		);
	});

	it('fails at once when the requested cost can never fit the bucket', async () => {
		const { clock, scripted } = setup(shopify);
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		const client = createHttpClient({
			profile: shopify,
			transport: scripted.transport,
			clock,
			limiter,
		});
		const error = await failure(
			client.request({ method: 'POST', path: '/graphql.json', cost: 5_000 }),
		);
		expect(error.code).toBe('COST_EXCEEDS_CAPACITY');
		expect(scripted.sent).toHaveLength(0);
	});
});

describe('createHttpClient: limits', () => {
	it('keeps parallel requests within the concurrency limit', async () => {
		const { clock, scripted } = setup();
		const limiter = new ConcurrencyLimiter({ clock, slots: 2 });
		const client = createHttpClient({
			profile: acme,
			transport: scripted.transport,
			clock,
			limiter,
		});
		for (let i = 0; i < 6; i++) scripted.reply({ status: 200, delayMs: 100 + i * 10 });
		await Promise.all(
			Array.from({ length: 6 }, () => client.request({ method: 'GET', path: '/x' })),
		);
		expect(scripted.maxInFlight).toBe(2);
		expect(limiter.inFlight).toBe(0);
	});
});
