import type { RateBudgetStore } from '../../../nodes/shared/core/ratelimit/budgetStore';

/**
 * The behaviour every RateBudgetStore backend must show. Backends (Redis, Postgres, embedded)
 * run it with their own factory: `describeRateBudgetStoreContract('redis', () => makeStore())`.
 * Keys are made unique per test so a shared database needs no cleanup between tests.
 */
export function describeRateBudgetStoreContract(
	name: string,
	makeStore: () => RateBudgetStore | Promise<RateBudgetStore>,
): void {
	describe(`RateBudgetStore contract: ${name}`, () => {
		let n = 0;
		const key = () => `contract:${Date.now()}:${process.pid}:${n++}`;

		it('grants up to the limit within the window, then refuses with a positive wait', async () => {
			const store = await makeStore();
			const k = key();
			const t0 = 1_000_000;
			for (let i = 0; i < 3; i++) {
				await expect(
					store.take({ key: k, cost: 1, limit: 3, windowMs: 1_000, nowMs: t0 + i * 100 }),
				).resolves.toMatchObject({
					granted: true,
					waitMs: 0,
					remaining: 2 - i,
				});
			}
			const refused = await store.take({
				key: k,
				cost: 1,
				limit: 3,
				windowMs: 1_000,
				nowMs: t0 + 300,
			});
			expect(refused.granted).toBe(false);
			expect(refused.remaining).toBe(0);
			// the oldest take (t0) leaves the window at t0 + 1000
			expect(refused.waitMs).toBeGreaterThan(0);
			expect(refused.waitMs).toBeLessThanOrEqual(700);
		});

		it('records nothing for a refused take', async () => {
			const store = await makeStore();
			const k = key();
			const t0 = 2_000_000;
			await store.take({ key: k, cost: 2, limit: 2, windowMs: 1_000, nowMs: t0 });
			await store.take({ key: k, cost: 1, limit: 2, windowMs: 1_000, nowMs: t0 + 10 });
			await store.take({ key: k, cost: 1, limit: 2, windowMs: 1_000, nowMs: t0 + 20 });
			await expect(
				store.take({ key: k, cost: 2, limit: 2, windowMs: 1_000, nowMs: t0 + 1_000 }),
			).resolves.toMatchObject({ granted: true });
		});

		it('slides: units leave the window one by one', async () => {
			const store = await makeStore();
			const k = key();
			const t0 = 3_000_000;
			await store.take({ key: k, cost: 1, limit: 2, windowMs: 1_000, nowMs: t0 });
			await store.take({ key: k, cost: 1, limit: 2, windowMs: 1_000, nowMs: t0 + 500 });
			expect(
				(await store.take({ key: k, cost: 1, limit: 2, windowMs: 1_000, nowMs: t0 + 999 })).granted,
			).toBe(false);
			expect(
				(await store.take({ key: k, cost: 1, limit: 2, windowMs: 1_000, nowMs: t0 + 1_000 }))
					.granted,
			).toBe(true);
			expect(
				(await store.take({ key: k, cost: 1, limit: 2, windowMs: 1_000, nowMs: t0 + 1_200 }))
					.granted,
			).toBe(false);
		});

		it('keeps keys apart', async () => {
			const store = await makeStore();
			const [a, b] = [key(), key()];
			await store.take({ key: a, cost: 1, limit: 1, windowMs: 1_000, nowMs: 4_000_000 });
			expect(
				(await store.take({ key: b, cost: 1, limit: 1, windowMs: 1_000, nowMs: 4_000_000 }))
					.granted,
			).toBe(true);
		});

		it('never grants more than the limit to concurrent takes', async () => {
			const store = await makeStore();
			const k = key();
			const results = await Promise.all(
				Array.from({ length: 25 }, () =>
					store.take({ key: k, cost: 1, limit: 10, windowMs: 60_000, nowMs: 5_000_000 }),
				),
			);
			expect(results.filter((r) => r.granted)).toHaveLength(10);
			for (const r of results.filter((x) => !x.granted)) expect(r.waitMs).toBeGreaterThan(0);
		});
	});
}
