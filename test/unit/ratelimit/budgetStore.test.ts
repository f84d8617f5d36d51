import { InMemoryRateBudgetStore } from '../../../nodes/shared/core/ratelimit/memoryBudgetStore';
import { describeRateBudgetStoreContract } from './budgetStoreContract';

describeRateBudgetStoreContract('in memory', () => new InMemoryRateBudgetStore());

describe('InMemoryRateBudgetStore', () => {
	it('refuses a cost that can never fit', async () => {
		const store = new InMemoryRateBudgetStore();
		await expect(
			store.take({ key: 'k', cost: 5, limit: 4, windowMs: 1_000, nowMs: 0 }),
		).rejects.toThrow(/cost 5 can never fit a limit of 4/);
	});

	it('gives the exact wait until the oldest take leaves the window', async () => {
		const store = new InMemoryRateBudgetStore();
		await store.take({ key: 'k', cost: 1, limit: 1, windowMs: 1_000, nowMs: 100 });
		await expect(
			store.take({ key: 'k', cost: 1, limit: 1, windowMs: 1_000, nowMs: 400 }),
		).resolves.toEqual({
			granted: false,
			waitMs: 700,
			remaining: 0,
		});
	});
});
