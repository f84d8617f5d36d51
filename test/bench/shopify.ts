/**
 * `npm run bench -- shopify`: 10,000 quantity updates (2,000 SKUs × 5 locations) pushed into
 * the Shopify sandbox at Standard limits (bucket 1,000 points, 100 points/s) through our node,
 * and — when a real n8n is available — the same kind of work done the way users do it today:
 * n8n's HTTP Request node, one mutation per item, Retry On Fail at its maximum.
 *
 * Prints (a) our throughput against the ceiling the cost bucket allows, (b) throttled answers
 * seen, (c) the baseline's throughput, lost updates and the ratio.
 */
import type { IDataObject } from 'n8n-workflow';

import { ShopifyAdmin } from '../../nodes/Shopify/ShopifyAdmin.node';
import { resetSystemLimiters } from '../../nodes/shared/n8n/system';
import { startSandbox } from '../../sandbox/server';
import { fakeExecuteFunctions } from '../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../helpers/n8nHttp';

interface Level {
	sku: string;
	inventoryItemId: string;
	locationId: string;
	quantities: Record<string, number>;
}

const RESTORE = 100;
const CAPACITY = 1000;
const MUTATION_COST = 10;
const PER_MUTATION = 250;

export async function run(args: string[] = []): Promise<void> {
	const skus = Number(args[0] ?? process.env.BENCH_SHOPIFY_SKUS ?? 2000);
	const locations = Number(args[1] ?? process.env.BENCH_SHOPIFY_LOCATIONS ?? 5);
	const sandbox = await startSandbox({
		systems: ['shopify'],
		seed: { seed: 'bench-shopify', skus, locations, options: { shopify: { maximumAvailable: CAPACITY, restoreRate: RESTORE, orders: 0 } } },
	});
	try {
		const levels = (sandbox.state('shopify') as { levels: Level[] }).levels;
		const items: IDataObject[] = levels.map((l, i) => ({
			sku: l.sku,
			inventoryItemId: l.inventoryItemId,
			locationId: l.locationId,
			current: l.quantities.available,
			target: (l.quantities.available + 1 + (i % 7)) % 500,
		}));
		const credentials = {
			shopDomain: 'bench.myshopify.com',
			accessToken: 'shpat_sandbox_token',
			apiVersion: '2026-04',
			appSecret: '',
			plan: 'standard',
			baseUrl: sandbox.urlFor('shopify'),
		};
		const node = new ShopifyAdmin();
		resetSystemLimiters();
		const ctx = fakeExecuteFunctions({
			description: node.description,
			inputs: items.map((json) => ({ json })),
			params: {
				resource: 'inventory',
				operation: 'setQuantities',
				sku: (i: number) => items[i].sku,
				inventoryItemId: (i: number) => items[i].inventoryItemId,
				locationId: (i: number) => items[i].locationId,
				quantity: (i: number) => items[i].target,
				expectedQuantity: (i: number) => items[i].current,
				compareAndSet: true,
				quantityName: 'available',
				reason: 'correction',
				referenceDocumentUri: '',
				dryRun: false,
				correlationId: '',
			},
			credentials: { shopifyAdminGraphqlApi: credentials },
			helpers: n8nHttpHelpers({ shopifyAdminGraphqlApi: credentials }) as never,
			node: { credentials: { shopifyAdminGraphqlApi: { id: 'bench', name: 'bench' } } },
		});
		const started = Date.now();
		const [out] = await node.execute.call(ctx);
		const seconds = (Date.now() - started) / 1000;
		const set = out.filter((o) => o.json.status === 'set').length;
		const log = sandbox.requests({ system: 'shopify' });
		const throttled = log.filter((r) => r.fault || r.rateLimit.some((d) => !d.allowed)).length;
		const after = new Map((sandbox.state('shopify') as { levels: Level[] }).levels.map((l) => [`${l.inventoryItemId}|${l.locationId}`, l.quantities.available]));
		const wrong = items.filter((i) => after.get(`${i.inventoryItemId}|${i.locationId}`) !== i.target).length;
		const mutations = Math.ceil(items.length / PER_MUTATION);
		// The bucket starts full, then restores RESTORE points/s: the fastest any client may finish.
		const floorSeconds = Math.max(0, (mutations * MUTATION_COST - CAPACITY) / RESTORE);
		const steadyCeiling = (RESTORE / MUTATION_COST) * PER_MUTATION;
		const rate = items.length / seconds;
		console.log(`updates: ${items.length} (${skus} SKUs × ${locations} locations) in ${mutations} mutations`);
		console.log(`ours: ${seconds.toFixed(2)} s, ${rate.toFixed(0)} updates/s, set ${set}, wrong afterwards ${wrong}`);
		console.log(`cost-bucket ceiling: ${steadyCeiling} updates/s sustained (${RESTORE} pts/s ÷ ${MUTATION_COST} pts × ${PER_MUTATION}); the whole run fits in the ${CAPACITY}-point bucket, lower bound ${floorSeconds.toFixed(2)} s`);
		console.log(`(a) throughput / sustained ceiling: ${((rate / steadyCeiling) * 100).toFixed(0)} %`);
		console.log(`(b) throttled answers seen: ${throttled} (requests sent: ${log.length})`);
		// The baseline starts from a fresh bucket and fresh stock, like our run did.
		sandbox.reset('shopify');
		const subset: IDataObject[] = items.slice(0, 500).map((i) => ({ ...i, target: (Number(i.target) + 250) % 500 }));
		const baseline = await baselineInRealN8n(sandbox.urlFor('shopify'), subset).catch((error: Error) => {
			console.log(`(c) baseline not measured: ${error.message}`);
			return undefined;
		});
		if (baseline) {
			const now = new Map((sandbox.state('shopify') as { levels: Level[] }).levels.map((l) => [`${l.inventoryItemId}|${l.locationId}`, l.quantities.available]));
			const applied = subset.filter((i) => now.get(`${i.inventoryItemId}|${i.locationId}`) === i.target).length;
			const baseLog = sandbox.requests({ system: 'shopify' });
			const baseThrottled = baseLog.filter((r) => r.rateLimit.some((d) => !d.allowed)).length;
			console.log(`(c) n8n HTTP Request node, one mutation per item, Retry On Fail 5 × 5 s, ${subset.length} updates: ${baseline.seconds.toFixed(1)} s; applied ${applied}, LOST ${subset.length - applied} (throttled answers: ${baseThrottled}, which n8n reports as success)`);
			const baseRate = applied / baseline.seconds;
			console.log(`    effective throughput ${baseRate.toFixed(1)} applied updates/s; ratio ours / baseline: ${(rate / baseRate).toFixed(0)}×`);
		}
	} finally {
		await sandbox.close();
	}
}

/** The users' way, in a real n8n (needs the e2e harness); undefined when it is not available. */
async function baselineInRealN8n(
	baseUrl: string,
	items: IDataObject[],
): Promise<{ items: number; seconds: number } | undefined> {
	let harness: { runHttpRequestBaseline?: (baseUrl: string, items: IDataObject[]) => Promise<{ items: number; seconds: number }> };
	try {
		harness = (await import('../e2e/harness/baselines')) as typeof harness;
	} catch {
		throw new Error('the real-n8n harness (test/e2e/harness/baselines.ts) is not available');
	}
	return await harness.runHttpRequestBaseline?.(baseUrl, items);
}
