/**
 * Template 5, workflows/dead-letter-replay.json, together with the template that fills its
 * queue (workflows/batch-catalog-sync.json), both imported as shipped into a real n8n 2.x with
 * sandbox credentials bound by type.
 *
 * The dead letters come from real failing writes, through both of the Retry node's paths:
 * Shopify answers 403 (an app missing its write scope: permanent, dead-lettered at once) and
 * Amazon answers 503 (transient: retried 3 times, then dead-lettered). The sandboxes are then
 * healed, and the replay template sends each dead letter back to the node it failed in —
 * exactly once. Asserted from the sandboxes' request logs and state, and from the
 * queue as the package's own Retry "List" operation shows it.
 *
 * Both templates run as real scheduled executions (see support-catalog.ts): the catalog sync's
 * "Every 30 Minutes" and the replay's "Every Day at 6:00" fire every 15 seconds instead; the
 * replay's hourly trigger (parked retries) is disabled so each replay run is one execution.
 */
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { startN8n, type N8nInstance } from '../harness/n8n';
import { nodeOutputs } from '../helpers/graph';
import { E2E_TIMEOUT } from '../setup';
import {
	amazonSettled,
	editAkeneo,
	executionError,
	outputOverRuns,
	queueReader,
	runScheduledOnce,
	sandboxCredentials,
	scheduledTemplate,
	shopifyProductWrites,
	type QueueEntry,
} from './support-catalog';

interface AkeneoProduct {
	uuid: string;
	sku: string;
}
interface ShopifyProduct {
	variants: Array<{ sku: string; price: string }>;
}

const SHOPIFY = 'Shopify: Upsert Product';
const AMAZON = 'Amazon: Update Listing Price';
const SKUS = 5;

describe('Dead-letter replay template in a real n8n 2.x', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let catalogId: string;
	let replayId: string;
	let readQueue: (queue: 'dead' | 'scheduled') => Promise<QueueEntry[]>;
	let shopifyWrites: Awaited<ReturnType<typeof shopifyProductWrites>>;
	let changed: AkeneoProduct[];

	const akeneo = () => (sandbox.state('akeneo') as { products: AkeneoProduct[] }).products;
	const shopifyPrice = (sku: string) =>
		(sandbox.state('shopify') as { products: ShopifyProduct[] }).products.flatMap((p) => p.variants).find((v) => v.sku === sku)?.price;
	const amazonPrice = (sku: string) =>
		(sandbox.state('amazon') as { listings: Array<{ sku: string; price: string }> }).listings.find((l) => l.sku === sku)?.price;
	const lastSeq = () => sandbox.requests().reduce((max, r) => Math.max(max, r.seq), 0);
	const amazonPatchesSince = (seq: number) =>
		sandbox
			.requests({ system: 'amazon', sinceSeq: seq })
			.filter((r) => r.operation === 'patchListingsItem')
			.map((r) => ({ sku: decodeURIComponent(r.path.split('/').pop()!), status: r.status }));
	const run = async (workflowId: string) => {
		const execution = await runScheduledOnce(n8n, workflowId, 300_000);
		expect({ status: execution.status, error: executionError(execution) }).toEqual({ status: 'success', error: undefined });
		await sandbox.webhooks.whenIdle();
		await amazonSettled(sandbox);
		return execution;
	};

	beforeAll(async () => {
		sandbox = await startSandbox({
			systems: ['akeneo', 'shopify', 'amazon', 'ebay'],
			seed: { seed: 'e2e-dead-letter-replay', skus: SKUS, locations: 1 },
		});
		shopifyWrites = await shopifyProductWrites(sandbox);
		n8n = await startN8n({ major: 2 });
		const credentials = await sandboxCredentials(n8n, sandbox, ['akeneoApi', 'shopifyAdminGraphqlApi', 'amazonSpApi', 'ebaySellApi']);
		catalogId = await n8n.createWorkflow(scheduledTemplate('batch-catalog-sync.json', credentials, 'Every 30 Minutes', 15));
		replayId = await n8n.createWorkflow(scheduledTemplate('dead-letter-replay.json', credentials, 'Every Day at 6:00', 15));
		readQueue = await queueReader(n8n, 'catalog-sync');
		// A first catalog run with every system healthy, so the next one only carries the edits below.
		await run(catalogId);
		expect(await readQueue('dead')).toEqual([]);
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		await shopifyWrites?.close();
		await sandbox?.close();
	}, 60_000);

	it('writes that fail for good on Shopify, or keep failing on Amazon, end up as dead letters naming their node', async () => {
		changed = akeneo().slice(0, 2);
		await editAkeneo(
			sandbox,
			changed.map((p, i) => ({ uuid: p.uuid, values: { price: [{ locale: null, scope: null, data: [{ amount: `${61 + i}.50`, currency: 'USD' }] }] } })),
		);
		sandbox.setFaults('shopify', { match: { path: 'graphql' }, errorRate: 1, errorStatuses: [403] });
		sandbox.setFaults('amazon', { match: { method: 'PATCH' }, errorRate: 1, errorStatuses: [503] });

		const execution = await run(catalogId);

		const summary = nodeOutputs(execution, 'Summary and Save Cursor')[0][0];
		expect(summary).toMatchObject({
			productsChanged: 2,
			written: { shopifyProducts: 0, amazonListingPrices: 0, ebayInventoryItems: 2, ebayOfferPrices: 2 },
			// Shopify's 403 is not retried; each Amazon write is sent 4 times: once, then 3 retries.
			retried: 3 * 2,
			deadLettered: 4,
			deadLettersBySource: { [SHOPIFY]: 2, [AMAZON]: 2 },
		});
		expect(outputOverRuns(execution, 'Retry Failed Writes', 1)).toHaveLength(4);
		const dead = await readQueue('dead');
		expect(dead.map((e) => [e.source, e.payload.sku]).sort()).toEqual(
			[...changed.map((p) => [SHOPIFY, p.sku]), ...changed.map((p) => [AMAZON, p.sku])].sort(),
		);
		for (const entry of dead) {
			expect(entry.error).toMatchObject(
				entry.source === SHOPIFY
					? { status: 403, retryable: false, reason: 'permanent' }
					: { status: 503, retryable: true, reason: 'attemptsExhausted' },
			);
		}
		expect(await readQueue('scheduled')).toEqual([]);
		for (const p of changed) expect(amazonPrice(p.sku)).not.toMatch(/^6[12]\.50$/);
	}, 600_000);

	it('once the systems are healthy, the replay sends each dead letter to its node exactly once and empties the queue', async () => {
		sandbox.clearFaults();
		const seq = lastSeq();
		const writesBefore = shopifyWrites.writes().length;

		const execution = await run(replayId);

		expect(outputOverRuns(execution, 'Replay Dead Letters')).toHaveLength(4);
		expect(outputOverRuns(execution, 'Retry Failed Writes', 0)).toEqual([]);
		expect(outputOverRuns(execution, 'Retry Failed Writes', 1)).toEqual([]);
		// Shopify: one product write per dead letter, nothing else.
		expect(shopifyWrites.writes().slice(writesBefore).map((w) => w.skus.join(',')).sort()).toEqual(changed.map((p) => p.sku).sort());
		// Amazon: one PATCH per dead letter, each accepted.
		expect(amazonPatchesSince(seq).sort((x, y) => x.sku.localeCompare(y.sku))).toEqual(
			changed.map((p) => ({ sku: p.sku, status: 200 })).sort((x, y) => x.sku.localeCompare(y.sku)),
		);
		// eBay had no dead letters: the replay does not touch it.
		expect(sandbox.requests({ system: 'ebay', sinceSeq: seq })).toEqual([]);
		changed.forEach((p, i) => {
			expect(shopifyPrice(p.sku)).toBe(`${61 + i}.50`);
			expect(amazonPrice(p.sku)).toBe(`${61 + i}.50`);
		});
		expect(await readQueue('dead')).toEqual([]);
		expect(await readQueue('scheduled')).toEqual([]);
	}, 600_000);

	it('a second replay finds nothing to send', async () => {
		const seq = lastSeq();
		const writesBefore = shopifyWrites.writes().length;

		const execution = await run(replayId);

		expect(outputOverRuns(execution, 'Replay Dead Letters')).toEqual([]);
		expect(shopifyWrites.writes().length).toBe(writesBefore);
		for (const system of ['shopify', 'amazon', 'ebay']) expect(sandbox.requests({ system, sinceSeq: seq })).toEqual([]);
		expect(await readQueue('dead')).toEqual([]);
	}, 600_000);
});
