/**
 * Products, orders, fulfilment, bulk exports and webhook subscriptions on the Shopify stand-in.
 */
import axios from 'axios';
import { ALL_DOCUMENTS, BULK_EXPORTS } from '../../../nodes/Shopify/graphql/documents';
import { startReceiver } from '../fixtures';
import { startShopify, type ShopifyHarness } from './helpers';

const OPTIONS = [{ name: 'Size', values: [{ name: 'S' }, { name: 'M' }, { name: 'L' }] }];
const variant = (size: string, sku: string, price = '10.00') => ({ sku, price, optionValues: [{ optionName: 'Size', name: size }] });

describe('Shopify stand-in: products, orders, bulk, webhooks', () => {
	let h: ShopifyHarness;
	beforeEach(async () => {
		h = await startShopify();
	});
	afterEach(() => h.close());

	const productSet = (input: Record<string, unknown>) => h.gql(ALL_DOCUMENTS.PRODUCT_SET, { input, variants: 10 });

	it('productSet creates, upserts by handle, and replaces the variant list (omitted variants are deleted)', async () => {
		const created = await productSet({ title: 'Trail Tee', handle: 'trail-tee', productOptions: OPTIONS, variants: [variant('S', 'TT-S'), variant('M', 'TT-M'), variant('L', 'TT-L')] });
		const p = created.data.data!.productSet;
		expect(p.userErrors).toEqual([]);
		expect(p.product.variants.nodes.map((v: any) => v.sku)).toEqual(['TT-S', 'TT-M', 'TT-L']);
		const keepId = p.product.variants.nodes[1].id;
		const keepItem = p.product.variants.nodes[1].inventoryItem.id;

		// No id: the handle finds the product; M is kept (same option values), S and L are deleted.
		const updated = await productSet({ handle: 'trail-tee', title: 'Trail Tee 2', productOptions: OPTIONS, variants: [variant('M', 'TT-M', '12.50')] });
		const u = updated.data.data!.productSet;
		expect(u.userErrors).toEqual([]);
		expect(u.product.id).toBe(p.product.id);
		expect(u.product.title).toBe('Trail Tee 2');
		expect(u.product.variants.nodes).toEqual([{ id: keepId, sku: 'TT-M', title: 'M', price: '12.50', compareAtPrice: null, barcode: null, inventoryItem: { id: keepItem } }]);
		const snap = h.state();
		expect(snap.products.find((x: any) => x.id === p.product.id).variants.map((v: any) => v.sku)).toEqual(['TT-M']);
		expect(snap.levels.filter((l: any) => l.sku === 'TT-S' || l.sku === 'TT-L')).toEqual([]);
		const gone = await h.gql(ALL_DOCUMENTS.VARIANTS_BY_SKU, { first: 5, query: 'sku:TT-S' });
		expect(gone.data.data!.productVariants.nodes).toEqual([]);

		// Scalars left out stay; by id works too.
		const byId = await productSet({ id: p.product.id, vendor: 'Acme' });
		expect(byId.data.data!.productSet.product).toMatchObject({ title: 'Trail Tee 2', vendor: 'Acme', handle: 'trail-tee' });
		expect(byId.data.data!.productSet.product.variants.nodes).toHaveLength(1);
	});

	it('productSet userErrors', async () => {
		const codes = async (input: Record<string, unknown>) => (await productSet(input)).data.data!.productSet.userErrors.map((e: any) => [e.code, e.field]);
		expect(await codes({ title: 'X', variants: [variant('S', 'X-S')] })).toEqual([['PRODUCT_OPTIONS_INPUT_MISSING', ['input', 'productOptions']]]);
		expect(await codes({ id: 'gid://shopify/Product/1', title: 'X' })).toEqual([['PRODUCT_DOES_NOT_EXIST', ['input', 'id']]]);
		expect(await codes({ title: 'X', productOptions: OPTIONS, variants: [variant('XL', 'X-XL')] })).toEqual([['OPTION_VALUE_DOES_NOT_EXIST', ['input', 'variants', '0', 'optionValues', '0']]]);
		expect(await codes({ title: 'X', productOptions: OPTIONS, variants: [variant('S', 'A'), variant('S', 'B')] })).toEqual([['INVALID_VARIANT', ['input', 'variants', '1', 'optionValues']]]);
		expect(await codes({ title: 'X', productOptions: [...OPTIONS, { name: 'A' }, { name: 'B' }, { name: 'C' }], variants: [] })).toEqual([['OPTIONS_OVER_LIMIT', ['input', 'productOptions']]]);
		const existing = h.state().products[0];
		expect(await codes({ id: h.state().products[1].id, handle: existing.handle })).toEqual([['HANDLE_NOT_UNIQUE', ['input', 'handle']]]);
	});

	it('productVariantsBulkUpdate updates price, barcode and SKU, and refuses inventoryQuantities', async () => {
		const p = h.state().products[0];
		const v = p.variants[0];
		const res = await h.gql(ALL_DOCUMENTS.PRODUCT_VARIANTS_BULK_UPDATE, {
			productId: p.id,
			variants: [
				{ id: v.id, price: '19.99', compareAtPrice: null, barcode: '2000000000015', inventoryItem: { sku: 'RENAMED-1' } },
				{ id: v.id, inventoryQuantities: [{ locationId: h.state().locations[0].id, availableQuantity: 5 }] },
				{ id: 'gid://shopify/ProductVariant/1' },
			],
		});
		const out = res.data.data!.productVariantsBulkUpdate;
		expect(out.productVariants).toEqual([{ id: v.id, sku: 'RENAMED-1', price: '19.99', compareAtPrice: null }]);
		expect(out.userErrors.map((e: any) => [e.code, e.field])).toEqual([
			['NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE', ['variants', '1', 'inventoryQuantities']],
			['PRODUCT_VARIANT_DOES_NOT_EXIST', ['variants', '2', 'id']],
		]);
		expect(h.state().levels.filter((l: any) => l.sku === 'RENAMED-1').length).toBe(h.state().locations.length);
	});

	it('reads orders and fulfils one: fulfilment order CLOSED, remaining 0, committed stock leaves, webhooks fire', async () => {
		const receiver = await startReceiver();
		try {
			for (const topic of ['FULFILLMENTS_CREATE', 'ORDERS_UPDATED', 'ORDERS_CREATE', 'ORDERS_PAID']) {
				const r = await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTION_CREATE, { topic, callbackUrl: receiver.url });
				expect(r.data.data!.webhookSubscriptionCreate.userErrors).toEqual([]);
			}
			const sku = h.state().levels[0].sku;
			const loc = h.state().locations[0].id;
			const before = h.state().levels.find((l: any) => l.sku === sku && l.locationId === loc).quantities;
			const placed = await h.control('orders', { lineItems: [{ sku, quantity: 2 }], email: 'buyer@example.com', locationId: loc });
			expect(placed.status).toBe(201);
			const afterOrder = h.state().levels.find((l: any) => l.sku === sku && l.locationId === loc).quantities;
			expect(afterOrder).toMatchObject({ available: before.available - 2, committed: before.committed + 2, on_hand: before.on_hand });

			const order = await h.gql(ALL_DOCUMENTS.ORDER, { id: placed.data.id, lineItems: 5 });
			expect(order.data.data!.order).toMatchObject({
				name: placed.data.name,
				email: 'buyer@example.com',
				displayFinancialStatus: 'PAID',
				displayFulfillmentStatus: 'UNFULFILLED',
				lineItems: { nodes: [{ sku, quantity: 2 }] },
				shippingAddress: { countryCodeV2: 'US' },
			});
			const fos = await h.gql(ALL_DOCUMENTS.ORDER_FULFILLMENT_ORDERS, { id: placed.data.id });
			const fo = fos.data.data!.order.fulfillmentOrders.nodes[0];
			expect(fo).toMatchObject({ status: 'OPEN', lineItems: { nodes: [{ remainingQuantity: 2, sku }] } });

			const created = await h.gql(ALL_DOCUMENTS.FULFILLMENT_CREATE, {
				fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }], trackingInfo: { company: 'UPS', number: '1Z999', url: 'https://ups.example/1Z999' }, notifyCustomer: true },
			});
			expect(created.data.data!.fulfillmentCreate).toEqual({
				fulfillment: { id: expect.stringMatching(/^gid:\/\/shopify\/Fulfillment\/\d+$/), status: 'SUCCESS', trackingInfo: [{ company: 'UPS', number: '1Z999', url: 'https://ups.example/1Z999' }] },
				userErrors: [],
			});
			const again = await h.gql(ALL_DOCUMENTS.FULFILLMENT_CREATE, { fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] } });
			expect(again.data.data!.fulfillmentCreate.userErrors[0].message).toContain('unfulfillable status= closed');

			const snap = h.state();
			expect(snap.fulfillmentOrders.find((x: any) => x.id === fo.id)).toMatchObject({ status: 'CLOSED', lineItems: [{ remainingQuantity: 0 }] });
			expect(snap.orders.find((o: any) => o.id === placed.data.id).fulfillmentStatus).toBe('FULFILLED');
			expect(snap.fulfillments).toHaveLength(1);
			expect(snap.levels.find((l: any) => l.sku === sku && l.locationId === loc).quantities).toMatchObject({ committed: before.committed, on_hand: before.on_hand - 2 });

			await h.sandbox.webhooks.whenIdle();
			const topics = receiver.received.map((r) => r.headers['x-shopify-topic']);
			expect(topics).toEqual(expect.arrayContaining(['orders/create', 'orders/paid', 'fulfillments/create', 'orders/updated']));
			const f = JSON.parse(receiver.received.find((r) => r.headers['x-shopify-topic'] === 'fulfillments/create')!.body);
			expect(f).toMatchObject({ status: 'success', tracking_company: 'UPS', tracking_number: '1Z999', line_items: [{ sku, quantity: 2 }] });
		} finally {
			await receiver.close();
		}
	});

	it('bulk export: CREATED → RUNNING → COMPLETED on the clock, JSONL with __parentId, one at a time before 2026-01', async () => {
		const run = (version: string) => h.gql(ALL_DOCUMENTS.BULK_OPERATION_RUN_QUERY, { query: BULK_EXPORTS.inventory }, { version });
		const started = await run('2025-10');
		const op = started.data.data!.bulkOperationRunQuery;
		expect(op).toEqual({ bulkOperation: { id: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\/\d+$/), status: 'CREATED' }, userErrors: [] });
		const busy = await run('2025-10');
		expect(busy.data.data!.bulkOperationRunQuery.userErrors[0]).toMatchObject({ code: 'OPERATION_IN_PROGRESS' });
		// From 2026-01 up to five run at once.
		expect((await run('2026-01')).data.data!.bulkOperationRunQuery.userErrors).toEqual([]);

		const status = async () => (await h.gql(ALL_DOCUMENTS.BULK_OPERATION_STATUS, { id: op.bulkOperation.id })).data.data!.node;
		expect((await status()).status).toBe('CREATED');
		await h.clock.advance(300);
		expect(await status()).toMatchObject({ status: 'RUNNING', url: null, objectCount: '0' });
		await h.clock.advance(1500);
		const done = await status();
		const snap = h.state();
		const items = new Set(snap.levels.map((l: any) => l.inventoryItemId)).size;
		expect(done).toMatchObject({ status: 'COMPLETED', objectCount: String(items + snap.levels.length), rootObjectCount: String(items), completedAt: expect.any(String) });
		const file = await axios.get(done.url, { responseType: 'text', transformResponse: [(d: string) => d] });
		expect(file.status).toBe(200);
		expect(String(done.fileSize)).toBe(String(Buffer.byteLength(file.data)));
		const rows = (file.data as string).trim().split('\n').map((l) => JSON.parse(l));
		const parents = rows.filter((r) => r.__parentId === undefined);
		const children = rows.filter((r) => r.__parentId !== undefined);
		expect(parents).toHaveLength(items);
		expect(parents[0]).toEqual({ id: expect.stringMatching(/InventoryItem/), sku: expect.any(String), tracked: true });
		expect(children[0]).toEqual({
			id: expect.stringMatching(/InventoryLevel/),
			location: { id: expect.stringMatching(/Location/) },
			quantities: [
				{ name: 'available', quantity: expect.any(Number) },
				{ name: 'on_hand', quantity: expect.any(Number) },
				{ name: 'committed', quantity: expect.any(Number) },
				{ name: 'reserved', quantity: expect.any(Number) },
				{ name: 'incoming', quantity: expect.any(Number) },
			],
			__parentId: parents[0].id,
		});
		expect((await run('2025-10')).data.data!.bulkOperationRunQuery.userErrors).toEqual([]);
	});

	it('bulk export validation refuses queries without connections, too many or too deep', async () => {
		const msg = async (query: string) => (await h.gql(ALL_DOCUMENTS.BULK_OPERATION_RUN_QUERY, { query })).data.data!.bulkOperationRunQuery.userErrors[0]?.message;
		expect(await msg('{ shop { name } }')).toMatch(/at least one connection/);
		expect(await msg('{ products { edges { node { variants { edges { node { inventoryItem { inventoryLevels { edges { node { id } } } } } } } } } } }')).toMatch(/nesting depth/);
		expect(await msg('{ products { edges { node { nope } } } }')).toMatch(/Invalid bulk query/);
		const catalog = await h.gql(ALL_DOCUMENTS.BULK_OPERATION_RUN_QUERY, { query: BULK_EXPORTS.catalog });
		expect(catalog.data.data!.bulkOperationRunQuery.userErrors).toEqual([]);
	});

	it('webhook subscriptions: create, list by topic, refuse duplicates and unknown topics, delete', async () => {
		const url = 'http://127.0.0.1:9/hooks';
		const a = await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTION_CREATE, { topic: 'PRODUCTS_UPDATE', callbackUrl: url });
		const sub = a.data.data!.webhookSubscriptionCreate.webhookSubscription;
		expect(sub).toEqual({ id: expect.stringMatching(/^gid:\/\/shopify\/WebhookSubscription\/\d+$/), topic: 'PRODUCTS_UPDATE' });
		const dup = await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTION_CREATE, { topic: 'PRODUCTS_UPDATE', callbackUrl: url });
		expect(dup.data.data!.webhookSubscriptionCreate.userErrors[0].message).toBe('Address for this topic has already been taken');
		const odd = await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTION_CREATE, { topic: 'CARTS_CREATE', callbackUrl: url });
		expect(odd.data.data!.webhookSubscriptionCreate.userErrors[0].message).toContain('never emits CARTS_CREATE');
		await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTION_CREATE, { topic: 'ORDERS_CREATE', callbackUrl: url });
		const list = await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTIONS, { first: 10, topics: ['PRODUCTS_UPDATE'] });
		expect(list.data.data!.webhookSubscriptions.nodes).toEqual([{ id: sub.id, topic: 'PRODUCTS_UPDATE', endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: url } }]);
		const del = await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTION_DELETE, { id: sub.id });
		expect(del.data.data!.webhookSubscriptionDelete).toEqual({ deletedWebhookSubscriptionId: sub.id, userErrors: [] });
		const after = await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTIONS, { first: 10 });
		expect(after.data.data!.webhookSubscriptions.nodes.map((n: any) => n.topic)).toEqual(['ORDERS_CREATE']);
	});

	it('seeds orders with line items from catalog SKUs and exposes everything in the state snapshot', async () => {
		const snap = h.state();
		const skus = new Set(snap.levels.map((l: any) => l.sku));
		expect(snap.orders).toHaveLength(12);
		for (const o of snap.orders) for (const li of o.lineItems) expect(skus.has(li.sku)).toBe(true);
		expect(snap.fulfillmentOrders).toHaveLength(12);
		expect(snap.locations).toHaveLength(3);
		expect(snap.products).toHaveLength(8);
		expect(snap.levels).toHaveLength(8 * 3);
		const catalog = h.sandbox.catalog()!;
		const item = catalog.items[0];
		const lvl = snap.levels.find((l: any) => l.sku === item.sku && l.legacyLocationId === item.stock[0].locationId);
		expect(lvl.quantities).toMatchObject({ available: item.stock[0].available, on_hand: item.stock[0].onHand, committed: item.stock[0].committed, incoming: item.stock[0].incoming });
		const bad = await h.control('inventory', { sku: 'NOPE', quantity: 1 });
		expect(bad.status).toBe(400);
		expect(bad.data.errors).toContain('sku');
	});
});
