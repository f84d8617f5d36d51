/**
 * The order-sync template (workflows/order-sync.json) in a real n8n 2.x against the sandbox,
 * imported exactly as shipped with only its credentials chosen. Orders are placed the way a
 * shopper does (the Shopify sandbox's control API), and Shopify's own signed orders/create
 * webhook reaches the trigger's production URL, which the trigger registered on activation.
 * Everything is asserted from the sandboxes' state: each order exists exactly once in NetSuite,
 * ShipBob and HubSpot — when Shopify delivers it twice, when a fresh copy of the workflow (whose
 * Dedupe has never seen the order) runs it again, when a step fails until the Retry loop sends
 * the order through once more, and when a refused order is parked as a dead letter and replayed.
 * The replay branch starts from a Manual Trigger, so it is run the way an ops person runs it:
 * n8n's own manual-run endpoint (POST /rest/workflows/:id/run, owner session) from that trigger.
 */
import { SANDBOX_CREDENTIALS } from '../../../scripts/start-credentials';
import { E2E_TIMEOUT } from '../setup';
import { nodeOutputs } from '../helpers/graph';
import {
	allItems,
	importTemplate,
	jsonDiff,
	nodesRun,
	orderFootprint,
	placeShopifyOrder,
	runFromTrigger,
	settledExecutions,
	startTemplateEnv,
	templateSetting,
	waitFor,
	waitForSubscription,
	type TemplateEnv,
} from './support-ordersync';

const FILE = 'order-sync.json';

interface Txn {
	id: string;
	type: string;
	externalId: string | null;
	status: string;
	memo: string | null;
	entity: string | null;
	lines: Array<{ item: number; quantity: number; rate?: number }>;
}
interface NsCustomer {
	id: string;
	externalId?: string;
	email?: string;
	firstName?: string;
	lastName?: string;
}
interface SbOrder {
	id: string;
	referenceId: string;
	tags: Array<{ name: string; value: string }>;
}
interface HsRecord {
	id: string;
	properties: Record<string, string>;
}

describe('Order sync template: Shopify → NetSuite, ShipBob, HubSpot', () => {
	let env: TemplateEnv;
	let workflowId: string;
	let webhookId: string;

	const netsuite = () => env.sandbox.state('netsuite') as { transactions: Txn[]; customers: NsCustomer[] };
	const shipbob = () => env.sandbox.state('shipbob') as { orders: SbOrder[] };
	const hubspot = () => env.sandbox.state('hubspot') as { contacts: HsRecord[]; deals: HsRecord[]; associations: string[] };
	const salesOrders = (key: string) => netsuite().transactions.filter((t) => t.type === 'SalesOrd' && t.externalId === key);
	const shipbobOrders = (key: string) => shipbob().orders.filter((o) => o.referenceId === key);
	const deals = (key: string) => hubspot().deals.filter((d) => d.properties.order_id === key);
	const contacts = (email: string) => hubspot().contacts.filter((c) => c.properties.email === email);

	beforeAll(async () => {
		env = await startTemplateEnv({
			systems: ['shopify', 'netsuite', 'shipbob', 'hubspot'],
			seed: { seed: 'e2e-order-sync', skus: 8, locations: 2 },
			credentialTypes: ['shopifyAdminGraphqlApi', 'netSuiteTbaApi', 'shipBobApi', 'hubSpotPrivateAppApi'],
		});
		const imported = await importTemplate(env, FILE);
		workflowId = imported.id;
		webhookId = imported.webhookId;
		await env.n8n.activate(workflowId);
		await waitForSubscription(env, 'shopify', webhookId);
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await env?.close();
	}, 60_000);

	it('puts a new order exactly once into NetSuite, ShipBob and HubSpot, although Shopify delivers it twice', async () => {
		const [a, b] = env.sandbox.catalog()!.items;
		env.sandbox.setFaults('shopify', { webhooks: { duplicateRate: 1 } });
		const order = await placeShopifyOrder(env, {
			lineItems: [
				{ sku: a.sku, quantity: 2 },
				{ sku: b.sku, quantity: 1 },
			],
			email: 'Ada.Buyer@example.com',
		});
		const key = `shopify-${order.numericId}`;
		const executions = await settledExecutions(env, workflowId, 2);
		env.sandbox.clearFaults('shopify');

		// Shopify really sent the same event twice, as two signed deliveries to the trigger.
		const deliveries = env.sandbox.webhooks.deliveries({ system: 'shopify' }).filter((d) => d.topic === 'orders/create');
		expect(deliveries.map((d) => d.outcome)).toEqual(['delivered', 'delivered']);
		expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(1);
		expect(new Set(deliveries.map((d) => d.deliveryId)).size).toBe(2);

		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		const synced = executions.filter((e) => nodesRun(e).includes('Remember order as synced'));
		const skipped = executions.filter((e) => nodesRun(e).includes('Already synced'));
		expect(synced).toHaveLength(1);
		expect(skipped).toHaveLength(1);
		expect(nodesRun(skipped[0])).not.toContain('NetSuite customer');

		// NetSuite: one customer for the shopper, one sales order with the order's lines by SKU.
		const shopOrder = (env.sandbox.state('shopify') as { orders: Array<{ id: string; name: string; total: string; lineItems: Array<{ sku: string; quantity: number; price: string }> }> }).orders.find(
			(o) => o.id === order.id,
		)!;
		const [so] = salesOrders(key);
		expect(salesOrders(key)).toHaveLength(1);
		expect(so.memo).toBe(`Commerce Sync correlation ${key}`);
		expect(so.status).toBe('B');
		const customer = netsuite().customers.find((c) => c.id === so.entity)!;
		expect(customer).toMatchObject({ email: 'ada.buyer@example.com', firstName: 'Sandbox', lastName: 'Buyer' });
		expect(customer.externalId).toMatch(/^shopify-customer-\d+$/);
		expect(netsuite().customers.filter((c) => c.externalId === customer.externalId)).toHaveLength(1);
		expect(so.lines.map((l) => [l.quantity, l.rate])).toEqual(shopOrder.lineItems.map((l) => [l.quantity, Number(l.price)]));
		const [nsOut] = nodeOutputs(synced[0], 'NetSuite sales order');
		expect(nsOut[0]).toMatchObject({ id: so.id, externalId: key, upserted: true });

		// ShipBob: one order to ship, tagged with the same correlation id.
		expect(shipbobOrders(key)).toHaveLength(1);
		expect(shipbobOrders(key)[0].tags).toEqual([{ name: 'correlation_id', value: key }]);

		// HubSpot: one contact, one deal for the order, linked to each other.
		expect(contacts('ada.buyer@example.com')).toHaveLength(1);
		const contact = contacts('ada.buyer@example.com')[0];
		expect(contact.properties).toMatchObject({ firstname: 'Sandbox', lastname: 'Buyer', lifecyclestage: 'customer' });
		expect(deals(key)).toHaveLength(1);
		const deal = deals(key)[0];
		expect(deal.properties).toMatchObject({
			dealname: `Shopify order ${shopOrder.name}`,
			amount: shopOrder.total,
			pipeline: templateSetting(FILE, 'hubspotPipeline'),
			dealstage: templateSetting(FILE, 'hubspotStageOrdered'),
		});
		expect(hubspot().associations).toContain(`deals:${deal.id}>contacts:${contact.id}`);

		// One correlation id, the order key, through every step of the run.
		for (const step of ['NetSuite customer', 'NetSuite sales order', 'ShipBob order', 'HubSpot contact', 'HubSpot deal', 'Link deal to contact', 'Order synced']) {
			expect(nodeOutputs(synced[0], step)[0][0].correlationId).toBe(key);
		}
		expect(nodeOutputs(synced[0], 'Remember order as synced')[0][0]._dedupe).toMatchObject({ status: 'confirmed', confirmed: true });
	}, 300_000);

	it('changes nothing when a fresh copy of the workflow, which remembers no order, runs the same order again', async () => {
		const executions = await settledExecutions(env, workflowId, 2);
		const synced = executions.find((e) => nodesRun(e).includes('Remember order as synced'))!;
		const payload = nodeOutputs(synced, 'Shopify order created')[0][0].payload as { id: number };
		const key = `shopify-${payload.id}`;
		const before = orderFootprint(env.sandbox);

		await env.n8n.deactivate(workflowId);
		const copy = await importTemplate(env, FILE, { copy: true });
		try {
			await env.n8n.activate(copy.id);
			await waitForSubscription(env, 'shopify', copy.webhookId);
			env.sandbox.clearRequests();
			// Shopify sending the order once more (a new event for the same order).
			env.sandbox.webhooks.emit('shopify', 'orders/create', payload);
			const [run] = await settledExecutions(env, copy.id, 1);
			expect(run.status).toBe('success');
			expect(nodesRun(run)).toContain('Remember order as synced');

			// Every write was sent again and answered as a repeat: nothing was added or changed.
			expect(nodeOutputs(run, 'ShipBob order')[0][0]).toMatchObject({ created: false, referenceId: key });
			expect(nodeOutputs(run, 'HubSpot contact')[0][0].status).toBe('updated');
			expect(nodeOutputs(run, 'HubSpot deal')[0][0].status).toBe('updated');
			const ops = (system: string) => env.sandbox.requests({ system }).map((r) => `${r.operation}:${r.status}`);
			expect(ops('netsuite').filter((o) => o.startsWith('upsertRecord'))).toEqual(['upsertRecord:204', 'upsertRecord:204']);
			expect(ops('shipbob')).toContain('createOrder:422');
			expect(jsonDiff(before, orderFootprint(env.sandbox))).toEqual([]);
		} finally {
			await env.n8n.deactivate(copy.id);
			await env.n8n.activate(workflowId);
			await waitForSubscription(env, 'shopify', webhookId);
		}
	}, 300_000);

	it('sends an order through again when a step keeps failing, and still writes everything once', async () => {
		const [, , c] = env.sandbox.catalog()!.items;
		const before = (await env.n8n.executions(workflowId)).length;
		await waitForSubscription(env, 'shopify', webhookId);
		// HubSpot's deal upsert answers 503 until we lift the outage: more than the step's own retries.
		env.sandbox.setFaults('hubspot', { match: { method: 'POST', path: '/crm/v3/objects/deals/batch/upsert' }, errorRate: 1, errorStatuses: [503] });
		env.sandbox.clearRequests();
		const order = await placeShopifyOrder(env, { lineItems: [{ sku: c.sku, quantity: 1 }], email: 'grace.retry@example.com' });
		const key = `shopify-${order.numericId}`;
		const failedDealWrites = () =>
			env.sandbox.requests({ system: 'hubspot' }).filter((r) => r.path.includes('/deals/batch/upsert') && r.status === 503).length;
		await waitFor('the deal upsert to fail through all of the step’s own retries', () => (failedDealWrites() >= 5 ? true : undefined), 120_000);
		env.sandbox.clearFaults('hubspot');

		const executions = await settledExecutions(env, workflowId, before + 1, { timeoutMs: 240_000 });
		const run = executions[0];
		expect(run.status).toBe('success');
		const retried = allItems(run, 'Retry or give up');
		expect(retried.length).toBeGreaterThanOrEqual(1);
		expect(retried[0]).toMatchObject({ orderKey: key, failedStep: 'HubSpot deal', _retry: { attempts: 1, correlationId: key } });
		expect(nodesRun(run)).not.toContain('Let the order through again');
		expect(nodeOutputs(run, 'Remember order as synced')[0][0]._dedupe).toMatchObject({ status: 'confirmed' });

		// The order went through NetSuite and ShipBob more than once, and is still there once.
		expect(env.sandbox.requests({ system: 'netsuite' }).filter((r) => r.operation === 'upsertRecord' && r.path.includes('salesOrder')).length).toBeGreaterThanOrEqual(2);
		expect(env.sandbox.requests({ system: 'shipbob' }).filter((r) => r.operation === 'createOrder').map((r) => r.status)).toContain(422);
		expect(salesOrders(key)).toHaveLength(1);
		expect(shipbobOrders(key)).toHaveLength(1);
		expect(deals(key)).toHaveLength(1);
		expect(contacts('grace.retry@example.com')).toHaveLength(1);
	}, 360_000);

	it('keeps an order NetSuite refuses as a dead letter, and syncs it exactly once when replayed after the cause is fixed', async () => {
		const [, , , , e] = env.sandbox.catalog()!.items;
		await waitForSubscription(env, 'shopify', webhookId);
		const before = (await env.n8n.executions(workflowId)).length;
		// NetSuite refuses every sales order (as for a closed period) until someone fixes it.
		env.sandbox.setFaults('netsuite', { match: { method: 'PUT', path: '/salesOrder/eid:' }, errorRate: 1, errorStatuses: [400] });
		const order = await placeShopifyOrder(env, { lineItems: [{ sku: e.sku, quantity: 1 }], email: 'frances.replay@example.com' });
		const key = `shopify-${order.numericId}`;
		const [failed] = await settledExecutions(env, workflowId, before + 1);
		env.sandbox.clearFaults('netsuite');
		expect(failed.status).toBe('success');
		const [, dead] = nodeOutputs(failed, 'Retry or give up');
		expect(dead).toHaveLength(1);
		expect(dead[0]).toMatchObject({ orderKey: key, failedStep: 'NetSuite sales order', _retry: { reason: 'permanent' } });
		expect(nodesRun(failed)).toContain('Let the order through again');
		expect(salesOrders(key)).toEqual([]);
		expect(shipbobOrders(key)).toEqual([]);
		expect(deals(key)).toEqual([]);

		// Fixed: an ops person clicks "Execute workflow" on the replay trigger.
		const replay = await runFromTrigger(env, workflowId, 'Replay failed orders');
		expect(replay.status).toBe('success');
		const [replayed] = nodeOutputs(replay, 'Failed orders');
		expect(replayed).toHaveLength(1);
		expect(replayed[0]).toMatchObject({ orderKey: key, _retry: { deadLetterId: (dead[0]._retry as { deadLetterId: string }).deadLetterId } });
		expect(nodeOutputs(replay, 'Remember order as synced')[0][0]._dedupe).toMatchObject({ key, status: 'confirmed' });
		expect(salesOrders(key)).toHaveLength(1);
		expect(shipbobOrders(key)).toHaveLength(1);
		expect(deals(key)).toHaveLength(1);
		expect(contacts('frances.replay@example.com')).toHaveLength(1);

		// The queue is empty now: replaying again finds nothing and writes nothing.
		const footprint = orderFootprint(env.sandbox);
		const again = await runFromTrigger(env, workflowId, 'Replay failed orders');
		expect(again.status).toBe('success');
		expect(nodeOutputs(again, 'Failed orders')[0]).toEqual([]);
		expect(nodesRun(again)).not.toContain('Seen this order?');
		expect(jsonDiff(footprint, orderFootprint(env.sandbox))).toEqual([]);
	}, 300_000);

	it('parks an order NetSuite cannot take in the dead-letter queue and lets it through again for a later retry', async () => {
		const [, , , d] = env.sandbox.catalog()!.items;
		await waitForSubscription(env, 'shopify', webhookId);
		const before = (await env.n8n.executions(workflowId)).length;
		// A line Shopify sells but NetSuite has no item for: a retry cannot fix that.
		const order = await placeShopifyOrder(env, {
			lineItems: [
				{ sku: d.sku, quantity: 1 },
				{ sku: 'GIFT-WRAP-NOT-IN-ERP', quantity: 1 },
			],
			email: 'ken.deadletter@example.com',
		});
		const key = `shopify-${order.numericId}`;
		const [run] = await settledExecutions(env, workflowId, before + 1);
		expect(run.status).toBe('success');
		const [retry, dead] = nodeOutputs(run, 'Retry or give up');
		expect(retry).toEqual([]);
		expect(dead).toHaveLength(1);
		expect(dead[0]).toMatchObject({
			orderKey: key,
			failedStep: 'NetSuite sales order',
			_retry: { attempts: 1, reason: 'permanent', correlationId: key, lastError: { retryable: false } },
		});
		// n8n 2.x keeps only the message of an error-output item, so Retry judges by it: no status, no retry.
		expect(String((dead[0]._retry as { lastError: { message: string } }).lastError.message)).toContain('GIFT-WRAP-NOT-IN-ERP');
		expect(typeof (dead[0]._retry as { deadLetterId?: unknown }).deadLetterId).toBe('string');
		expect(nodeOutputs(run, 'Let the order through again')[0][0]._dedupe).toMatchObject({ key, status: 'released' });
		// Nothing after the failed step was written.
		expect(salesOrders(key)).toEqual([]);
		expect(shipbobOrders(key)).toEqual([]);
		expect(deals(key)).toEqual([]);

		// Released: the same order sent again is not dropped as a duplicate but tried again.
		const payload = nodeOutputs(run, 'Shopify order created')[0][0].payload;
		env.sandbox.webhooks.emit('shopify', 'orders/create', payload);
		const [again] = await settledExecutions(env, workflowId, before + 2);
		expect(nodesRun(again)).not.toContain('Already synced');
		expect(nodesRun(again)).toContain('NetSuite sales order');
	}, 300_000);

	it('catches up an order whose webhook failed for good, once, and skips every order already synced', async () => {
		const [, , , , , f] = env.sandbox.catalog()!.items;
		await waitForSubscription(env, 'shopify', webhookId);
		// The catch-up only takes orders older than the 20-minute hold; a test cannot wait that long.
		await env.n8n.deactivate(workflowId);
		const stored = await env.n8n.request<{ name: string; nodes: Array<{ name: string; parameters: Record<string, unknown> }>; connections: unknown; settings: unknown }>('GET', `/api/v1/workflows/${workflowId}`);
		const older = stored.body.nodes.find((n) => n.name === 'Older than the hold')!;
		const text = JSON.stringify(older.parameters);
		expect(text).toContain('minutes: 20');
		older.parameters = JSON.parse(text.replace('minutes: 20', 'minutes: 0'));
		const put = await env.n8n.request('PUT', `/api/v1/workflows/${workflowId}`, {
			name: stored.body.name,
			nodes: stored.body.nodes,
			connections: stored.body.connections,
			settings: stored.body.settings,
		});
		expect(put.status).toBe(200);
		await env.n8n.activate(workflowId);
		await waitForSubscription(env, 'shopify', webhookId);

		// Shopify signs with a secret the trigger does not know, and gives up at once: the order never arrives.
		const policy = env.sandbox.webhooks.settings('shopify');
		const secret = String((SANDBOX_CREDENTIALS.shopifyAdminGraphqlApi.data({ url: (s) => env.sandbox.urlFor(s) }) as { appSecret: string }).appSecret);
		const before = (await env.n8n.executions(workflowId)).length;
		env.sandbox.webhooks.configure('shopify', { secret: 'a-secret-the-trigger-does-not-know', retryDelaysMs: [] });
		let order: { numericId: string };
		const seq = Math.max(0, ...env.sandbox.webhooks.deliveries({ system: 'shopify' }).map((d) => d.seq));
		const attempts = () => env.sandbox.webhooks.deliveries({ system: 'shopify', sinceSeq: seq }).filter((d) => d.topic === 'orders/create');
		try {
			order = await placeShopifyOrder(env, { lineItems: [{ sku: f.sku, quantity: 1 }], email: 'lina.latecomer@example.com' });
			await waitFor(
				'Shopify to give up on the delivery',
				() => (attempts().some((d) => d.gaveUp) ? true : undefined),
				120_000,
			).catch((error: Error) => {
				throw new Error(`${error.message}; attempts: ${JSON.stringify(attempts())}`);
			});
		} finally {
			env.sandbox.webhooks.configure('shopify', { secret, retryDelaysMs: policy.retryDelaysMs });
		}
		const key = `shopify-${order.numericId}`;
		// Refused for the signature (401); on a loaded machine n8n may even answer before the route is back (404). Never delivered either way.
		expect(attempts().filter((d) => d.outcome === 'delivered')).toEqual([]);
		expect((await env.n8n.executions(workflowId)).length).toBe(before);
		expect(salesOrders(key)).toEqual([]);

		const run = await runFromTrigger(env, workflowId, 'Every 15 minutes', 240_000);
		expect(run.status).toBe('success');
		const read = allItems(run, 'Recent Shopify orders');
		expect(read.map((o) => o.orderId)).toContain(`gid://shopify/Order/${order.numericId}`);
		// Every order goes to "Seen this order?" once; only the one never delivered is synced.
		expect(nodeOutputs(run, 'Caught up before?')[0]).toHaveLength(read.length);
		expect(allItems(run, 'Remember order as synced').map((o) => o.orderKey)).toEqual([key]);
		expect(salesOrders(key)).toHaveLength(1);
		expect(shipbobOrders(key)).toHaveLength(1);
		expect(deals(key)).toHaveLength(1);
		expect(contacts('lina.latecomer@example.com')).toHaveLength(1);
		// Keyed as the webhook path keys it, so a later delivery of the same order finds everything in place.
		const customer = netsuite().customers.find((c) => c.id === salesOrders(key)[0].entity)!;
		expect(customer.externalId).toMatch(/^shopify-customer-\d+$/);
		const [prepared] = nodeOutputs(run, 'Prepare order')[0].filter((o) => o.orderKey === key);
		expect(prepared).toMatchObject({ email: 'lina.latecomer@example.com', orderNumber: expect.stringMatching(/^#\d+$/) });
		expect(prepared.netsuiteLines).toEqual([{ sku: f.sku, quantity: 1, rate: expect.anything() }]);

		// A second catch-up sends nothing on and writes nothing.
		const footprint = orderFootprint(env.sandbox);
		const again = await runFromTrigger(env, workflowId, 'Every 15 minutes', 240_000);
		expect(again.status).toBe('success');
		expect(nodeOutputs(again, 'Caught up before?')[0]).toEqual([]);
		expect(nodesRun(again)).not.toContain('Seen this order?');
		expect(jsonDiff(footprint, orderFootprint(env.sandbox))).toEqual([]);
	}, 420_000);
});
