import { InMemoryRateBudgetStore } from '../../../nodes/shared/core/ratelimit/memoryBudgetStore';
import { RollingWindowLimiter } from '../../../nodes/shared/core/ratelimit/rollingWindow';
import { SlidingLog } from '../../../nodes/shared/core/ratelimit/slidingLog';
import type { RateLimiter } from '../../../nodes/shared/core/ratelimit/types';
import { FakeClock } from '../../helpers/fakeClock';

async function grantTimes(clock: FakeClock, limiter: RateLimiter, n: number) {
	return Promise.all(
		Array.from({ length: n }, async () => {
			(await limiter.acquire({})).release();
			return clock.now();
		}),
	);
}

describe('RollingWindowLimiter', () => {
	it('lets ShipBob’s 150 per minute through at once and holds the 151st for the window', async () => {
		const clock = new FakeClock();
		const limiter = new RollingWindowLimiter({ clock, limit: 150, windowMs: 60_000 });
		const times = await grantTimes(clock, limiter, 152);
		expect(times.slice(0, 150).every((t) => t === 0)).toBe(true);
		expect(times.slice(150)).toEqual([60_000, 60_000]);
	});

	it('slides: each request frees its place exactly one window after it was taken', async () => {
		const clock = new FakeClock();
		const limiter = new RollingWindowLimiter({ clock, limit: 3, windowMs: 1_000, resolutionMs: 1 });
		const times: number[] = [];
		for (const gap of [0, 400, 400]) {
			await clock.sleep(gap);
			(await limiter.acquire({})).release();
			times.push(clock.now());
		}
		times.push(...(await grantTimes(clock, limiter, 3)));
		expect(times).toEqual([0, 400, 800, 1_000, 1_400, 1_800]);
	});

	it('lowers its count to the server’s remaining-calls header', async () => {
		const clock = new FakeClock();
		const limiter = new RollingWindowLimiter({
			clock,
			limit: 10,
			windowMs: 10_000,
			remainingHeader: 'x-hubspot-ratelimit-remaining',
		});
		(await limiter.acquire({})).release({
			status: 200,
			headers: { 'x-hubspot-ratelimit-remaining': '2' },
			body: {},
		});
		expect(limiter.remaining()).toBe(2);
		expect(await grantTimes(clock, limiter, 3)).toEqual([0, 0, 10_000]);
	});

	it('ignores a remaining count higher than its own (requests in flight)', async () => {
		const clock = new FakeClock();
		const limiter = new RollingWindowLimiter({
			clock,
			limit: 5,
			windowMs: 1_000,
			remainingHeader: 'x-remaining-calls',
		});
		const first = await limiter.acquire({});
		await limiter.acquire({});
		first.release({ status: 200, headers: { 'x-remaining-calls': '4' }, body: {} });
		expect(limiter.remaining()).toBe(3);
	});

	it('adopts the limit header', async () => {
		const clock = new FakeClock();
		const limiter = new RollingWindowLimiter({
			clock,
			limit: 100,
			windowMs: 10_000,
			limitHeader: 'x-hubspot-ratelimit-max',
		});
		(await limiter.acquire({})).release({
			status: 200,
			headers: { 'x-hubspot-ratelimit-max': '190' },
			body: {},
		});
		expect(limiter.remaining()).toBe(189);
	});

	it('pauses for a server wait', async () => {
		const clock = new FakeClock();
		const limiter = new RollingWindowLimiter({ clock, limit: 100, windowMs: 10_000 });
		limiter.onRateLimited(25_000);
		expect(await grantTimes(clock, limiter, 1)).toEqual([25_000]);
	});

	it('shares one window between workers through a RateBudgetStore', async () => {
		const clock = new FakeClock();
		const store = new InMemoryRateBudgetStore();
		const worker = () =>
			new RollingWindowLimiter({
				clock,
				limit: 5,
				windowMs: 1_000,
				store,
				storeKey: 'shipbob:cred-7',
			});
		const times = await Promise.all([
			grantTimes(clock, worker(), 5),
			grantTimes(clock, worker(), 5),
		]);
		const sorted = times.flat().sort((a, b) => a - b);
		expect(sorted).toEqual([0, 0, 0, 0, 0, 1_000, 1_000, 1_000, 1_000, 1_000]);
	});

	it('rejects bad settings naming the field', () => {
		const clock = new FakeClock();
		expect(() => new RollingWindowLimiter({ clock, limit: 0, windowMs: 1 })).toThrow(
			/limit must be a number > 0/,
		);
		expect(() => new RollingWindowLimiter({ clock, limit: 1, windowMs: -1 })).toThrow(/windowMs/);
		expect(
			() =>
				new RollingWindowLimiter({
					clock,
					limit: 1,
					windowMs: 1,
					store: new InMemoryRateBudgetStore(),
				}),
		).toThrow(/storeKey/);
	});
});

describe('RollingWindowLimiter: a spent long window fails fast', () => {
	const daily = (extra: Partial<ConstructorParameters<typeof RollingWindowLimiter>[0]> = {}) => {
		const clock = new FakeClock();
		const limiter = new RollingWindowLimiter({
			clock,
			limit: 2,
			windowMs: 86_400_000,
			name: 'daily',
			system: 'hubspot',
			...extra,
		});
		return { clock, limiter };
	};

	it('refuses at once, retryable, with the time the window frees up, instead of waiting a day', async () => {
		const { clock, limiter } = daily();
		await grantTimes(clock, limiter, 2);
		await clock.sleep(3_600_000);
		const refusal = limiter.acquire({});
		await expect(refusal).rejects.toMatchObject({
			name: 'CommerceError',
			kind: 'rateLimited',
			system: 'hubspot',
			retryable: true,
			retryAfterMs: 82_800_000,
			code: 'RATE_WINDOW_EXHAUSTED',
		});
		await expect(limiter.acquire({})).rejects.toThrow(
			'The hubspot request limit for the daily window (2 requests) is used up: the next request fits in 23 h, longer than the 5 min a node waits for rate budget',
		);
		expect(clock.now()).toBe(3_600_000);
	});

	it('still waits when the window frees up within maxWaitMs', async () => {
		const { clock, limiter } = daily({ maxWaitMs: 86_400_000 });
		expect(await grantTimes(clock, limiter, 3)).toEqual([0, 0, 86_400_000]);
	});

	it('a refused caller leaves the line: the next one is served when budget returns', async () => {
		const { clock, limiter } = daily({ limit: 1, windowMs: 600_000, name: '10min' });
		(await limiter.acquire({})).release();
		await expect(limiter.acquire({})).rejects.toMatchObject({ retryAfterMs: 600_000 });
		await clock.sleep(600_000);
		(await limiter.acquire({})).release();
		expect(clock.now()).toBe(600_000);
	});

	it('refuses a server pause (429 Retry-After) longer than maxWaitMs, and in the shared-store path too', async () => {
		const { limiter } = daily({ limit: 100, windowMs: 10_000, name: '10s' });
		limiter.onRateLimited(3_600_000);
		await expect(limiter.acquire({})).rejects.toMatchObject({ retryAfterMs: 3_600_000 });

		const clock = new FakeClock();
		const shared = new RollingWindowLimiter({
			clock,
			limit: 1,
			windowMs: 86_400_000,
			name: 'daily',
			store: new InMemoryRateBudgetStore(),
			storeKey: 'hubspot:cred-1',
		});
		(await shared.acquire({})).release();
		await expect(shared.acquire({})).rejects.toMatchObject({ code: 'RATE_WINDOW_EXHAUSTED' });
	});

	it('rejects a maxWaitMs that is not a positive number', () => {
		expect(() => daily({ maxWaitMs: 0 })).toThrow(/maxWaitMs/);
	});
});

describe('SlidingLog', () => {
	it('merges takes within the resolution and expires them late, never early', () => {
		const log = new SlidingLog(1_000, 100);
		log.add(1, 0);
		log.add(1, 50);
		expect(log.waitFor(1, 2, 60)).toBe(990);
		expect(log.usedAt(1_049)).toBe(2);
		expect(log.usedAt(1_050)).toBe(0);
	});

	it('stays small for a daily window with a steady stream of requests', () => {
		const day = 86_400_000;
		const log = new SlidingLog(day);
		for (let t = 0; t < day; t += 1_000) log.add(1, t);
		expect(log.usedAt(day - 1)).toBe(86_400);
		const entries = (log as unknown as { entries: unknown[] }).entries.length;
		expect(entries).toBeLessThanOrEqual(1_001);
	});

	it('says a cost above the limit never fits', () => {
		expect(new SlidingLog(1_000).waitFor(3, 2, 0)).toBe(Number.POSITIVE_INFINITY);
	});
});
