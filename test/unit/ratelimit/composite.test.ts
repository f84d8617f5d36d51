import { CompositeLimiter } from '../../../nodes/shared/core/ratelimit/composite';
import { ConcurrencyLimiter } from '../../../nodes/shared/core/ratelimit/concurrency';
import { CostBucketLimiter } from '../../../nodes/shared/core/ratelimit/costBucket';
import { createRateLimiter } from '../../../nodes/shared/core/ratelimit/factory';
import { RollingWindowLimiter } from '../../../nodes/shared/core/ratelimit/rollingWindow';
import { TokenBucketLimiter } from '../../../nodes/shared/core/ratelimit/tokenBucket';
import { UNLIMITED, type RateLimitSpec } from '../../../nodes/shared/core/ratelimit';
import { FakeClock } from '../../helpers/fakeClock';

const tick = () => new Promise((r) => setImmediate(r));

describe('CompositeLimiter', () => {
	it('holds Akeneo to both 2 in flight and 3 per second', async () => {
		const clock = new FakeClock();
		const slots = new ConcurrencyLimiter({ clock, slots: 2 });
		const window = new RollingWindowLimiter({ clock, limit: 3, windowMs: 1_000 });
		const limiter = new CompositeLimiter([slots, window]);
		let inFlight = 0;
		let peak = 0;
		const starts = await Promise.all(
			Array.from({ length: 7 }, async () => {
				const permit = await limiter.acquire({});
				const at = clock.now();
				inFlight++;
				peak = Math.max(peak, inFlight);
				await clock.sleep(100);
				inFlight--;
				permit.release({ status: 200, headers: {}, body: {} });
				return at;
			}),
		);
		expect(peak).toBe(2);
		expect(starts).toEqual([0, 0, 100, 1_000, 1_000, 1_100, 2_000]);
	});

	it('holds HubSpot to the 10-second window and the daily budget', async () => {
		const clock = new FakeClock();
		const hubspot = (dailyMaxWaitMs?: number) =>
			createRateLimiter(
				{
					kind: 'composite',
					parts: [
						{ kind: 'rollingWindow', name: '10s', limit: 2, windowMs: 10_000 },
						{
							kind: 'rollingWindow',
							name: 'daily',
							limit: 3,
							windowMs: 86_400_000,
							maxWaitMs: dailyMaxWaitMs,
						},
					],
				},
				{ clock, system: 'hubspot' },
			);
		const waiting = hubspot(90_000_000);
		const times: number[] = [];
		for (let i = 0; i < 4; i++) {
			(await waiting.acquire({})).release();
			times.push(clock.now());
		}
		// The daily log merges takes within 86.4 s (its resolution) and stamps them with the latest
		// time, so the day's budget returns at 10 s + 24 h: late, never early.
		expect(times).toEqual([0, 0, 10_000, 86_410_000]);

		// By default a spent day is refused at once rather than waited for.
		const failing = hubspot();
		for (let i = 0; i < 3; i++) (await failing.acquire({})).release();
		await expect(failing.acquire({})).rejects.toMatchObject({
			code: 'RATE_WINDOW_EXHAUSTED',
			system: 'hubspot',
			retryAfterMs: 86_400_000,
		});
	});

	it('releases parts already held when a later part fails', async () => {
		const clock = new FakeClock();
		const slots = new ConcurrencyLimiter({ clock, slots: 1 });
		const cost = new CostBucketLimiter({ clock, capacity: 10, restoreRatePerSec: 1 });
		const limiter = new CompositeLimiter([slots, cost]);
		await expect(limiter.acquire({ cost: 11 })).rejects.toMatchObject({
			code: 'COST_EXCEEDS_CAPACITY',
		});
		expect(slots.inFlight).toBe(0);
		const controller = new AbortController();
		await cost.acquire({ cost: 10 });
		const waiting = limiter.acquire({ cost: 5 }, controller.signal);
		await tick();
		controller.abort();
		await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
		expect(slots.inFlight).toBe(0);
	});

	it('passes a 429 wait to every part', async () => {
		const clock = new FakeClock();
		const a = new ConcurrencyLimiter({ clock, slots: 1 });
		const b = new RollingWindowLimiter({ clock, limit: 10, windowMs: 1_000 });
		new CompositeLimiter([a, b]).onRateLimited(700);
		(await a.acquire({})).release();
		expect(clock.now()).toBe(700);
		(await b.acquire({})).release();
		expect(clock.now()).toBe(700);
	});
});

describe('createRateLimiter', () => {
	const clock = new FakeClock();
	it.each<[RateLimitSpec, unknown]>([
		[{ kind: 'tokenBucket', ratePerSec: 2, burst: 4 }, TokenBucketLimiter],
		[{ kind: 'costBucket', capacity: 1000, restoreRatePerSec: 50 }, CostBucketLimiter],
		[{ kind: 'concurrency', slots: 5 }, ConcurrencyLimiter],
		[{ kind: 'rollingWindow', limit: 150, windowMs: 60_000 }, RollingWindowLimiter],
		[{ kind: 'composite', parts: [{ kind: 'concurrency', slots: 4 }] }, CompositeLimiter],
	])('builds %p', (spec, type) => {
		expect(createRateLimiter(spec, { clock })).toBeInstanceOf(type as new () => unknown);
	});

	it('returns the unlimited limiter for none and refuses unknown kinds', () => {
		expect(createRateLimiter({ kind: 'none' }, { clock })).toBe(UNLIMITED);
		expect(() =>
			createRateLimiter({ kind: 'leaky' } as unknown as RateLimitSpec, { clock }),
		).toThrow(/unknown rate limit kind leaky/);
	});

	it('names the system in cost errors', async () => {
		const limiter = createRateLimiter(
			{ kind: 'costBucket', capacity: 1, restoreRatePerSec: 1 },
			{ clock, system: 'shiphero' },
		);
		await expect(limiter.acquire({ cost: 2 })).rejects.toThrow(/shiphero bucket/);
	});
});
