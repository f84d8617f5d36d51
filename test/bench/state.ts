/**
 * `npm run bench -- state`: check-and-record (Dedupe's default mode) per state-store backend,
 * with 10,000 and then 1,000,000 keys of history already stored, so the per-call cost at both
 * sizes can be compared (it must stay flat: every backend does an indexed point lookup).
 *
 * Env: BENCH_STATE_KEYS (default 1000000), BENCH_STATE_CALLS (default 4000),
 * BENCH_STATE_BACKENDS (comma list; default all reachable).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { StateStore } from '../../nodes/shared/core/state/types';
import { JournalStore } from '../../nodes/shared/n8n/state/journalStore';
import { PostgresStore } from '../../nodes/shared/n8n/state/postgresStore';
import { RedisStore } from '../../nodes/shared/n8n/state/redisStore';
import { loadSqlite, SqliteStore } from '../../nodes/shared/n8n/state/sqliteStore';
import { serviceReachable, TEST_POSTGRES, TEST_REDIS } from '../unit/state/services';

const DAY = 86_400_000;

interface Seedable {
	store: StateStore;
	seed(namespace: string, count: number): Promise<void>;
	cleanup(namespaces: string[]): Promise<void>;
}

interface Row {
	backend: string;
	history: number;
	seqUsPerCall: number;
	parOpsPerSec: number;
}

export async function run(): Promise<void> {
	const big = Number(process.env.BENCH_STATE_KEYS ?? 1_000_000);
	const calls = Number(process.env.BENCH_STATE_CALLS ?? 4000);
	const wanted = (process.env.BENCH_STATE_BACKENDS ?? 'journal,sqlite,postgres,redis').split(',');
	const dir = mkdtempSync(join(tmpdir(), 'cs-bench-state-'));
	const rows: Row[] = [];
	console.log(`state bench: check-and-record, ${calls} calls sequential + ${calls} with 16 in flight, history 10,000 vs ${big.toLocaleString()}`);
	try {
		for (const name of wanted) {
			const backend = await open(name, dir);
			if (!backend) continue;
			const namespaces: string[] = [];
			try {
				for (const history of [10_000, big]) {
					const ns = `bench:${randomUUID().slice(0, 8)}:${history}`;
					namespaces.push(ns);
					const t0 = performance.now();
					await backend.seed(ns, history);
					console.log(`  ${name}: seeded ${history.toLocaleString()} keys in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
					rows.push({ backend: name, history, ...(await measure(backend.store, ns, calls)) });
				}
			} finally {
				await backend.cleanup(namespaces).catch(() => undefined);
				await backend.store.close();
			}
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	console.log('\n| backend | history keys | sequential µs/call | 16 in flight ops/s |');
	console.log('|---|---:|---:|---:|');
	for (const r of rows) {
		console.log(`| ${r.backend} | ${r.history.toLocaleString()} | ${r.seqUsPerCall.toFixed(0)} | ${r.parOpsPerSec.toFixed(0)} |`);
	}
	console.log(`\nper-call cost growth from 10,000 to ${big.toLocaleString()} keys of history (1.00 = flat):`);
	for (const name of new Set(rows.map((r) => r.backend))) {
		const [small, large] = rows.filter((r) => r.backend === name);
		if (small && large) {
			console.log(
				`  ${name}: sequential ×${(large.seqUsPerCall / small.seqUsPerCall).toFixed(2)}, throughput ×${(small.parOpsPerSec / large.parOpsPerSec).toFixed(2)} (cost ratio)`,
			);
		}
	}
}

async function measure(store: StateStore, ns: string, calls: number): Promise<{ seqUsPerCall: number; parOpsPerSec: number }> {
	const options = { ttlMs: 30 * DAY };
	// Half new keys, half keys from the seeded history: Dedupe sees both in practice.
	const key = (i: number, tag: string) => (i % 2 === 0 ? `${tag}-${i}` : `k${(i * 7919) % 10_000}`);
	for (let i = 0; i < 200; i++) await store.record(ns, key(i, 'warm'), options);
	let t0 = performance.now();
	for (let i = 0; i < calls; i++) await store.record(ns, key(i, 'seq'), options);
	const seqUsPerCall = ((performance.now() - t0) * 1000) / calls;
	t0 = performance.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: 16 }, async () => {
			while (next < calls) {
				const i = next++;
				await store.record(ns, key(i, 'par'), options);
			}
		}),
	);
	const parOpsPerSec = calls / ((performance.now() - t0) / 1000);
	return { seqUsPerCall, parOpsPerSec };
}

async function open(name: string, dir: string): Promise<Seedable | undefined> {
	const keys = (count: number) => (function* () {
		for (let i = 0; i < count; i++) yield `k${i}`;
	})();
	switch (name) {
		case 'journal': {
			const store = await JournalStore.open(join(dir, 'state.journal'));
			return { store, seed: (ns, n) => store.seedCommitted(ns, keys(n), 30 * DAY), cleanup: async () => undefined };
		}
		case 'sqlite': {
			if (!loadSqlite()) {
				console.log(`  sqlite: skipped (node:sqlite needs Node ≥ 22.13; this is ${process.version})`);
				return undefined;
			}
			const store = SqliteStore.open(join(dir, 'state.sqlite'));
			return { store, seed: async (ns, n) => store.seedCommitted(ns, keys(n), 30 * DAY), cleanup: async () => undefined };
		}
		case 'postgres': {
			if (!serviceReachable('PostgreSQL', TEST_POSTGRES.port, TEST_POSTGRES.host)) return undefined;
			const store = await PostgresStore.open(TEST_POSTGRES);
			return {
				store,
				seed: (ns, n) => store.seedCommitted(ns, 'k', n, 30 * DAY),
				cleanup: async (nss) => {
					for (const ns of nss) await store.clear(ns);
				},
			};
		}
		case 'redis': {
			if (!serviceReachable('Redis', TEST_REDIS.port, TEST_REDIS.host)) return undefined;
			const store = await RedisStore.open(TEST_REDIS);
			return {
				store,
				seed: (ns, n) => store.seedCommitted(ns, 'k', n, 30 * DAY),
				cleanup: async (nss) => {
					for (const ns of nss) await store.clear(ns);
				},
			};
		}
		default:
			console.log(`  unknown backend "${name}" skipped`);
			return undefined;
	}
}

if (require.main === module) {
	run().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
