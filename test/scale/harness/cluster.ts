/**
 * n8n in queue mode on this machine: one main process, workers and a webhook processor, all
 * loading the built package from one user folder (so they share its encryption key), on a fresh
 * Postgres database and a fresh Bull prefix in Redis per run — dropped and deleted at `stop()`.
 *
 * Production webhooks are served only by the webhook processor (the main has
 * N8N_DISABLE_PRODUCTION_MAIN_PROCESS), and executions only by the workers, as in a real
 * queue-mode deployment.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';
import { Client } from 'pg';

import { freePort, startN8n, type N8nInstance } from '../../e2e/harness/n8n';
import { serviceReachable } from '../../unit/state/services';

/** Postgres and Redis of the machine (override with env on another machine). */
export const SCALE_POSTGRES = {
	host: process.env.COMMERCE_SYNC_TEST_PG_HOST ?? '127.0.0.1',
	port: Number(process.env.COMMERCE_SYNC_TEST_PG_PORT ?? 5432),
	user: process.env.COMMERCE_SYNC_TEST_PG_USER ?? 'postgres',
	password: process.env.COMMERCE_SYNC_TEST_PG_PASSWORD ?? '',
};

export const SCALE_REDIS = {
	host: process.env.COMMERCE_SYNC_TEST_REDIS_HOST ?? '127.0.0.1',
	port: Number(process.env.COMMERCE_SYNC_TEST_REDIS_PORT ?? 6379),
};

/**
 * Whether Postgres and Redis answer. Unreachable in CI throws (CI must run these tests);
 * elsewhere it warns loudly and the caller skips.
 */
export function queueServicesReachable(): boolean {
	const pg = serviceReachable('PostgreSQL (queue-mode tests)', SCALE_POSTGRES.port, SCALE_POSTGRES.host);
	const redis = serviceReachable('Redis (queue-mode tests)', SCALE_REDIS.port, SCALE_REDIS.host);
	return pg && redis;
}

export interface ClusterOptions {
	workers?: number;
	/** Parallel executions per worker (`n8n worker --concurrency`). */
	workerConcurrency?: number;
	/** Environment for every process (the state-store URL, log level...). */
	env?: Record<string, string>;
}

export interface QueueCluster {
	main: N8nInstance;
	workers: N8nInstance[];
	webhook: N8nInstance;
	/** The run's id: part of the database name and the Bull prefix. */
	run: string;
	database: string;
	bullPrefix: string;
	userFolder: string;
	/** Seconds each process took to become ready. */
	startup: Record<string, number>;
	/** Starts one more worker (e.g. to replace a killed one); it joins `workers`. */
	startWorker(env?: Record<string, string>): Promise<N8nInstance>;
	/** Stops a worker gracefully (SIGTERM: it finishes its jobs) and forgets it. */
	stopWorker(worker: N8nInstance): Promise<void>;
	/** Kills a worker at once (SIGKILL to its process group), as a crashed container. */
	killWorker(worker: N8nInstance): Promise<void>;
	/** Execution ids each worker's log says it ran, by worker pid. */
	executionsByWorker(): Map<number, string[]>;
	stop(): Promise<void>;
}

/** Starts main, then the workers and the webhook processor in parallel. */
export async function startQueueCluster(options: ClusterOptions = {}): Promise<QueueCluster> {
	const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
	const database = `n8n_scale_${run}`;
	const bullPrefix = `bull-scale-${run}`;
	// n8n's own Redis keys (webhook cache, instance registry): per run, or a template activated in
	// an earlier run would conflict with its own cached webhook for an hour.
	const redisPrefix = `n8n-scale-${run}`;
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-scale-'));
	const admin = new Client({ ...SCALE_POSTGRES, database: 'postgres' });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE "${database}"`);
	} finally {
		await admin.end();
	}
	// Webhook URLs that n8n hands out (trigger registrations at the vendors) must reach the
	// webhook processor, as a load balancer would route them in production.
	const webhookPort = await freePort();
	const shared: Record<string, string> = {
		WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: SCALE_REDIS.host,
		QUEUE_BULL_REDIS_PORT: String(SCALE_REDIS.port),
		QUEUE_BULL_PREFIX: bullPrefix,
		N8N_REDIS_KEY_PREFIX: redisPrefix,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: SCALE_POSTGRES.host,
		DB_POSTGRESDB_PORT: String(SCALE_POSTGRES.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: SCALE_POSTGRES.user,
		DB_POSTGRESDB_PASSWORD: SCALE_POSTGRES.password,
		// As the README tells queue-mode users to (n8n's default is 2 per process). It did not
		// change how many Shopify deliveries went unanswered in time; it is here to run as advised.
		DB_POSTGRESDB_POOL_SIZE: '10',
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		// The 2.x default; stated so a 1.x-era config cannot run manual executions on main.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		...options.env,
	};
	const started: N8nInstance[] = [];
	const startup: Record<string, number> = {};
	const timed = async (label: string, start: () => Promise<N8nInstance>) => {
		const t0 = Date.now();
		const instance = await start();
		startup[label] = (Date.now() - t0) / 1000;
		started.push(instance);
		return instance;
	};
	const cleanup = async () => {
		await Promise.all(started.map((p) => p.stop().catch(() => undefined)));
		await dropRunState(database, [bullPrefix, redisPrefix]);
		if (process.env.KEEP_N8N !== '1') rmSync(userFolder, { recursive: true, force: true });
	};
	try {
		const main = await timed('main', () =>
			startN8n({ major: 2, userFolder, env: { ...shared, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } }),
		);
		const workerOptions = (env: Record<string, string> = {}) => ({
			major: 2 as const,
			userFolder,
			install: false,
			command: 'worker' as const,
			args: [`--concurrency=${options.workerConcurrency ?? 5}`],
			env: { ...shared, ...env },
		});
		let workerCount = 0;
		const startWorker = async (env?: Record<string, string>) => {
			const label = `worker${++workerCount}`;
			const worker = await timed(label, () => startN8n(workerOptions(env)));
			cluster.workers.push(worker);
			return worker;
		};
		const cluster: QueueCluster = {
			main,
			workers: [],
			webhook: undefined as unknown as N8nInstance,
			run,
			database,
			bullPrefix,
			userFolder,
			startup,
			startWorker,
			async stopWorker(worker) {
				await worker.stop();
				cluster.workers = cluster.workers.filter((w) => w !== worker);
			},
			async killWorker(worker) {
				if (worker.pid) {
					try {
						process.kill(-worker.pid, 'SIGKILL');
					} catch {
						/* already gone */
					}
				}
				await worker.whenExited();
				cluster.workers = cluster.workers.filter((w) => w !== worker);
			},
			executionsByWorker() {
				const out = new Map<number, string[]>();
				for (const p of started.filter((s) => s.command === 'worker')) {
					const log = safeRead(p.logFile);
					const ids = [...log.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
					out.set(p.pid ?? 0, ids);
				}
				return out;
			},
			stop: cleanup,
		};
		const [webhook] = await Promise.all([
			timed('webhook', () => startN8n({ major: 2, port: webhookPort, userFolder, install: false, command: 'webhook', env: shared })),
			...Array.from({ length: options.workers ?? 2 }, () => startWorker()),
		]);
		cluster.webhook = webhook;
		return cluster;
	} catch (error) {
		await cleanup();
		throw error;
	}
}

/** Drops the run's database and deletes its Redis keys (Bull queue, n8n cache). */
async function dropRunState(database: string, redisPrefixes: string[]): Promise<void> {
	const admin = new Client({ ...SCALE_POSTGRES, database: 'postgres' });
	try {
		await admin.connect();
		await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
	} catch (error) {
		console.warn(`Could not drop the scale-test database ${database}: ${(error as Error).message}`);
	} finally {
		await admin.end().catch(() => undefined);
	}
	for (const prefix of redisPrefixes) await deleteRedisKeys(`${prefix}:*`);
}

/** Deletes every Redis key matching a pattern (a run's Bull queue, a run's state-store prefix). */
export async function deleteRedisKeys(pattern: string): Promise<number> {
	const redis = new Redis({ ...SCALE_REDIS, lazyConnect: true, maxRetriesPerRequest: 1 });
	redis.on('error', () => undefined);
	let deleted = 0;
	try {
		await redis.connect();
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
			cursor = next;
			if (keys.length) deleted += await redis.unlink(...keys);
		} while (cursor !== '0');
	} catch (error) {
		console.warn(`Could not delete Redis keys ${pattern}: ${(error as Error).message}`);
	} finally {
		redis.disconnect();
	}
	return deleted;
}

function safeRead(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}
