import { randomUUID } from 'node:crypto';

import type { StateStore, StoreClock } from '../../../nodes/shared/core/state/types';

/** A clock the test moves by hand. */
export class ManualClock implements StoreClock {
	// Starts at the real time (rounded for tidy rate-budget buckets) and only moves forward, so
	// expiry sweeps by a real-clock process sharing a server never delete a test's live rows.
	constructor(public t = Math.ceil(Date.now() / 1_000_000) * 1_000_000) {}
	now(): number {
		return this.t;
	}
	advance(ms: number): void {
		this.t += ms;
	}
}

/** How a backend's test file plugs into the shared suite. */
export interface ContractBackend {
	/** Opens a store using `clock`. Called once per suite; the suite closes it. */
	open(clock: StoreClock): Promise<StateStore>;
	/** Closes and reopens the same data (durability), if the backend keeps data across opens. */
	reopen?(store: StateStore, clock: StoreClock): Promise<StateStore>;
}

const MIN = 60_000;

/**
 * The one suite every backend runs: key reserve/commit/release with TTLs on an injected
 * clock, check-and-record, changed-only, concurrency (many promises, one winner), the
 * dead-letter queue with leases, and the rate budget. Namespaces are unique per run so runs
 * against a shared server never collide.
 */
export function stateStoreContract(name: string, backend: ContractBackend): void {
	describe(`state store contract: ${name}`, () => {
		const clock = new ManualClock();
		const run = randomUUID().slice(0, 8);
		let seq = 0;
		let store: StateStore;
		const ns = () => `test:${run}:${++seq}`;

		beforeAll(async () => {
			store = await backend.open(clock);
		});
		afterAll(async () => {
			await store?.close();
		});

		describe('reserve / commit / release', () => {
			it('gives a new key to the first caller only, then reports it in flight and, once committed, duplicate', async () => {
				const n = ns();
				const first = await store.reserve(n, 'order-1', { leaseMs: MIN });
				expect(first.status).toBe('acquired');
				expect(first.status === 'acquired' && first.token).toMatch(/.{8,}/);
				const again = await store.reserve(n, 'order-1', { leaseMs: MIN });
				expect(again).toEqual({ status: 'inFlight', expiresAt: clock.now() + MIN });
				expect(await store.commit(n, 'order-1', (first as { token: string }).token, 10 * MIN)).toBe(true);
				const after = await store.reserve(n, 'order-1', { leaseMs: MIN });
				expect(after.status).toBe('duplicate');
				expect(after.status === 'duplicate' && after.expiresAt).toBe(clock.now() + 10 * MIN);
			});

			it('refuses commit and release with a wrong token', async () => {
				const n = ns();
				const claim = await store.reserve(n, 'k', { leaseMs: MIN });
				expect(await store.commit(n, 'k', 'not-the-token', MIN)).toBe(false);
				expect(await store.release(n, 'k', 'not-the-token')).toBe(false);
				expect(await store.commit(n, 'k', '', MIN)).toBe(false);
				expect(await store.commit(n, 'other', (claim as { token: string }).token, MIN)).toBe(false);
				expect((await store.count(n)).reserved).toBe(1);
			});

			it('lets a retry pass after release, and the released token is then worthless', async () => {
				const n = ns();
				const first = (await store.reserve(n, 'k', { leaseMs: MIN })) as { token: string };
				expect(await store.release(n, 'k', first.token)).toBe(true);
				const retry = await store.reserve(n, 'k', { leaseMs: MIN });
				expect(retry.status).toBe('acquired');
				expect((retry as { token: string }).token).not.toBe(first.token);
				expect(await store.release(n, 'k', first.token)).toBe(false);
				expect(await store.commit(n, 'k', first.token, MIN)).toBe(false);
				expect(await store.commit(n, 'k', (retry as { token: string }).token, MIN)).toBe(true);
			});

			it('cannot release a committed key', async () => {
				const n = ns();
				const claim = (await store.reserve(n, 'k', { leaseMs: MIN })) as { token: string };
				await store.commit(n, 'k', claim.token, MIN);
				expect(await store.release(n, 'k', claim.token)).toBe(false);
				expect((await store.record(n, 'k', { ttlMs: MIN })).status).toBe('duplicate');
			});

			it('frees a reservation whose lease ran out; the old holder can no longer commit', async () => {
				const n = ns();
				const old = (await store.reserve(n, 'k', { leaseMs: MIN })) as { token: string };
				clock.advance(MIN - 1);
				expect((await store.reserve(n, 'k', { leaseMs: MIN })).status).toBe('inFlight');
				clock.advance(1);
				const next = await store.reserve(n, 'k', { leaseMs: MIN });
				expect(next.status).toBe('acquired');
				expect(await store.commit(n, 'k', old.token, MIN)).toBe(false);
				expect(await store.commit(n, 'k', (next as { token: string }).token, MIN)).toBe(true);
			});

			it('forgets a committed key when its TTL ends', async () => {
				const n = ns();
				expect((await store.record(n, 'k', { ttlMs: 2 * MIN })).status).toBe('acquired');
				clock.advance(2 * MIN - 1);
				expect((await store.record(n, 'k', { ttlMs: 2 * MIN })).status).toBe('duplicate');
				clock.advance(1);
				expect((await store.record(n, 'k', { ttlMs: 2 * MIN })).status).toBe('acquired');
			});

			it('rejects a zero or negative TTL', async () => {
				await expect(store.record(ns(), 'k', { ttlMs: 0 })).rejects.toThrow(/ttlMs/);
				await expect(store.reserve(ns(), 'k', { leaseMs: -5 })).rejects.toThrow(/leaseMs/);
			});
		});

		describe('check-and-record', () => {
			it('records a new key at once and reports it duplicate after', async () => {
				const n = ns();
				expect(await store.record(n, 'a', { ttlMs: MIN })).toEqual({ status: 'acquired', token: '' });
				expect((await store.record(n, 'a', { ttlMs: MIN })).status).toBe('duplicate');
				expect((await store.record(n, 'b', { ttlMs: MIN })).status).toBe('acquired');
			});

			it('reports a key reserved by another execution as in flight', async () => {
				const n = ns();
				await store.reserve(n, 'a', { leaseMs: MIN });
				expect((await store.record(n, 'a', { ttlMs: MIN })).status).toBe('inFlight');
			});

			it('keeps namespaces apart', async () => {
				const a = ns();
				const b = ns();
				await store.record(a, 'same', { ttlMs: MIN });
				expect((await store.record(b, 'same', { ttlMs: MIN })).status).toBe('acquired');
			});

			it('stores keys with any characters', async () => {
				const n = ns();
				const key = 'ключ:{"a":1} \n\t\u0000%s*?[]';
				expect((await store.record(n, key, { ttlMs: MIN })).status).toBe('acquired');
				expect((await store.record(n, key, { ttlMs: MIN })).status).toBe('duplicate');
			});
		});

		describe('changed-only', () => {
			it('passes a key again exactly when its content hash changes', async () => {
				const n = ns();
				const opts = (hash: string) => ({ ttlMs: MIN, hash, changedOnly: true });
				expect((await store.record(n, 'sku-1', opts('h1'))).status).toBe('acquired');
				expect(await store.record(n, 'sku-1', opts('h1'))).toMatchObject({ status: 'duplicate', hash: 'h1' });
				expect(await store.record(n, 'sku-1', opts('h2'))).toEqual({
					status: 'acquired',
					token: '',
					previousHash: 'h1',
				});
				expect((await store.record(n, 'sku-1', opts('h2'))).status).toBe('duplicate');
				// Without changed-only, a hash difference does not matter.
				expect((await store.record(n, 'sku-1', { ttlMs: MIN, hash: 'h3' })).status).toBe('duplicate');
			});

			it('reserves a changed key and remembers the new hash only on commit', async () => {
				const n = ns();
				await store.record(n, 'sku', { ttlMs: 10 * MIN, hash: 'h1', changedOnly: true });
				const claim = await store.reserve(n, 'sku', { leaseMs: MIN, hash: 'h2', changedOnly: true });
				expect(claim).toMatchObject({ status: 'acquired', previousHash: 'h1' });
				expect((await store.reserve(n, 'sku', { leaseMs: MIN, hash: 'h2', changedOnly: true })).status).toBe(
					'inFlight',
				);
				await store.commit(n, 'sku', (claim as { token: string }).token, 10 * MIN);
				expect(await store.record(n, 'sku', { ttlMs: MIN, hash: 'h2', changedOnly: true })).toMatchObject({
					status: 'duplicate',
					hash: 'h2',
				});
			});
		});

		describe('concurrency', () => {
			it('gives a key to exactly one of 50 simultaneous reserves', async () => {
				const n = ns();
				const results = await Promise.all(
					Array.from({ length: 50 }, () => store.reserve(n, 'hot', { leaseMs: MIN })),
				);
				expect(results.filter((r) => r.status === 'acquired')).toHaveLength(1);
				expect(results.filter((r) => r.status === 'inFlight')).toHaveLength(49);
			});

			it('records each of 200 keys exactly once when 5 callers race on all of them', async () => {
				const n = ns();
				const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
				const calls = [];
				for (let round = 0; round < 5; round++) {
					for (const k of round % 2 ? [...keys].reverse() : keys) calls.push(store.record(n, k, { ttlMs: MIN }));
				}
				const results = await Promise.all(calls);
				expect(results.filter((r) => r.status === 'acquired')).toHaveLength(200);
				expect(await store.count(n)).toEqual({ committed: 200, reserved: 0 });
			});

			it('gives a changed hash to exactly one of many simultaneous changed-only records', async () => {
				const n = ns();
				await store.record(n, 'sku', { ttlMs: MIN, hash: 'old', changedOnly: true });
				const results = await Promise.all(
					Array.from({ length: 30 }, () => store.record(n, 'sku', { ttlMs: MIN, hash: 'new', changedOnly: true })),
				);
				expect(results.filter((r) => r.status === 'acquired')).toHaveLength(1);
			});
		});

		describe('count, forget, clear', () => {
			it('counts live keys by state, ignoring expired ones', async () => {
				const n = ns();
				await store.record(n, 'a', { ttlMs: MIN });
				await store.record(n, 'b', { ttlMs: 3 * MIN });
				await store.reserve(n, 'c', { leaseMs: 3 * MIN });
				expect(await store.count(n)).toEqual({ committed: 2, reserved: 1 });
				clock.advance(MIN);
				expect(await store.count(n)).toEqual({ committed: 1, reserved: 1 });
				expect(await store.count(ns())).toEqual({ committed: 0, reserved: 0 });
			});

			it('forgets one key', async () => {
				const n = ns();
				await store.record(n, 'a', { ttlMs: MIN });
				expect(await store.forget(n, 'a')).toBe(true);
				expect(await store.forget(n, 'a')).toBe(false);
				expect((await store.record(n, 'a', { ttlMs: MIN })).status).toBe('acquired');
			});

			it('clears one namespace and leaves the others', async () => {
				const a = ns();
				const b = ns();
				for (const k of ['1', '2', '3']) await store.record(a, k, { ttlMs: MIN });
				await store.record(b, '1', { ttlMs: MIN });
				expect(await store.clear(a)).toBe(3);
				expect(await store.count(a)).toEqual({ committed: 0, reserved: 0 });
				expect((await store.record(a, '1', { ttlMs: MIN })).status).toBe('acquired');
				expect((await store.record(b, '1', { ttlMs: MIN })).status).toBe('duplicate');
				expect(await store.clear(ns())).toBe(0);
			});
		});

		describe('dead-letter queue', () => {
			const entry = (dueAt: number, extra: Record<string, unknown> = {}) => ({
				payload: { orderId: 'A-1', lines: [{ sku: 'S', qty: 2 }], note: 'é ✓', ...extra },
				error: { status: 429, message: 'Too many requests' },
				attempts: 2,
				dueAt,
				correlationId: 'corr-1',
				reason: 'scheduled' as const,
			});

			it('claims only due entries, oldest first, and keeps the payload intact', async () => {
				const n = ns();
				const later = await store.put(n, entry(clock.now() + MIN, { i: 'later' }));
				const second = await store.put(n, entry(clock.now() - 10, { i: 'second' }));
				const first = await store.put(n, entry(clock.now() - 20, { i: 'first' }));
				const claimed = await store.claimDue(n, { limit: 10, leaseMs: MIN });
				expect(claimed.map((c) => c.id)).toEqual([first, second]);
				expect(claimed[0]).toMatchObject({
					payload: { orderId: 'A-1', lines: [{ sku: 'S', qty: 2 }], note: 'é ✓', i: 'first' },
					error: { status: 429, message: 'Too many requests' },
					attempts: 2,
					correlationId: 'corr-1',
					reason: 'scheduled',
					claims: 1,
					leaseUntil: clock.now() + MIN,
					createdAt: clock.now(),
				});
				expect(typeof claimed[0].leaseToken).toBe('string');
				expect(claimed[0].leaseToken).not.toBe(claimed[1].leaseToken);
				expect(await store.size(n)).toBe(3);
				expect(later).not.toBe(first);
			});

			it('does not hand a leased entry out again until the lease ends, then reclaims it', async () => {
				const n = ns();
				const id = await store.put(n, entry(clock.now()));
				const [claim] = await store.claimDue(n, { limit: 5, leaseMs: MIN });
				expect(await store.claimDue(n, { limit: 5, leaseMs: MIN })).toEqual([]);
				clock.advance(MIN);
				const [again] = await store.claimDue(n, { limit: 5, leaseMs: MIN });
				expect(again.id).toBe(id);
				expect(again.claims).toBe(2);
				expect(await store.ack(n, id, claim.leaseToken)).toBe(false);
				expect(await store.ack(n, id, again.leaseToken)).toBe(true);
				expect(await store.size(n)).toBe(0);
			});

			it('acks only with the lease token', async () => {
				const n = ns();
				const id = await store.put(n, entry(clock.now()));
				expect(await store.ack(n, id, 'nope')).toBe(false);
				expect(await store.ack(n, id, '')).toBe(false);
				const [claim] = await store.claimDue(n, { limit: 1, leaseMs: MIN });
				expect(await store.ack(n, id, claim.leaseToken)).toBe(true);
				expect(await store.ack(n, id, claim.leaseToken)).toBe(false);
				expect(await store.ack(n, 'no-such-id', claim.leaseToken)).toBe(false);
			});

			it('nack gives an entry back with a new due time, error and attempt count', async () => {
				const n = ns();
				const id = await store.put(n, entry(clock.now()));
				const [claim] = await store.claimDue(n, { limit: 1, leaseMs: MIN });
				expect(await store.nack(n, id, 'nope', { dueAt: clock.now() })).toBe(false);
				expect(
					await store.nack(n, id, claim.leaseToken, { dueAt: clock.now() + 5 * MIN, error: { status: 503 }, attempts: 3 }),
				).toBe(true);
				expect(await store.nack(n, id, claim.leaseToken, { dueAt: clock.now() })).toBe(false);
				expect(await store.claimDue(n, { limit: 1, leaseMs: MIN })).toEqual([]);
				clock.advance(5 * MIN);
				const [again] = await store.claimDue(n, { limit: 1, leaseMs: MIN });
				expect(again).toMatchObject({ id, attempts: 3, error: { status: 503 }, claims: 2 });
			});

			it('never gives the same entry to two simultaneous claimers', async () => {
				const n = ns();
				for (let i = 0; i < 20; i++) await store.put(n, entry(clock.now() - i));
				const batches = await Promise.all(
					Array.from({ length: 4 }, () => store.claimDue(n, { limit: 7, leaseMs: MIN })),
				);
				const ids = batches.flat().map((e) => e.id);
				expect(ids).toHaveLength(20);
				expect(new Set(ids).size).toBe(20);
			});

			it('lists by due time with paging and a due-only filter', async () => {
				const n = ns();
				const ids = [];
				for (let i = 0; i < 5; i++) ids.push(await store.put(n, entry(clock.now() + (i - 2) * MIN, { i })));
				const all = await store.list(n, { limit: 10 });
				expect(all.map((e) => e.id)).toEqual(ids);
				expect((await store.list(n, { limit: 2, offset: 1 })).map((e) => e.id)).toEqual(ids.slice(1, 3));
				expect((await store.list(n, { limit: 10, dueOnly: true })).map((e) => e.id)).toEqual(ids.slice(0, 3));
				await store.claimDue(n, { limit: 1, leaseMs: MIN });
				expect((await store.list(n, { limit: 10, dueOnly: true })).map((e) => e.id)).toEqual(ids.slice(1, 3));
				expect((await store.list(n, { limit: 10 }))[0].leaseToken).toBeDefined();
			});

			it('purges chosen entries or the whole queue', async () => {
				const n = ns();
				const other = ns();
				const ids = [];
				for (let i = 0; i < 4; i++) ids.push(await store.put(n, entry(clock.now())));
				await store.put(other, entry(clock.now()));
				expect(await store.purge(n, [ids[0], ids[2], 'missing'])).toBe(2);
				expect((await store.list(n, { limit: 10 })).map((e) => e.id)).toEqual([ids[1], ids[3]]);
				expect(await store.purge(n)).toBe(2);
				expect(await store.size(n)).toBe(0);
				expect(await store.size(other)).toBe(1);
			});

			it('rejects a payload that is not an object', async () => {
				await expect(
					store.put(ns(), { ...entry(clock.now()), payload: [1, 2] as unknown as Record<string, unknown> }),
				).rejects.toThrow(/payload/);
			});
		});

		describe('rate budget', () => {
			const take = (key: string, cost: number, windowMs: number, limit: number, nowMs: number) =>
				store.take({ key, cost, windowMs, limit, nowMs });

			it('grants up to the limit, then says how long to wait, then grants again', async () => {
				const key = ns();
				const t0 = clock.now();
				for (let i = 0; i < 4; i++) expect(await take(key, 1, 10_000, 5, t0 + i)).toEqual({ granted: true, waitMs: 0, remaining: 4 - i });
				expect(await take(key, 2, 10_000, 5, t0 + 10)).toMatchObject({ granted: false, remaining: 1 });
				expect(await take(key, 1, 10_000, 5, t0 + 10)).toEqual({ granted: true, waitMs: 0, remaining: 0 });
				const denied = await take(key, 1, 10_000, 5, t0 + 20);
				expect(denied.granted).toBe(false);
				expect(denied.waitMs).toBeGreaterThan(9_000);
				expect(denied.waitMs).toBeLessThanOrEqual(10_500);
				expect((await take(key, 1, 10_000, 5, t0 + 20 + denied.waitMs - 1)).granted).toBe(false);
				expect((await take(key, 1, 10_000, 5, t0 + 20 + denied.waitMs)).granted).toBe(true);
			});

			it('never lets more than the limit through in one window, whatever the concurrency', async () => {
				const key = ns();
				const t0 = clock.now();
				const grants = await Promise.all(Array.from({ length: 40 }, () => take(key, 1, 60_000, 10, t0)));
				expect(grants.filter((g) => g.granted)).toHaveLength(10);
				expect((await take(`${key}:other`, 1, 60_000, 10, t0)).granted).toBe(true);
			});

			it('refuses a cost larger than the limit', async () => {
				await expect(take(ns(), 11, 1000, 10, clock.now())).rejects.toThrow(/never fit/);
			});
		});

		if (backend.reopen) {
			it('keeps keys, dead letters and budgets across a reopen', async () => {
				const n = ns();
				const claim = (await store.reserve(n, 'reserved', { leaseMs: MIN })) as { token: string };
				await store.record(n, 'committed', { ttlMs: MIN, hash: 'h1' });
				const id = await store.put(n, entry0(clock.now()));
				await store.take({ key: n, cost: 3, windowMs: 60_000, limit: 3, nowMs: clock.now() });
				store = await backend.reopen!(store, clock);
				expect((await store.record(n, 'committed', { ttlMs: MIN, hash: 'h1', changedOnly: true })).status).toBe(
					'duplicate',
				);
				expect(await store.commit(n, 'reserved', claim.token, MIN)).toBe(true);
				expect((await store.list(n, { limit: 5 })).map((e) => e.id)).toEqual([id]);
				expect((await store.take({ key: n, cost: 1, windowMs: 60_000, limit: 3, nowMs: clock.now() })).granted).toBe(false);
				const next = await store.put(n, entry0(clock.now()));
				expect(next).not.toBe(id);
			});
		}
	});
}

function entry0(dueAt: number) {
	return { payload: { a: 1 }, attempts: 0, dueAt, reason: 'deadLetter' as const };
}
