import { InMemoryRateBudgetStore } from '../../../nodes/shared/core/ratelimit/memoryBudgetStore';
import { TokenBucketLimiter } from '../../../nodes/shared/core/ratelimit/tokenBucket';
import type { RateLimiter, RateRequest } from '../../../nodes/shared/core/ratelimit/types';
import { FakeClock } from '../../helpers/fakeClock';

/** Acquires `n` permits at once; resolves with the virtual time each was granted, in call order. */
async function grantTimes(
	clock: FakeClock,
	limiter: RateLimiter,
	n: number,
	request: RateRequest = {},
) {
	return Promise.all(
		Array.from({ length: n }, async () => {
			const permit = await limiter.acquire(request);
			permit.release();
			return clock.now();
		}),
	);
}

const tick = () => new Promise((r) => setImmediate(r));

describe('TokenBucketLimiter', () => {
	// The bucket arithmetic below is exact: no arrival margin (it has its own tests).
	it('lets a full burst through at once, then one request per 1/rate', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({ clock, arrivalMarginMs: 0, ratePerSec: 2, burst: 4 });
		expect(await grantTimes(clock, limiter, 8)).toEqual([0, 0, 0, 0, 500, 1000, 1500, 2000]);
	});

	it('refills while idle, never above the burst', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({ clock, arrivalMarginMs: 0, ratePerSec: 2, burst: 4 });
		await grantTimes(clock, limiter, 4);
		await clock.sleep(1_000);
		expect(limiter.available()).toBe(2);
		expect(await grantTimes(clock, limiter, 3)).toEqual([1000, 1000, 1500]);
		await clock.sleep(60_000);
		expect(limiter.available()).toBe(4);
	});

	it('keeps one bucket per operation', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({
			clock,
			arrivalMarginMs: 0,
			ratePerSec: 5,
			burst: 10,
			operations: { putListingsItem: { ratePerSec: 1, burst: 1 } },
		});
		const [puts, gets] = await Promise.all([
			grantTimes(clock, limiter, 3, { operation: 'putListingsItem' }),
			grantTimes(clock, limiter, 3, { operation: 'getListingsItem' }),
		]);
		expect(puts).toEqual([0, 1000, 2000]);
		expect(gets).toEqual([0, 0, 0]);
	});

	it('adopts the rate reported in x-amzn-RateLimit-Limit', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({
			clock,
			arrivalMarginMs: 0,
			ratePerSec: 1,
			burst: 1,
			rateHeader: 'x-amzn-RateLimit-Limit',
		});
		const permit = await limiter.acquire({ operation: 'getOrders' });
		permit.release({ status: 200, headers: { 'x-amzn-ratelimit-limit': '5.0' }, body: {} });
		await limiter.acquire({ operation: 'getOrders' });
		expect(clock.now()).toBe(200);
	});

	it('ignores a junk rate header', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({
			clock,
			arrivalMarginMs: 0,
			ratePerSec: 1,
			burst: 1,
			rateHeader: 'x-amzn-ratelimit-limit',
		});
		(await limiter.acquire({})).release({
			status: 200,
			headers: { 'x-amzn-ratelimit-limit': 'fast' },
			body: {},
		});
		await limiter.acquire({});
		expect(clock.now()).toBe(1_000);
	});

	it('wakes a waiter early when updateRate raises the rate', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({ clock, arrivalMarginMs: 0, ratePerSec: 0.1, burst: 1 });
		await limiter.acquire({});
		const waiting = limiter.acquire({}).then(() => clock.now());
		await tick();
		limiter.updateRate(undefined, 10);
		await expect(waiting).resolves.toBe(100);
	});

	it('pauses only the throttled operation for the server’s wait', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({ clock, arrivalMarginMs: 0, ratePerSec: 10, burst: 10 });
		limiter.onRateLimited(3_000, { operation: 'a' });
		const [a, b] = await Promise.all([
			grantTimes(clock, limiter, 1, { operation: 'a' }),
			grantTimes(clock, limiter, 1, { operation: 'b' }),
		]);
		expect(a).toEqual([3_000]);
		expect(b).toEqual([0]);
	});

	it('empties the bucket on a 429 without a wait', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({ clock, arrivalMarginMs: 0, ratePerSec: 2, burst: 4 });
		limiter.onRateLimited(undefined);
		expect(await grantTimes(clock, limiter, 2)).toEqual([500, 1000]);
	});

	it('lets later waiters keep their turn when one in the line aborts', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({ clock, arrivalMarginMs: 0, ratePerSec: 1, burst: 1 });
		await limiter.acquire({});
		const controller = new AbortController();
		const aborted = limiter.acquire({}, controller.signal);
		const next = limiter.acquire({}).then(() => clock.now());
		await tick();
		controller.abort();
		await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
		await expect(next).resolves.toBe(1_000);
	});

	it('shares one budget between workers through a RateBudgetStore', async () => {
		const clock = new FakeClock();
		const store = new InMemoryRateBudgetStore();
		const worker = () =>
			new TokenBucketLimiter({ clock, arrivalMarginMs: 0, ratePerSec: 2, burst: 4, store, storeKey: 'amazon:cred-1' });
		const [w1, w2] = [worker(), worker()];
		const times = await Promise.all([grantTimes(clock, w1, 3), grantTimes(clock, w2, 3)]);
		// a bucket of 4 at 2/s maps onto 4 per 2 s: never more than the real bucket allows
		expect(times.flat().sort((a, b) => a - b)).toEqual([0, 0, 0, 0, 2000, 2000]);
	});

	it('rejects bad settings naming the field', () => {
		const clock = new FakeClock();
		expect(() => new TokenBucketLimiter({ clock, arrivalMarginMs: 0, ratePerSec: 0, burst: 1 })).toThrow(
			/default\.ratePerSec must be a number > 0/,
		);
		expect(
			() =>
				new TokenBucketLimiter({
					clock,
					arrivalMarginMs: 0,
					ratePerSec: 1,
					burst: 1,
					operations: { op: { ratePerSec: 1, burst: 0.5 } },
				}),
		).toThrow(/op\.burst must be ≥ 1/);
		expect(
			() =>
				new TokenBucketLimiter({
					clock,
					arrivalMarginMs: 0,
					ratePerSec: 1,
					burst: 1,
					store: new InMemoryRateBudgetStore(),
				}),
		).toThrow(/storeKey/);
	});
});

describe('TokenBucketLimiter arrival margin', () => {
	it('waits 50 ms more once the bucket is empty, then keeps the full rate (the spare tokens carry over)', async () => {
		const clock = new FakeClock();
		const limiter = new TokenBucketLimiter({ clock, ratePerSec: 2, burst: 4 });
		expect(await grantTimes(clock, limiter, 8)).toEqual([0, 0, 0, 0, 550, 1050, 1550, 2050]);
	});

	it('keeps a request that arrives faster than the one before it inside the server’s bucket', async () => {
		// The server refills from arrival times. Requests 1–5 take 20 ms to arrive, the 6th only 6 ms:
		// without a margin it arrives 14 ms before the server has a token for it.
		const serverTokensAtArrival = async (marginMs: number) => {
			const clock = new FakeClock();
			const limiter = new TokenBucketLimiter({ clock, ratePerSec: 5, burst: 5, arrivalMarginMs: marginMs });
			const sent = await grantTimes(clock, limiter, 6);
			const arrivals = sent.map((t, i) => t + (i < 5 ? 20 : 6));
			const firstRefillFrom = arrivals[4];
			return ((arrivals[5] - firstRefillFrom) / 1000) * 5;
		};
		expect(await serverTokensAtArrival(0)).toBeLessThan(1);
		expect(await serverTokensAtArrival(50)).toBeGreaterThanOrEqual(1);
	});

	it('applies in the shared-store path too, and refuses a negative margin', async () => {
		const clock = new FakeClock();
		const store = new InMemoryRateBudgetStore();
		const limiter = new TokenBucketLimiter({ clock, ratePerSec: 1, burst: 1, store, storeKey: 'amazon:cred-1' });
		expect(await grantTimes(clock, limiter, 2)).toEqual([0, 1050]);
		expect(() => new TokenBucketLimiter({ clock, ratePerSec: 1, burst: 1, arrivalMarginMs: -1 })).toThrow(
			/arrivalMarginMs/,
		);
	});
});
