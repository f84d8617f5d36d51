/**
 * The engine takes shortcuts that depend on the order rows arrive in (it guesses a channel row's
 * SKU from the previous rows, remembers the last channel location and the last truth SKU, caches
 * a SKU's pool for the location set last asked for, and sorts by counting over name ranks). None
 * of that may show in the plan: the same rows in any order give the same plan.
 */
import { reconcile } from '../../../nodes/shared/core/reconcile';
import type { ChannelRow, ReconcilePlan, ReconcileRules, TruthRow } from '../../../nodes/shared/core/reconcile';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const MIN = 60_000;

/** Names whose code-unit order is not their input order: digits, case, accents, spaces. */
const SKUS = [...Array.from({ length: 30 }, (_, i) => `SKU-${i}`), 'b', 'B', 'a', 'A-10', 'A-2', 'é-1', 'z', 'Z9', '10', '9', 'x y'];
const LOCATIONS = ['WH1', 'WH2', 'WH3', 'WH4'];

const RULES: ReconcileRules = {
	now: NOW,
	safetyStock: 1,
	tolerance: 1,
	staleAfterMinutes: 60,
	channelAllocation: { amazon: { mode: 'share', percent: 50 }, ebay: { mode: 'cap', max: 20 } },
	locationMappings: [
		{ channel: 'shopify', channelLocationId: 'gid/1', truthLocationIds: ['WH1', 'WH3'] },
		{ channel: 'shopify', channelLocationId: 'gid/2', truthLocationIds: ['WH2', 'WH4'] },
	],
	bundles: { KIT: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'a', quantity: 1 }] },
};

/**
 * Every SKU at most truth locations (some cells missing, so some pools hold part of a set), on
 * amazon (the pool of every warehouse), ebay (WH2 only) and two shopify locations with their own
 * sets; a SKU no truth row has, a bundle, and rows that drift or not.
 */
function catalog(): { truth: TruthRow[]; channels: ChannelRow[] } {
	const truth: TruthRow[] = [];
	SKUS.forEach((sku, s) =>
		LOCATIONS.forEach((locationId, l) => {
			if ((s + l) % 5 === 0) return;
			truth.push({ index: truth.length, sku, locationId, onHand: (s * 7 + l * 3) % 23, committed: (s + l) % 3, reserved: l % 2, asOf: NOW - 2 * MIN });
		}),
	);
	const channels: ChannelRow[] = [];
	const listings: Array<[string, string]> = [
		['amazon', 'DEFAULT'],
		['ebay', 'WH2'],
		['shopify', 'gid/1'],
		['shopify', 'gid/2'],
	];
	for (const [channel, locationId] of listings) {
		for (const [s, sku] of [...SKUS, 'GHOST', 'KIT'].entries()) {
			channels.push({ index: channels.length, channel, sku, locationId, current: (s * 5 + channel.length) % 17, updatedAt: NOW - 5 * MIN, passthrough: { id: `${channel}:${sku}` } });
		}
	}
	return { truth, channels };
}

/** Deterministic shuffle (a fixed 32-bit linear congruential sequence), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
	const out = [...items];
	let state = seed;
	for (let i = out.length - 1; i > 0; i--) {
		state = (Math.imul(state, 1103515245) + 12345) >>> 0;
		const j = state % (i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

const code = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('row order', () => {
	const { truth, channels } = catalog();
	const reference = reconcile(truth, channels, RULES);

	it('gives a plan with work in it (the comparisons below are not vacuous)', () => {
		expect(reference.adjustments.length).toBeGreaterThan(50);
		expect(reference.inSync.length).toBeGreaterThan(5);
		expect(reference.exceptions.map((e) => e.kind)).toEqual(expect.arrayContaining(['unknownSkuInTruth']));
		expect(reference.adjustments.some((a) => a.sku === 'KIT')).toBe(true);
		// Some shopify pools hold only part of their set.
		expect(reference.adjustments.some((a) => a.locationId === 'gid/1' && a.truthLocationIds.length === 1)).toBe(true);
	});

	it.each<[string, (t: TruthRow[], c: ChannelRow[]) => [TruthRow[], ChannelRow[]]]>([
		['channels in reverse', (t, c) => [t, [...c].reverse()]],
		['truth in reverse', (t, c) => [[...t].reverse(), c]],
		['channel rows grouped by SKU', (t, c) => [t, [...c].sort((x, y) => code(String(x.sku), String(y.sku)))]],
		['both shuffled', (t, c) => [shuffled(t, 1), shuffled(c, 2)]],
		['both shuffled again', (t, c) => [shuffled(t, 3), shuffled(c, 4)]],
	])('%s gives the same plan', (_name, reorder) => {
		const [t, c] = reorder(truth, channels);
		expect(reconcile(t, c, RULES)).toEqual(reference);
	});

	it('lists rows by channel, SKU, location in code-unit order', () => {
		type Row = { channel: string; sku: string; locationId: string };
		const compare = (x: Row, y: Row) => code(x.channel, y.channel) || code(x.sku, y.sku) || code(x.locationId, y.locationId);
		const inOrder = (rows: Row[]) => rows.every((row, i) => i === 0 || compare(rows[i - 1], row) < 0);
		expect(inOrder(reference.adjustments)).toBe(true);
		expect(inOrder(reference.inSync)).toBe(true);
		expect(reference.adjustments.filter((a) => a.channel === 'amazon').map((a) => a.sku).slice(0, 6)).toEqual(['10', '9', 'A-10', 'A-2', 'B', 'KIT']);
	});
});

describe('SKUs alike but for their start', () => {
	it('are told apart whatever order a channel lists them in', () => {
		// Same length, same ending: only the text itself tells them apart.
		const skus = ['RED-01', 'BLU-01', 'GRN-01', 'RED-02', 'BLU-02'];
		const truth: TruthRow[] = skus.map((sku, i) => ({ index: i, sku, locationId: 'WH1', onHand: 10 * (i + 1), asOf: NOW - MIN }));
		const listed = ['RED-01', 'GRN-01', 'BLU-01', 'BLU-02', 'RED-02'];
		const channels: ChannelRow[] = [...listed, ...[...listed].reverse()].map((sku, i) => ({ index: i, channel: i < 5 ? 'amazon' : 'ebay', sku, locationId: 'WH1', current: 0 }));
		const plan = reconcile(truth, channels, { now: NOW });
		const bySku = (channel: string) => Object.fromEntries(plan.adjustments.filter((a) => a.channel === channel).map((a) => [a.sku, a.target]));
		const expected = { 'BLU-01': 20, 'BLU-02': 50, 'GRN-01': 30, 'RED-01': 10, 'RED-02': 40 };
		expect(bySku('amazon')).toEqual(expected);
		expect(bySku('ebay')).toEqual(expected);
	});
});

describe('a SKU whose rows move between location sets', () => {
	it('keeps each row its own pool figures, and earlier rows keep theirs', () => {
		const truth: TruthRow[] = [
			{ index: 0, sku: 'A', locationId: 'WH1', onHand: 5, asOf: NOW - MIN },
			{ index: 1, sku: 'A', locationId: 'WH2', onHand: 7, asOf: NOW - MIN },
			{ index: 2, sku: 'A', locationId: 'WH3', onHand: 11, asOf: NOW - MIN },
		];
		const row = (index: number, channel: string, locationId: string): ChannelRow => ({ index, channel, sku: 'A', locationId, current: 0 });
		const plan = reconcile(
			truth,
			// amazon takes every warehouse, shopify's locations their mapped ones: the pool of A
			// switches set on every row.
			[row(0, 'amazon', 'DEFAULT'), row(1, 'shopify', 'gid/1'), row(2, 'amazon', 'DEFAULT2'), row(3, 'shopify', 'gid/2')],
			{
				now: NOW,
				locationMappings: [
					{ channel: 'shopify', channelLocationId: 'gid/1', truthLocationIds: ['WH1'] },
					{ channel: 'shopify', channelLocationId: 'gid/2', truthLocationIds: ['WH3', 'WH2'] },
				],
			},
		);
		expect(plan.adjustments.map((a) => [a.channel, a.locationId, a.target, a.truthLocationIds, a.truthIndexes, a.reason])).toEqual([
			['amazon', 'DEFAULT', 23, ['WH1', 'WH2', 'WH3'], [0, 1, 2], 'available to sell 23 = on hand 23 - committed 0 - reserved 0 - safety 0 at WH1 + WH2 + WH3'],
			['amazon', 'DEFAULT2', 23, ['WH1', 'WH2', 'WH3'], [0, 1, 2], 'available to sell 23 = on hand 23 - committed 0 - reserved 0 - safety 0 at WH1 + WH2 + WH3'],
			['shopify', 'gid/1', 5, ['WH1'], [0], 'available to sell 5 = on hand 5 - committed 0 - reserved 0 - safety 0 at WH1'],
			['shopify', 'gid/2', 18, ['WH2', 'WH3'], [1, 2], 'available to sell 18 = on hand 18 - committed 0 - reserved 0 - safety 0 at WH2 + WH3'],
		]);
		expect(plan.exceptions).toEqual([]);
	});
});
