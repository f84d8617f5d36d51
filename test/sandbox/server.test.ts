import axios, { type AxiosInstance } from 'axios';
import * as http from 'node:http';
import { ManualClock } from '../../sandbox/clock';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { widgetsSystem } from './fixtures';

const SEED = { seed: 'server-test', skus: 12, locations: 2 };

function client(baseURL: string): AxiosInstance {
	return axios.create({
		baseURL,
		validateStatus: () => true,
		httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
	});
}

describe('sandbox server and control API', () => {
	let sandbox: Sandbox;
	let api: AxiosInstance;

	beforeEach(async () => {
		sandbox = await startSandbox({ port: 0, systems: [widgetsSystem()], seed: SEED });
		api = client(sandbox.baseUrl);
	});
	afterEach(() => sandbox.close());

	it('serves a system under its prefix with params, query, body and a per-system base URL', async () => {
		expect(sandbox.urlFor('widgets')).toBe(`${sandbox.baseUrl}/widgets`);
		expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const sku = sandbox.catalog()!.items[3].sku;
		const one = await api.get(`/widgets/items/${encodeURIComponent(sku)}`);
		expect(one.status).toBe(200);
		expect(one.data.sku).toBe(sku);
		expect(one.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		const adjusted = await api.post(`/widgets/items/${sku}/adjust`, { delta: -2 });
		expect(adjusted.data.available).toBe(one.data.available - 2);
		const bad = await api.post(`/widgets/items/${sku}/adjust`, '{not json', {
			headers: { 'Content-Type': 'application/json' },
			transformRequest: [(d: unknown) => d],
		});
		expect(bad.status).toBe(400);
		expect(bad.data.bodyError).toMatch(/JSON/);
		const rest = await api.get('/widgets/files/a/b%20c.txt?x=1');
		expect(rest.data).toEqual({
			rest: 'a/b c.txt',
			url: `${sandbox.baseUrl}/widgets/files/a/b%20c.txt?x=1`,
			base: `${sandbox.baseUrl}/widgets`,
		});
	});

	it("answers unknown systems, unknown paths, wrong methods and handler crashes in the system's shape", async () => {
		const noSystem = await api.get('/nope/items');
		expect(noSystem.status).toBe(404);
		expect(noSystem.data.error).toContain('No system "nope"');
		expect((await api.get('/widgets/unknown')).data).toEqual({
			widgetsError: 404,
			path: '/unknown',
		});
		const wrong = await api.delete('/widgets/items');
		expect(wrong.status).toBe(405);
		expect(wrong.headers.allow).toBe('GET');
		const boom = await api.get('/widgets/boom');
		expect(boom.status).toBe(500);
		expect(boom.data.widgetsError).toBe(500);
		expect(sandbox.requests({ system: 'widgets' }).find((e) => e.path === '/boom')?.note).toContain(
			'handler bug',
		);
	});

	it('control API: index, state, catalog, seed and reset', async () => {
		const index = await api.get('/_sandbox');
		expect(index.data.systems).toEqual({ widgets: `${sandbox.baseUrl}/widgets` });
		expect(index.data.endpoints.length).toBeGreaterThan(10);

		const state = await api.get('/_sandbox/state/widgets');
		expect(state.data.items).toHaveLength(12);
		const catalog = await api.get('/_sandbox/catalog');
		expect(catalog.data.spec).toEqual({ seed: 'server-test', skus: 12, locations: 2 });

		const sku = state.data.items[0].sku;
		await api.post(`/widgets/items/${sku}/adjust`, { delta: 100 });
		expect((await api.get('/_sandbox/state/widgets')).data.items[0].available).toBe(
			state.data.items[0].available + 100,
		);
		expect((await api.post('/_sandbox/reset/widgets')).status).toBe(200);
		expect((await api.get('/_sandbox/state/widgets')).data).toEqual(state.data);
		expect(sandbox.requests({ system: 'widgets' })).toEqual([]);

		const seeded = await api.post('/_sandbox/seed', { seed: 7, skus: 30, locations: 4 });
		expect(seeded.data).toMatchObject({ skus: 30, locations: 4 });
		expect((await api.get('/_sandbox/state/widgets')).data.items).toHaveLength(30);
		await api.post('/_sandbox/reset', { empty: true });
		expect((await api.get('/_sandbox/state/widgets')).data.items).toHaveLength(0);
		await api.post('/_sandbox/reset', {});
		expect((await api.get('/_sandbox/state/widgets')).data.items).toHaveLength(30);
	});

	it('control API: rejects bad input with a message naming the field', async () => {
		const badSeed = await api.post('/_sandbox/seed', { seed: 1, skus: -1, locations: 2 });
		expect(badSeed.status).toBe(400);
		expect(badSeed.data.error).toContain('"skus"');
		const badFault = await api.put('/_sandbox/faults/widgets', { errorRate: 2 });
		expect(badFault.status).toBe(400);
		expect(badFault.data.error).toContain('"errorRate"');
		const unknownField = await api.put('/_sandbox/faults/widgets', { errorRat: 0.1 });
		expect(unknownField.data.error).toContain('unknown field errorRat');
		expect((await api.get('/_sandbox/state/nope')).status).toBe(404);
		expect((await api.get('/_sandbox/nothing')).status).toBe(404);
		const notJson = await api.post('/_sandbox/seed', '{x', {
			headers: { 'Content-Type': 'application/json' },
			transformRequest: [(d: unknown) => d],
		});
		expect(notJson.status).toBe(400);
	});

	it('request log: every request of a concurrent burst appears once, with time, status and duration', async () => {
		await api.delete('/_sandbox/requests');
		const before = sandbox.requests().length;
		const results = await Promise.all(
			Array.from({ length: 60 }, (_, i) => api.get(`/widgets/items?limit=${i}`)),
		);
		expect(results.every((r) => r.status === 200)).toBe(true);
		const entries = (await api.get('/_sandbox/requests', { params: { system: 'widgets' } })).data
			.entries as Array<Record<string, unknown>>;
		expect(before).toBe(0);
		expect(entries).toHaveLength(60);
		expect(new Set(entries.map((e) => (e.query as { limit: string }).limit)).size).toBe(60);
		for (const e of entries) {
			expect(e).toMatchObject({
				system: 'widgets',
				method: 'GET',
				path: '/items',
				operation: 'listItems',
				status: 200,
				rateLimit: [],
			});
			expect(typeof e.time).toBe('number');
			expect(e.durationMs).toBeGreaterThanOrEqual(0);
		}
		const lastSeq = entries[29].seq as number;
		const newer = (await api.get('/_sandbox/requests', { params: { since: lastSeq } })).data
			.entries;
		expect(newer).toHaveLength(30);
		await api.delete('/_sandbox/requests');
		expect((await api.get('/_sandbox/requests')).data.entries).toEqual([]);
	});
});

describe('fault injection', () => {
	let sandbox: Sandbox;
	let api: AxiosInstance;

	beforeEach(async () => {
		sandbox = await startSandbox({ port: 0, systems: [widgetsSystem()], seed: SEED });
		api = client(sandbox.baseUrl);
	});
	afterEach(() => sandbox.close());

	async function statuses(n: number): Promise<number[]> {
		const out: number[] = [];
		for (let i = 0; i < n; i++) out.push((await api.get('/widgets/items?limit=1')).status);
		return out;
	}

	it('a 0.2 share of 5xx lands within a tight band over 1,000 requests, identical for the same seed', async () => {
		await api.put('/_sandbox/faults/widgets', {
			seed: 'faults-a',
			errorRate: 0.2,
			errorStatuses: [500, 503],
		});
		const first = await statuses(1000);
		const errors = first.filter((s) => s >= 500);
		// ±0.04 is about three standard deviations of a binomial(1000, 0.2); deterministic per seed.
		expect(errors.length / 1000).toBeGreaterThan(0.16);
		expect(errors.length / 1000).toBeLessThan(0.24);
		expect(new Set(errors)).toEqual(new Set([500, 503]));
		// Each injected fault is in the log.
		const logged = sandbox.requests({ system: 'widgets' }).filter((e) => e.fault?.kind === 'error');
		expect(logged).toHaveLength(errors.length);
		expect(logged.every((e) => e.status === (e.fault as { status: number }).status)).toBe(true);

		await api.put('/_sandbox/faults/widgets', {
			seed: 'faults-a',
			errorRate: 0.2,
			errorStatuses: [500, 503],
		});
		expect(await statuses(1000)).toEqual(first);
		await api.put('/_sandbox/faults/widgets', {
			seed: 'faults-b',
			errorRate: 0.2,
			errorStatuses: [500, 503],
		});
		expect(await statuses(200)).not.toEqual(first.slice(0, 200));
	}, 60_000); // 2,200 sequential requests: seconds on a loaded machine, past jest's 5 s default

	it('429 bursts: N consecutive throttle answers with Retry-After, then normal service', async () => {
		await api.put('/_sandbox/faults/widgets', {
			burst429: { length: 3, retryAfterSeconds: 7, start: true },
		});
		const got = [];
		for (let i = 0; i < 5; i++) got.push(await api.get('/widgets/items?limit=1'));
		expect(got.map((r) => r.status)).toEqual([429, 429, 429, 200, 200]);
		expect(got[0].headers['retry-after']).toBe('7');
		const log = sandbox.requests({ system: 'widgets' });
		expect(log.slice(0, 3).map((e) => e.fault)).toEqual(
			[1, 2, 3].map((index) => ({ kind: 'burst429', retryAfterMs: 7000, index, length: 3 })),
		);
	});

	it('dropped connections destroy the socket without a response, and are logged', async () => {
		await api.put('/_sandbox/faults/widgets', { dropRate: 1 });
		await expect(axios.get(`${sandbox.baseUrl}/widgets/items`)).rejects.toMatchObject({
			code: 'ECONNRESET',
		});
		const [entry] = sandbox.requests({ system: 'widgets' });
		expect(entry).toMatchObject({ status: null, fault: { kind: 'drop' } });
		expect(entry.note).toContain('dropped');
	});

	it('timeouts: never answered (client times out), or answered after N ms of sandbox time', async () => {
		await api.put('/_sandbox/faults/widgets', { timeout: { rate: 1 } });
		await expect(
			axios.get(`${sandbox.baseUrl}/widgets/items`, { timeout: 150 }),
		).rejects.toMatchObject({ code: 'ECONNABORTED' });
		// The server notices the client leaving a moment later.
		for (let i = 0; i < 200 && !sandbox.requests()[0]?.note; i++) await new Promise((r) => setTimeout(r, 5));
		expect(sandbox.requests({ system: 'widgets' })[0]).toMatchObject({
			status: null,
			fault: { kind: 'timeout', afterMs: null },
		});
		expect(sandbox.requests({ system: 'widgets' })[0].note).toContain('never answered');
	});

	it('added latency and slow answers run on the sandbox clock and show in durations', async () => {
		const clock = new ManualClock();
		const slow = await startSandbox({ port: 0, systems: [widgetsSystem()], seed: SEED, clock });
		try {
			slow.setFaults('widgets', { latency: { fixedMs: 400, jitterMs: 100 } });
			let done = false;
			const pending = axios.get(`${slow.baseUrl}/widgets/items?limit=1`).then((r) => {
				done = true;
				return r;
			});
			while (clock.pending.length < 1) await new Promise((r) => setTimeout(r, 5));
			expect(done).toBe(false);
			await clock.advance(500);
			expect((await pending).status).toBe(200);
			const [entry] = slow.requests();
			expect(entry.latencyMs).toBeGreaterThanOrEqual(400);
			expect(entry.latencyMs).toBeLessThan(500);
			// The answer goes out as soon as the latency has passed on the sandbox clock.
			expect(entry.durationMs).toBe(entry.latencyMs);

			slow.setFaults('widgets', { timeout: { rate: 1, afterMs: 30_000 } });
			const late = axios.get(`${slow.baseUrl}/widgets/items?limit=1`);
			while (clock.pending.length < 1) await new Promise((r) => setTimeout(r, 5));
			await clock.advance(30_000);
			expect((await late).status).toBe(200);
			expect(slow.requests().pop()).toMatchObject({
				status: 200,
				durationMs: 30_000,
				fault: { kind: 'timeout', afterMs: 30_000 },
			});
		} finally {
			await slow.close();
		}
	});

	it('match limits faults to some requests', async () => {
		await api.put('/_sandbox/faults/widgets', {
			errorRate: 1,
			match: { method: 'POST', path: '/adjust' },
		});
		expect((await api.get('/widgets/items')).status).toBe(200);
		const sku = sandbox.catalog()!.items[0].sku;
		expect(
			(await api.post(`/widgets/items/${sku}/adjust`, { delta: 1 })).status,
		).toBeGreaterThanOrEqual(500);
		await api.delete('/_sandbox/faults/widgets');
		expect((await api.post(`/widgets/items/${sku}/adjust`, { delta: 1 })).status).toBe(200);
	});
});
