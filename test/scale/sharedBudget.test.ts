/**
 * Issue 11, first part: n8n in queue mode (main + 2 workers + 1 webhook processor, Postgres and
 * Redis) with the package loaded on every process, and system rate budgets shared across the
 * workers through COMMERCE_SYNC_STATE_STORE_URL — first on Redis, then (the workers restarted
 * with another URL) on Postgres, in a schema of the run's own n8n database.
 *
 * The proof is read from the sandbox's request log, as the vendor would see it: with executions
 * running on both workers at once, HubSpot never receives more than its 10-second limit in any
 * window and NetSuite never more requests in flight than its concurrency limit, with no 429.
 * Without sharing, each worker would spend the whole budget on its own (the unit tests in
 * test/unit/state/sharedBudget.test.ts show the unshared control exceeding it).
 *
 * Postgres (127.0.0.1:5432, trust) and Redis (127.0.0.1:6379) are required in CI; elsewhere the
 * suite is skipped with a loud warning when they are not running.
 */
import { randomUUID } from 'node:crypto';

import { startSandbox, type Sandbox } from '../../sandbox';
import { SANDBOX_CREDENTIALS } from '../../scripts/start-credentials';
import { PKG, webhookChain, type NodeSpec } from '../e2e/harness/workflow';
import { deleteRedisKeys, queueServicesReachable, SCALE_POSTGRES, SCALE_REDIS, startQueueCluster, type QueueCluster } from './harness/cluster';
import { maxInFlight, maxPerWindow, throughput, tooManyRequests } from './helpers/figures';

const up = queueServicesReachable();
const RUN = `${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
const STORE_PREFIX = `cs-scale-${RUN}:`;
const REDIS_URL = `redis://${SCALE_REDIS.host}:${SCALE_REDIS.port}/0?prefix=${STORE_PREFIX}`;
/** The budget store on Postgres: a schema in the run's n8n database, dropped with it. */
const postgresUrl = (database: string) => {
	const auth = encodeURIComponent(SCALE_POSTGRES.user) + (SCALE_POSTGRES.password ? `:${encodeURIComponent(SCALE_POSTGRES.password)}` : '');
	return `postgres://${auth}@${SCALE_POSTGRES.host}:${SCALE_POSTGRES.port}/${database}?schema=commerce_sync`;
};

/** HubSpot: requests allowed per 10 s (the sandbox and the credential's custom plan agree). */
const HUBSPOT_LIMIT = 25;
const HUBSPOT_WINDOW_MS = 10_000;
/** NetSuite: the integration's concurrency slots (sandbox and credential agree). */
const NETSUITE_SLOTS = 3;
const NETSUITE_LATENCY_MS = 150;
/** Parallel webhook calls, and items (one request each) per call. */
const PARALLEL = 8;
const HUBSPOT_ITEMS = 12;
const NETSUITE_ITEMS = 12;

const figures: string[] = [];

(up ? describe : describe.skip)('queue mode: main + 2 workers + webhook processor sharing rate budgets', () => {
	let sandbox: Sandbox;
	let cluster: QueueCluster;
	const creds: Record<string, { id: string; name: string }> = {};

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, systems: ['hubspot', 'netsuite'], seed: { seed: 'scale', skus: 60, locations: 2 } });
		const t0 = Date.now();
		cluster = await startQueueCluster({
			workers: 2,
			workerConcurrency: 5,
			// SCALE_UNSHARED=1 leaves the store out, to watch the same load break the limits.
			env: process.env.SCALE_UNSHARED === '1' ? {} : { COMMERCE_SYNC_STATE_STORE_URL: REDIS_URL },
		});
		figures.push(
			`cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${Object.entries(cluster.startup)
				.map(([k, v]) => `${k} ${v.toFixed(1)} s`)
				.join(', ')}); database ${cluster.database}, Bull prefix ${cluster.bullPrefix}`,
		);
		const url = (system: string) => sandbox.urlFor(system);
		const make = async (type: string, name: string, extra: Record<string, unknown>) => {
			const data = { ...SANDBOX_CREDENTIALS[type].data({ url }), ...extra };
			creds[type] = { id: await cluster.main.createCredential(type, name, data), name };
		};
		await make('hubSpotPrivateAppApi', 'HubSpot (scale)', { plan: 'custom', perTenSeconds: HUBSPOT_LIMIT, daily: 250_000 });
		await make('netSuiteTbaApi', 'NetSuite (scale)', { concurrency: NETSUITE_SLOTS });
	}, 10 * 60_000);

	afterAll(async () => {
		await cluster?.stop();
		await sandbox?.close();
		await deleteRedisKeys(`${STORE_PREFIX}*`);
		if (figures.length) console.log(`\n=== Queue-mode scale figures ===\n${figures.join('\n')}\n`);
	}, 120_000);

	/** Creates and activates a Webhook → Split Out → node workflow. */
	async function activate(name: string, node: NodeSpec): Promise<string> {
		const path = `scale-${name}-${RUN}`;
		const split: NodeSpec = { name: 'Split Items', type: 'n8n-nodes-base.splitOut', parameters: { fieldToSplitOut: 'body.items', options: {} } };
		const id = await cluster.main.createWorkflow(webhookChain(`Scale ${name}`, path, [split, node]));
		await cluster.main.activate(id);
		return path;
	}

	/** Fires `PARALLEL` webhook calls at the webhook processor at once; every one must succeed. */
	async function fire(path: string, itemsFor: (call: number) => Array<Record<string, unknown>>) {
		const started = Date.now();
		const responses = await Promise.all(
			Array.from({ length: PARALLEL }, (_, call) =>
				cluster.webhook.postWebhook<unknown[]>(path, { items: itemsFor(call) }, { retry404Ms: 30_000 }),
			),
		);
		const seconds = (Date.now() - started) / 1000;
		const failed = responses.filter((r) => r.status !== 200 || !Array.isArray(r.body));
		if (failed.length) {
			throw new Error(
				`${failed.length} of ${PARALLEL} calls failed: ${JSON.stringify(failed[0].body).slice(0, 400)}\n` +
					`--- worker logs ---\n${cluster.workers.map((w) => w.logTail(30)).join('\n---\n')}`,
			);
		}
		return { responses, seconds };
	}

	it('runs webhook executions on both workers, with the package loaded on every process', async () => {
		const contacts = (sandbox.state('hubspot') as { contacts: Array<{ id: string }> }).contacts;
		const path = await activate('smoke', {
			name: 'HubSpot',
			type: `${PKG}.hubSpotCrm`,
			parameters: { resource: 'contact', operation: 'get', recordId: '={{ $json.id }}' },
			credentials: { hubSpotPrivateAppApi: creds.hubSpotPrivateAppApi },
		});
		const before = cluster.executionsByWorker();
		const { responses } = await fire(path, (call) => [{ id: contacts[call].id }]);
		expect(responses.map((r) => (r.body as Array<{ id: string }>)[0].id)).toEqual(contacts.slice(0, PARALLEL).map((c) => c.id));
		const ran = [...cluster.executionsByWorker()].map(([pid, ids]) => [pid, ids.length - (before.get(pid)?.length ?? 0)]);
		figures.push(`smoke: ${PARALLEL} webhook executions ran on the workers as ${ran.map(([pid, n]) => `pid ${pid}: ${n}`).join(', ')}`);
		// Every execution ran on a worker (none on main, which only enqueues).
		expect(ran.reduce((sum, [, n]) => sum + n, 0)).toBe(PARALLEL);
		for (const [, n] of ran) expect(n).toBeGreaterThan(0);
	});

	describe.each(['Redis', 'Postgres'])('budgets shared through %s', (backend) => {
		beforeAll(async () => {
			if (backend !== 'Postgres' || process.env.SCALE_UNSHARED === '1') return;
			// The same deployment, its workers restarted with the store moved to Postgres.
			const t0 = Date.now();
			const env = { COMMERCE_SYNC_STATE_STORE_URL: postgresUrl(cluster.database) };
			for (const worker of [...cluster.workers]) await cluster.stopWorker(worker);
			await Promise.all([cluster.startWorker(env), cluster.startWorker(env)]);
			figures.push(`workers restarted on the Postgres store in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		}, 5 * 60_000);

		it('keeps HubSpot within its 10-second limit across both workers, with no 429', async () => {
			sandbox.reset('hubspot');
			sandbox.configureLimit('hubspot', 'hubspot', { windows: { TEN_SECONDLY_ROLLING: { max: HUBSPOT_LIMIT } } });
			const contacts = (sandbox.state('hubspot') as { contacts: Array<{ id: string }> }).contacts;
			const path = await activate(`hubspot-${backend}`, {
				name: 'HubSpot',
				type: `${PKG}.hubSpotCrm`,
				parameters: { resource: 'contact', operation: 'get', recordId: '={{ $json.id }}' },
				credentials: { hubSpotPrivateAppApi: creds.hubSpotPrivateAppApi },
			});
			const before = cluster.executionsByWorker();
			const { seconds } = await fire(path, (call) =>
				Array.from({ length: HUBSPOT_ITEMS }, (_, i) => ({ id: contacts[(call * HUBSPOT_ITEMS + i) % contacts.length].id })),
			);
			const log = sandbox.requests({ system: 'hubspot' });
			const total = PARALLEL * HUBSPOT_ITEMS;
			const window = maxPerWindow(log, HUBSPOT_WINDOW_MS);
			const rejected = tooManyRequests(log);
			const per = perWorker(before);
			figures.push(
				`${backend} budget, HubSpot: ${log.length} requests (${total} items) in ${seconds.toFixed(1)} s over workers ${per}; ` +
					`most in any 10 s window ${window.max} (limit ${HUBSPOT_LIMIT}); 429s ${rejected.policy} (injected ${rejected.injected}); ` +
					`${throughput(log).perSecond.toFixed(2)} req/s over the run (sustained limit ${(HUBSPOT_LIMIT / 10).toFixed(1)}/s after a first burst of ${HUBSPOT_LIMIT})`,
			);
			if (window.max > HUBSPOT_LIMIT) figures.push(`  densest window: ${denseWindow(log, HUBSPOT_WINDOW_MS, window.at)}`);
			expect(log.length).toBe(total);
			expect(rejected.policy).toBe(0);
			expect(window.max).toBeLessThanOrEqual(HUBSPOT_LIMIT);
			// The budget was really under pressure: both workers took part and the limit was reached.
			expect(per.split(', ').filter((p) => !p.endsWith(': 0'))).toHaveLength(2);
			expect(window.max).toBeGreaterThanOrEqual(HUBSPOT_LIMIT - 2);
		});

		it('keeps NetSuite within its concurrency limit across both workers, with no 429', async () => {
			sandbox.reset('netsuite');
			sandbox.configureLimit('netsuite', 'concurrency', { max: NETSUITE_SLOTS });
			sandbox.setFaults('netsuite', { latency: { fixedMs: NETSUITE_LATENCY_MS } });
			const skus = (sandbox.catalog()?.items ?? []).map((item) => item.sku);
			const path = await activate(`netsuite-${backend}`, {
				name: 'NetSuite',
				type: `${PKG}.netSuite`,
				parameters: { resource: 'item', operation: 'get', findBy: 'sku', value: '={{ $json.sku }}' },
				credentials: { netSuiteTbaApi: creds.netSuiteTbaApi },
			});
			const before = cluster.executionsByWorker();
			const { seconds } = await fire(path, (call) =>
				Array.from({ length: NETSUITE_ITEMS }, (_, i) => ({ sku: skus[(call * NETSUITE_ITEMS + i) % skus.length] })),
			);
			const log = sandbox.requests({ system: 'netsuite' });
			const total = PARALLEL * NETSUITE_ITEMS;
			const inFlight = maxInFlight(log);
			const rejected = tooManyRequests(log);
			const per = perWorker(before);
			figures.push(
				`${backend} budget, NetSuite: ${log.length} requests (${total} items, +${NETSUITE_LATENCY_MS} ms latency each) in ${seconds.toFixed(1)} s over workers ${per}; ` +
					`most in flight ${inFlight} (limit ${NETSUITE_SLOTS}); 429s ${rejected.policy} (injected ${rejected.injected})`,
			);
			expect(log.length).toBe(total);
			expect(rejected.policy).toBe(0);
			expect(inFlight).toBeLessThanOrEqual(NETSUITE_SLOTS);
			expect(per.split(', ').filter((p) => !p.endsWith(': 0'))).toHaveLength(2);
			expect(inFlight).toBe(NETSUITE_SLOTS);
		});
	});

	/** The arrivals of the window starting at `at`, as ms offsets, with their statuses (diagnostics). */
	function denseWindow(log: ReturnType<Sandbox['requests']>, windowMs: number, at: number): string {
		return log
			.filter((e) => e.time >= at && e.time < at + windowMs)
			.map((e) => `+${e.time - at}${e.status === 200 ? '' : `(${e.status})`}`)
			.join(' ');
	}

	/** "pid 1: 4, pid 2: 4": executions each worker started since `before`. */
	function perWorker(before: Map<number, string[]>): string {
		return [...cluster.executionsByWorker()].map(([pid, ids]) => `pid ${pid}: ${ids.length - (before.get(pid)?.length ?? 0)}`).join(', ');
	}
});
