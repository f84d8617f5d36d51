import { setParams, shopifySandbox } from './helpers';

describe('Shopify inventory through the node', () => {
	let s: Awaited<ReturnType<typeof shopifySandbox>>;

	beforeAll(async () => {
		s = await shopifySandbox();
	});
	afterAll(async () => {
		await s.close();
	});
	beforeEach(() => s.reset());

	it('reads levels for many SKUs in a few batched calls, as stock rows', async () => {
		const skus = [...new Set(s.levels().map((l) => l.sku))];
		const before = s.mutations().length;
		const out = await s.run(
			{ resource: 'inventory', operation: 'getLevels', readBy: 'sku', skus: (i: number) => skus[i], location: '', onUnknownSku: 'error', maxLevels: 2 },
			skus.map((sku) => ({ sku })),
		);
		expect(out).toHaveLength(s.levels().length);
		expect(s.mutations().length - before).toBeLessThanOrEqual(3);
		const first = s.levels()[0];
		const row = out.find((r) => r.json.sku === first.sku && r.json.locationId === first.locationId)!;
		expect(row.json).toMatchObject({
			channel: 'shopify',
			inventoryItemId: first.inventoryItemId,
			quantities: { available: first.quantities.available, onHand: first.quantities.on_hand, committed: first.quantities.committed },
		});
		expect(row.pairedItem).toEqual({ item: skus.indexOf(first.sku) });
	});

	it('asks at most half the cost bucket per level read, so one read never needs a full bucket', async () => {
		// With 50 levels per SKU a single query could ask for nearly all 1,000 points; such a query
		// waits for a full bucket and is THROTTLED when the server charged another a moment late.
		const skus = [...new Set(s.levels().map((l) => l.sku))];
		s.sandbox.clearRequests();
		await s.run({ resource: 'inventory', operation: 'getLevels', readBy: 'sku', skus: (i: number) => skus[i], location: '', onUnknownSku: 'error', maxLevels: 50 }, skus.map((sku) => ({ sku })));
		const charged = s.sandbox
			.requests({ system: 'shopify' })
			.flatMap((r) => r.rateLimit.filter((o) => o.policy === 'cost'))
			.map((o) => (o.limit ?? 0) - (o.remaining ?? 0));
		expect(charged.length).toBeGreaterThanOrEqual(2);
		// The first query meets a full bucket, so what it left is what it asked.
		expect(charged[0]).toBeLessThanOrEqual(500);
	});

	it('reports an unknown SKU on its own item and still reads the others', async () => {
		const known = s.levels()[0].sku;
		const out = await s.run(
			{ resource: 'inventory', operation: 'getLevels', readBy: 'sku', skus: (_i: number, item: { json: { sku: string } }) => item.json.sku, location: '', onUnknownSku: 'error', maxLevels: 10 },
			[{ sku: 'NOPE-1' }, { sku: known }],
			{ continueOnFail: true },
		);
		expect(out[0].error).toBeUndefined();
		expect(out[0].json.error).toMatchObject({ field: 'skus', message: expect.stringContaining('"NOPE-1"') });
		expect(out.slice(1).every((r) => r.json.sku === known)).toBe(true);
	});

	it('sets quantities with compare-and-set and an idempotency key, carrying the correlation id', async () => {
		const [a, b] = s.levels();
		const out = await s.run(setParams(), [
			{ sku: a.sku, locationId: a.locationId, target: 40, current: a.quantities.available, correlationId: 'corr-1' },
			{ sku: b.sku, locationId: b.locationId, target: 0, current: b.quantities.available },
		]);
		expect(out.map((r) => r.json.status)).toEqual(['set', 'set']);
		expect(out[0].json).toMatchObject({ target: 40, correlationId: 'corr-1', delta: 40 - a.quantities.available });
		expect(s.level(a.sku, a.locationId).quantities.available).toBe(40);
		expect(s.level(b.sku, b.locationId).quantities.available).toBe(0);
		expect((s.sandbox.state('shopify') as { idempotencyKeys: number }).idempotencyKeys).toBe(1);
	});

	it('never overwrites a stale value: the stale item comes out as a conflict, the rest are written', async () => {
		const [a, b] = s.levels();
		await s.merchantSets(a.sku, a.locationId, 77);
		const out = await s.run(setParams(), [
			{ sku: a.sku, locationId: a.locationId, target: 10, current: a.quantities.available },
			{ sku: b.sku, locationId: b.locationId, target: 11, current: b.quantities.available },
		]);
		expect(out[0].json).toMatchObject({ status: 'conflict', expected: a.quantities.available, current: 77, target: 10 });
		expect(out[1].json).toMatchObject({ status: 'set', target: 11 });
		expect(s.level(a.sku, a.locationId).quantities.available).toBe(77);
		expect(s.level(b.sku, b.locationId).quantities.available).toBe(11);
	});

	it('uses compareQuantity on 2025-10', async () => {
		const [a] = s.levels();
		await s.merchantSets(a.sku, a.locationId, 5);
		const out = await s.run(setParams(), [{ sku: a.sku, locationId: a.locationId, target: 9, current: 4 }], { version: '2025-10' });
		expect(out[0].json).toMatchObject({ status: 'conflict', current: 5 });
		const ok = await s.run(setParams(), [{ sku: a.sku, locationId: a.locationId, target: 9, current: 5 }], { version: '2025-10' });
		expect(ok[0].json.status).toBe('set');
		expect(s.level(a.sku, a.locationId).quantities.available).toBe(9);
	});

	it('dry run outputs the exact mutation input and writes nothing', async () => {
		const [a] = s.levels();
		const out = await s.run(setParams({ dryRun: true }), [{ sku: a.sku, locationId: a.locationId, target: 3, current: a.quantities.available }]);
		expect(out[0].json).toMatchObject({
			status: 'dryRun',
			request: {
				mutation: 'inventorySetQuantities',
				input: { name: 'available', quantities: [{ inventoryItemId: a.inventoryItemId, locationId: a.locationId, quantity: 3, changeFromQuantity: a.quantities.available }] },
				idempotencyKey: expect.stringMatching(/^[0-9a-f]{64}$/),
			},
		});
		expect(s.level(a.sku, a.locationId).quantities.available).toBe(a.quantities.available);
	});

	it.each([
		[{ target: -1, current: 0 }, /must not be negative/, 'quantity'],
		[{ target: 2.5, current: 0 }, /whole number/, 'quantity'],
		[{ target: 'lots', current: 0 }, /whole number/, 'quantity'],
		[{ target: 3 }, /no expected current quantity/, 'expectedQuantity'],
	])('refuses bad input %p on its item only', async (bad, message, field) => {
		const [a, b] = s.levels();
		const out = await s.run(
			setParams(),
			[
				{ sku: a.sku, locationId: a.locationId, ...bad },
				{ sku: b.sku, locationId: b.locationId, target: 2, current: b.quantities.available },
			],
			{ continueOnFail: true },
		);
		expect(out[0].json.error).toMatchObject({ message: expect.stringMatching(message), field });
		expect(out[1].json.status).toBe('set');
	});

	it('adjusts by deltas once, even when the same adjustment is run twice with its key', async () => {
		const [a] = s.levels();
		const params = {
			resource: 'inventory',
			operation: 'adjustQuantities',
			sku: a.sku,
			inventoryItemId: '',
			locationId: a.locationId,
			delta: -2,
			quantityName: 'available',
			reason: 'correction',
			idempotencyKey: 'shipment-991',
			dryRun: false,
			correlationId: '',
		};
		await s.run(params);
		await s.run(params);
		expect(s.level(a.sku, a.locationId).quantities.available).toBe(a.quantities.available - 2);
	});
});
