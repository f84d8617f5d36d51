import { createHmac } from 'node:crypto';

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { ShopifyAdminTrigger } from '../../../nodes/Shopify/ShopifyAdminTrigger.node';
import { shopifySandbox } from './helpers';

interface Product {
	id: string;
	handle: string;
	variants: Array<{ sku: string; price: string }>;
}

describe('Shopify catalog, orders and fulfilment through the node', () => {
	let s: Awaited<ReturnType<typeof shopifySandbox>>;
	const products = () => (s.sandbox.state('shopify') as { products: Product[] }).products;

	beforeAll(async () => {
		s = await shopifySandbox({ seed: 'catalog-tests', skus: 12, locations: 2 });
	});
	afterAll(async () => {
		await s.close();
	});
	beforeEach(() => s.reset());

	const upsert = (json: IDataObject, extra: IDataObject = {}) =>
		s.run(
			{
				resource: 'product',
				operation: 'upsert',
				handle: (_i: number, item: { json: IDataObject }) => item.json.handle,
				title: (_i: number, item: { json: IDataObject }) => item.json.title,
				descriptionHtml: '',
				vendor: '',
				productType: '',
				status: 'ACTIVE',
				variants: (_i: number, item: { json: IDataObject }) => item.json.variants,
				optionName: 'Size',
				allowDeletingVariants: false,
				dryRun: false,
				correlationId: '',
				...extra,
			},
			[json],
			{ continueOnFail: true },
		);

	it('creates a product by handle, then updates it in place', async () => {
		const created = await upsert({ handle: 'new-tee', title: 'New Tee', variants: [{ sku: 'NT-S', price: '10.00', option: 'S' }, { sku: 'NT-M', price: '11.00', option: 'M' }] });
		expect(created[0].json).toMatchObject({ status: 'created', handle: 'new-tee' });
		const updated = await upsert({ handle: 'new-tee', title: 'New Tee v2', variants: [{ sku: 'NT-S', price: '12.00', option: 'S' }, { sku: 'NT-M', price: '11.00', option: 'M' }] });
		expect(updated[0].json).toMatchObject({ status: 'updated', title: 'New Tee v2' });
		const product = products().find((p) => p.handle === 'new-tee')!;
		expect(product.variants.map((v) => [v.sku, v.price])).toEqual([['NT-S', '12.00'], ['NT-M', '11.00']]);
	});

	it('refuses an upsert that would silently delete variants, unless allowed', async () => {
		await upsert({ handle: 'pair', title: 'Pair', variants: [{ sku: 'P-1', price: '1.00', option: 'A' }, { sku: 'P-2', price: '1.00', option: 'B' }] });
		const refused = await upsert({ handle: 'pair', title: 'Pair', variants: [{ sku: 'P-1', price: '1.00', option: 'A' }] });
		expect(refused[0].json.error).toMatchObject({ field: 'variants', message: expect.stringContaining('P-2') });
		expect(products().find((p) => p.handle === 'pair')!.variants).toHaveLength(2);
		const allowed = await upsert({ handle: 'pair', title: 'Pair', variants: [{ sku: 'P-1', price: '1.00', option: 'A' }] }, { allowDeletingVariants: true });
		expect(allowed[0].json).toMatchObject({ status: 'updated', variantsDeleted: ['P-2'] });
	});

	it('updates prices by SKU in bulk and reports unknown SKUs per item', async () => {
		const [a, b] = products().flatMap((p) => p.variants);
		const out = await s.run(
			{ resource: 'product', operation: 'updatePrices', sku: (_i: number, item: { json: IDataObject }) => item.json.sku, price: (_i: number, item: { json: IDataObject }) => item.json.price, compareAtPrice: '', dryRun: false, correlationId: '' },
			[{ sku: a.sku, price: '99.00' }, { sku: 'UNKNOWN-SKU', price: '1.00' }, { sku: b.sku, price: '98.50' }],
			{ continueOnFail: true },
		);
		expect(out[0].json).toMatchObject({ status: 'updated', price: '99.00' });
		expect(out[1].json.error).toMatchObject({ field: 'sku' });
		expect(out[2].json).toMatchObject({ status: 'updated', price: '98.50' });
		const prices = new Map(products().flatMap((p) => p.variants).map((v) => [v.sku, v.price]));
		expect([prices.get(a.sku), prices.get(b.sku)]).toEqual(['99.00', '98.50']);
	});

	it('reads orders updated since a time, and fulfils one exactly once with tracking', async () => {
		const orders = await s.run({ resource: 'order', operation: 'getAll', returnAll: true, limit: 50, updatedSince: '2000-01-01T00:00:00Z' });
		expect(orders.length).toBeGreaterThan(0);
		const open = orders.find((o) => o.json.fulfillmentStatus !== 'FULFILLED')!;
		const params = { resource: 'fulfillment', operation: 'create', orderId: open.json.orderId, trackingNumber: '1Z999', carrier: 'UPS', trackingUrl: '', notifyCustomer: false, dryRun: false, correlationId: '' };
		const first = await s.run(params);
		expect(first[0].json).toMatchObject({ status: 'fulfilled', trackingNumber: '1Z999' });
		const again = await s.run(params);
		expect(again[0].json.status).toBe('alreadyFulfilled');
		const state = s.sandbox.state('shopify') as { fulfillments: Array<{ orderId: string; trackingInfo?: Array<{ number?: string }> }> };
		expect(state.fulfillments.filter((f) => JSON.stringify(f).includes('1Z999'))).toHaveLength(1);
	});

	it('exports the inventory in bulk and regroups levels under items', async () => {
		const out = await s.run({ resource: 'bulk', operation: 'runQuery', export: 'inventory', query: '', pollSeconds: 1, timeoutMinutes: 1 });
		expect(out.length).toBe(new Set(s.levels().map((l) => l.inventoryItemId)).size);
		expect((out[0].json.inventoryLevels as unknown[]).length).toBeGreaterThan(0);
	}, 20_000);
});

describe('Shopify trigger signature check', () => {
	const trigger = new ShopifyAdminTrigger();
	const secret = 'shpss_sandbox_secret';
	const body = JSON.stringify({ inventory_item_id: 1, location_id: 2, available: 5 });

	function call(headers: Record<string, string>) {
		const sent: { status?: number; body?: unknown } = {};
		const ctx = {
			getRequestObject: () => ({ rawBody: Buffer.from(body) }),
			getHeaderData: () => headers,
			getCredentials: async () => ({ appSecret: secret }),
			getNode: () => ({ name: 'Trigger', credentials: {} }),
			getWorkflow: () => ({ id: 'test-workflow' }),
			getNodeParameter: () => ['INVENTORY_LEVELS_UPDATE'],
			getResponseObject: () => ({
				status(code: number) {
					sent.status = code;
					return this;
				},
				json(payload: unknown) {
					sent.body = payload;
				},
			}),
			helpers: { returnJsonArray: (d: IDataObject) => [{ json: d }] },
		} as unknown as IWebhookFunctions;
		return { run: () => trigger.webhook.call(ctx), sent };
	}

	it('emits the payload with topic, event id and trigger time for a valid signature', async () => {
		const hmac = createHmac('sha256', secret).update(body).digest('base64');
		const { run } = call({ 'x-shopify-hmac-sha256': hmac, 'x-shopify-topic': 'inventory_levels/update', 'x-shopify-event-id': 'ev-1', 'x-shopify-triggered-at': '2026-11-27T00:00:00Z' });
		const result = await run();
		expect(result.workflowData?.[0][0].json).toMatchObject({ topic: 'inventory_levels/update', eventId: 'ev-1', triggeredAt: '2026-11-27T00:00:00Z', payload: { available: 5 } });
	});

	it.each([
		['a forged signature', { 'x-shopify-hmac-sha256': createHmac('sha256', 'other').update(body).digest('base64') }],
		['no signature', {}],
	])('answers 401 and starts nothing for %s', async (_name, headers) => {
		const { run, sent } = call({ 'x-shopify-topic': 'inventory_levels/update', ...headers });
		const result = await run();
		expect(result).toEqual({ noWebhookResponse: true });
		expect(sent.status).toBe(401);
		expect(JSON.stringify(sent.body)).not.toContain(secret);
	});
});
