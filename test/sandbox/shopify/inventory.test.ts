/**
 * Inventory writes on the Shopify stand-in: compare-and-set per API version, userErrors, the
 * adjust ledger rules, `@idempotent` replay, the 2026-04 mandatory key, the merchant control
 * route and signed `inventory_levels/update` webhooks (checked with an independent HMAC).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ALL_DOCUMENTS } from '../../../nodes/Shopify/graphql/documents';
import { startReceiver } from '../fixtures';
import { SECRET, startShopify, type ShopifyHarness } from './helpers';

type Level = { sku: string; inventoryItemId: string; locationId: string; quantities: Record<string, number> };

describe('Shopify stand-in: inventory writes', () => {
	let h: ShopifyHarness;
	let level: Level;
	let other: Level;
	beforeEach(async () => {
		h = await startShopify();
		level = h.state().levels[0];
		other = h.state().levels[1];
	});
	afterEach(() => h.close());

	const levelNow = (l: Level): Record<string, number> =>
		h.state().levels.find((x: Level) => x.inventoryItemId === l.inventoryItemId && x.locationId === l.locationId).quantities;
	const set = (version: string, quantities: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}, key?: string) =>
		h.gql(
			key === undefined ? ALL_DOCUMENTS.INVENTORY_SET_QUANTITIES : ALL_DOCUMENTS.INVENTORY_SET_QUANTITIES_IDEMPOTENT,
			{ input: { name: 'available', reason: 'correction', referenceDocumentUri: 'commerce-sync://run/1', quantities, ...extra }, idempotencyKey: key },
			{ version },
		);
	const q = (l: Level, quantity: number, more: Record<string, unknown> = {}) => ({ inventoryItemId: l.inventoryItemId, locationId: l.locationId, quantity, ...more });

	it('≤2025-10: compareQuantity is required unless ignored; a stale one fails the whole mutation', async () => {
		const required = await set('2025-10', [q(level, 5)]);
		expect(required.data.data!.inventorySetQuantities).toEqual({
			inventoryAdjustmentGroup: null,
			userErrors: [{ code: 'COMPARE_QUANTITY_REQUIRED', field: ['input', 'quantities', '0', 'compareQuantity'], message: expect.any(String) }],
		});
		const stale = await set('2025-10', [q(other, 7, { compareQuantity: other.quantities.available }), q(level, 5, { compareQuantity: level.quantities.available + 1 })]);
		expect(stale.data.data!.inventorySetQuantities.userErrors).toEqual([
			{ code: 'COMPARE_QUANTITY_STALE', field: ['input', 'quantities', '1', 'compareQuantity'], message: expect.stringContaining('no longer matches') },
		]);
		expect(levelNow(other)).toEqual(other.quantities);
		const ok = await set('2025-10', [q(level, level.quantities.available + 4, { compareQuantity: level.quantities.available })]);
		const group = ok.data.data!.inventorySetQuantities.inventoryAdjustmentGroup;
		expect(group.changes).toEqual([
			{ name: 'available', delta: 4, quantityAfterChange: level.quantities.available + 4, item: { id: level.inventoryItemId, sku: level.sku }, location: { id: level.locationId } },
			{ name: 'on_hand', delta: 4, quantityAfterChange: level.quantities.on_hand + 4, item: { id: level.inventoryItemId, sku: level.sku }, location: { id: level.locationId } },
		]);
		expect(group.reason).toBe('correction');
		expect(group.referenceDocumentUri).toBe('commerce-sync://run/1');
		const ignored = await set('2025-10', [q(level, 1)], { ignoreCompareQuantity: true });
		expect(ignored.data.data!.inventorySetQuantities.userErrors).toEqual([]);
		expect(levelNow(level)).toMatchObject({ available: 1, on_hand: level.quantities.on_hand - level.quantities.available + 1 });
	});

	it('2026-01: changeFromQuantity overrides the old fields when present (null skips the check)', async () => {
		const stale = await set('2026-01', [q(level, 9, { changeFromQuantity: level.quantities.available - 1, compareQuantity: level.quantities.available })]);
		expect(stale.data.data!.inventorySetQuantities.userErrors).toEqual([
			{ code: 'COMPARE_QUANTITY_STALE', field: ['input', 'quantities', '0', 'changeFromQuantity'], message: expect.any(String) },
		]);
		const skip = await set('2026-01', [q(level, 9, { changeFromQuantity: null })]);
		expect(skip.data.data!.inventorySetQuantities.userErrors).toEqual([]);
		expect(levelNow(level).available).toBe(9);
		// Key omitted: the old rules still apply.
		const legacy = await set('2026-01', [q(level, 3)]);
		expect(legacy.data.data!.inventorySetQuantities.userErrors[0].code).toBe('COMPARE_QUANTITY_REQUIRED');
	});

	it('2026-04: the key is mandatory, stale is CHANGE_FROM_QUANTITY_STALE, and @idempotent is required', async () => {
		const noDirective = await set('2026-04', [q(level, 5, { changeFromQuantity: null })]);
		expect(noDirective.data.data).toEqual({ inventorySetQuantities: null });
		expect(noDirective.data.errors[0]).toMatchObject({ message: expect.stringContaining('@idempotent directive is required'), path: ['inventorySetQuantities'], extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
		const missing = await set('2026-04', [q(level, 5)], {}, 'k-missing');
		expect(missing.data.data!.inventorySetQuantities.userErrors[0]).toMatchObject({ code: 'CHANGE_FROM_QUANTITY_REQUIRED', field: ['input', 'quantities', '0', 'changeFromQuantity'] });
		// A merchant sells 2 in the admin between our read and our write.
		await h.control('inventory', { sku: level.sku, locationId: level.locationId, delta: -2 });
		const stale = await set('2026-04', [q(other, 1, { changeFromQuantity: other.quantities.available }), q(level, 50, { changeFromQuantity: level.quantities.available })], {}, 'k-stale');
		expect(stale.data.data!.inventorySetQuantities).toEqual({
			inventoryAdjustmentGroup: null,
			userErrors: [{ code: 'CHANGE_FROM_QUANTITY_STALE', field: ['input', 'quantities', '1', 'changeFromQuantity'], message: expect.stringContaining(`it is ${level.quantities.available - 2} now`) }],
		});
		expect(levelNow(other)).toEqual(other.quantities);
		const fresh = await set('2026-04', [q(level, 50, { changeFromQuantity: level.quantities.available - 2 })], {}, 'k-fresh');
		expect(fresh.data.data!.inventorySetQuantities.userErrors).toEqual([]);
		expect(levelNow(level).available).toBe(50);
	});

	it('@idempotent: a repeated key with the same variables returns the first result without applying again', async () => {
		const quantities = [q(level, level.quantities.available + 10, { changeFromQuantity: null })];
		const first = await set('2026-01', quantities, {}, 'key-1');
		expect(levelNow(level).available).toBe(level.quantities.available + 10);
		await h.control('inventory', { sku: level.sku, locationId: level.locationId, quantity: 3 });
		const again = await set('2026-01', quantities, {}, 'key-1');
		expect(again.data.data).toEqual(first.data.data);
		expect(levelNow(level).available).toBe(3);
		const reused = await set('2026-01', [q(level, 99, { changeFromQuantity: null })], {}, 'key-1');
		expect(reused.data.errors[0].message).toContain('already used with different arguments');
		expect(levelNow(level).available).toBe(3);
		const adjust = { input: { name: 'available', reason: 'correction', changes: [{ delta: 2, inventoryItemId: level.inventoryItemId, locationId: level.locationId }] }, idempotencyKey: 'adj-1' };
		await h.gql(ALL_DOCUMENTS.INVENTORY_ADJUST_QUANTITIES_IDEMPOTENT, adjust);
		await h.gql(ALL_DOCUMENTS.INVENTORY_ADJUST_QUANTITIES_IDEMPOTENT, adjust);
		expect(levelNow(level).available).toBe(5);
		const noKey = await h.gql(ALL_DOCUMENTS.INVENTORY_ADJUST_QUANTITIES, { input: adjust.input }, { version: '2026-04' });
		expect(noKey.data.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
	});

	it('reports the other userError codes by index and applies nothing', async () => {
		const loc2 = h.state().locations[1].id;
		const cases: Array<[Array<Record<string, unknown>>, Record<string, unknown>, string, string[]]> = [
			[[q(level, 1, { inventoryItemId: 'gid://shopify/InventoryItem/1' })], {}, 'INVALID_INVENTORY_ITEM', ['input', 'quantities', '0', 'inventoryItemId']],
			[[q(level, 1, { locationId: 'gid://shopify/Location/1' })], {}, 'INVALID_LOCATION', ['input', 'quantities', '0', 'locationId']],
			[[q(level, -1)], {}, 'INVALID_QUANTITY_NEGATIVE', ['input', 'quantities', '0', 'quantity']],
			[[q(level, 1_000_000_001)], {}, 'INVALID_QUANTITY_TOO_HIGH', ['input', 'quantities', '0', 'quantity']],
			[[q(level, 1), q(level, 2)], {}, 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR', ['input', 'quantities', '1']],
			[[q(level, 1)], { reason: 'because' }, 'INVALID_REASON', ['input', 'reason']],
			[[q(level, 1)], { name: 'committed' }, 'INVALID_NAME', ['input', 'name']],
		];
		for (const [quantities, extra, code, field] of cases) {
			const res = await set('2025-10', quantities.map((x) => ({ ...x, compareQuantity: null })), { ignoreCompareQuantity: true, ...extra });
			expect([code, res.data.data!.inventorySetQuantities.userErrors.map((e: any) => [e.code, e.field])]).toEqual([code, [[code, field]]]);
		}
		// A new product is stocked only at the primary location.
		const created = await h.gql(ALL_DOCUMENTS.PRODUCT_SET, {
			input: { title: 'Fresh', productOptions: [{ name: 'Title', values: [{ name: 'Default Title' }] }], variants: [{ sku: 'NEW-1', optionValues: [{ optionName: 'Title', name: 'Default Title' }] }] },
			variants: 1,
		});
		const itemId = created.data.data!.productSet.product.variants.nodes[0].inventoryItem.id;
		const notStocked = await set('2026-01', [{ inventoryItemId: itemId, locationId: loc2, quantity: 1, changeFromQuantity: null }]);
		expect(notStocked.data.data!.inventorySetQuantities.userErrors[0].code).toBe('ITEM_NOT_STOCKED_AT_LOCATION');
		const tooMany = await set('2025-10', Array.from({ length: 251 }, () => q(level, 1)), { ignoreCompareQuantity: true });
		expect(tooMany.data.errors[0]).toMatchObject({ message: 'The input array size of 251 is greater than the maximum allowed of 250.', extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' } });
		expect(levelNow(level)).toEqual(level.quantities);
	});

	it('adjusts with the ledger-document rules and moves on_hand with on-hand states only', async () => {
		const adjust = (name: string, changes: Array<Record<string, unknown>>) =>
			h.gql(ALL_DOCUMENTS.INVENTORY_ADJUST_QUANTITIES, { input: { name, reason: 'damaged', changes } });
		const base = { inventoryItemId: level.inventoryItemId, locationId: level.locationId };
		const codes = async (name: string, changes: Array<Record<string, unknown>>) =>
			(await adjust(name, changes)).data.data!.inventoryAdjustQuantities.userErrors.map((e: any) => e.code);
		expect(await codes('available', [{ ...base, delta: 1, ledgerDocumentUri: 'app://x/1' }])).toEqual(['INVALID_AVAILABLE_DOCUMENT']);
		expect(await codes('damaged', [{ ...base, delta: 1 }])).toEqual(['INVALID_QUANTITY_DOCUMENT']);
		expect(await codes('damaged', [{ ...base, delta: 1, ledgerDocumentUri: 'gid://shopify/Order/1' }])).toEqual(['INTERNAL_LEDGER_DOCUMENT']);
		expect(await codes('damaged', [{ ...base, delta: 1, ledgerDocumentUri: 'app://a' }, { inventoryItemId: other.inventoryItemId, locationId: other.locationId, delta: 1, ledgerDocumentUri: 'app://b' }])).toEqual(['MAX_ONE_LEDGER_DOCUMENT']);
		expect(await codes('committed', [{ ...base, delta: 1 }])).toEqual(['INVALID_QUANTITY_NAME']);
		expect(levelNow(level)).toEqual(level.quantities);

		const damaged = await adjust('damaged', [{ ...base, delta: 2, ledgerDocumentUri: 'app://rma/7' }]);
		expect(damaged.data.data!.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes.map((c: any) => [c.name, c.delta])).toEqual([['damaged', 2], ['on_hand', 2]]);
		const incoming = await adjust('incoming', [{ ...base, delta: 5, ledgerDocumentUri: 'app://po/1' }]);
		expect(incoming.data.data!.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes.map((c: any) => [c.name, c.delta])).toEqual([['incoming', 5]]);
		expect(levelNow(level)).toMatchObject({ damaged: 2, on_hand: level.quantities.on_hand + 2, incoming: level.quantities.incoming + 5, available: level.quantities.available });

		const stale = await adjust('available', [{ ...base, delta: -1, changeFromQuantity: level.quantities.available + 3 }]);
		expect(stale.data.data!.inventoryAdjustQuantities.userErrors).toEqual([
			{ code: 'CHANGE_FROM_QUANTITY_STALE', field: ['input', 'changes', '0', 'changeFromQuantity'], message: expect.any(String) },
		]);
	});

	it('emits inventory_levels/update signed with the app secret (verified independently)', async () => {
		const receiver = await startReceiver();
		try {
			const sub = await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTION_CREATE, { topic: 'INVENTORY_LEVELS_UPDATE', callbackUrl: receiver.url });
			expect(sub.data.data!.webhookSubscriptionCreate.userErrors).toEqual([]);
			await set('2026-01', [q(level, 42, { changeFromQuantity: null })]);
			await h.control('inventory', { sku: level.sku, locationId: level.locationId, quantity: 40 });
			await h.sandbox.webhooks.whenIdle();
			expect(receiver.received).toHaveLength(2);
			const [a, b] = receiver.received;
			for (const r of [a, b]) {
				const expected = createHmac('sha256', SECRET).update(Buffer.from(r.body, 'utf8')).digest();
				const got = Buffer.from(String(r.headers['x-shopify-hmac-sha256']), 'base64');
				expect(got.length === expected.length && timingSafeEqual(got, expected)).toBe(true);
				expect(r.headers['x-shopify-topic']).toBe('inventory_levels/update');
				expect(r.headers['x-shopify-shop-domain']).toBe('sandbox-shop.myshopify.com');
				expect(r.headers['x-shopify-api-version']).toBe('2026-01');
				expect(r.headers['x-shopify-webhook-id']).toBeTruthy();
				expect(r.headers['x-shopify-event-id']).toBeTruthy();
				expect(new Date(String(r.headers['x-shopify-triggered-at'])).getTime()).toBe(h.clock.now());
			}
			const itemNum = Number(level.inventoryItemId.split('/').pop());
			const locNum = Number(level.locationId.split('/').pop());
			expect(JSON.parse(a.body)).toEqual({
				inventory_item_id: itemNum,
				location_id: locNum,
				available: 42,
				updated_at: expect.any(String),
				admin_graphql_api_id: `gid://shopify/InventoryLevel/${locNum}?inventory_item_id=${itemNum}`,
			});
			expect(JSON.parse(b.body).available).toBe(40);
			// A body signed with another secret does not verify.
			expect(createHmac('sha256', 'other').update(a.body).digest('base64')).not.toBe(a.headers['x-shopify-hmac-sha256']);
		} finally {
			await receiver.close();
		}
	});

	it('retries failed deliveries on the Shopify schedule, keeping the event id', async () => {
		const receiver = await startReceiver((n) => (n < 3 ? 500 : 200));
		try {
			await h.gql(ALL_DOCUMENTS.WEBHOOK_SUBSCRIPTION_CREATE, { topic: 'INVENTORY_LEVELS_UPDATE', callbackUrl: receiver.url });
			await h.control('inventory', { sku: level.sku, locationId: level.locationId, delta: 1 });
			await h.sandbox.webhooks.whenIdle();
			await h.clock.advance(10_000);
			await h.sandbox.webhooks.whenIdle();
			await h.clock.advance(30_000);
			await h.sandbox.webhooks.whenIdle();
			expect(receiver.received).toHaveLength(3);
			expect(new Set(receiver.received.map((r) => r.headers['x-shopify-event-id'])).size).toBe(1);
		} finally {
			await receiver.close();
		}
	});
});
