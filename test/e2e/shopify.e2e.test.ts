import { createHmac, randomUUID } from 'node:crypto';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import { startN8n, type N8nInstance } from './harness/n8n';
import { PKG, webhookChain } from './harness/workflow';
import { E2E_TIMEOUT } from './setup';

interface Level {
	sku: string;
	inventoryItemId: string;
	locationId: string;
	quantities: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Shopify in a real n8n 2.x against the sandbox', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let credential: { shopifyAdminGraphqlApi: { id: string; name: string } };
	const levels = () => (sandbox.state('shopify') as { levels: Level[] }).levels;

	beforeAll(async () => {
		sandbox = await startSandbox({ systems: ['shopify'], seed: { seed: 'e2e-shopify', skus: 20, locations: 2 } });
		n8n = await startN8n({ major: 2 });
		const id = await n8n.createCredential('shopifyAdminGraphqlApi', 'Shopify sandbox', {
			shopDomain: 'sandbox.myshopify.com',
			accessToken: 'shpat_sandbox_token',
			apiVersion: '2026-04',
			plan: 'standard',
			appSecret: 'shpss_sandbox_secret',
			baseUrl: sandbox.urlFor('shopify'),
		});
		credential = { shopifyAdminGraphqlApi: { id, name: 'Shopify sandbox' } };
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	}, 60_000);

	it('reads levels for SKUs posted to a webhook', async () => {
		const [a, b] = levels();
		const id = await n8n.createWorkflow(
			webhookChain('shopify read', 'shopify-read', [
				{
					name: 'Shopify',
					type: `${PKG}.shopifyAdmin`,
					credentials: credential,
					parameters: { resource: 'inventory', operation: 'getLevels', readBy: 'sku', skus: '={{ $json.body.skus }}', maxLevels: 2 },
				},
			]),
		);
		await n8n.activate(id);
		const res = await n8n.postWebhook<Array<{ sku: string; locationId: string; quantities: { available: number } }>>('shopify-read', { skus: [a.sku, b.sku] });
		expect(res.status).toBe(200);
		const row = res.body.find((r) => r.sku === a.sku && r.locationId === a.locationId);
		expect(row?.quantities.available).toBe(a.quantities.available);
	}, 60_000);

	it('sets quantities with compare-and-set; a stale one comes back as a conflict', async () => {
		const [a, b] = levels();
		await fetch(`${sandbox.urlFor('shopify')}/_control/inventory`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ sku: b.sku, locationId: b.locationId, name: 'available', quantity: 3 }),
		});
		const id = await n8n.createWorkflow(
			webhookChain('shopify set', 'shopify-set', [
				{ name: 'Split', type: 'n8n-nodes-base.splitOut', parameters: { fieldToSplitOut: 'body.items', options: {} } },
				{ name: 'Shopify', type: `${PKG}.shopifyAdmin`, credentials: credential, parameters: { resource: 'inventory', operation: 'setQuantities' } },
			]),
		);
		await n8n.activate(id);
		const res = await n8n.postWebhook<Array<{ sku: string; status: string; current?: number }>>('shopify-set', {
			items: [
				{ sku: a.sku, inventoryItemId: a.inventoryItemId, locationId: a.locationId, target: 42, current: a.quantities.available },
				{ sku: b.sku, inventoryItemId: b.inventoryItemId, locationId: b.locationId, target: 43, current: b.quantities.available },
			],
		});
		expect(res.status).toBe(200);
		expect(res.body.map((r) => r.status)).toEqual(['set', 'conflict']);
		expect(res.body[1].current).toBe(3);
		const after = levels();
		expect(after.find((l) => l.sku === a.sku && l.locationId === a.locationId)?.quantities.available).toBe(42);
		expect(after.find((l) => l.sku === b.sku && l.locationId === b.locationId)?.quantities.available).toBe(3);
	}, 60_000);

	it('the trigger registers its subscription, receives a signed webhook and refuses a forged one', async () => {
		const webhookId = randomUUID();
		const id = await n8n.createWorkflow({
			name: 'shopify trigger',
			nodes: [
				{
					id: randomUUID(),
					name: 'Shopify Trigger',
					type: `${PKG}.shopifyAdminTrigger`,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: { topics: ['INVENTORY_LEVELS_UPDATE'] },
					credentials: credential,
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		await n8n.activate(id);
		// n8n registers trigger webhooks a moment after the activation call returns.
		let address: string | undefined;
		for (let i = 0; i < 80 && !address; i++) {
			const listed = (await (await fetch(`${sandbox.baseUrl}/_sandbox/webhooks/shopify/subscriptions`)).json()) as { subscriptions: Array<{ address: string }> };
			address = listed.subscriptions.map((s) => s.address).find((a) => a.includes(webhookId));
			if (!address) await sleep(250);
		}
		expect(address).toBeDefined();

		const [a] = levels();
		await fetch(`${sandbox.urlFor('shopify')}/_control/inventory`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ sku: a.sku, locationId: a.locationId, name: 'available', quantity: 11 }),
		});
		let executions: Awaited<ReturnType<N8nInstance['executions']>> = [];
		for (let i = 0; i < 60 && executions.length === 0; i++) {
			await sleep(250);
			executions = await n8n.executions(id);
		}
		expect(executions).toHaveLength(1);
		expect(JSON.stringify(executions[0].data)).toContain('inventory_levels/update');

		const body = JSON.stringify({ inventory_item_id: 1, location_id: 1, available: 999 });
		const forged = await fetch(address as string, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-shopify-topic': 'inventory_levels/update',
				'x-shopify-hmac-sha256': createHmac('sha256', 'not-the-secret').update(body).digest('base64'),
			},
			body,
		});
		expect(forged.status).toBe(401);
		await sleep(1000);
		expect(await n8n.executions(id)).toHaveLength(1);
	}, 90_000);
});
