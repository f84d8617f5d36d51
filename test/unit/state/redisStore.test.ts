import { RedisStore } from '../../../nodes/shared/n8n/state/redisStore';
import { stateStoreContract } from './contract';
import { serviceReachable, TEST_REDIS } from './services';

const up = serviceReachable('Redis', TEST_REDIS.port, TEST_REDIS.host);

(up ? describe : describe.skip)('Redis store', () => {
	stateStoreContract('Redis', {
		open: (clock) => RedisStore.open(TEST_REDIS, { clock }),
		reopen: async (store, clock) => {
			await store.close();
			return await RedisStore.open(TEST_REDIS, { clock });
		},
	});

	it('gives each key to exactly one of several separate connections (stand-ins for workers)', async () => {
		const ns = `test:conns:${Date.now()}:${Math.random()}`;
		const stores = await Promise.all(Array.from({ length: 3 }, () => RedisStore.open(TEST_REDIS)));
		const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
		const results = await Promise.all(stores.flatMap((s) => keys.map((k) => s.reserve(ns, k, { leaseMs: 60_000 }))));
		expect(results.filter((r) => r.status === 'acquired')).toHaveLength(100);
		await stores[0].clear(ns);
		await Promise.all(stores.map((s) => s.close()));
	});

	it('lists entries with the same due time in id order past 9 → 10', async () => {
		const ns = `test:ties:${Date.now()}:${Math.random()}`;
		const store = await RedisStore.open(TEST_REDIS);
		for (let i = 0; i < 12; i++) await store.put(ns, { payload: { i }, attempts: 0, dueAt: 1000, reason: 'deadLetter' });
		const page = await store.list(ns, { limit: 3, offset: 8 });
		expect(page.map((e) => e.id)).toEqual(['9', '10', '11']);
		await store.purge(ns);
		await store.close();
	});

	it('fails with a clear error when the server refuses the connection', async () => {
		await expect(RedisStore.open({ ...TEST_REDIS, port: 1, retryStrategy: () => null })).rejects.toThrow(
			/ECONNREFUSED|connect/,
		);
	});
});
