import { allocate, allocationFrom, reconcile, renderDriftReport } from '../../../nodes/shared/core/reconcile';
import type { ChannelRow, ReconcileRules, TruthRow } from '../../../nodes/shared/core/reconcile';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const MIN = 60_000;
const rules = (extra: Partial<ReconcileRules> = {}): ReconcileRules => ({ now: NOW, reportUnlisted: false, ...extra });
let t = 0;
let c = 0;
const truth = (sku: unknown, locationId: unknown, onHand: unknown, extra: Partial<TruthRow> = {}): TruthRow => ({
	index: t++,
	sku,
	locationId,
	onHand,
	asOf: NOW - MIN,
	...extra,
});
const chan = (channel: unknown, sku: unknown, locationId: unknown, current: unknown, extra: Partial<ChannelRow> = {}): ChannelRow => ({
	index: c++,
	channel,
	sku,
	locationId,
	current,
	...extra,
});
const targets = (plan: ReturnType<typeof reconcile>) => [
	...plan.adjustments.map((a) => [a.channel, a.sku, a.locationId, a.target]),
	...plan.inSync.map((s) => [s.channel, s.sku, s.locationId, s.target, 'inSync']),
];

beforeEach(() => {
	t = 0;
	c = 0;
});

describe('allocation at every rounding edge', () => {
	it.each([
		[{ mode: 'share' as const, percent: 99.9 }, 1000, 999], // 999.0 exactly
		[{ mode: 'share' as const, percent: 99.9 }, 999, 998], // 998.001
		[{ mode: 'share' as const, percent: 33.333 }, 3, 0], // 0.99999, not 1
		[{ mode: 'share' as const, percent: 50 }, 0, 0],
		[{ mode: 'share' as const, percent: 50 }, 2, 1],
		[{ mode: 'share' as const, percent: 50 }, 3, 1],
		[{ mode: 'share' as const, percent: 0.1 }, 999, 0], // 0.999
		[{ mode: 'share' as const, percent: 0.1 }, 1000, 1],
		[{ mode: 'share' as const, percent: 70 }, 10, 7], // 0.7 × 10 is 7.000000000000001 in floats; still 7
		[{ mode: 'share' as const, percent: 29 }, 100, 29], // 0.29 × 100 is 28.999999999999996 in floats; must be 29
		[{ mode: 'cap' as const, max: 0 }, 5, 0],
		[{ mode: 'cap' as const, max: 5 }, 5, 5],
		[{ mode: 'floor' as const, min: 0 }, 0, 0],
		[{ mode: 'floor' as const, min: 3 }, 2, 0],
		[{ mode: 'floor' as const, min: 3 }, 3, 3],
		[{ mode: 'all' as const }, -4, 0],
		[{ mode: 'all' as const }, 7.9, 7],
	])('%p of %p is %p', (allocation, atp, expected) => {
		expect(allocate(atp, allocation)).toBe(expected);
	});

	it.each([
		['all', { mode: 'all' }],
		['share:40', { mode: 'share', percent: 40 }],
		['12.5%', { mode: 'share', percent: 12.5 }],
		['cap:10', { mode: 'cap', max: 10 }],
		['floor: 3', { mode: 'floor', min: 3 }],
		[{ mode: 'share', value: '25' }, { mode: 'share', percent: 25 }],
		[{ mode: 'cap', max: 4 }, { mode: 'cap', max: 4 }],
	])('reads %p', (raw, expected) => {
		expect(allocationFrom(raw)).toEqual(expected);
	});

	it.each([
		['share:120', /percentage from 0 to 100, got "120"/],
		['cap:-1', /whole number of at least 0/],
		['cap:2.5', /whole number of at least 0/],
		['floor:', /whole number of at least 0, got ""/],
		['bogus', /is not one of "all", "share:<percent>"/],
		[{ mode: 'share' }, /got nothing/],
	])('explains why %p is not an allocation', (raw, message) => {
		expect(allocationFrom(raw)).toMatch(message);
	});
});

describe('location mapping', () => {
	it('by default maps a channel location to the truth location of the same id, even where a SKU has no row there', () => {
		// B has no row at WH1: WH1 is still a truth location, so B shows 0 there, not the pooled WH2 stock.
		const plan = reconcile([truth('A', 'WH1', 4), truth('A', 'WH2', 6), truth('B', 'WH2', 9)], [chan('shopify', 'A', 'WH1', 0), chan('shopify', 'B', 'WH1', 3)], rules());
		expect(targets(plan)).toEqual([
			['shopify', 'A', 'WH1', 4],
			['shopify', 'B', 'WH1', 0],
		]);
		expect(plan.adjustments[1].reason).toBe('available to sell 0 = on hand 0 - committed 0 - reserved 0 - safety 0 no stock at the mapped locations');
	});

	it('applies the table only to channels it names; others keep the default', () => {
		const plan = reconcile(
			[truth('A', 'EAST', 4), truth('A', 'WEST', 6)],
			[chan('shopify', 'A', 'web', 0), chan('amazon', 'A', 'DEFAULT', 0), chan('ebay', 'A', 'EAST', 0)],
			rules({ locationMappings: [{ channel: 'shopify', channelLocationId: 'web', truthLocationIds: ['WEST', 'NOWHERE'] }] }),
		);
		expect(targets(plan)).toEqual([
			['amazon', 'A', 'DEFAULT', 10],
			['ebay', 'A', 'EAST', 4],
			['shopify', 'A', 'web', 6],
		]);
		// EAST is used by ebay's default same-id mapping, so no location is "unknown".
		expect(plan.exceptions).toEqual([]);
	});

	it('merges two table rows for the same channel location', () => {
		const plan = reconcile(
			[truth('A', 'EAST', 4), truth('A', 'WEST', 6), truth('A', 'NORTH', 100)],
			[chan('shopify', 'A', 'web', 0)],
			rules({
				locationMappings: [
					{ channel: 'shopify', channelLocationId: 'web', truthLocationIds: ['WEST'] },
					{ channel: 'shopify', channelLocationId: 'web', truthLocationIds: ['EAST', 'WEST'] },
				],
			}),
		);
		expect(plan.adjustments[0]).toMatchObject({ target: 10, truthLocationIds: ['EAST', 'WEST'], truthIndexes: [0, 1] });
		expect(plan.exceptions).toEqual([expect.objectContaining({ kind: 'unknownLocation', locationId: 'NORTH', index: 2 })]);
		expect(plan.exceptions[0].message).toBe('Truth location NORTH (1 rows, first at row 2) fills no channel location, so its stock is offered nowhere: add it to the location mapping table, or ignore this if that is intended');
	});

	it('handles more than 31 truth locations and channel locations (wide keys)', () => {
		const rows: TruthRow[] = [];
		for (let l = 0; l < 40; l++) rows.push(truth('A', `L${String(l).padStart(2, '0')}`, 1));
		rows.push(truth('A', 'L39', 5)); // duplicate beyond the bit mask
		const channelRows: ChannelRow[] = [];
		for (let l = 0; l < 40; l++) channelRows.push(chan('shopify', 'A', `L${String(l).padStart(2, '0')}`, 1));
		channelRows.push(chan('shopify', 'A', 'L39', 0)); // duplicate beyond the bit mask
		const plan = reconcile(rows, channelRows, rules());
		expect(plan.inSync).toHaveLength(40);
		expect(plan.inSync[39]).toMatchObject({ locationId: 'L39', target: 1, truthIndexes: [39] });
		expect(plan.exceptions.map((e) => [e.side, e.kind, e.index])).toEqual([
			['channel', 'duplicateRow', 40],
			['truth', 'duplicateRow', 40],
		]);
	});
});

describe('per-row rules', () => {
	it('lets one SKU override allocation, safety stock, tolerance and conflict policy', () => {
		const plan = reconcile(
			[truth('A', 'WH1', 10), truth('B', 'WH1', 10), truth('C', 'WH1', 10), truth('D', 'WH1', 10), truth('E', 'WH1', 10)],
			[
				chan('amazon', 'A', 'WH1', 0, { allocation: 'share:30' }),
				chan('amazon', 'B', 'WH1', 0, { safetyStock: '4' }),
				chan('amazon', 'C', 'WH1', 8, { tolerance: 2 }),
				chan('amazon', 'D', 'WH1', 3, { conflictPolicy: 'lowerWins', updatedAt: NOW }),
				chan('amazon', 'E', 'WH1', 3, { updatedAt: NOW }),
			],
			rules({ allocation: { mode: 'cap', max: 9 }, safetyStock: 1 }),
		);
		expect(targets(plan)).toEqual([
			['amazon', 'A', 'WH1', 2], // ⌊(10 − 1) × 30 %⌋ = ⌊2.7⌋
			['amazon', 'B', 'WH1', 6], // 10 − 4 = 6, under the cap
			['amazon', 'E', 'WH1', 9], // the node's policy: truth wins, capped at 9
			['amazon', 'C', 'WH1', 9, 'inSync'], // |9 − 8| ≤ 2
			['amazon', 'D', 'WH1', 3, 'inSync'], // lower wins keeps 3
		]);
		expect(plan.adjustments[0].reason).toBe('available to sell 9 = on hand 10 - committed 0 - reserved 0 - safety 1 at WH1; 30 % share of 9 rounded down = 2');
	});

	it('sends a row with an unreadable rule to exceptions and carries on', () => {
		const plan = reconcile(
			[truth('A', 'WH1', 10)],
			[
				chan('amazon', 'A', 'WH1', 0, { allocation: 'half' }),
				chan('ebay', 'A', 'WH1', 0, { tolerance: -1 }),
				chan('shopify', 'A', 'WH1', 0, { conflictPolicy: 'newestWins' }),
				chan('walmart', 'A', 'WH1', 0, { safetyStock: 1.5 }),
				chan('etsy', 'A', 'WH1', 0),
			],
			rules(),
		);
		expect(plan.exceptions.map((e) => [e.index, e.kind, e.field])).toEqual([
			[0, 'badRule', 'allocation'],
			[1, 'badRule', 'tolerance'],
			[2, 'badRule', 'conflictPolicy'],
			[3, 'badRule', 'safetyStock'],
		]);
		expect(plan.exceptions[2].message).toBe(
			'Channel row 2 (shopify, A at WH1): conflict policy must be one of truthWins, lowerWins, skip, got "newestWins"; fix the "conflictPolicy" field or remove it to use the node\'s rule',
		);
		expect(targets(plan)).toEqual([['etsy', 'A', 'WH1', 10]]);
	});

	it('keeps the larger safety stock when two truth rows of a SKU disagree', () => {
		const plan = reconcile([truth('A', 'WH1', 10, { safetyStock: 2 }), truth('A', 'WH2', 10, { safetyStock: 5 })], [chan('amazon', 'A', 'ALL', 0)], rules());
		expect(plan.adjustments[0].target).toBe(15);
	});
});

describe('bundles and kits', () => {
	it('take each component over the allowed locations only, with its own safety stock', () => {
		const plan = reconcile(
			[truth('MUG', 'EAST', 7), truth('MUG', 'WEST', 100), truth('TEA', 'EAST', 9, { safetyStock: 3 })],
			[chan('shopify', 'GIFT', 'EAST', 5)],
			rules({ bundles: { GIFT: [{ sku: 'MUG', quantity: 2 }, { sku: 'TEA', quantity: 2 }] } }),
		);
		// MUG ⌊7 / 2⌋ = 3 at EAST; TEA ⌊(9 − 3) / 2⌋ = 3 → 3
		expect(plan.adjustments[0]).toMatchObject({ sku: 'GIFT', target: 3, delta: -2, truthLocationIds: ['EAST'], truthIndexes: [0, 2] });
		expect(plan.adjustments[0].reason).toBe('bundle available to sell 3 = min(floor(7 MUG / 2) = 3, floor(6 TEA / 2) = 3)');
	});

	it('show 0 when one component is out of stock, and count components as listed', () => {
		const plan = reconcile(
			[truth('MUG', 'WH1', 50), truth('TEA', 'WH1', 0)],
			[chan('shopify', 'GIFT', 'WH1', 2)],
			rules({ reportUnlisted: true, bundles: { GIFT: [{ sku: 'MUG', quantity: 1 }, { sku: 'TEA', quantity: 1 }] } }),
		);
		expect(plan.adjustments[0]).toMatchObject({ target: 0, delta: -2 });
		expect(plan.exceptions).toEqual([]);
	});

	it('subtract a bundle row’s own safety stock from the bundle units', () => {
		const plan = reconcile([truth('MUG', 'WH1', 10)], [chan('shopify', 'PAIR', 'WH1', 0, { components: [{ sku: 'MUG', quantity: 2 }], safetyStock: 2 })], rules());
		expect(plan.adjustments[0]).toMatchObject({ target: 3 }); // ⌊10 / 2⌋ − 2
	});

	it('refuse a bundle of bundles given on the row, and a bundle that contains itself', () => {
		const plan = reconcile(
			[truth('MUG', 'WH1', 9)],
			[
				chan('shopify', 'OUTER', 'WH1', 0, { components: [{ sku: 'INNER', quantity: 1 }] }),
				chan('shopify', 'LOOP', 'WH1', 0, { components: [{ sku: 'LOOP', quantity: 1 }] }),
				chan('shopify', 'INNER', 'WH1', 0),
			],
			rules({ bundles: { INNER: [{ sku: 'MUG', quantity: 3 }] } }),
		);
		expect(plan.exceptions.map((e) => [e.index, e.kind])).toEqual([
			[0, 'badBundle'],
			[1, 'badBundle'],
		]);
		expect(plan.exceptions[0].message).toBe("Bundle OUTER contains INNER, which is itself a bundle; bundles of bundles are not supported — list the inner bundle's components directly");
		expect(plan.exceptions[1].message).toMatch(/Bundle LOOP contains LOOP, which is itself a bundle/);
		expect(targets(plan)).toEqual([['shopify', 'INNER', 'WH1', 3]]);
	});

	it('do not mistake a SKU named like an Object property for a bundle', () => {
		const plan = reconcile([truth('constructor', 'WH1', 2)], [chan('shopify', 'constructor', 'WH1', 0)], rules({ bundles: {} }));
		expect(targets(plan)).toEqual([['shopify', 'constructor', 'WH1', 2]]);
	});
});

describe('zero stock, tolerance edges and conflicts', () => {
	it('zero everywhere is in sync, and zero against a positive channel is a correction to 0', () => {
		const plan = reconcile([truth('A', 'WH1', 0), truth('B', 'WH1', 0)], [chan('shopify', 'A', 'WH1', 0), chan('shopify', 'B', 'WH1', 1)], rules());
		expect(targets(plan)).toEqual([
			['shopify', 'B', 'WH1', 0],
			['shopify', 'A', 'WH1', 0, 'inSync'],
		]);
	});

	it('committed beyond on hand counts as zero available, never negative', () => {
		const plan = reconcile([truth('A', 'WH1', 3, { committed: 5, reserved: 1 })], [chan('shopify', 'A', 'WH1', -2)], rules());
		expect(plan.adjustments[0]).toMatchObject({ target: 0, current: -2, delta: 2, atp: 0 });
	});

	it('leaves a drift of exactly the tolerance, in both directions, and corrects one more', () => {
		const plan = reconcile(
			[truth('A', 'WH1', 10)],
			[chan('a', 'A', 'WH1', 7), chan('b', 'A', 'WH1', 13), chan('c', 'A', 'WH1', 6), chan('d', 'A', 'WH1', 14)],
			rules({ tolerance: 3 }),
		);
		expect(plan.inSync.map((s) => s.channel)).toEqual(['a', 'b']);
		expect(plan.adjustments.map((a) => [a.channel, a.delta])).toEqual([
			['c', 4],
			['d', -4],
		]);
	});

	it('a channel change at the snapshot time itself is no conflict; ISO times are read', () => {
		const snapshot = new Date(NOW - 10 * MIN).toISOString();
		const plan = reconcile(
			[truth('A', 'WH1', 10, { asOf: snapshot })],
			[chan('a', 'A', 'WH1', 4, { updatedAt: snapshot }), chan('b', 'A', 'WH1', 4, { updatedAt: new Date(NOW - 9 * MIN).toISOString() })],
			rules({ conflictPolicy: 'skip' }),
		);
		expect(targets(plan)).toEqual([['a', 'A', 'WH1', 10]]);
		expect(plan.exceptions).toEqual([expect.objectContaining({ kind: 'changedAfterSnapshot', channel: 'b', index: 1 })]);
	});

	it('compares with the oldest snapshot of the pooled locations', () => {
		const plan = reconcile(
			[truth('A', 'WH1', 5, { asOf: NOW - 30 * MIN }), truth('A', 'WH2', 5, { asOf: NOW - 5 * MIN })],
			[chan('amazon', 'A', 'ALL', 2, { updatedAt: NOW - 20 * MIN })],
			rules({ conflictPolicy: 'lowerWins' }),
		);
		// Changed after WH1's snapshot (30 min ago): lower wins keeps 2.
		expect(targets(plan)).toEqual([['amazon', 'A', 'ALL', 2, 'inSync']]);
	});

	it('lower wins explains itself when it keeps the channel value within the adjustment', () => {
		const plan = reconcile([truth('A', 'WH1', 10)], [chan('amazon', 'A', 'WH1', 2, { updatedAt: NOW, allocation: 'share:50' })], rules({ conflictPolicy: 'lowerWins', tolerance: 0 }));
		expect(targets(plan)).toEqual([['amazon', 'A', 'WH1', 2, 'inSync']]);
	});
});

describe('stale snapshot guard', () => {
	it('refuses truth older than N minutes, and accepts exactly N', () => {
		const plan = reconcile(
			[truth('OLD', 'WH1', 3, { asOf: NOW - 30 * MIN - 1 }), truth('EDGE', 'WH1', 3, { asOf: NOW - 30 * MIN })],
			[chan('shopify', 'OLD', 'WH1', 0), chan('shopify', 'EDGE', 'WH1', 0)],
			rules({ staleAfterMinutes: 30 }),
		);
		expect(targets(plan)).toEqual([['shopify', 'EDGE', 'WH1', 3]]);
		expect(plan.exceptions).toEqual([expect.objectContaining({ kind: 'staleSnapshot', side: 'channel', index: 0, sku: 'OLD' })]);
		expect(plan.exceptions[0].message).toBe('The stock of OLD for shopify WH1 comes from a snapshot older than 30 minutes; not acted on — read the source again');
	});

	it('refuses truth with no snapshot time while on, and ignores times while off', () => {
		const rows = () => [truth('A', 'WH1', 3, { asOf: undefined })];
		const on = reconcile(rows(), [chan('shopify', 'A', 'WH1', 0)], rules({ staleAfterMinutes: 5 }));
		expect(on.exceptions[0].message).toMatch(/no snapshot time while the stale-snapshot guard is on; not acted on — read the source again \(or map its snapshot time field\)/);
		t = 0;
		c = 0;
		const off = reconcile([truth('A', 'WH1', 3, { asOf: NOW - 1e9 })], [chan('shopify', 'A', 'WH1', 0)], rules());
		expect(targets(off)).toEqual([['shopify', 'A', 'WH1', 3]]);
	});

	it('refuses a channel row read more than N minutes ago', () => {
		const plan = reconcile([truth('A', 'WH1', 3)], [chan('shopify', 'A', 'WH1', 0, { asOf: NOW - 61 * MIN }), chan('ebay', 'A', 'WH1', 0, { asOf: NOW })], rules({ staleAfterMinutes: 60 }));
		expect(plan.exceptions).toEqual([expect.objectContaining({ kind: 'staleSnapshot', channel: 'shopify', field: 'asOf' })]);
		expect(targets(plan)).toEqual([['ebay', 'A', 'WH1', 3]]);
	});

	it('reports an unreadable time as its own exception', () => {
		const plan = reconcile([truth('A', 'WH1', 3, { asOf: 'yesterday-ish' }), truth('B', 'WH1', 3)], [chan('shopify', 'B', 'WH1', 0, { updatedAt: 'soon' })], rules());
		expect(plan.exceptions.map((e) => [e.side, e.kind, e.field])).toEqual([
			['channel', 'badTimestamp', 'updatedAt'],
			['truth', 'badTimestamp', 'asOf'],
		]);
		expect(plan.exceptions[1].message).toBe('Truth row 0 (A at WH1): the snapshot time "yesterday-ish" is not a date; send an ISO date such as 2026-01-31T09:00:00Z or milliseconds');
	});
});

describe('bad input', () => {
	it('accepts numeric strings and refuses every other kind of quantity, naming row and field', () => {
		const plan = reconcile(
			[
				truth('A', 'WH1', '12'),
				truth('B', 'WH1', null),
				truth('C', 'WH1', '', {}),
				truth('D', 'WH1', Number.NaN),
				truth('E', 'WH1', 4, { committed: 'two' }),
				truth('F', 'WH1', 4, { reserved: -1 }),
				truth('G', 'WH1', { n: 1 }),
			],
			[chan('shopify', 'A', 'WH1', '3'), chan('shopify', 'A', 'WH2', 1.5), chan(undefined, 'A', 'WH1', 0), chan('shopify', 'A', ' ', 0)],
			rules(),
		);
		expect(plan.exceptions.map((e) => [e.side, e.index, e.kind, e.field])).toEqual([
			['channel', 1, 'badQuantity', 'current'],
			['channel', 2, 'missingChannel', 'channel'],
			['channel', 3, 'missingLocation', 'locationId'],
			['truth', 1, 'badQuantity', 'onHand'],
			['truth', 2, 'badQuantity', 'onHand'],
			['truth', 3, 'badQuantity', 'onHand'],
			['truth', 4, 'badQuantity', 'committed'],
			['truth', 5, 'badQuantity', 'reserved'],
			['truth', 6, 'badQuantity', 'onHand'],
		]);
		expect(plan.exceptions[0].message).toBe('Channel row 1 (shopify, A at WH2): "current" must be a whole number, got 1.5: stock is counted in units, round it first');
		expect(plan.exceptions[4].message).toBe('Truth row 2 (C at WH1): "onHand" must be a whole number, got "": send an integer such as 12');
		expect(plan.exceptions[8].message).toBe('Truth row 6 (G at WH1): "onHand" must be a whole number, got an object: send an integer such as 12');
		expect(targets(plan)).toEqual([['shopify', 'A', 'WH1', 12]]);
	});

	it('takes numeric ids as strings and trims text', () => {
		const plan = reconcile([truth(' 1001 ', 7, 2)], [chan(' shopify ', 1001, '7', 0)], rules());
		expect(targets(plan)).toEqual([['shopify', '1001', '7', 2]]);
	});

	it('with an empty channel input reports nothing unlisted (nothing was compared)', () => {
		const plan = reconcile([truth('A', 'WH1', 1)], [], rules({ reportUnlisted: true }));
		expect(plan).toMatchObject({ adjustments: [], inSync: [], exceptions: [] });
	});
});

describe('determinism and the summary', () => {
	const build = (order: number[]) => {
		t = 0;
		c = 0;
		const skus = ['b', 'B', 'a', 'A-2', 'A-10'];
		const truthRows = skus.flatMap((sku, i) => [truth(sku, 'WH1', 10 + i), truth(sku, 'WH2', i)]);
		const all = ['ebay', 'amazon', 'shopify'].flatMap((channel) => skus.map((sku) => ({ channel, sku })));
		const channelRows = order.map((i) => chan(all[i].channel, all[i].sku, i % 2 ? 'WH1' : 'WH2', i % 4));
		return reconcile(truthRows, channelRows, rules({ tolerance: 0 }));
	};

	it('gives the same plan in the same order whatever the input order', () => {
		const forward = build([...Array(15).keys()]);
		const shuffled = build([7, 3, 14, 0, 11, 5, 9, 1, 13, 2, 8, 12, 4, 10, 6]);
		const strip = (p: ReturnType<typeof reconcile>) => p.adjustments.map(({ channel, sku, locationId, target, current, idempotencyKey }) => ({ channel, sku, locationId, target, current, idempotencyKey }));
		expect(strip(shuffled)).toEqual(strip(forward));
		// Code-unit order: upper case before lower case, '1' before '2'.
		expect(forward.adjustments.map((a) => `${a.channel}/${a.sku}`)).toEqual([
			'amazon/A-10', 'amazon/A-2', 'amazon/B', 'amazon/a', 'amazon/b',
			'ebay/A-10', 'ebay/A-2', 'ebay/B', // ebay a and b already show 2 and 0 at WH2: in sync
			'shopify/A-10', 'shopify/A-2', 'shopify/B', 'shopify/a', 'shopify/b',
		]);
		expect(forward.inSync.map((x) => `${x.channel}/${x.sku}`)).toEqual(['ebay/a', 'ebay/b']);
		expect(shuffled.summary).toEqual(forward.summary);
	});

	it('sorts the same SKU at two locations of one channel by location name', () => {
		const plan = reconcile([truth('A', 'WH1', 1), truth('A', 'WH2', 2)], [chan('shopify', 'A', 'WH2', 0), chan('shopify', 'A', 'WH1', 0)], rules());
		expect(plan.adjustments.map((a) => a.locationId)).toEqual(['WH1', 'WH2']);
	});

	it('counts drift per channel, oversell risks and the worst rows and SKUs', () => {
		const plan = reconcile(
			[truth('A', 'WH1', 10), truth('B', 'WH1', 2), truth('C', 'WH1', 5)],
			[chan('amazon', 'A', 'WH1', 4), chan('ebay', 'A', 'WH1', 12), chan('amazon', 'B', 'WH1', 8), chan('ebay', 'C', 'WH1', 5), chan('ebay', 'B', 'WH1', 2)],
			rules(),
		);
		expect(plan.summary).toMatchObject({
			adjustments: 3,
			inSync: 2,
			driftUnits: { amazon: 12, ebay: 2 },
			adjustmentsByChannel: { amazon: 2, ebay: 1 },
			oversellRisk: { amazon: 1, ebay: 1 },
			worst: [
				{ channel: 'amazon', sku: 'A', delta: 6 },
				{ channel: 'amazon', sku: 'B', delta: -6 },
				{ channel: 'ebay', sku: 'A', delta: -2 },
			],
			worstSkus: [
				{ sku: 'A', driftUnits: 8, adjustments: 2 },
				{ sku: 'B', driftUnits: 6, adjustments: 1 },
			],
		});
	});
});

describe('drift report', () => {
	it('is plain HTML with escaped text, the totals, the worst SKUs and the exceptions by kind', () => {
		const plan = reconcile(
			[truth('<b>A</b>', 'WH1', 10), truth('X', 'WH1', 'lots')],
			[chan('shop&co', '<b>A</b>', 'WH1', 4), chan('shop&co', 'GHOST', 'WH1', 1)],
			rules(),
		);
		const html = renderDriftReport(plan, { title: 'Nightly', generatedAt: new Date(NOW) });
		expect(html).toMatch(/^<!doctype html>/);
		expect(html).not.toMatch(/<script|<link|src=/i);
		expect(html).toContain('&lt;b&gt;A&lt;/b&gt;');
		expect(html).not.toContain('<b>A</b>');
		expect(html).toContain('<b>6</b>units of drift on shop&amp;co');
		expect(html).toContain('<td>A quantity is not a whole number, or is negative where it cannot be</td><td><code>badQuantity</code></td><td class="n">1</td>');
		expect(html).toContain('A channel lists a SKU the source of truth does not have');
		expect(html).toContain('Generated 2026-11-27T12:00:00.000Z');
	});

	it('cuts long lists and says how many were left out', () => {
		const truthRows: TruthRow[] = [];
		const channelRows: ChannelRow[] = [];
		for (let i = 0; i < 520; i++) {
			truthRows.push(truth(`S${i}`, 'WH1', 1));
			channelRows.push(chan('shopify', `S${i}`, 'WH1', 0));
		}
		const html = renderDriftReport(reconcile(truthRows, channelRows, rules()), { generatedAt: new Date(NOW) });
		expect(html).toContain('… and 20 more');
		expect(html).toContain('Corrections (520)');
	});
});

describe('a mapping that names no known warehouse', () => {
	it('is reported, not read as zero stock', () => {
		const plan = reconcile(
			[truth('A', 'WH1', 5)],
			[chan('shopify', 'A', 'web', 3), chan('amazon', 'A', 'WH1', 0)],
			rules({ locationMappings: [{ channel: 'shopify', channelLocationId: 'web', truthLocationIds: ['WH-1', 'wh1'] }] }),
		);
		expect(targets(plan)).toEqual([['amazon', 'A', 'WH1', 5]]);
		expect(plan.exceptions).toEqual([expect.objectContaining({ kind: 'missingLocationMapping', index: 0 })]);
		expect(plan.exceptions[0].message).toBe('The location mapping for shopify location web names WH-1, wh1, none of which is a location in the truth input: check the IDs in the mapping table');
	});
});
