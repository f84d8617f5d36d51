import axios, { type AxiosInstance } from 'axios';
import * as http from 'node:http';
import { ManualClock } from '../../sandbox/clock';
import {
	ConcurrencyPolicy,
	CostBucketPolicy,
	TokenBucketPolicy,
	WindowPolicy,
	type LimitRequest,
} from '../../sandbox/ratelimit/policies';
import {
	akeneoRateLimits,
	amazonTokenBuckets,
	ebayDailyQuota,
	hubspotRateLimit,
	netsuiteConcurrency,
	shipbobRateLimit,
	shopifyCostBucket,
} from '../../sandbox/ratelimit/presets';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { widgetsSystem } from './fixtures';

const req = (operation = 'op'): LimitRequest => ({
	system: 's',
	operation,
	method: 'GET',
	path: '/x',
	headers: {},
	requestId: 'rid-1',
});
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('rate-limit policies (unit, driven by explicit time)', () => {
	it('token bucket: burst, then 429 until exactly one token has refilled; per-operation buckets', () => {
		const p = amazonTokenBuckets({
			operations: { getListingsItem: { rate: 5, burst: 10 } },
			fallback: { rate: 1, burst: 2 },
		});
		for (let i = 0; i < 10; i++) expect(p.check(req('getListingsItem'), T0).allowed).toBe(true);
		const denied = p.check(req('getListingsItem'), T0);
		expect(denied).toMatchObject({ allowed: false, retryAfterMs: 200 });
		expect(denied.headers['x-amzn-RateLimit-Limit']).toBe('5');
		const res = p.reject(denied, req('getListingsItem'));
		expect(res.status).toBe(429);
		expect(res.body).toEqual({
			errors: [
				{
					code: 'QuotaExceeded',
					message: 'You exceeded your quota for the requested resource.',
					details: '',
				},
			],
		});
		expect(p.check(req('getListingsItem'), T0 + 199).allowed).toBe(false);
		expect(p.check(req('getListingsItem'), T0 + 400).allowed).toBe(true);
		// Another operation has its own (fallback) bucket.
		expect(p.check(req('other'), T0).allowed).toBe(true);
		expect(p.check(req('other'), T0).allowed).toBe(true);
		expect(p.check(req('other'), T0)).toMatchObject({ allowed: false, retryAfterMs: 1000 });
	});

	it('sliding window (ShipBob): 150 per minute, Retry-After until the oldest request leaves the window', () => {
		const p = shipbobRateLimit();
		for (let i = 0; i < 150; i++) expect(p.check(req(), T0 + i * 100).allowed).toBe(true);
		const last = p.check(req(), T0 + 15_000);
		expect(last).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 45_000 });
		const res = p.reject(last, req());
		expect(res.status).toBe(429);
		expect(res.headers).toMatchObject({
			'x-retry-after': '45',
			'x-remaining-calls': '0',
			'X-RateLimit-Remaining': '0',
		});
		expect(res.body).toEqual({
			statusCode: 429,
			message: 'Rate limit is exceeded. Try again in 45 seconds.',
		});
		expect(p.check(req(), T0 + 59_999).allowed).toBe(false);
		expect(p.check(req(), T0 + 60_000)).toMatchObject({ allowed: true, remaining: 0 });
		expect(p.check(req(), T0 + 60_050).allowed).toBe(false);
	});

	it('HubSpot: 10-second rolling window and a daily counter that resets at local midnight', () => {
		const p = hubspotRateLimit({ perTenSeconds: 3, daily: 5, utcOffsetMinutes: -300 });
		const ok = p.check(req(), T0);
		expect(ok.headers).toEqual({
			'X-HubSpot-RateLimit-Daily': '5',
			'X-HubSpot-RateLimit-Daily-Remaining': '4',
			'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
			'X-HubSpot-RateLimit-Max': '3',
			'X-HubSpot-RateLimit-Remaining': '2',
		});
		p.check(req(), T0);
		p.check(req(), T0);
		const burst = p.check(req(), T0 + 1);
		expect(burst).toMatchObject({
			allowed: false,
			detail: 'TEN_SECONDLY_ROLLING',
			retryAfterMs: 9_999,
		});
		expect(p.reject(burst, req()).body).toMatchObject({
			status: 'error',
			errorType: 'RATE_LIMIT',
			policyName: 'TEN_SECONDLY_ROLLING',
			correlationId: 'rid-1',
		});
		p.check(req(), T0 + 10_000);
		p.check(req(), T0 + 10_000);
		const daily = p.check(req(), T0 + 20_000);
		expect(daily).toMatchObject({ allowed: false, detail: 'DAILY' });
		// 12:00 UTC is 07:00 at UTC-5: the day resets 17 h later, at 05:00 UTC the next day.
		expect(daily.retryAfterMs).toBe(17 * 3_600_000 - 20_000);
		expect(p.reject(daily, req()).body).toMatchObject({
			message: 'You have reached your daily limit.',
			policyName: 'DAILY',
		});
		expect(p.check(req(), T0 + 17 * 3_600_000).allowed).toBe(true);
	});

	it('eBay: daily quota with errorId 2001 and no rate-limit headers', () => {
		const p = ebayDailyQuota({ perDay: 2 });
		expect(p.check(req(), T0).headers).toEqual({});
		p.check(req(), T0);
		const d = p.check(req(), T0);
		expect(d.allowed).toBe(false);
		expect(p.reject(d, req()).body).toMatchObject({
			errors: [{ errorId: 2001, category: 'REQUEST' }],
		});
	});

	it('concurrency slots: beyond the cap is refused until a slot is released', () => {
		const p = netsuiteConcurrency({ max: 2 });
		const a = p.check(req(), T0);
		const b = p.check(req(), T0);
		const c = p.check(req(), T0);
		expect([a.allowed, b.allowed, c.allowed]).toEqual([true, true, false]);
		const res = p.reject(c, req());
		expect(res.status).toBe(429);
		expect(res.headers).not.toHaveProperty('Retry-After');
		expect(res.body).toMatchObject({
			status: 429,
			'o:errorDetails': [{ 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' }],
		});
		a.release?.();
		a.release?.(); // idempotent
		expect(p.current()).toBe(1);
		expect(p.check(req(), T0).allowed).toBe(true);
		expect(p.check(req(), T0).allowed).toBe(false);
	});

	it('Akeneo: concurrency and requests/second, both with Retry-After', () => {
		const [slots, perSecond] = akeneoRateLimits({ concurrent: 1, perSecond: 2 });
		slots.check(req(), T0);
		const busy = slots.check(req(), T0);
		expect(slots.reject(busy, req()).headers).toMatchObject({ 'Retry-After': '15' });
		perSecond.check(req(), T0);
		perSecond.check(req(), T0);
		const fast = perSecond.check(req(), T0);
		expect(perSecond.reject(fast, req())).toMatchObject({
			status: 429,
			headers: { 'Retry-After': '1' },
			body: { code: 429 },
		});
	});

	it('cost bucket: charge requested, refund to actual, restore over time, refuse over the single-query cap', () => {
		const p = shopifyCostBucket({ maximumAvailable: 1000, restoreRate: 50 });
		expect(p.mode).toBe('manual');
		expect(p.charge('shop', 752, T0)).toMatchObject({
			allowed: true,
			throttleStatus: { currentlyAvailable: 248 },
		});
		expect(p.refund('shop', 752, 52, T0)).toEqual({
			maximumAvailable: 1000,
			currentlyAvailable: 948,
			restoreRate: 50,
		});
		p.charge('shop', 900, T0);
		const throttled = p.charge('shop', 100, T0);
		expect(throttled).toMatchObject({ allowed: false, reason: 'throttled', retryAfterMs: 1040 });
		expect(p.charge('shop', 100, T0 + 1040).allowed).toBe(true);
		expect(p.charge('shop', 1001, T0 + 100_000)).toMatchObject({
			allowed: false,
			reason: 'tooExpensive',
		});
		expect(p.status('shop', T0 + 100_000).currentlyAvailable).toBe(1000);
	});

	it('policies are reconfigurable at run time and reject unknown settings with the list of known ones', () => {
		const p = new TokenBucketPolicy({ name: 'tb', rate: 1, burst: 1 });
		p.configure({ burst: 3 });
		expect([1, 2, 3, 4].map(() => p.check(req(), T0).allowed)).toEqual([true, true, true, false]);
		expect(() => p.configure({ bursts: 3 })).toThrow(
			'has no setting "bursts"; settings: enabled, rate, burst, operations',
		);
		expect(() => p.configure({ rate: -1 })).toThrow('"rate" must be a positive number');
		p.configure({ enabled: false });
		expect(p.check(req(), T0)).toEqual({ policy: 'tb', allowed: true, headers: {} });
		const w = new WindowPolicy({
			name: 'w',
			windows: [{ name: 'MIN', kind: 'sliding', windowMs: 60_000, max: 1 }],
		});
		w.configure({ windows: { MIN: { max: 2 } } });
		expect([1, 2, 3].map(() => w.check(req(), T0).allowed)).toEqual([true, true, false]);
		expect(() => w.configure({ windows: { HOUR: { max: 2 } } })).toThrow('has no window HOUR');
		expect(new ConcurrencyPolicy({ name: 'c', max: 1 }).describe(T0)).toMatchObject({
			kind: 'concurrency',
			mode: 'auto',
			config: { max: 1 },
		});
		expect(
			new CostBucketPolicy({ name: 'cb', maximumAvailable: 10, restoreRate: 1 }).describe(T0).kind,
		).toBe('cost-bucket');
	});
});

describe('rate limits over HTTP', () => {
	let sandbox: Sandbox;
	let api: AxiosInstance;
	let clock: ManualClock;

	async function start(
		rateLimits: () =>
			| ReturnType<typeof shipbobRateLimit>[]
			| Array<ConcurrencyPolicy | CostBucketPolicy | WindowPolicy>,
	) {
		clock = new ManualClock(T0);
		sandbox = await startSandbox({
			port: 0,
			clock,
			systems: [widgetsSystem({ rateLimits })],
			seed: { seed: 1, skus: 3, locations: 1 },
		});
		api = axios.create({
			baseURL: sandbox.baseUrl,
			validateStatus: () => true,
			httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
		});
	}
	afterEach(() => sandbox.close());

	it('answers 429 with the documented headers exactly when over budget, and again once time has passed', async () => {
		await start(() => [shipbobRateLimit({ perMinute: 20 })]);
		const answers = await Promise.all(
			Array.from({ length: 25 }, () => api.get('/widgets/items?limit=1')),
		);
		const statuses = answers.map((r) => r.status);
		expect(statuses.filter((s) => s === 200)).toHaveLength(20);
		expect(statuses.filter((s) => s === 429)).toHaveLength(5);
		const limited = answers.find((r) => r.status === 429)!;
		expect(limited.headers['x-retry-after']).toBe('60');
		expect(limited.headers['x-remaining-calls']).toBe('0');
		expect(limited.data).toEqual({
			statusCode: 429,
			message: 'Rate limit is exceeded. Try again in 60 seconds.',
		});
		const ok = answers.find((r) => r.status === 200)!;
		expect(Number(ok.headers['x-remaining-calls'])).toBeLessThan(20);

		const log = sandbox.requests({ system: 'widgets' });
		expect(log).toHaveLength(25);
		expect(log.filter((e) => e.rateLimit[0]?.allowed === false)).toHaveLength(5);
		expect(log.find((e) => e.status === 429)?.rateLimit[0]).toMatchObject({
			policy: 'per-minute',
			allowed: false,
			detail: 'PER_MINUTE',
			retryAfterMs: 60_000,
		});

		await clock.advance(59_999);
		expect((await api.get('/widgets/items')).status).toBe(429);
		await clock.advance(1);
		expect((await api.get('/widgets/items')).status).toBe(200);
	});

	it('control API shows budgets, changes limits at run time, turns them off, and refills them', async () => {
		await start(() => [shipbobRateLimit({ perMinute: 2 })]);
		await api.get('/widgets/items');
		const limits = await api.get('/_sandbox/limits/widgets');
		expect(limits.data.policies[0]).toMatchObject({
			name: 'per-minute',
			kind: 'window',
			enabled: true,
		});
		expect(limits.data.policies[0].state.windows.default[0]).toMatchObject({
			name: 'PER_MINUTE',
			remaining: 1,
		});
		await api.get('/widgets/items');
		expect((await api.get('/widgets/items')).status).toBe(429);
		expect(
			(
				await api.patch('/_sandbox/limits/widgets/per-minute', {
					windows: { PER_MINUTE: { max: 3 } },
				})
			).status,
		).toBe(200);
		expect((await api.get('/widgets/items')).status).toBe(200);
		expect((await api.get('/widgets/items')).status).toBe(429);
		await api.patch('/_sandbox/limits/widgets/per-minute', { enabled: false });
		expect((await api.get('/widgets/items')).status).toBe(200);
		await api.patch('/_sandbox/limits/widgets/per-minute', { enabled: true });
		await api.post('/_sandbox/limits/widgets/reset');
		expect((await api.get('/widgets/items')).status).toBe(200);
		const bad = await api.patch('/_sandbox/limits/widgets/nope', {});
		expect(bad.status).toBe(400);
		expect(bad.data.error).toContain('policies: per-minute');
	});

	it('a sandbox reset puts limits changed at run time back as built, so one test’s tuning does not reach the next', async () => {
		await start(() => [shipbobRateLimit({ perMinute: 2 })]);
		await api.patch('/_sandbox/limits/widgets/per-minute', { windows: { PER_MINUTE: { max: 50 } } });
		sandbox.configureLimit('widgets', 'per-minute', { enabled: false });
		await api.post('/_sandbox/reset', {});
		const policy = (await api.get('/_sandbox/limits/widgets')).data.policies[0];
		expect(policy).toMatchObject({ enabled: true, config: { windows: [expect.objectContaining({ name: 'PER_MINUTE', max: 2 })] } });
		expect((await api.get('/widgets/items')).status).toBe(200);
		expect((await api.get('/widgets/items')).status).toBe(200);
		expect((await api.get('/widgets/items')).status).toBe(429);
	});

	it('concurrency: in-flight requests beyond the cap get 429 while slow requests hold their slots', async () => {
		await start(() => [netsuiteConcurrency({ max: 3 })]);
		sandbox.setFaults('widgets', { latency: { fixedMs: 1000 } });
		const slow = Array.from({ length: 3 }, () => api.get('/widgets/items?limit=1'));
		// Wait (real time) until all three sit in their injected latency, holding their slots.
		while (clock.pending.length < 3) await new Promise((r) => setTimeout(r, 5));
		sandbox.setFaults('widgets', {});
		const refused = await api.get('/widgets/items?limit=1');
		expect(refused.status).toBe(429);
		expect(refused.headers['retry-after']).toBeUndefined();
		expect(refused.data['o:errorDetails'][0]['o:errorCode']).toBe('CONCURRENCY_LIMIT_EXCEEDED');
		await clock.advance(1000);
		expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200, 200]);
		expect((await api.get('/widgets/items?limit=1')).status).toBe(200);
	});

	it('cost bucket: handlers charge and refund through the request; outcomes are logged', async () => {
		await start(() => [shopifyCostBucket({ maximumAvailable: 100, restoreRate: 10 })]);
		const first = await api.post('/widgets/graphql', {}, { headers: { 'x-cost': '80' } });
		expect(first.data.status).toEqual({
			maximumAvailable: 100,
			currentlyAvailable: 60,
			restoreRate: 10,
		});
		const second = await api.post('/widgets/graphql', {}, { headers: { 'x-cost': '80' } });
		expect(second.data.errors[0].message).toBe('throttled');
		await clock.advance(2000);
		expect(
			(await api.post('/widgets/graphql', {}, { headers: { 'x-cost': '80' } })).data.data,
		).toEqual({});
		const log = sandbox.requests({ system: 'widgets' });
		expect(log.map((e) => e.rateLimit[0])).toEqual([
			{ policy: 'cost', allowed: true, limit: 100, remaining: 20, detail: 'cost 80' },
			{
				policy: 'cost',
				allowed: false,
				limit: 100,
				remaining: 60,
				retryAfterMs: 2000,
				detail: 'throttled (cost 80)',
			},
			{ policy: 'cost', allowed: true, limit: 100, remaining: 0, detail: 'cost 80' },
		]);
	});

	it('rate limits can be switched off for a whole sandbox', async () => {
		clock = new ManualClock(T0);
		sandbox = await startSandbox({
			port: 0,
			clock,
			rateLimits: false,
			systems: [widgetsSystem({ rateLimits: () => [shipbobRateLimit({ perMinute: 1 })] })],
		});
		const s = await Promise.all(
			[1, 2, 3].map(() =>
				axios.get(`${sandbox.baseUrl}/widgets/items`, { validateStatus: () => true }),
			),
		);
		expect(s.map((r) => r.status)).toEqual([200, 200, 200]);
		expect(sandbox.requests()[0].rateLimit).toEqual([]);
		// A reset puts settings back as built, and for this sandbox that means off.
		sandbox.reset();
		const after = await Promise.all([1, 2].map(() => axios.get(`${sandbox.baseUrl}/widgets/items`, { validateStatus: () => true })));
		expect(after.map((r) => r.status)).toEqual([200, 200]);
	});
});
