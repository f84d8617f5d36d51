import { allocate, reconcile } from '../../../nodes/shared/core/reconcile';
import type { ChannelRow, ReconcileRules, TruthRow } from '../../../nodes/shared/core/reconcile';
import { adjustmentKey } from '../../../nodes/shared/core/reconcile/engine';
import { scopedIdempotencyKey } from '../../../nodes/shared/core/idempotency/key';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const rules = (extra: Partial<ReconcileRules> = {}): ReconcileRules => ({ now: NOW, reportUnlisted: false, ...extra });
let t = 0;
let c = 0;
const truth = (sku: unknown, locationId: unknown, onHand: unknown, committed: unknown = 0, reserved: unknown = 0, extra: Partial<TruthRow> = {}): TruthRow => ({
	index: t++,
	sku,
	locationId,
	onHand,
	committed,
	reserved,
	asOf: NOW - 60_000,
	...extra,
});
const chan = (channel: string, sku: string, locationId: string, current: unknown, extra: Partial<ChannelRow> = {}): ChannelRow => ({
	index: c++,
	channel,
	sku,
	locationId,
	current,
	...extra,
});

beforeEach(() => {
	t = 0;
	c = 0;
});

describe('available to sell', () => {
	it('is on hand − committed − reserved − safety stock at the same-id location', () => {
		const plan = reconcile([truth('A', 'WH1', 20, 3, 2), truth('A', 'WH2', 50)], [chan('shopify', 'A', 'WH1', 9)], rules({ safetyStock: 4 }));
		// 20 − 3 − 2 − 4 = 11 (WH2 does not count: the channel location is WH1)
		expect(plan.adjustments).toEqual([
			expect.objectContaining({ channel: 'shopify', sku: 'A', locationId: 'WH1', target: 11, current: 9, delta: 2, atp: 11, truthLocationIds: ['WH1'], truthIndexes: [0], channelIndex: 0 }),
		]);
		expect(plan.adjustments[0].reason).toBe('available to sell 11 = on hand 20 - committed 3 - reserved 2 - safety 4 at WH1');
	});

	it('pools every warehouse into a channel location with no matching id', () => {
		const plan = reconcile([truth('A', 'WH1', 5), truth('A', 'WH2', 7, 2)], [chan('amazon', 'A', 'DEFAULT', 0)], rules());
		expect(plan.adjustments[0]).toMatchObject({ target: 10, truthLocationIds: ['WH1', 'WH2'], truthIndexes: [0, 1] });
	});

	it('uses the mapping table when given, and reports unmapped channel locations', () => {
		const mappings = [{ channel: 'shopify', channelLocationId: 'gid://shopify/Location/1', truthLocationIds: ['WH2'] }];
		const plan = reconcile(
			[truth('A', 'WH1', 5), truth('A', 'WH2', 7)],
			[chan('shopify', 'A', 'gid://shopify/Location/1', 0), chan('shopify', 'A', 'gid://shopify/Location/2', 0)],
			rules({ locationMappings: mappings }),
		);
		expect(plan.adjustments.map((a) => [a.locationId, a.target])).toEqual([['gid://shopify/Location/1', 7]]);
		expect(plan.exceptions).toEqual([
			expect.objectContaining({ kind: 'missingLocationMapping', side: 'channel', index: 1, locationId: 'gid://shopify/Location/2' }),
			// WH1 fills nothing under the mapping: its stock is offered nowhere.
			expect.objectContaining({ kind: 'unknownLocation', side: 'truth', index: 0, locationId: 'WH1' }),
		]);
	});

	it('never goes below zero, and zero stock sets channels to zero', () => {
		const plan = reconcile([truth('A', 'WH1', 2, 5), truth('B', 'WH1', 0)], [chan('ebay', 'A', 'WH1', 3), chan('ebay', 'B', 'WH1', 1)], rules({ safetyStock: 1 }));
		expect(plan.adjustments.map((a) => [a.sku, a.target, a.delta])).toEqual([['A', 0, -3], ['B', 0, -1]]);
		expect(plan.summary.oversellRisk).toEqual({ ebay: 2 });
	});

	it('takes a per-SKU safety stock from the truth row', () => {
		const plan = reconcile([truth('A', 'WH1', 10, 0, 0, { safetyStock: 6 })], [chan('shopify', 'A', 'WH1', 10)], rules({ safetyStock: 1 }));
		expect(plan.adjustments[0].target).toBe(4);
	});
});

describe('allocation rounds down, never up', () => {
	it.each([
		[{ mode: 'all' as const }, 7, 7],
		[{ mode: 'share' as const, percent: 50 }, 7, 3],
		[{ mode: 'share' as const, percent: 50 }, 1, 0],
		[{ mode: 'share' as const, percent: 33.3 }, 3, 0],
		[{ mode: 'share' as const, percent: 33.4 }, 3, 1],
		[{ mode: 'share' as const, percent: 100 }, 5, 5],
		[{ mode: 'share' as const, percent: 0 }, 5, 0],
		[{ mode: 'share' as const, percent: 10 }, 10, 1],
		[{ mode: 'share' as const, percent: 10 }, 9, 0],
		[{ mode: 'cap' as const, max: 4 }, 7, 4],
		[{ mode: 'cap' as const, max: 4 }, 3, 3],
		[{ mode: 'floor' as const, min: 5 }, 4, 0],
		[{ mode: 'floor' as const, min: 5 }, 5, 5],
		[{ mode: 'all' as const }, 0, 0],
	])('%p of %i is %i', (allocation, atp, expected) => {
		expect(allocate(atp, allocation)).toBe(expected);
	});

	it('applies per-channel allocation, and a row override beats it', () => {
		const plan = reconcile(
			[truth('A', 'WH1', 10)],
			[chan('amazon', 'A', 'DEFAULT', 0), chan('ebay', 'A', 'SHIP_TO', 0, { allocation: { mode: 'cap', max: 2 } }), chan('shopify', 'A', 'WH1', 0)],
			rules({ channelAllocation: { amazon: { mode: 'share', percent: 25 }, ebay: { mode: 'share', percent: 90 } } }),
		);
		expect(plan.adjustments.map((a) => [a.channel, a.target])).toEqual([['amazon', 2], ['ebay', 2], ['shopify', 10]]);
	});
});

describe('bundles', () => {
	it('are the minimum over components of ⌊component stock ÷ quantity⌋', () => {
		const plan = reconcile(
			[truth('MUG', 'WH1', 9), truth('TEA', 'WH1', 20)],
			[chan('shopify', 'GIFT', 'WH1', 0)],
			rules({ bundles: { GIFT: [{ sku: 'MUG', quantity: 2 }, { sku: 'TEA', quantity: 3 }] } }),
		);
		// MUG ⌊9/2⌋ = 4, TEA ⌊20/3⌋ = 6 → 4
		expect(plan.adjustments[0]).toMatchObject({ sku: 'GIFT', target: 4, truthIndexes: [0, 1] });
	});

	it('take components from the channel row too', () => {
		const plan = reconcile([truth('MUG', 'WH1', 1)], [chan('shopify', 'PAIR', 'WH1', 1, { components: [{ sku: 'MUG', quantity: 2 }] })], rules());
		expect(plan.adjustments[0]).toMatchObject({ target: 0, delta: -1 });
	});

	it('refuse bundles of bundles, unknown components and bad quantities with clear messages', () => {
		const plan = reconcile(
			[truth('MUG', 'WH1', 9)],
			[chan('shopify', 'OUTER', 'WH1', 0), chan('shopify', 'GHOST', 'WH1', 0), chan('shopify', 'BAD', 'WH1', 0)],
			rules({
				bundles: {
					INNER: [{ sku: 'MUG', quantity: 1 }],
					OUTER: [{ sku: 'INNER', quantity: 1 }],
					GHOST: [{ sku: 'NOPE', quantity: 1 }],
					BAD: [{ sku: 'MUG', quantity: 0 }],
				},
			}),
		);
		expect(plan.adjustments).toEqual([]);
		expect(plan.exceptions.map((e) => [e.sku, e.kind])).toEqual([['OUTER', 'badBundle'], ['GHOST', 'badBundle'], ['BAD', 'badBundle']]);
		expect(plan.exceptions[0].message).toMatch(/INNER, which is itself a bundle; bundles of bundles are not supported/);
		expect(plan.exceptions[1].message).toMatch(/component NOPE/);
		expect(plan.exceptions[2].message).toMatch(/whole quantity of at least 1/);
	});
});

describe('tolerance, conflicts and stale snapshots', () => {
	it('leaves drift within the tolerance alone', () => {
		const plan = reconcile([truth('A', 'WH1', 10), truth('B', 'WH1', 10)], [chan('shopify', 'A', 'WH1', 8), chan('shopify', 'B', 'WH1', 7)], rules({ tolerance: 2 }));
		expect(plan.inSync.map((s) => s.sku)).toEqual(['A']);
		expect(plan.adjustments.map((a) => a.sku)).toEqual(['B']);
	});

	it.each([
		['truthWins', { target: 10 }],
		['lowerWins', null],
		['skip', 'changedAfterSnapshot'],
	] as const)('%s when the channel changed after the snapshot', (policy, expected) => {
		const plan = reconcile([truth('A', 'WH1', 10)], [chan('shopify', 'A', 'WH1', 4, { updatedAt: NOW })], rules({ conflictPolicy: policy }));
		if (expected === null) expect(plan.inSync).toEqual([expect.objectContaining({ target: 4, current: 4 })]);
		else if (typeof expected === 'string') expect(plan.exceptions[0].kind).toBe(expected);
		else expect(plan.adjustments[0]).toMatchObject(expected);
	});

	it('lower wins still lowers a channel that shows too much', () => {
		const plan = reconcile([truth('A', 'WH1', 3)], [chan('shopify', 'A', 'WH1', 9, { updatedAt: NOW })], rules({ conflictPolicy: 'lowerWins' }));
		expect(plan.adjustments[0]).toMatchObject({ target: 3, delta: -6 });
	});

	it('refuses to act on a stale snapshot', () => {
		const plan = reconcile([truth('A', 'WH1', 3, 0, 0, { asOf: NOW - 31 * 60_000 }), truth('B', 'WH1', 3)], [chan('shopify', 'A', 'WH1', 9), chan('shopify', 'B', 'WH1', 9)], rules({ staleAfterMinutes: 30 }));
		expect(plan.exceptions).toEqual([expect.objectContaining({ kind: 'staleSnapshot', sku: 'A' })]);
		expect(plan.adjustments.map((a) => a.sku)).toEqual(['B']);
	});
});

describe('bad input never stops the rest', () => {
	it('reports each bad row with its index and field', () => {
		const plan = reconcile(
			[truth('A', 'WH1', 'ten'), truth('B', 'WH1', -1), truth('C', 'WH1', 2.5), truth('', 'WH1', 1), truth('E', '', 1), truth('F', 'WH1', 4), truth('F', 'WH1', 9)],
			[chan('shopify', 'F', 'WH1', 0), chan('shopify', 'F', 'WH1', 0), chan('shopify', 'ZZZ', 'WH1', 0), chan('shopify', 'F', 'WH2', 'x')],
			rules({ reportUnlisted: true }),
		);
		expect(plan.exceptions.map((e) => [e.side, e.index, e.kind, e.field])).toEqual([
			['channel', 1, 'duplicateRow', undefined],
			['channel', 2, 'unknownSkuInTruth', undefined],
			['channel', 3, 'badQuantity', 'current'],
			['truth', 0, 'badQuantity', 'onHand'],
			['truth', 1, 'badQuantity', 'onHand'],
			['truth', 2, 'badQuantity', 'onHand'],
			['truth', 3, 'missingSku', 'sku'],
			['truth', 4, 'missingLocation', 'locationId'],
			['truth', 6, 'duplicateRow', undefined],
		]);
		expect(plan.exceptions[3].message).toMatch(/Truth row 0 \(A at WH1\): "onHand" must be a whole number, got "ten"/);
		expect(plan.adjustments).toEqual([expect.objectContaining({ sku: 'F', target: 4 })]);
	});

	it('lists truth SKUs no channel mentions', () => {
		const plan = reconcile([truth('A', 'WH1', 1), truth('B', 'WH1', 1)], [chan('shopify', 'A', 'WH1', 1)], rules({ reportUnlisted: true }));
		expect(plan.exceptions).toEqual([expect.objectContaining({ kind: 'unknownSkuInChannel', sku: 'B', side: 'truth', index: 1 })]);
	});
});

describe('output', () => {
	it('is sorted by channel, SKU, location whatever the input order, and summarised', () => {
		const plan = reconcile(
			[truth('B', 'WH1', 5), truth('A', 'WH1', 5)],
			[chan('shopify', 'B', 'WH1', 0), chan('amazon', 'B', 'WH1', 9), chan('shopify', 'A', 'WH1', 1)],
			rules(),
		);
		expect(plan.adjustments.map((a) => `${a.channel}/${a.sku}`)).toEqual(['amazon/B', 'shopify/A', 'shopify/B']);
		expect(plan.summary).toMatchObject({ adjustments: 3, inSync: 0, driftUnits: { amazon: 4, shopify: 9 }, oversellRisk: { amazon: 1 } });
		expect(plan.summary.worst[0]).toMatchObject({ sku: 'B', channel: 'shopify', delta: 5 });
	});

	it('gives each adjustment a key that is stable and changes with the target', () => {
		const a = reconcile([truth('A', 'WH1', 5)], [chan('shopify', 'A', 'WH1', 1)], rules()).adjustments[0];
		const b = reconcile([truth('A', 'WH1', 5)], [chan('shopify', 'A', 'WH1', 1)], rules()).adjustments[0];
		const c2 = reconcile([truth('A', 'WH1', 6)], [chan('shopify', 'A', 'WH1', 1)], rules()).adjustments[0];
		expect(a.idempotencyKey).toBe(b.idempotencyKey);
		expect(a.idempotencyKey).toBe(adjustmentKey('shopify', 'A', 'WH1', 5, 1));
		// The shared helper gives the same key, so any tool can recompute it.
		expect(a.idempotencyKey).toBe(scopedIdempotencyKey('inventoryReconcile', { channel: 'shopify', sku: 'A', locationId: 'WH1', target: 5, current: 1 }));
		expect(a.idempotencyKey).not.toBe(adjustmentKey('shopify', 'A', 'WH1', 5, 2));
		expect(c2.idempotencyKey).not.toBe(a.idempotencyKey);
	});
});
