/**
 * Issue 11: Shopify's cost bucket shared by two workers, end to end through the real Shopify
 * node against the Shopify sandbox, which charges each query's requested cost, refunds down to
 * the actual cost and answers THROTTLED when the bucket cannot pay.
 *
 * Each "worker" is its own copy of the node and of the system-client module (jest module
 * isolation), so each has its own limiters, as two n8n processes would; both get the same
 * Redis store. Level reads here ask for most of the bucket (about 950 of 1,000 points) but are
 * charged a fraction of it, which is what starved a window-based shared budget.
 */
import Redis from 'ioredis';
import type { IDataObject, INodeType } from 'n8n-workflow';

import { RedisStore } from '../../../nodes/shared/n8n/state/redisStore';
import type { SharedBudgetStore } from '../../../nodes/shared/n8n/state/sharedLimits';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { fakeExecuteFunctions } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';
import { serviceReachable, TEST_REDIS } from './services';

const up = serviceReachable('Redis', TEST_REDIS.port, TEST_REDIS.host);

interface Worker {
	node: INodeType;
	useSharedRateBudget(store: SharedBudgetStore | undefined, scope?: string): void;
}

/** A fresh copy of the node and its system module: one worker process's limiters. */
function worker(): Worker {
	let out: Worker | undefined;
	jest.isolateModules(() => {
		const { ShopifyAdmin } = require('../../../nodes/Shopify/ShopifyAdmin.node') as { ShopifyAdmin: new () => INodeType };
		const system = require('../../../nodes/shared/n8n/system') as Pick<Worker, 'useSharedRateBudget'>;
		out = { node: new ShopifyAdmin(), useSharedRateBudget: system.useSharedRateBudget };
	});
	return out as Worker;
}

(up ? describe : describe.skip)('Shopify cost budget shared by two workers', () => {
	let sandbox: Sandbox;
	const prefix = `cs-test-shopify-${Date.now().toString(36)}:`;
	const stores: RedisStore[] = [];

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, systems: ['shopify'], seed: { seed: 'shared-shopify', skus: 40, locations: 2 } });
	});
	afterAll(async () => {
		await Promise.all(stores.map((s) => s.close()));
		await sandbox.close();
		const redis = new Redis({ ...TEST_REDIS, lazyConnect: true });
		await redis.connect();
		const keys = await redis.keys(`${prefix}*`);
		if (keys.length) await redis.unlink(...keys);
		redis.disconnect();
	});

	async function run(w: Worker, skus: string[]): Promise<void> {
		const creds: IDataObject = {
			shopDomain: 'sandbox.myshopify.com',
			accessToken: 'shpat_sandbox_token',
			apiVersion: '2026-04',
			appSecret: 'shpss_sandbox_secret',
			plan: 'standard',
			baseUrl: sandbox.urlFor('shopify'),
		};
		const ctx = fakeExecuteFunctions({
			description: w.node.description,
			inputs: [{ json: {} }],
			params: { resource: 'inventory', operation: 'getLevels', readBy: 'sku', skus: skus.join(','), location: '', onUnknownSku: 'error', maxLevels: 10 },
			// Refused reads come back as error items, so the unshared run finishes and can be counted.
			continueOnFail: true,
			credentials: { shopifyAdminGraphqlApi: creds },
			helpers: n8nHttpHelpers({ shopifyAdminGraphqlApi: creds }) as never,
			node: { credentials: { shopifyAdminGraphqlApi: { id: 'shop-1', name: 'Shop' } } },
		});
		await w.node.execute!.call(ctx);
	}

	/** Four level reads at once from each worker; returns the refused (THROTTLED) requests. */
	async function promo(workers: Worker[]): Promise<{ requests: number; throttled: number; ms: number }> {
		sandbox.reset('shopify');
		const skus = [...new Set((sandbox.state('shopify') as { levels: Array<{ sku: string }> }).levels.map((l) => l.sku))];
		const t0 = Date.now();
		// Settled, not all: an unshared read can fail for good after its retries, and still counts.
		await Promise.allSettled(workers.flatMap((w, wi) => Array.from({ length: 4 }, (_, i) => run(w, skus.slice(((wi * 4 + i) * 5) % 40, ((wi * 4 + i) * 5) % 40 + 18)))));
		const log = sandbox.requests({ system: 'shopify' });
		const throttled = log.filter((e) => e.rateLimit.some((o) => o.allowed === false)).length;
		return { requests: log.length, throttled, ms: Date.now() - t0 };
	}

	it('sends no query the shop must throttle, and keeps level reads moving', async () => {
		const workers = [worker(), worker()];
		const scope = `shopify-${Date.now()}`;
		for (const w of workers) {
			const store = await RedisStore.open(TEST_REDIS, { prefix });
			stores.push(store);
			w.useSharedRateBudget(store, scope);
		}
		const shared = await promo(workers);
		expect(shared.throttled).toBe(0);
		// Each read asks ~950 of 1,000 points, so even the shop itself can take one only every ~2 s
		// (it is charged ~250, then waits for the bucket to refill). Booked turns alone, without going
		// early on refunds, would space them 9.5 s apart: over two minutes.
		expect(shared.ms).toBeLessThan(60_000);

		// The same reads on two unshared workers: each believes it has the whole bucket.
		const unshared = await promo([worker(), worker()]);
		expect(unshared.throttled).toBeGreaterThan(0);
	}, 180_000);
});
