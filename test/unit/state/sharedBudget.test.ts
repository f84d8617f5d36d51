/**
 * Issue 11: rate budgets shared across queue-mode workers. Two limiters, each on its own store
 * connection (a stand-in for two worker processes), draw on one Redis or Postgres store; together
 * they never exceed the system's limit in any window, and never hold more concurrency slots than
 * there are. Each case also runs the same load on two unshared limiters to show the check bites.
 */
import Redis from 'ioredis';
import { Client } from 'pg';

import { CompositeLimiter } from '../../../nodes/shared/core/ratelimit/composite';
import { ConcurrencyLimiter } from '../../../nodes/shared/core/ratelimit/concurrency';
import { createRateLimiter, type RateLimitSpec } from '../../../nodes/shared/core/ratelimit/factory';
import type { RateLimiter } from '../../../nodes/shared/core/ratelimit/types';
import type { Clock } from '../../../nodes/shared/core/resilience/clock';
import type { RateBudgetTake, StateStore } from '../../../nodes/shared/core/state/types';
import { PostgresStore } from '../../../nodes/shared/n8n/state/postgresStore';
import { RedisStore } from '../../../nodes/shared/n8n/state/redisStore';
import type { CostScheduleStore } from '../../../nodes/shared/n8n/state/costSchedule';
import { createSharedRateLimiter, SharedSlotsLimiter, type SharedBudgetStore } from '../../../nodes/shared/n8n/state/sharedLimits';
import { serviceReachable, TEST_POSTGRES, TEST_REDIS } from './services';

const realClock: Clock = {
	now: () => Date.now(),
	sleep: (ms, signal) =>
		new Promise<void>((resolve, reject) => {
			if (signal?.aborted) return reject(new Error('aborted'));
			const timer = setTimeout(resolve, ms);
			signal?.addEventListener('abort', () => {
				clearTimeout(timer);
				reject(new Error('aborted'));
			});
		}),
};

/** Records every granted take with the time the store decided on. */
function spy(store: StateStore, granted: Array<{ key: string; at: number; cost: number }>): SharedBudgetStore {
	return {
		take: async (request: RateBudgetTake) => {
			const grant = await store.take(request);
			if (grant.granted) granted.push({ key: request.key, at: request.nowMs, cost: request.cost });
			return grant;
		},
		reserve: store.reserve.bind(store),
		release: store.release.bind(store),
		renew: (store as unknown as { renew?: SharedBudgetStore['renew'] }).renew?.bind(store),
	};
}

/** Records the time each cost schedule lets its request go (the store's answer), with its cost. */
function costSpy(store: StateStore, scheduled: Array<{ at: number; cost: number }>): SharedBudgetStore {
	const costs = store as unknown as CostScheduleStore;
	return {
		take: store.take.bind(store),
		scheduleCost: async (request) => {
			const answer = await costs.scheduleCost(request);
			scheduled.push({ at: request.nowMs + answer.waitMs, cost: request.cost });
			return answer;
		},
		refundCost: costs.refundCost.bind(store),
		syncCost: costs.syncCost.bind(store),
		costBacklog: costs.costBacklog.bind(store),
	};
}

/**
 * How far the busiest interval goes beyond what a bucket of `capacity` restored at `ratePerSec`
 * allows (capacity + rate × length); ≤ 0 means never.
 */
function overBucket(events: Array<{ at: number; cost: number }>, capacity: number, ratePerSec: number): number {
	const sorted = [...events].sort((x, y) => x.at - y.at);
	let worst = -Infinity;
	for (let i = 0; i < sorted.length; i++) {
		let sum = 0;
		for (let j = i; j < sorted.length; j++) {
			sum += sorted[j].cost;
			worst = Math.max(worst, sum - (capacity + (ratePerSec * (sorted[j].at - sorted[i].at)) / 1000));
		}
	}
	return worst;
}

/** Most units inside any window of `windowMs` (half-open, like the stores' sliding window). */
/**
 * Each take is stamped with the time its worker read the clock, before its round trip to the
 * store; two workers' stamps can reach the store a few ms out of order (more on a loaded
 * machine), so the store's windows are exact up to that skew. Windows are checked that much
 * shorter: a real overrun (a second window's worth) still fails.
 */
const STAMP_SKEW_MS = 50;

function maxInWindow(events: Array<{ at: number; cost: number }>, windowMs: number): number {
	const sorted = [...events].sort((a, b) => a.at - b.at);
	let best = 0;
	let sum = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		sum += sorted[end].cost;
		while (sorted[end].at - sorted[start].at >= windowMs) sum -= sorted[start++].cost;
		best = Math.max(best, sum);
	}
	return best;
}

/** Sends `perLimiter` requests through each limiter at once, holding each permit `holdMs`. */
async function load(limiters: RateLimiter[], perLimiter: number, request: { cost?: number; operation?: string } = {}, holdMs = 0) {
	const stamps: Array<{ at: number; cost: number }> = [];
	let inFlight = 0;
	let maxInFlight = 0;
	await Promise.all(
		limiters.flatMap((limiter) =>
			Array.from({ length: perLimiter }, async () => {
				const permit = await limiter.acquire(request);
				stamps.push({ at: Date.now(), cost: request.cost ?? 1 });
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				if (holdMs) await realClock.sleep(holdMs);
				inFlight--;
				permit.release({ status: 200, headers: {}, body: {} });
			}),
		),
	);
	return { stamps, maxInFlight };
}

type Opener = () => Promise<StateStore>;

const RUN = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const REDIS_PREFIX = `cs-test-shared-${RUN}:`;

/** Removes what this file wrote: its Redis keys, and its Postgres budget rows and slot keys. */
async function cleanUp(backend: string): Promise<void> {
	if (backend === 'Redis') {
		const redis = new Redis({ ...TEST_REDIS, lazyConnect: true });
		await redis.connect();
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 500);
			cursor = next;
			if (keys.length) await redis.unlink(...keys);
		} while (cursor !== '0');
		redis.disconnect();
	} else {
		const client = new Client(TEST_POSTGRES);
		await client.connect();
		await client.query(`DELETE FROM commerce_sync_budget WHERE key LIKE $1`, [`test-shared:${RUN}:%`]);
		await client.query(`DELETE FROM commerce_sync_cost WHERE key LIKE $1`, [`test-shared:${RUN}:%`]);
		await client.query(`DELETE FROM commerce_sync_keys WHERE ns LIKE $1 OR ns LIKE $2`, [`slots:test-shared:${RUN}:%`, `renew:test-shared:${RUN}:%`]);
		await client.end();
	}
}

const backends: Array<[string, boolean, Opener]> = [
	['Redis', serviceReachable('Redis', TEST_REDIS.port, TEST_REDIS.host), () => RedisStore.open(TEST_REDIS, { prefix: REDIS_PREFIX })],
	['Postgres', serviceReachable('PostgreSQL', TEST_POSTGRES.port, TEST_POSTGRES.host), () => PostgresStore.open(TEST_POSTGRES)],
];

describe.each(backends)('shared rate budget on %s', (name, up, open) => {
	if (!up) {
		it.skip('needs the server (see the warning above)', () => undefined);
		return;
	}
	let a: StateStore;
	let b: StateStore;
	let n = 0;
	const key = () => `test-shared:${RUN}:${++n}`;

	beforeAll(async () => {
		// Two connections: what two worker processes would hold.
		[a, b] = await Promise.all([open(), open()]);
	});
	afterAll(async () => {
		await Promise.all([a?.close(), b?.close()]);
		await cleanUp(name);
	});

	it('two rolling-window limiters never exceed the limit together', async () => {
		const spec: RateLimitSpec = { kind: 'rollingWindow', name: 'w', limit: 8, windowMs: 400 };
		const granted: Array<{ key: string; at: number; cost: number }> = [];
		const storeKey = key();
		const limiters = [a, b].map((s) => createSharedRateLimiter(spec, { clock: realClock, store: spy(s, granted), storeKey }));
		const { stamps } = await load(limiters, 20);
		expect(granted).toHaveLength(40);
		expect(maxInWindow(granted, 400 - STAMP_SKEW_MS)).toBeLessThanOrEqual(8);
		// 40 requests at 8 per 400 ms cannot finish in under four full windows.
		expect(Math.max(...stamps.map((s) => s.at)) - Math.min(...stamps.map((s) => s.at))).toBeGreaterThanOrEqual(4 * 400 - 50);

		// The same load on two unshared limiters sends twice the limit in the first window.
		const unshared = [0, 1].map(() => createRateLimiter(spec, { clock: realClock }));
		const control = await load(unshared, 20);
		expect(maxInWindow(control.stamps, 400)).toBeGreaterThanOrEqual(16);
	}, 30_000);

	it('two token-bucket limiters share each operation bucket', async () => {
		// 10 a second, burst 10: half a second of burst is held back for arrival jitter.
		const spec: RateLimitSpec = { kind: 'tokenBucket', ratePerSec: 10, burst: 10, operations: { search: { ratePerSec: 5, burst: 5 } } };
		const scheduled: Array<{ at: number; cost: number }> = [];
		const storeKey = key();
		const limiters = [a, b].map((s) => createSharedRateLimiter(spec, { clock: realClock, store: costSpy(s, scheduled), storeKey }));
		await load(limiters, 12, { operation: 'getItem' });
		expect(scheduled).toHaveLength(24);
		expect(overBucket(scheduled, 10, 10)).toBeLessThanOrEqual(0);
		// 24 through a bucket of 10 at 10/s: at least 1.4 s, and a little more for the held-back burst.
		expect(Math.max(...scheduled.map((e) => e.at)) - Math.min(...scheduled.map((e) => e.at))).toBeGreaterThanOrEqual(1_400);
		// Another operation has its own bucket: searches go at once although getItem’s is spent.
		const t0 = Date.now();
		await load(limiters, 1, { operation: 'search' });
		expect(Date.now() - t0).toBeLessThan(500);

		const unshared = [0, 1].map(() => createRateLimiter(spec, { clock: realClock }));
		const control = await load(unshared, 12, { operation: 'getItem' });
		expect(overBucket(control.stamps, 10, 10)).toBeGreaterThan(0);
	}, 30_000);

	it('two cost-bucket limiters never spend more than the bucket allows together', async () => {
		// 100 points, 250 restored a second: at most 100 + 250·t points in any t seconds.
		const spec: RateLimitSpec = { kind: 'costBucket', capacity: 100, restoreRatePerSec: 250 };
		const scheduled: Array<{ at: number; cost: number }> = [];
		const storeKey = key();
		const limiters = [a, b].map((s) => createSharedRateLimiter(spec, { clock: realClock, store: costSpy(s, scheduled), storeKey }));
		await load(limiters, 15, { cost: 20 });
		expect(scheduled).toHaveLength(30);
		expect(overBucket(scheduled, 100, 250)).toBeLessThanOrEqual(0);
		// 600 points through a 100-point bucket at 250/s: at least 2 s.
		expect(Math.max(...scheduled.map((e) => e.at)) - Math.min(...scheduled.map((e) => e.at))).toBeGreaterThanOrEqual(1_950);

		const unshared = [0, 1].map(() => createRateLimiter(spec, { clock: realClock }));
		const control = await load(unshared, 15, { cost: 20 });
		expect(overBucket(control.stamps, 100, 250)).toBeGreaterThan(0);
	}, 30_000);

	it('gives a large request its turn while other workers keep sending small ones', async () => {
		const spec: RateLimitSpec = { kind: 'costBucket', capacity: 100, restoreRatePerSec: 200 };
		const storeKey = key();
		const scheduled: Array<{ at: number; cost: number }> = [];
		const [small, big] = [a, b].map((s) => createSharedRateLimiter(spec, { clock: realClock, store: costSpy(s, scheduled), storeKey }));
		let stop = false;
		const stream = (async () => {
			while (!stop) {
				await Promise.all(Array.from({ length: 4 }, async () => (await small.acquire({ cost: 5 })).release({ status: 200, headers: {}, body: {} })));
			}
		})();
		await realClock.sleep(150);
		const t0 = Date.now();
		const bigPermit = big.acquire({ cost: 95 });
		// The big request's turn is booked at once; every small one booked after it goes after it.
		await realClock.sleep(5);
		const turn = scheduled.find((e) => e.cost === 95);
		(await bigPermit).release({ status: 200, headers: {}, body: {} });
		const waited = Date.now() - t0;
		await realClock.sleep(100);
		stop = true;
		await stream;
		expect(turn).toBeDefined();
		const after = scheduled.slice(scheduled.indexOf(turn!) + 1);
		expect(after.length).toBeGreaterThan(0);
		expect(after.filter((e) => e.at < turn!.at)).toEqual([]);
		expect(waited).toBeLessThan(3_000);
	}, 30_000);

	it('gives back what the server did not charge, and follows the server when it reports less', async () => {
		const spec: RateLimitSpec = { kind: 'costBucket', capacity: 100, restoreRatePerSec: 250 };
		const storeKey = key();
		const limiter = createSharedRateLimiter(spec, { clock: realClock, store: a, storeKey });
		const t0 = Date.now();
		// 10 × 60 requested but 1 charged each: without refunds this takes 2 s, with them no wait.
		for (let i = 0; i < 10; i++) {
			(await limiter.acquire({ cost: 60 })).release({ status: 200, headers: {}, body: { extensions: { cost: { requestedQueryCost: 60, actualQueryCost: 1 } } } });
			await realClock.sleep(5);
		}
		expect(Date.now() - t0).toBeLessThan(1_000);
		// The server says the bucket is empty (another app spent it): the next request waits for the refill.
		(await limiter.acquire({ cost: 1 })).release({
			status: 200,
			headers: {},
			body: { extensions: { cost: { actualQueryCost: 1, throttleStatus: { maximumAvailable: 100, currentlyAvailable: 0, restoreRate: 250 } } } },
		});
		await realClock.sleep(20);
		const other = createSharedRateLimiter(spec, { clock: realClock, store: b, storeKey });
		const t1 = Date.now();
		(await other.acquire({ cost: 100 })).release();
		expect(Date.now() - t1).toBeGreaterThanOrEqual(300);
	}, 30_000);

	it('lets booked turns go early once refunds have freed the bucket', async () => {
		// 100 points at 50/s: five requests asking 90 each are booked 7 s deep; each is charged 1.
		const spec: RateLimitSpec = { kind: 'costBucket', capacity: 100, restoreRatePerSec: 50 };
		const storeKey = key();
		const limiters = [a, b].map((s) => createSharedRateLimiter(spec, { clock: realClock, store: s, storeKey }));
		const t0 = Date.now();
		await Promise.all(
			Array.from({ length: 5 }, async (_, i) => {
				const permit = await limiters[i % 2].acquire({ cost: 90 });
				permit.release({ status: 200, headers: {}, body: { extensions: { cost: { requestedQueryCost: 90, actualQueryCost: 1 } } } });
			}),
		);
		// Well under the 7 s they were booked for; the margin absorbs a loaded CI machine.
		expect(Date.now() - t0).toBeLessThan(5_000);
	}, 30_000);

	it('two concurrency limiters never hold more slots than there are, together', async () => {
		const spec: RateLimitSpec = { kind: 'concurrency', slots: 3 };
		const storeKey = key();
		const limiters = [a, b].map((s) => createSharedRateLimiter(spec, { clock: realClock, store: s, storeKey }));
		const { maxInFlight } = await load(limiters, 12, {}, 40);
		expect(maxInFlight).toBe(3);

		const unshared = [0, 1].map(() => createRateLimiter(spec, { clock: realClock }));
		const control = await load(unshared, 12, {}, 40);
		expect(control.maxInFlight).toBe(6);
	}, 30_000);

	it('keeps a long request’s slot by renewing its lease, and frees a dead holder’s slot after the lease', async () => {
		const namespace = `slots:${key()}`;
		const slots = (store: StateStore) =>
			new SharedSlotsLimiter({ clock: realClock, store: store as never, namespace, slots: 1, leaseMs: 300, pollMs: 10 });
		const first = await slots(a).acquire({});
		const heldAt = Date.now();
		// Held three leases long: the second worker must still wait for the release.
		let secondAt = 0;
		const second = slots(b)
			.acquire({})
			.then((permit) => {
				secondAt = Date.now();
				return permit;
			});
		await realClock.sleep(900);
		expect(secondAt).toBe(0);
		first.release();
		(await second).release();
		expect(secondAt - heldAt).toBeGreaterThanOrEqual(900);

		// A worker killed while holding the slot never releases or renews it.
		await realClock.sleep(50);
		const dead = await a.reserve(namespace, 'slot-0', { leaseMs: 300 });
		expect(dead.status).toBe('acquired');
		const started = Date.now();
		(await slots(b).acquire({})).release();
		const waited = Date.now() - started;
		expect(waited).toBeGreaterThanOrEqual(200);
		expect(waited).toBeLessThan(2_000);
	}, 30_000);

	it('renews only a live reservation held by the same token', async () => {
		const ns = `renew:${key()}`;
		const store = a as StateStore & { renew(ns: string, key: string, token: string, leaseMs: number): Promise<boolean> };
		const claim = await store.reserve(ns, 'k', { leaseMs: 200 });
		if (claim.status !== 'acquired') throw new Error('expected to acquire');
		expect(await store.renew(ns, 'k', 'someone-else', 5_000)).toBe(false);
		expect(await store.renew(ns, 'k', claim.token, 5_000)).toBe(true);
		await realClock.sleep(300);
		// Renewed: still held after the first lease would have run out.
		expect((await b.reserve(ns, 'k', { leaseMs: 1_000 })).status).toBe('inFlight');
		expect(await store.release(ns, 'k', claim.token)).toBe(true);
		const short = await store.reserve(ns, 'k2', { leaseMs: 50 });
		if (short.status !== 'acquired') throw new Error('expected to acquire');
		await realClock.sleep(120);
		// Expired leases are not revived: another worker may already hold the key.
		expect(await store.renew(ns, 'k2', short.token, 5_000)).toBe(false);
	}, 30_000);

	it('shares composite limits part by part (HubSpot: two windows and per-operation buckets)', async () => {
		const spec: RateLimitSpec = {
			kind: 'composite',
			parts: [
				{ kind: 'concurrency', slots: 4 },
				{ kind: 'rollingWindow', name: 'short', limit: 6, windowMs: 300 },
				{ kind: 'rollingWindow', name: 'long', limit: 20, windowMs: 60_000 },
			],
		};
		const granted: Array<{ key: string; at: number; cost: number }> = [];
		const storeKey = key();
		const limiters = [a, b].map((s) => createSharedRateLimiter(spec, { clock: realClock, store: spy(s, granted), storeKey }));
		expect(limiters[0]).toBeInstanceOf(CompositeLimiter);
		const { maxInFlight } = await load(limiters, 10, {}, 20);
		expect(maxInFlight).toBeLessThanOrEqual(4);
		const short = granted.filter((g) => g.key === `${storeKey}:short`);
		expect(short).toHaveLength(20);
		expect(maxInWindow(short, 300 - STAMP_SKEW_MS)).toBeLessThanOrEqual(6);
		// The long window is full: one more request from either worker must wait.
		const probe = await a.take({ key: `${storeKey}:long`, cost: 1, limit: 20, windowMs: 60_000, nowMs: Date.now() });
		expect(probe.granted).toBe(false);
	}, 30_000);
});

describe('shared limiter without key leases', () => {
	it('keeps concurrency local when the store offers no reservations', () => {
		const limiter = createSharedRateLimiter({ kind: 'concurrency', slots: 2 }, {
			clock: realClock,
			store: { take: async () => ({ granted: true, waitMs: 0, remaining: 0 }) },
			storeKey: 'x',
		});
		expect(limiter).toBeInstanceOf(ConcurrencyLimiter);
	});
});
