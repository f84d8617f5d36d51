import { PostgresStore } from '../../../nodes/shared/n8n/state/postgresStore';
import { stateStoreContract } from './contract';
import { serviceReachable, TEST_POSTGRES } from './services';

const up = serviceReachable('PostgreSQL', TEST_POSTGRES.port, TEST_POSTGRES.host);

(up ? describe : describe.skip)('Postgres store', () => {
	stateStoreContract('Postgres', {
		open: (clock) => PostgresStore.open(TEST_POSTGRES, { clock }),
		reopen: async (store, clock) => {
			await store.close();
			return await PostgresStore.open(TEST_POSTGRES, { clock });
		},
	});

	it('creates its tables once when several workers start at the same moment', async () => {
		const schema = `cs_test_${Math.random().toString(36).slice(2, 10)}`;
		const stores = await Promise.all(
			Array.from({ length: 4 }, () => PostgresStore.open(TEST_POSTGRES, { schema })),
		);
		expect((await stores[0].record('n', 'k', { ttlMs: 60_000 })).status).toBe('acquired');
		expect((await stores[3].record('n', 'k', { ttlMs: 60_000 })).status).toBe('duplicate');
		await Promise.all(stores.map((s) => s.close()));
		const { Client } = await import('pg');
		const client = new Client(TEST_POSTGRES);
		await client.connect();
		await client.query(`DROP SCHEMA "${schema}" CASCADE`);
		await client.end();
	});

	it('gives each key to exactly one of several separate pools (stand-ins for workers)', async () => {
		const ns = `test:pools:${Date.now()}:${Math.random()}`;
		const stores = await Promise.all(Array.from({ length: 3 }, () => PostgresStore.open(TEST_POSTGRES)));
		const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
		const results = await Promise.all(
			stores.flatMap((s) => keys.map((k) => s.reserve(ns, k, { leaseMs: 60_000 }))),
		);
		expect(results.filter((r) => r.status === 'acquired')).toHaveLength(100);
		await stores[0].clear(ns);
		await Promise.all(stores.map((s) => s.close()));
	});

	it('fails with a clear error when the server refuses the connection', async () => {
		await expect(PostgresStore.open({ ...TEST_POSTGRES, port: 1 })).rejects.toThrow(/ECONNREFUSED|connect/);
	});
});
