/**
 * The Shopify stand-in's endpoint: auth, versions, validation per version, the implemented-field
 * check, the cost model (hand-checked per document), THROTTLED / MAX_COST_EXCEEDED, reads,
 * search syntax and cursors — over real HTTP to an in-process sandbox.
 */
import { parse, validate } from 'graphql';
import { ALL_DOCUMENTS, BULK_EXPORTS } from '../../../nodes/Shopify/graphql/documents';
import { IMPLEMENTED, unsupportedFields } from '../../../sandbox/systems/shopify/allowlist';
import { schemaFor } from '../../../sandbox/systems/shopify/schema';
import { parseSearch } from '../../../sandbox/systems/shopify/search';
import { startShopify, type ShopifyHarness } from './helpers';

describe('Shopify stand-in: schema coverage', () => {
	const schema = schemaFor('2026-01');

	it.each(Object.entries({ ...ALL_DOCUMENTS, ...BULK_EXPORTS }))('implements every field of %s', (_name, doc) => {
		const document = parse(doc);
		expect(validate(schema, document).map((e) => e.message)).toEqual([]);
		expect(unsupportedFields(schema, document).map((e) => e.message)).toEqual([]);
	});

	it('lists only fields that exist in the Admin schema', () => {
		const missing: string[] = [];
		for (const [typeName, fields] of Object.entries(IMPLEMENTED)) {
			const type = schema.getType(typeName) as { getFields?: () => Record<string, unknown> } | undefined;
			if (!type?.getFields) missing.push(typeName);
			else for (const f of fields) if (!(f in type.getFields())) missing.push(`${typeName}.${f}`);
		}
		expect(missing).toEqual([]);
	});

	it('the version schemas differ exactly where Shopify changed them', () => {
		const fields = (v: '2025-10' | '2026-01' | '2026-04', t: string) => Object.keys((schemaFor(v).getType(t) as any).getFields());
		expect(fields('2025-10', 'InventoryQuantityInput')).toEqual(expect.arrayContaining(['compareQuantity']));
		expect(fields('2025-10', 'InventoryQuantityInput')).not.toContain('changeFromQuantity');
		expect(schemaFor('2025-10').getDirective('idempotent')).toBeUndefined();
		expect(fields('2026-01', 'InventoryQuantityInput')).toEqual(expect.arrayContaining(['compareQuantity', 'changeFromQuantity']));
		expect(fields('2026-04', 'InventoryQuantityInput')).not.toContain('compareQuantity');
		expect(fields('2026-04', 'InventorySetQuantitiesInput')).not.toContain('ignoreCompareQuantity');
		expect(schemaFor('2026-04').getDirective('idempotent')).toBeDefined();
	});
});

describe('Shopify stand-in: search syntax', () => {
	it('parses sku terms bare, quoted and escaped, joined by OR', () => {
		expect(parseSearch(`sku:A-1 OR sku:'B 2' OR sku:"C\\"3" OR sku:D\\ 4`)).toEqual([
			[{ field: 'sku', op: ':', value: 'A-1', negated: false }],
			[{ field: 'sku', op: ':', value: 'B 2', negated: false }],
			[{ field: 'sku', op: ':', value: 'C"3', negated: false }],
			[{ field: 'sku', op: ':', value: 'D 4', negated: false }],
		]);
	});

	it('parses comparisons, negation and AND', () => {
		expect(parseSearch(`updated_at:>'2026-01-01T00:00:00Z' -status:draft handle:x`)).toEqual([
			[
				{ field: 'updated_at', op: '>', value: '2026-01-01T00:00:00Z', negated: false },
				{ field: 'status', op: ':', value: 'draft', negated: true },
				{ field: 'handle', op: ':', value: 'x', negated: false },
			],
		]);
	});

	it('refuses what it does not support, saying so', () => {
		expect(() => parseSearch('(sku:a OR sku:b)')).toThrow(/parentheses/);
		expect(() => parseSearch("sku:'open")).toThrow(/Unterminated single quote/);
		expect(() => parseSearch('sku:a OR')).toThrow(/OR/);
	});
});

describe('Shopify stand-in: endpoint', () => {
	let h: ShopifyHarness;
	beforeEach(async () => {
		h = await startShopify();
	});
	afterEach(() => h.close());

	it('answers 401 with Shopify’s body for a missing or wrong token, and 404 for an unknown version', async () => {
		for (const token of [null, 'shpat_wrong']) {
			const res = await h.gql(ALL_DOCUMENTS.SHOP_NAME, {}, { token });
			expect(res.status).toBe(401);
			expect(res.data).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
		}
		const old = await h.gql(ALL_DOCUMENTS.SHOP_NAME, {}, { version: '2024-01' });
		expect(old.status).toBe(404);
		expect(old.data).toEqual({ errors: 'Not Found' });
		const ok = await h.gql(ALL_DOCUMENTS.SHOP_NAME);
		expect(ok.status).toBe(200);
		expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect(ok.data.data).toEqual({ shop: { name: 'Commerce Sync Sandbox', myshopifyDomain: 'sandbox-shop.myshopify.com' } });
	});

	it('honours the accessToken seed option', async () => {
		h.sandbox.seed({ seed: 'x', skus: 2, locations: 1, options: { shopify: { accessToken: 'shpat_custom' } } });
		expect((await h.gql(ALL_DOCUMENTS.SHOP_NAME)).status).toBe(401);
		expect((await h.gql(ALL_DOCUMENTS.SHOP_NAME, {}, { token: 'shpat_custom' })).status).toBe(200);
	});

	it('refuses unknown fields, unimplemented fields and per-version fields with Shopify-shaped errors', async () => {
		const unknown = await h.gql('query { shop { name notAField } }');
		expect(unknown.status).toBe(200);
		expect(unknown.data.errors[0]).toMatchObject({ message: "Field 'notAField' doesn't exist on type 'Shop'", extensions: { code: 'undefinedField' } });
		expect(unknown.data.data).toBeUndefined();

		const unimplemented = await h.gql('query { shop { name email } }');
		expect(unimplemented.data.errors[0].extensions.code).toBe('SANDBOX_UNSUPPORTED_FIELD');
		expect(unimplemented.data.errors[0].message).toContain('Shop.email');

		const directive = await h.gql(ALL_DOCUMENTS.INVENTORY_SET_QUANTITIES_IDEMPOTENT, { input: {}, idempotencyKey: 'k' }, { version: '2025-10' });
		expect(directive.data.errors[0]).toMatchObject({ message: 'Directive @idempotent is not defined', extensions: { code: 'undefinedDirective' } });

		const level = h.state().levels[0];
		const q = { inventoryItemId: level.inventoryItemId, locationId: level.locationId, quantity: 5, changeFromQuantity: null };
		const changeFrom = await h.gql(ALL_DOCUMENTS.INVENTORY_SET_QUANTITIES, { input: { name: 'available', reason: 'correction', quantities: [q] } }, { version: '2025-10' });
		expect(changeFrom.data.errors[0]).toMatchObject({
			message: 'Variable $input of type InventorySetQuantitiesInput! was provided invalid value for quantities.0.changeFromQuantity (Field is not defined on InventoryQuantityInput)',
			extensions: { code: 'INVALID_VARIABLE', problems: [{ path: ['quantities', 0, 'changeFromQuantity'] }] },
		});

		const compare = await h.gql(
			ALL_DOCUMENTS.INVENTORY_SET_QUANTITIES_IDEMPOTENT,
			{ input: { name: 'available', reason: 'correction', ignoreCompareQuantity: true, quantities: [{ ...q, compareQuantity: 1 }] }, idempotencyKey: 'k1' },
			{ version: '2026-04' },
		);
		expect(compare.data.errors.map((e: any) => e.message).join(' ')).toMatch(/ignoreCompareQuantity|compareQuantity/);
		expect(h.state().levels[0].quantities).toEqual(level.quantities);
	});

	it('costs every document by the published rules (hand-checked numbers)', async () => {
		const s = h.state();
		const sku = s.levels[0].sku;
		const order = s.orders[0].id;
		const cases: Array<[string, Record<string, unknown>, number]> = [
			// shop: one object.
			['SHOP_NAME', {}, 1],
			// 2 + first × (node 1 + address 1).
			['LOCATIONS', { first: 10 }, 2 + 10 * 2],
			// 2 + first × (node 1 + levels(2 + levels × (node 1 + location 1 + names)))
			['INVENTORY_LEVELS_BY_SKU', { first: 10, query: `sku:${sku}`, levels: 3, names: ['available', 'on_hand'] }, 2 + 10 * (1 + 2 + 3 * (1 + 1 + 2))],
			// location 1 + levels(2 + first × (node 1 + item 1 + names))
			['INVENTORY_LEVELS_AT_LOCATION', { location: s.locations[0].id, first: 50, names: ['available', 'on_hand', 'committed'] }, 1 + 2 + 50 * (1 + 1 + 3)],
			// 2 + first × (node 1 + variants(2 + variants × (node 1 + inventoryItem 1)))
			['PRODUCTS', { first: 10, variants: 5 }, 2 + 10 * (1 + 2 + 5 * 2)],
			['PRODUCT_BY_HANDLE', { handle: s.products[0].handle, variants: 5 }, 1 + 2 + 5 * 2],
			// 2 + first × (node 1 + product 1 + inventoryItem 1)
			['VARIANTS_BY_SKU', { first: 5, query: `sku:${sku}` }, 2 + 5 * 3],
			// node: 1 + totalPriceSet 2 + customer 1 + shippingAddress 1 + lineItems(2 + n × (1 + variant 1 + price set 2))
			['ORDERS', { first: 10, lineItems: 5 }, 2 + 10 * (1 + 2 + 1 + 1 + 2 + 5 * 4)],
			['ORDER', { id: order, lineItems: 5 }, 1 + 2 + 1 + 1 + 2 + 5 * 4],
			// ids × (node 1 + levels(2 + levels × (node 1 + location 1 + names)))
			['INVENTORY_LEVELS_BY_ITEM_IDS', { ids: [s.levels[0].inventoryItemId, s.levels[3].inventoryItemId], levels: 3, names: ['available'] }, 2 * (1 + 2 + 3 * 3)],
			// order 1 + fulfillmentOrders(2 + 10 × (node 1 + lineItems(2 + 50 × 1)))
			['ORDER_FULFILLMENT_ORDERS', { id: order }, 1 + 2 + 10 * (1 + 2 + 50)],
			['BULK_OPERATION_STATUS', { id: 'gid://shopify/BulkOperation/1' }, 1],
			// 2 + first × (node 1 + endpoint 1)
			['WEBHOOK_SUBSCRIPTIONS', { first: 10 }, 2 + 10 * 2],
		];
		for (const [name, variables, expected] of cases) {
			const res = await h.gql(ALL_DOCUMENTS[name], variables);
			expect([name, res.data.errors]).toEqual([name, undefined]);
			expect([name, res.data.extensions?.cost?.requestedQueryCost]).toEqual([name, expected]);
		}
		// Mutations cost 10 flat, whatever they select.
		for (const name of Object.keys(ALL_DOCUMENTS).filter((n) => ALL_DOCUMENTS[n].trimStart().startsWith('mutation'))) {
			const input = name.startsWith('INVENTORY_SET')
				? { name: 'available', reason: 'correction', quantities: [] }
				: name.startsWith('INVENTORY_ADJUST')
					? { name: 'available', reason: 'correction', changes: [] }
					: { title: 'Cost probe' };
			const res = await h.gql(ALL_DOCUMENTS[name], {
				input,
				idempotencyKey: `cost-${name}`,
				variants: name === 'PRODUCT_VARIANTS_BULK_UPDATE' ? [] : 1,
				productId: 'gid://shopify/Product/1',
				fulfillment: { lineItemsByFulfillmentOrder: [] },
				query: '{ products { edges { node { id } } } }',
				topic: 'ORDERS_CREATE',
				callbackUrl: 'http://127.0.0.1:9/hook',
				id: 'gid://shopify/WebhookSubscription/999',
			});
			expect([name, res.data.extensions?.cost?.requestedQueryCost, res.data.extensions?.cost?.actualQueryCost]).toEqual([name, 10, 10]);
		}
	});

	it('reports the actual cost from what came back', async () => {
		// 3 locations exist: 2 + 3 × 2.
		const res = await h.gql(ALL_DOCUMENTS.LOCATIONS, { first: 10 });
		expect(res.data.data!.locations.nodes).toHaveLength(3);
		expect(res.data.extensions!.cost).toEqual({
			requestedQueryCost: 22,
			actualQueryCost: 8,
			throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 992, restoreRate: 100 },
		});
	});

	it('refuses a query asking more than 1000 points before running it (MAX_COST_EXCEEDED)', async () => {
		const res = await h.gql(ALL_DOCUMENTS.INVENTORY_LEVELS_BY_SKU, { first: 100, query: 'sku:x', levels: 10, names: ['available', 'on_hand', 'committed', 'reserved', 'incoming'] });
		const cost = 2 + 100 * (3 + 10 * 7);
		expect(res.status).toBe(200);
		expect(res.data.data).toBeUndefined();
		expect(res.data.errors).toEqual([
			{
				message: `Query cost is ${cost}, which exceeds the single query max cost limit (1000).`,
				extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: 1000, documentation: 'https://shopify.dev/api/usage/rate-limits' },
			},
		]);
		// Nothing was charged.
		expect(res.data.extensions!.cost!.throttleStatus.currentlyAvailable).toBe(1000);
	});

	it('throttles when the bucket is low and recovers at the restore rate (sandbox clock)', async () => {
		h.sandbox.seed({ seed: 'throttle', skus: 8, locations: 2, options: { shopify: { maximumAvailable: 100, restoreRate: 10 } } });
		// 8 products × 1 variant: requested = actual = 2 + 8 × (1 + 2 + 1 × 2) = 42.
		const vars = { first: 8, variants: 1 };
		const a = await h.gql(ALL_DOCUMENTS.PRODUCTS, vars);
		expect(a.data.extensions!.cost).toMatchObject({ requestedQueryCost: 42, actualQueryCost: 42, throttleStatus: { maximumAvailable: 100, currentlyAvailable: 58, restoreRate: 10 } });
		const b = await h.gql(ALL_DOCUMENTS.PRODUCTS, vars);
		expect(b.data.extensions!.cost!.throttleStatus.currentlyAvailable).toBe(16);
		const c = await h.gql(ALL_DOCUMENTS.PRODUCTS, vars);
		expect(c.status).toBe(200);
		expect(c.data).toEqual({
			errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
			extensions: { cost: { requestedQueryCost: 42, actualQueryCost: null, throttleStatus: { maximumAvailable: 100, currentlyAvailable: 16, restoreRate: 10 } } },
		});
		// (42 − 16) / 10 = 2.6 s to restore.
		await h.clock.advance(2000);
		expect((await h.gql(ALL_DOCUMENTS.PRODUCTS, vars)).data.errors?.[0]?.extensions?.code).toBe('THROTTLED');
		await h.clock.advance(600);
		const d = await h.gql(ALL_DOCUMENTS.PRODUCTS, vars);
		expect(d.data.errors).toBeUndefined();
		expect(d.data.extensions!.cost!.throttleStatus.currentlyAvailable).toBe(0);
	});

	it('the limits control API changes the bucket at run time', async () => {
		const patch = await fetch(`${h.sandbox.controlUrl}/limits/shopify/cost`, {
			method: 'PATCH',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ maximumAvailable: 2000, restoreRate: 1000 }),
		});
		expect(patch.status).toBe(200);
		const res = await h.gql(ALL_DOCUMENTS.SHOP_NAME);
		expect(res.data.extensions!.cost!.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 1000 });
	});

	it('searches inventory items by sku terms joined by OR, exact and case-sensitive', async () => {
		const skus: string[] = [...new Set<string>(h.state().levels.map((l: any) => l.sku))];
		const [a, b, c] = skus;
		const ask = async (query: string) => {
			const res = await h.gql(ALL_DOCUMENTS.INVENTORY_LEVELS_BY_SKU, { first: 10, query, levels: 3, names: ['available'] });
			expect(res.data.errors).toBeUndefined();
			return res.data.data!.inventoryItems.nodes.map((n: any) => n.sku).sort();
		};
		expect(await ask(`sku:${a} OR sku:'${b}' OR sku:"${c}"`)).toEqual([a, b, c].sort());
		expect(await ask(`sku:${a.toLowerCase()}`)).toEqual([]);
		expect(await ask(`sku:${a.slice(0, 4)}*`)).toEqual(skus.filter((s) => s.startsWith(a.slice(0, 4))).sort());
		const warned = await h.gql(ALL_DOCUMENTS.INVENTORY_LEVELS_BY_SKU, { first: 10, query: `colour:red sku:${a}`, levels: 1, names: ['available'] });
		expect(warned.data.data!.inventoryItems.nodes.map((n: any) => n.sku)).toEqual([a]);
		expect(warned.data.extensions!.search).toEqual([
			{ path: ['inventoryItems'], query: `colour:red sku:${a}`, warnings: [{ field: 'colour', message: 'Invalid search field for this query.' }] },
		]);
	});

	it('filters products and orders by updated_at, sku and handle, and variants by sku', async () => {
		const s = h.state();
		const p = s.products[2];
		const byHandle = await h.gql(ALL_DOCUMENTS.PRODUCTS, { first: 10, variants: 1, query: `handle:${p.handle}` });
		expect(byHandle.data.data!.products.nodes.map((n: any) => n.id)).toEqual([p.id]);
		const bySku = await h.gql(ALL_DOCUMENTS.PRODUCTS, { first: 10, variants: 1, query: `sku:'${p.variants[0].sku}'` });
		expect(bySku.data.data!.products.nodes.map((n: any) => n.id)).toEqual([p.id]);
		const cut = s.orders[5].updatedAt;
		const recent = await h.gql(ALL_DOCUMENTS.ORDERS, { first: 50, lineItems: 1, query: `updated_at:>'${cut}'` });
		const expected = s.orders.filter((o: any) => Date.parse(o.updatedAt) > Date.parse(cut)).map((o: any) => o.id);
		expect(recent.data.data!.orders.nodes.map((n: any) => n.id).sort()).toEqual(expected.sort());
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(s.orders.length);
		const variant = await h.gql(ALL_DOCUMENTS.VARIANTS_BY_SKU, { first: 5, query: `sku:${p.variants[0].sku}` });
		expect(variant.data.data!.productVariants.nodes).toEqual([
			{ id: p.variants[0].id, sku: p.variants[0].sku, price: p.variants[0].price, compareAtPrice: p.variants[0].compareAtPrice, product: { id: p.id, handle: p.handle }, inventoryItem: { id: p.variants[0].inventoryItemId } },
		]);
		const loc = await h.gql(ALL_DOCUMENTS.LOCATIONS, { first: 5, query: `name:'${s.locations[1].name}'` });
		expect(loc.data.data!.locations.nodes.map((n: any) => n.id)).toContain(s.locations[1].id);
	});

	it('pages with opaque cursors until hasNextPage is false, in UPDATED_AT order', async () => {
		const seen: string[] = [];
		let after: string | null = null;
		let pages = 0;
		for (;;) {
			const res = await h.gql(ALL_DOCUMENTS.ORDERS, { first: 5, after, lineItems: 1 });
			const conn: any = res.data.data!.orders;
			seen.push(...conn.nodes.map((n: any) => n.updatedAt));
			pages++;
			if (!conn.pageInfo.hasNextPage) break;
			after = conn.pageInfo.endCursor;
			expect(JSON.parse(Buffer.from(after as string, 'base64').toString())).toEqual({ last_id: expect.any(Number), last_value: expect.any(Number) });
		}
		expect(seen).toHaveLength(h.state().orders.length);
		expect(pages).toBe(Math.ceil(seen.length / 5));
		expect([...seen].sort()).toEqual(seen);
		const bad = await h.gql(ALL_DOCUMENTS.ORDERS, { first: 5, after: 'not-a-cursor', lineItems: 1 });
		expect(bad.data.errors[0].message).toMatch(/Invalid cursor/);
		const big = await h.gql(ALL_DOCUMENTS.LOCATIONS, { first: 251 });
		expect(big.data.errors[0].message).toMatch(/between 0 and 250/);
	});

	it('reads levels at a location with named quantities consistent with on_hand', async () => {
		const s = h.state();
		const res = await h.gql(ALL_DOCUMENTS.INVENTORY_LEVELS_AT_LOCATION, { location: s.locations[0].id, first: 3, names: ['available', 'on_hand', 'committed', 'reserved', 'incoming'] });
		const nodes = res.data.data!.location.inventoryLevels.nodes;
		expect(nodes).toHaveLength(3);
		for (const n of nodes) {
			const q = Object.fromEntries(n.quantities.map((x: any) => [x.name, x.quantity]));
			expect(q.on_hand).toBe(q.available + q.committed + q.reserved);
			const snap = s.levels.find((l: any) => l.inventoryItemId === n.item.id && l.locationId === s.locations[0].id);
			expect(snap.quantities.available).toBe(q.available);
		}
	});
});
