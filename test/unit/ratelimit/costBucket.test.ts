import {
	CostBucketLimiter,
	readGraphqlCost,
} from '../../../nodes/shared/core/ratelimit/costBucket';
import { isCommerceError } from '../../../nodes/shared/core/http/errors';
import { FakeClock } from '../../helpers/fakeClock';

const tick = () => new Promise((r) => setImmediate(r));

function costBody(
	actual: number | null,
	status?: { currentlyAvailable: number; maximumAvailable?: number; restoreRate?: number },
) {
	return {
		data: actual === null ? undefined : {},
		extensions: {
			cost: { requestedQueryCost: 800, actualQueryCost: actual, throttleStatus: status },
		},
	};
}

describe('CostBucketLimiter', () => {
	it('charges the requested cost and waits until it fits', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		await limiter.acquire({ cost: 800 });
		expect(limiter.available()).toBe(200);
		await limiter.acquire({ cost: 400 });
		// 200 missing at 50 points/s
		expect(clock.now()).toBe(4_000);
	});

	it('refunds down to the actual cost after the response', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		const permit = await limiter.acquire({ cost: 800 });
		permit.release({ status: 200, headers: {}, body: costBody(100) });
		expect(limiter.available()).toBe(900);
		await limiter.acquire({ cost: 900 });
		expect(clock.now()).toBe(0);
	});

	it('prefers an actualCost the caller passes over the body', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		(await limiter.acquire({ cost: 500 })).release({
			status: 200,
			headers: {},
			body: costBody(400),
			actualCost: 10,
		});
		expect(limiter.available()).toBe(990);
	});

	it('refunds everything when the query never ran (actualQueryCost null)', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		(await limiter.acquire({ cost: 500 })).release({
			status: 200,
			headers: {},
			body: costBody(null),
		});
		expect(limiter.available()).toBe(1000);
	});

	it('keeps the full charge when no response arrived', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		(await limiter.acquire({ cost: 500 })).release();
		expect(limiter.available()).toBe(500);
	});

	it('fails at once, without waiting, for a cost above the capacity', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		const error = await limiter.acquire({ cost: 1001 }).catch((e: unknown) => e);
		expect(isCommerceError(error)).toBe(true);
		expect(error).toMatchObject({
			kind: 'validation',
			code: 'COST_EXCEEDS_CAPACITY',
			retryable: false,
			system: 'shopify',
		});
		expect((error as Error).message).toMatch(
			/asks for 1001 cost points but the shopify bucket holds at most 1000/,
		);
		expect(clock.sleeps).toEqual([]);
	});

	it('resyncs level, capacity and rate from throttleStatus', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		(await limiter.acquire({ cost: 10 })).release({
			status: 200,
			headers: {},
			body: costBody(8, { currentlyAvailable: 300, maximumAvailable: 2000, restoreRate: 100 }),
		});
		expect(limiter.available()).toBe(300);
		expect(limiter.capacity).toBe(2000);
		await limiter.acquire({ cost: 500 });
		expect(clock.now()).toBe(2_000);
		// 1,500 above the old capacity fits the new one
		await limiter.acquire({ cost: 1_500 });
		expect(clock.now()).toBe(17_000);
	});

	it('keeps charges of requests still in flight when it resyncs', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		const a = await limiter.acquire({ cost: 200 });
		await limiter.acquire({ cost: 300 });
		// the server has seen only a
		a.release({ status: 200, headers: {}, body: costBody(200, { currentlyAvailable: 800 }) });
		expect(limiter.available()).toBe(500);
	});

	it('lets a waiter go as soon as a refund makes room', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		const first = await limiter.acquire({ cost: 1000 });
		const second = limiter.acquire({ cost: 500 }).then(() => clock.now());
		await tick();
		clock.advance(100);
		first.release({ status: 200, headers: {}, body: costBody(20) });
		await expect(second).resolves.toBe(100);
	});

	it('serves requests in arrival order so a big one is not starved by small ones', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 100, restoreRatePerSec: 10 });
		await limiter.acquire({ cost: 100 });
		const order: string[] = [];
		await Promise.all([
			limiter.acquire({ cost: 100 }).then(() => order.push(`big@${clock.now()}`)),
			limiter.acquire({ cost: 10 }).then(() => order.push(`small@${clock.now()}`)),
		]);
		expect(order).toEqual(['big@10000', 'small@11000']);
	});

	it('pauses after THROTTLED for the wait the caller computed', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 1000, restoreRatePerSec: 50 });
		limiter.onRateLimited(1_720);
		await limiter.acquire({ cost: 1 });
		expect(clock.now()).toBe(1_720);
	});

	it('rejects a negative or non-numeric cost', async () => {
		const clock = new FakeClock();
		const limiter = new CostBucketLimiter({ clock, capacity: 10, restoreRatePerSec: 1 });
		await expect(limiter.acquire({ cost: -1 })).rejects.toThrow(/cost must be a number ≥ 0/);
		await expect(limiter.acquire({ cost: Number.NaN })).rejects.toThrow(
			/cost must be a number ≥ 0/,
		);
	});
});

describe('readGraphqlCost', () => {
	it('reads Shopify’s extensions.cost, including a THROTTLED response', () => {
		const body = {
			errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
			extensions: {
				cost: {
					requestedQueryCost: 752,
					actualQueryCost: null,
					throttleStatus: { maximumAvailable: 1000.0, currentlyAvailable: 666, restoreRate: 50.0 },
				},
			},
		};
		expect(readGraphqlCost(body)).toEqual({
			requestedQueryCost: 752,
			actualQueryCost: null,
			throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 },
		});
	});

	it('returns undefined for bodies without a cost report', () => {
		expect(readGraphqlCost({ data: {} })).toBeUndefined();
		expect(readGraphqlCost('text')).toBeUndefined();
		expect(readGraphqlCost(null)).toBeUndefined();
	});
});
