/**
 * Issue 7 in a real n8n 2.x against the sandbox: NetSuite stock by location flows into
 * Inventory Reconcile's Truth input (Shopify's levels on the Channels input), and a ShipBob
 * order is created exactly once when its workflow runs twice with the same reference id.
 */
import { randomUUID } from 'node:crypto';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { startN8n, type N8nInstance } from './harness/n8n';
import { PKG, webhookChain } from './harness/workflow';
import { finishedExecutions, nodeOutputs, webhookGraph } from './helpers/graph';
import { E2E_TIMEOUT } from './setup';

interface ShopifyLevel {
	sku: string;
	locationId: string;
	legacyLocationId: string;
	quantities: Record<string, number>;
}

interface StockRow {
	sku: string;
	locationId: string;
	quantities: {
		onHand: number;
		available: number;
		committed: number;
		reserved: number;
		incoming: number;
	};
	source: string;
}

interface Planned {
	channel: string;
	sku: string;
	locationId: string;
	target: number;
	current: number;
	delta?: number;
	truthLocationIds?: string[];
}

describe('NetSuite and ShipBob in a real n8n 2.x against the sandbox', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	const creds: Record<string, Record<string, { id: string; name: string }>> = {};

	beforeAll(async () => {
		sandbox = await startSandbox({
			systems: ['netsuite', 'shipbob', 'shopify'],
			seed: { seed: 'e2e-netsuite-shipbob', skus: 12, locations: 2 },
		});
		n8n = await startN8n({ major: 2 });
		const add = async (type: string, name: string, data: Record<string, unknown>) => {
			creds[type] = { [type]: { id: await n8n.createCredential(type, name, data), name } };
		};
		await add('netSuiteTbaApi', 'NetSuite sandbox', {
			accountId: '1234567_SB1',
			consumerKey: 'sandbox-consumer-key',
			consumerSecret: 'sandbox-consumer-secret',
			tokenId: 'sandbox-token-id',
			tokenSecret: 'sandbox-token-secret',
			concurrency: 5,
			baseUrl: sandbox.urlFor('netsuite'),
		});
		await add('shipBobApi', 'ShipBob sandbox', {
			accessToken: 'sandbox-shipbob-pat',
			apiVersion: '2026-01',
			environment: 'production',
			channelId: '',
			baseUrl: sandbox.urlFor('shipbob'),
		});
		await add('shopifyAdminGraphqlApi', 'Shopify sandbox', {
			shopDomain: 'sandbox.myshopify.com',
			accessToken: 'shpat_sandbox_token',
			apiVersion: '2026-04',
			plan: 'standard',
			appSecret: 'shpss_sandbox_secret',
			baseUrl: sandbox.urlFor('shopify'),
		});
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	}, 60_000);

	it('a ShipBob order is created exactly once when its workflow runs twice', async () => {
		const [first, second] = sandbox.catalog()!.items;
		const referenceId = `e2e-order-${randomUUID()}`;
		const id = await n8n.createWorkflow(
			webhookChain(
				'shipbob create order',
				'shipbob-create-order',
				[
					{
						name: 'ShipBob',
						type: `${PKG}.shipBob`,
						credentials: creds.shipBobApi,
						parameters: {
							resource: 'order',
							operation: 'create',
							referenceId: '={{ $json.body.orderId }}',
							shippingMethod: 'Standard',
							type: 'DTC',
							recipient: '={{ $json.body.recipient }}',
							products: '={{ $json.body.products }}',
						},
					},
				],
				'firstEntryJson',
			),
		);
		await n8n.activate(id);
		const body = {
			orderId: referenceId,
			recipient: {
				name: 'Ada Lovelace',
				email: 'ada@example.com',
				address: {
					address1: '1 Analytical Way',
					city: 'Reno',
					state: 'NV',
					zip_code: '89501',
					country: 'US',
				},
			},
			products: [
				{ referenceId: first.sku, name: first.name, quantity: 2 },
				{ referenceId: second.sku, name: second.name, quantity: 1 },
			],
		};
		const ordersWithReference = () =>
			(
				sandbox.state('shipbob') as { orders: Array<{ id: string; referenceId: string }> }
			).orders.filter((o) => o.referenceId === referenceId);

		const run1 = await n8n.postWebhook<{ id: unknown; created: boolean; referenceId?: string }>(
			'shipbob-create-order',
			body,
		);
		expect(run1.status).toBe(200);
		expect(run1.body.created).toBe(true);
		expect(ordersWithReference()).toHaveLength(1);

		const run2 = await n8n.postWebhook<{ id: unknown; created: boolean }>(
			'shipbob-create-order',
			body,
		);
		expect(run2.status).toBe(200);
		expect(run2.body.created).toBe(false);
		expect(String(run2.body.id)).toBe(String(run1.body.id));

		const orders = ordersWithReference();
		expect(orders).toHaveLength(1);
		expect(orders[0].id).toBe(String(run1.body.id));
		// Both runs reached ShipBob with a create; the second was refused and read back, not re-sent.
		const creates = sandbox
			.requests({ system: 'shipbob' })
			.filter((r) => r.operation === 'createOrder');
		expect(creates).toHaveLength(2);
		const executions = await finishedExecutions(n8n, id, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
	}, 120_000);

	it('NetSuite stock by location flows into Inventory Reconcile as the truth, Shopify levels as the channel', async () => {
		const catalog = sandbox.catalog()!;
		const items = catalog.items.slice(0, 4);
		const skus = items.map((i) => i.sku);
		const shopifyLevels = () => (sandbox.state('shopify') as { levels: ShopifyLevel[] }).levels;
		const netsuite = (sku: string, locationId: string) => {
			const stock = catalog.items
				.find((i) => i.sku === sku)!
				.stock.find((s) => s.locationId === locationId)!;
			return { ...stock, atp: Math.max(0, stock.onHand - stock.committed) };
		};

		// Make Shopify wrong on one level and exactly right on another, so both outcomes occur.
		const [drifted, exact] = shopifyLevels().filter((l) => skus.includes(l.sku));
		const setShopify = async (level: ShopifyLevel, quantity: number) => {
			const res = await fetch(`${sandbox.urlFor('shopify')}/_control/inventory`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					sku: level.sku,
					locationId: level.locationId,
					name: 'available',
					quantity,
				}),
			});
			expect(res.status).toBe(200);
		};
		await setShopify(drifted, netsuite(drifted.sku, drifted.legacyLocationId).atp + 7);
		await setShopify(exact, netsuite(exact.sku, exact.legacyLocationId).atp);

		const mapping = catalog.locations.map((l) => ({
			channel: 'shopify',
			channelLocationId: `gid://shopify/Location/${l.id}`,
			truthLocationIds: l.id,
		}));
		const id = await n8n.createWorkflow(
			webhookGraph(
				'netsuite truth → reconcile',
				'netsuite-reconcile',
				[
					{
						name: 'NetSuite',
						type: `${PKG}.netSuite`,
						credentials: creds.netSuiteTbaApi,
						parameters: {
							resource: 'stock',
							operation: 'getLevels',
							locationIds: [],
							skus: '={{ $json.body.skus.join(", ") }}',
						},
					},
					{
						name: 'Shopify',
						type: `${PKG}.shopifyAdmin`,
						credentials: creds.shopifyAdminGraphqlApi,
						parameters: {
							resource: 'inventory',
							operation: 'getLevels',
							readBy: 'sku',
							skus: '={{ $json.body.skus }}',
							maxLevels: catalog.locations.length,
						},
					},
					{
						name: 'Reconcile',
						type: `${PKG}.inventoryReconcile`,
						parameters: { locationMappings: { mapping }, reportUnlisted: false },
					},
				],
				[
					{ from: 'Webhook', to: 'NetSuite' },
					{ from: 'Webhook', to: 'Shopify' },
					{ from: 'NetSuite', to: 'Reconcile', input: 0 },
					{ from: 'Shopify', to: 'Reconcile', input: 1 },
				],
			),
		);
		await n8n.activate(id);
		const res = await n8n.postWebhook<Planned[]>('netsuite-reconcile', { skus });
		expect(res.status).toBe(200);
		const [execution] = await finishedExecutions(n8n, id, 1);
		expect(execution.status).toBe('success');

		// NetSuite's rows in n8n carry the sandbox's numbers, per SKU and location.
		const [stockRows] = nodeOutputs(execution, 'NetSuite') as unknown as StockRow[][];
		expect(stockRows).toHaveLength(skus.length * catalog.locations.length);
		for (const row of stockRows) {
			const expected = netsuite(row.sku, row.locationId);
			expect(row).toMatchObject({
				source: 'netsuite',
				quantities: {
					onHand: expected.onHand,
					committed: expected.committed,
					available: expected.onHand - expected.committed,
					reserved: 0,
					incoming: expected.incoming,
				},
			});
		}

		// Every Shopify level is planned from NetSuite's stock at the mapped location.
		const [adjustments, inSync, exceptions] = nodeOutputs(
			execution,
			'Reconcile',
		) as unknown as Planned[][];
		expect(exceptions).toEqual([]);
		const levels = shopifyLevels().filter((l) => skus.includes(l.sku));
		expect(adjustments.length + inSync.length).toBe(levels.length);
		for (const level of levels) {
			const target = netsuite(level.sku, level.legacyLocationId).atp;
			const current = level.quantities.available;
			const adjustment = adjustments.find(
				(a) => a.sku === level.sku && a.locationId === level.locationId,
			);
			const synced = inSync.find((s) => s.sku === level.sku && s.locationId === level.locationId);
			if (current === target) {
				expect(adjustment).toBeUndefined();
				expect(synced).toMatchObject({ channel: 'shopify', target, current });
			} else {
				expect(synced).toBeUndefined();
				expect(adjustment).toMatchObject({
					channel: 'shopify',
					target,
					current,
					delta: target - current,
					truthLocationIds: [level.legacyLocationId],
				});
			}
		}
		expect(
			adjustments.find((a) => a.sku === drifted.sku && a.locationId === drifted.locationId)?.delta,
		).toBe(-7);
		expect(
			inSync.find((s) => s.sku === exact.sku && s.locationId === exact.locationId),
		).toBeDefined();
		// The webhook answers with the first output: the adjustments.
		expect(res.body).toEqual(adjustments);
	}, 180_000);
});
