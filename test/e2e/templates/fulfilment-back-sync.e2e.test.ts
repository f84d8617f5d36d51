/**
 * The fulfilment back-sync template (workflows/fulfilment-back-sync.json) in a real n8n 2.x
 * against the sandbox, imported exactly as shipped with only its credentials chosen, beside the
 * order-sync template that puts the order into every system first (a shopper's order placed
 * through the Shopify sandbox's control API). The warehouse then ships it the way ShipBob does:
 * the sandbox's ShipBob simulate-shipment call, which sends ShipBob's signed order.shipped
 * webhook to the subscription the trigger registered on activation. Everything is asserted from
 * the sandboxes' state: the shipment shows in Shopify with its tracking number exactly once
 * (also when ShipBob delivers the event twice, and when a fresh copy of the workflow runs it
 * again), the NetSuite order is fulfilled and the HubSpot deal moves to the shipped stage.
 */
import { SHIPBOB_SANDBOX_TOKEN } from '../../../sandbox/systems/shipbob';
import { nodeOutputs } from '../helpers/graph';
import { E2E_TIMEOUT } from '../setup';
import {
	importTemplate,
	jsonDiff,
	nodesRun,
	orderFootprint,
	placeShopifyOrder,
	settledExecutions,
	startTemplateEnv,
	templateSetting,
	waitForSubscription,
	type TemplateEnv,
} from './support-ordersync';

const FILE = 'fulfilment-back-sync.json';

interface Txn {
	id: string;
	type: string;
	externalId: string | null;
	status: string;
	memo: string | null;
	createdFrom: string | null;
	packages?: Array<{ packageTrackingNumber?: string; packageDescr?: string }>;
}
interface ShopifyState {
	orders: Array<{ id: string; fulfillmentStatus: string }>;
	fulfillments: Array<{
		id: string;
		orderId: string;
		trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }>;
		notifyCustomer: boolean;
		lineItems: Array<{ sku: string; quantity: number }>;
	}>;
	fulfillmentOrders: Array<{ orderId: string; status: string }>;
}

describe('Fulfilment back-sync template: ShipBob → Shopify, NetSuite, HubSpot', () => {
	let env: TemplateEnv;
	let orderSync: string;
	let backSync: { id: string; webhookId: string };
	let orderKey: string;
	let shopifyOrderId: string;
	let shipmentPayload: Record<string, unknown>;

	const shopify = () => env.sandbox.state('shopify') as ShopifyState;
	const netsuite = () => env.sandbox.state('netsuite') as { transactions: Txn[] };
	const deals = (key: string) =>
		(env.sandbox.state('hubspot') as { deals: Array<{ properties: Record<string, string> }> }).deals.filter((d) => d.properties.order_id === key);

	beforeAll(async () => {
		env = await startTemplateEnv({
			systems: ['shopify', 'netsuite', 'shipbob', 'hubspot'],
			seed: { seed: 'e2e-fulfilment-back-sync', skus: 8, locations: 2 },
			credentialTypes: ['shopifyAdminGraphqlApi', 'netSuiteTbaApi', 'shipBobApi', 'hubSpotPrivateAppApi'],
		});
		const orders = await importTemplate(env, 'order-sync.json');
		orderSync = orders.id;
		await env.n8n.activate(orderSync);
		await waitForSubscription(env, 'shopify', orders.webhookId);
		backSync = await importTemplate(env, FILE);
		await env.n8n.activate(backSync.id);
		await waitForSubscription(env, 'shipbob', backSync.webhookId);
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await env?.close();
	}, 60_000);

	it('shows the shipment in Shopify with its tracking number exactly once, and NetSuite and HubSpot follow, although ShipBob delivers it twice', async () => {
		const [a, b] = env.sandbox.catalog()!.items;
		const order = await placeShopifyOrder(env, {
			lineItems: [
				{ sku: a.sku, quantity: 1 },
				{ sku: b.sku, quantity: 2 },
			],
			email: 'linus.parcel@example.com',
		});
		shopifyOrderId = order.id;
		orderKey = `shopify-${order.numericId}`;
		const [synced] = await settledExecutions(env, orderSync, 1);
		expect(synced.status).toBe('success');
		const shipbobOrder = (env.sandbox.state('shipbob') as { orders: Array<{ referenceId: string; shipmentIds: string[] }> }).orders.find((o) => o.referenceId === orderKey)!;
		const shipmentId = shipbobOrder.shipmentIds[0];

		env.sandbox.setFaults('shipbob', { webhooks: { duplicateRate: 1 } });
		const shipped = await fetch(`${env.sandbox.urlFor('shipbob')}/2026-01/simulate/shipment`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${SHIPBOB_SANDBOX_TOKEN}` },
			body: JSON.stringify({ shipment_id: Number(shipmentId), action: 'ShipOrder' }),
		});
		expect(shipped.status).toBe(200);
		const executions = await settledExecutions(env, backSync.id, 2);
		env.sandbox.clearFaults('shipbob');

		// ShipBob really sent the same signed event twice.
		const deliveries = env.sandbox.webhooks.deliveries({ system: 'shipbob' }).filter((d) => d.topic === 'order.shipped');
		expect(deliveries.map((d) => d.outcome)).toEqual(['delivered', 'delivered']);
		expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(1);

		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		const applied = executions.filter((e) => nodesRun(e).includes('Remember shipment as synced'));
		expect(applied).toHaveLength(1);
		expect(executions.filter((e) => nodesRun(e).includes('Already synced'))).toHaveLength(1);
		const event = nodeOutputs(applied[0], 'ShipBob shipment shipped')[0][0];
		shipmentPayload = event.payload as Record<string, unknown>;
		const tracking = event.trackingNumber as string;
		expect(event).toMatchObject({ referenceId: orderKey, carrier: 'USPS', id: shipmentId });
		expect(tracking).toMatch(/^9400\d+$/);

		// Shopify: one fulfilment with carrier and tracking number; the order is fulfilled.
		const fulfilments = shopify().fulfillments.filter((f) => f.orderId === shopifyOrderId);
		expect(fulfilments).toHaveLength(1);
		expect(fulfilments[0].trackingInfo).toEqual([{ company: 'USPS', number: tracking, url: event.trackingUrl }]);
		expect(fulfilments[0].notifyCustomer).toBe(templateSetting(FILE, 'notifyCustomer'));
		expect(fulfilments[0].lineItems.map((l) => [l.sku, l.quantity])).toEqual([[a.sku, 1], [b.sku, 2]]);
		expect(shopify().orders.find((o) => o.id === shopifyOrderId)?.fulfillmentStatus).toBe('FULFILLED');

		// NetSuite: one item fulfilment for this shipment; the sales order moved to Pending Billing.
		const so = netsuite().transactions.find((t) => t.type === 'SalesOrd' && t.externalId === orderKey)!;
		expect(so.status).toBe('F');
		const itemShips = netsuite().transactions.filter((t) => t.type === 'ItemShip' && t.createdFrom === so.id);
		expect(itemShips).toHaveLength(1);
		expect(itemShips[0]).toMatchObject({
			externalId: `shipbob-shipment-${shipmentId}`,
			status: 'C',
			memo: `Commerce Sync correlation ${orderKey}`,
			packages: [{ packageTrackingNumber: tracking, packageDescr: 'USPS' }],
		});

		// HubSpot: the order's one deal is at the shipped stage.
		expect(deals(orderKey)).toHaveLength(1);
		expect(deals(orderKey)[0].properties.dealstage).toBe(templateSetting(FILE, 'hubspotStageShipped'));

		// The run's summary, and the order's correlation id carried through every step.
		expect(nodeOutputs(applied[0], 'Shipment synced')[0][0]).toMatchObject({
			orderKey,
			correlationId: orderKey,
			trackingNumber: tracking,
			shopifyFulfilment: 'fulfilled',
			netsuiteFulfilment: 'fulfilled',
			netsuiteOrderStatus: 'Pending Billing',
			hubspotDealStage: templateSetting(FILE, 'hubspotStageShipped'),
		});
		for (const step of ['Shopify fulfilment', 'NetSuite fulfilment', 'HubSpot deal stage']) {
			expect(nodeOutputs(applied[0], step)[0][0].correlationId).toBe(orderKey);
		}
	}, 300_000);

	it('changes nothing when a fresh copy of the workflow, which remembers no shipment, runs the same shipment again', async () => {
		expect(shipmentPayload).toBeDefined();
		const before = orderFootprint(env.sandbox);
		await env.n8n.deactivate(backSync.id);
		const copy = await importTemplate(env, FILE, { copy: true });
		try {
			await env.n8n.activate(copy.id);
			await waitForSubscription(env, 'shipbob', copy.webhookId);
			env.sandbox.clearRequests();
			env.sandbox.webhooks.emit('shipbob', 'order.shipped', shipmentPayload);
			const [run] = await settledExecutions(env, copy.id, 1);
			expect(run.status).toBe('success');
			expect(nodesRun(run)).toContain('Remember shipment as synced');
			expect(nodeOutputs(run, 'Shopify fulfilment')[0][0].status).toBe('alreadyFulfilled');
			expect(nodeOutputs(run, 'NetSuite fulfilment')[0][0]).toMatchObject({ status: 'alreadyFulfilled', orderStatus: 'Pending Billing' });
			expect(nodeOutputs(run, 'HubSpot deal stage')[0][0].status).toBe('updated');
			expect(env.sandbox.requests({ system: 'netsuite' }).map((r) => r.operation)).not.toContain('transformItemFulfillment');
			expect(jsonDiff(before, orderFootprint(env.sandbox))).toEqual([]);
		} finally {
			await env.n8n.deactivate(copy.id);
			await env.n8n.activate(backSync.id);
			await waitForSubscription(env, 'shipbob', backSync.webhookId);
		}
	}, 300_000);

	it('leaves a shipment of an order from another sales channel alone', async () => {
		const before = orderFootprint(env.sandbox);
		const count = (await env.n8n.executions(backSync.id)).length;
		env.sandbox.webhooks.emit('shipbob', 'order.shipped', {
			...shipmentPayload,
			id: 912_345,
			reference_id: 'amazon-113-5550001',
		});
		const [run] = await settledExecutions(env, backSync.id, count + 1);
		expect(run.status).toBe('success');
		expect(nodesRun(run)).toContain('Not a Shopify order');
		expect(nodesRun(run)).not.toContain('Shopify fulfilment');
		expect(jsonDiff(before, orderFootprint(env.sandbox))).toEqual([]);
	}, 120_000);

	it('keeps a shipment for an order Shopify does not know as a dead letter, writing nothing', async () => {
		const before = orderFootprint(env.sandbox);
		const count = (await env.n8n.executions(backSync.id)).length;
		env.sandbox.webhooks.emit('shipbob', 'order.shipped', { ...shipmentPayload, id: 912_346, reference_id: 'shopify-123' });
		const [run] = await settledExecutions(env, backSync.id, count + 1);
		expect(run.status).toBe('success');
		const [retry, dead] = nodeOutputs(run, 'Retry or give up');
		expect(retry).toEqual([]);
		expect(dead).toHaveLength(1);
		expect(dead[0]).toMatchObject({
			orderKey: 'shopify-123',
			shipmentKey: 'shipbob-shipment-912346',
			failedStep: 'Shopify fulfilment',
			_retry: { reason: 'permanent', correlationId: 'shopify-123' },
		});
		expect(typeof (dead[0]._retry as { deadLetterId?: unknown }).deadLetterId).toBe('string');
		expect(nodeOutputs(run, 'Let the shipment through again')[0][0]._dedupe).toMatchObject({ status: 'released' });
		expect(nodesRun(run)).not.toContain('NetSuite fulfilment');
		expect(jsonDiff(before, orderFootprint(env.sandbox))).toEqual([]);
	}, 120_000);

});
