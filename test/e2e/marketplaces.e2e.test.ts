/**
 * Issue 9 in a real n8n 2.x against the sandbox: NetSuite's stock is the truth, Amazon's listings
 * and eBay's inventory items are the channels; Inventory Reconcile's adjustments are routed by
 * channel to Amazon (PATCH per SKU) and eBay (bulk price and quantity), after which both
 * marketplaces show the plan's targets, and a second run finds nothing left to change.
 */
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { AMAZON_SANDBOX_ACCESS_TOKEN, AMAZON_SANDBOX_MARKETPLACE, AMAZON_SANDBOX_SELLER } from '../../sandbox/systems/amazon';
import { EBAY_SANDBOX_ACCESS_TOKEN } from '../../sandbox/systems/ebay';
import { SANDBOX_CREDENTIALS } from '../../scripts/start-credentials';
import { startN8n, type N8nInstance } from './harness/n8n';
import { PKG } from './harness/workflow';
import { finishedExecutions, nodeOutputs, webhookGraph } from './helpers/graph';
import { E2E_TIMEOUT } from './setup';

interface Planned {
	channel: string;
	sku: string;
	locationId: string;
	target: number;
	current: number;
	delta?: number;
	truthLocationIds?: string[];
}

interface AmazonState {
	listings: Array<{ sku: string; quantity: number }>;
	pendingPatches: number;
}

interface EbayState {
	items: Array<{ sku: string; quantity: number }>;
	offers: Array<{ offerId: string; sku: string; revisionsToday: number }>;
}

type Channel = 'amazon' | 'ebay';
const CHANNEL_LOCATION: Record<Channel, string> = { amazon: 'DEFAULT', ebay: 'SHIP_TO' };

describe('Amazon and eBay kept in line with NetSuite by a reconcile plan, in a real n8n 2.x', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let workflowId: string;

	const amazonQuantities = () =>
		new Map((sandbox.state('amazon') as AmazonState).listings.map((l) => [l.sku, l.quantity]));
	const ebayQuantities = () =>
		new Map((sandbox.state('ebay') as EbayState).items.map((i) => [i.sku, i.quantity]));
	const quantities = (): Record<Channel, Map<string, number>> => ({
		amazon: amazonQuantities(),
		ebay: ebayQuantities(),
	});
	const ebayRevisions = () => {
		const out = new Map<string, number>();
		for (const o of (sandbox.state('ebay') as EbayState).offers) {
			out.set(o.sku, (out.get(o.sku) ?? 0) + o.revisionsToday);
		}
		return out;
	};

	/** Amazon applies an accepted PATCH a moment later, as the real API does. */
	const amazonSettled = async () => {
		const deadline = Date.now() + 30_000;
		while ((sandbox.state('amazon') as AmazonState).pendingPatches > 0) {
			if (Date.now() > deadline) throw new Error('Amazon still has patches pending after 30 s');
			await new Promise((r) => setTimeout(r, 200));
		}
	};

	/**
	 * What each marketplace should show, worked out from the catalog rather than from the node:
	 * NetSuite reports on hand and committed per warehouse (no reserved), and both marketplace
	 * locations are filled from every warehouse.
	 */
	const expectedTargets = () => {
		const out = new Map<string, number>();
		for (const item of sandbox.catalog()!.items) {
			out.set(item.sku, item.stock.reduce((n, s) => n + Math.max(0, s.onHand - s.committed), 0));
		}
		return out;
	};

	/** Sets a listing's quantity through SP-API itself, as a person in Seller Central would. */
	const setAmazon = async (sku: string, quantity: number) => {
		const url = `${sandbox.urlFor('amazon')}/listings/2021-08-01/items/${AMAZON_SANDBOX_SELLER}/${encodeURIComponent(sku)}?marketplaceIds=${AMAZON_SANDBOX_MARKETPLACE}`;
		const res = await fetch(url, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json', 'x-amz-access-token': AMAZON_SANDBOX_ACCESS_TOKEN },
			body: JSON.stringify({
				productType: 'PRODUCT',
				patches: [
					{
						op: 'replace',
						path: '/attributes/fulfillment_availability',
						value: [{ fulfillment_channel_code: 'DEFAULT', quantity }],
					},
				],
			}),
		});
		expect(res.status).toBe(200);
		expect(((await res.json()) as { status: string }).status).toBe('ACCEPTED');
	};

	/** Sets an inventory item's ship-to quantity through the Sell Inventory API. */
	const setEbay = async (sku: string, quantity: number) => {
		const res = await fetch(`${sandbox.urlFor('ebay')}/sell/inventory/v1/bulk_update_price_quantity`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${EBAY_SANDBOX_ACCESS_TOKEN}` },
			body: JSON.stringify({ requests: [{ sku, shipToLocationAvailability: { quantity } }] }),
		});
		expect(res.status).toBe(200);
	};

	/** Requests that can change a marketplace (reads and token exchanges left out). */
	const marketplaceWrites = (sinceSeq: number) =>
		sandbox
			.requests({ sinceSeq })
			.filter((r) => (r.system === 'amazon' || r.system === 'ebay') && r.method !== 'GET' && r.operation !== 'lwaToken' && r.operation !== 'token');

	const run = async (expectedExecutions: number) => {
		const res = await n8n.postWebhook('marketplaces-reconcile', {});
		expect(res.status).toBe(200);
		const executions = await finishedExecutions(n8n, workflowId, expectedExecutions, 120_000);
		// Newest first.
		const execution = executions[0];
		if (execution.status !== 'success') {
			throw new Error(`The execution ended ${execution.status}: ${JSON.stringify(execution.data).slice(0, 3000)}\n${n8n.logTail()}`);
		}
		const [adjustments, inSync, exceptions] = nodeOutputs(execution, 'Reconcile') as unknown as Planned[][];
		return { execution, adjustments, inSync, exceptions };
	};

	beforeAll(async () => {
		sandbox = await startSandbox({
			systems: ['netsuite', 'amazon', 'ebay'],
			seed: { seed: 'e2e-marketplaces', skus: 12, locations: 2 },
		});
		n8n = await startN8n({ major: 2 });
		const creds: Record<string, Record<string, { id: string; name: string }>> = {};
		for (const type of ['netSuiteTbaApi', 'amazonSpApi', 'ebaySellApi']) {
			const name = `${SANDBOX_CREDENTIALS[type].system} sandbox`;
			const data = SANDBOX_CREDENTIALS[type].data({ url: (system) => sandbox.urlFor(system) });
			creds[type] = { [type]: { id: await n8n.createCredential(type, name, data), name } };
		}
		const warehouses = sandbox
			.catalog()!
			.locations.map((l) => l.id)
			.join(', ');
		const channelRule = (channel: Channel) => ({
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{
						leftValue: '={{ $json.channel }}',
						rightValue: channel,
						operator: { type: 'string', operation: 'equals' },
					},
				],
				combinator: 'and',
			},
			renameOutput: true,
			outputKey: channel,
		});
		const workflow = webhookGraph(
			'marketplaces reconcile',
			'marketplaces-reconcile',
			[
				{
					name: 'NetSuite',
					type: `${PKG}.netSuite`,
					credentials: creds.netSuiteTbaApi,
					parameters: { resource: 'stock', operation: 'getLevels', locationIds: [], skus: '' },
				},
				{
					name: 'Amazon Listings',
					type: `${PKG}.amazonSellingPartner`,
					credentials: creds.amazonSpApi,
					parameters: { resource: 'listing', operation: 'getMany', returnAll: true },
				},
				{
					name: 'eBay Items',
					type: `${PKG}.ebaySellInventory`,
					credentials: creds.ebaySellApi,
					parameters: { resource: 'inventoryItem', operation: 'getMany', returnAll: true },
				},
				// Two nodes wired into one input would run Reconcile once per node: Merge makes one list.
				{
					name: 'Channels',
					type: 'n8n-nodes-base.merge',
					typeVersion: 3,
					parameters: { mode: 'append' },
				},
				{
					name: 'Reconcile',
					type: `${PKG}.inventoryReconcile`,
					parameters: {
						locationMappings: {
							mapping: [
								{ channel: 'amazon', channelLocationId: 'DEFAULT', truthLocationIds: warehouses },
								{ channel: 'ebay', channelLocationId: 'SHIP_TO', truthLocationIds: warehouses },
							],
						},
					},
				},
				{
					name: 'By Channel',
					type: 'n8n-nodes-base.switch',
					typeVersion: 3.2,
					parameters: { rules: { values: [channelRule('amazon'), channelRule('ebay')] }, options: {} },
				},
				{
					name: 'Amazon Update',
					type: `${PKG}.amazonSellingPartner`,
					credentials: creds.amazonSpApi,
					parameters: { resource: 'listing', operation: 'updateQuantityPrice', method: 'auto' },
				},
				{
					name: 'eBay Update',
					type: `${PKG}.ebaySellInventory`,
					credentials: creds.ebaySellApi,
					parameters: { resource: 'inventoryItem', operation: 'bulkUpdatePriceQuantity' },
				},
			],
			[
				{ from: 'Webhook', to: 'NetSuite' },
				{ from: 'Webhook', to: 'Amazon Listings' },
				{ from: 'Webhook', to: 'eBay Items' },
				{ from: 'Amazon Listings', to: 'Channels', input: 0 },
				{ from: 'eBay Items', to: 'Channels', input: 1 },
				{ from: 'NetSuite', to: 'Reconcile', input: 0 },
				{ from: 'Channels', to: 'Reconcile', input: 1 },
				{ from: 'Reconcile', to: 'By Channel', output: 0 },
				{ from: 'By Channel', to: 'Amazon Update', output: 0 },
				{ from: 'By Channel', to: 'eBay Update', output: 1 },
			],
		);
		// Answer at once: the second run ends at Reconcile with no adjustments, so there is no
		// "last node" with data to answer with; the test reads the recorded execution instead.
		const webhook = (workflow.nodes as Array<Record<string, unknown>>).find((n) => n.name === 'Webhook')!;
		webhook.parameters = { ...(webhook.parameters as object), responseMode: 'onReceived' };
		workflowId = await n8n.createWorkflow(workflow);
		await n8n.activate(workflowId);
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	}, 60_000);

	it('writes the plan’s targets to both marketplaces, touches nothing in sync, and then finds nothing to do', async () => {
		const targets = expectedTargets();
		const skus = [...targets.keys()].sort();
		const stocked = skus.filter((sku) => targets.get(sku)! >= 3);
		expect(stocked.length).toBeGreaterThanOrEqual(4);
		const [a, b, c, d] = stocked;

		// Drift both ways on each marketplace, and some listings exactly right, so the plan has
		// raises, cuts and in-sync rows on both channels whatever the seed left.
		await setAmazon(a, targets.get(a)! + 6);
		await setAmazon(b, targets.get(b)! - 3);
		await setAmazon(c, targets.get(c)!);
		await setEbay(b, targets.get(b)!);
		await setEbay(c, targets.get(c)! + 4);
		await setEbay(d, targets.get(d)! - 2);
		await amazonSettled();

		const before = quantities();
		const revisionsBefore = ebayRevisions();
		const mark = Math.max(0, ...sandbox.requests().map((r) => r.seq));

		// ---- Run 1: drift is planned and written.
		const first = await run(1);
		expect(first.exceptions).toEqual([]);
		expect(first.adjustments.length + first.inSync.length).toBe(skus.length * 2);
		for (const channel of ['amazon', 'ebay'] as const) {
			for (const sku of skus) {
				const target = targets.get(sku)!;
				const current = before[channel].get(sku)!;
				const adjustment = first.adjustments.find((x) => x.channel === channel && x.sku === sku);
				const synced = first.inSync.find((x) => x.channel === channel && x.sku === sku);
				if (current === target) {
					expect(adjustment).toBeUndefined();
					expect(synced).toMatchObject({ locationId: CHANNEL_LOCATION[channel], target, current });
				} else {
					expect(synced).toBeUndefined();
					expect(adjustment).toMatchObject({
						locationId: CHANNEL_LOCATION[channel],
						target,
						current,
						delta: target - current,
					});
					expect([...adjustment!.truthLocationIds!].sort()).toEqual(sandbox.catalog()!.locations.map((l) => l.id).sort());
				}
			}
		}
		const planned = (channel: Channel) => first.adjustments.filter((x) => x.channel === channel);
		// The drift made above is in the plan, and so are the rows set right.
		expect(planned('amazon').map((x) => x.sku)).toEqual(expect.arrayContaining([a, b]));
		expect(planned('ebay').map((x) => x.sku)).toEqual(expect.arrayContaining([c, d]));
		expect(first.inSync.filter((x) => x.channel === 'amazon').map((x) => x.sku)).toContain(c);
		expect(first.inSync.filter((x) => x.channel === 'ebay').map((x) => x.sku)).toContain(b);

		// Each adjustment went to its own marketplace's node, and only there.
		const [amazonWritten] = nodeOutputs(first.execution, 'Amazon Update');
		const [ebayWritten] = nodeOutputs(first.execution, 'eBay Update');
		const bySku = <T extends { sku?: unknown }>(rows: T[]) => [...rows].sort((x, y) => String(x.sku).localeCompare(String(y.sku)));
		expect(bySku(amazonWritten)).toEqual(
			bySku(planned('amazon')).map((x) => expect.objectContaining({ sku: x.sku, target: x.target, status: 'accepted', via: 'patch' })),
		);
		expect(bySku(ebayWritten)).toEqual(
			bySku(planned('ebay')).map((x) => expect.objectContaining({ sku: x.sku, target: x.target, status: 'updated' })),
		);

		// The sandbox now shows every target; what was in sync was not written at all.
		await amazonSettled();
		const after = quantities();
		const revisionsAfter = ebayRevisions();
		for (const channel of ['amazon', 'ebay'] as const) {
			for (const sku of skus) expect({ channel, sku, quantity: after[channel].get(sku) }).toEqual({ channel, sku, quantity: targets.get(sku) });
		}
		const writes = marketplaceWrites(mark);
		const patches = writes.filter((r) => r.operation === 'patchListingsItem');
		const patchedSku = (r: (typeof patches)[number]) => decodeURIComponent(r.path.split('/').pop()!);
		// One accepted PATCH per planned SKU. The node paces PATCHes by SP-API's bucket (5/s,
		// burst 5), but it takes a token when it sends and the bucket counts on arrival, so a
		// request can land a little early and be throttled; the node then waits and sends it again.
		expect(patches.filter((r) => r.status === 200).map(patchedSku).sort()).toEqual(planned('amazon').map((x) => x.sku).sort());
		const throttled = patches.filter((r) => r.status !== 200);
		for (const r of throttled) expect({ sku: patchedSku(r), status: r.status }).toEqual({ sku: patchedSku(r), status: 429 });
		if (throttled.length > 0) console.log(`Amazon throttled ${throttled.length} of ${patches.length} PATCHes; each was sent again and accepted`);
		expect(writes.filter((r) => r.system === 'amazon' && r.operation !== 'patchListingsItem')).toEqual([]);
		// eBay takes up to 25 SKUs per call: this plan is one call.
		expect(writes.filter((r) => r.system === 'ebay').map((r) => r.operation)).toEqual(['bulkUpdatePriceQuantity']);
		for (const sku of skus) {
			const revised = (revisionsAfter.get(sku) ?? 0) - (revisionsBefore.get(sku) ?? 0);
			expect({ sku, revised }).toEqual({ sku, revised: planned('ebay').some((x) => x.sku === sku) ? 1 : 0 });
		}

		// ---- Run 2: everything is in sync, so nothing is planned or written.
		const mark2 = Math.max(0, ...sandbox.requests().map((r) => r.seq));
		const second = await run(2);
		expect(second.adjustments).toEqual([]);
		expect(second.exceptions).toEqual([]);
		expect(second.inSync).toHaveLength(skus.length * 2);
		for (const row of second.inSync) expect(row).toMatchObject({ target: targets.get(row.sku), current: targets.get(row.sku) });
		expect(() => nodeOutputs(second.execution, 'Amazon Update')).toThrow(/did not run/);
		expect(() => nodeOutputs(second.execution, 'eBay Update')).toThrow(/did not run/);
		expect(marketplaceWrites(mark2)).toEqual([]);
		expect(quantities()).toEqual(after);
	}, 300_000);
});
