import { QuantityError, describe, toQuantity } from '../domain/stock';
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

import type {
	Adjustment,
	Allocation,
	BundleComponent,
	ChannelRow,
	ExceptionKind,
	InSync,
	ReconcileException,
	ReconcilePlan,
	ReconcileRules,
	TruthRow,
} from './types';

/** Stock of one SKU at one truth location, after validation. */
interface TruthCell {
	/** on hand − committed − reserved (may be negative when over-committed). */
	net: number;
	onHand: number;
	committed: number;
	reserved: number;
	index: number;
	asOf?: number;
	stale: boolean;
}

interface TruthSku {
	cells: Map<string, TruthCell>;
	/** Pools already computed for this SKU: channels sharing locations share one pool. */
	pools?: Map<string, Pool>;
	safetyStock?: number;
	listed: boolean;
	firstIndex: number;
}

/** The available-to-sell of one pool, with what it was computed from. */
interface Pool {
	atp: number;
	net: number;
	locations: string[];
	indexes: number[];
	stale: boolean;
	snapshotAt?: number;
	detail: string;
}

const WORST = 10;

/**
 * Decides what every channel should show and what must change. Pure and deterministic: the
 * same rows and rules give the same plan, sorted by channel, SKU and location. Bad rows become
 * exceptions naming the row, the field and the fix; they never stop the rest. Memory grows with
 * the number of rows and keys only.
 */
export function reconcile(truthRows: readonly TruthRow[], channelRows: readonly ChannelRow[], rules: ReconcileRules): ReconcilePlan {
	const exceptions: ReconcileException[] = [];
	const except = (e: ReconcileException) => exceptions.push(e);
	const staleBefore = rules.staleAfterMinutes && rules.staleAfterMinutes > 0 ? rules.now - rules.staleAfterMinutes * 60_000 : undefined;
	const truth = readTruth(truthRows, staleBefore, except);
	const mappings = indexMappings(rules);
	const bundles = rules.bundles ?? {};
	const tolerance = Math.max(0, Math.floor(rules.tolerance ?? 0));
	const policy = rules.conflictPolicy ?? 'truthWins';

	const adjustments: Adjustment[] = [];
	const inSync: InSync[] = [];
	// channel → SKU → locations seen; nested maps avoid building a key string per row.
	const seen = new Map<string, Map<string, Set<string>>>();

	for (const row of channelRows) {
		const channel = text(row.channel);
		const sku = text(row.sku);
		const locationId = text(row.locationId);
		if (!channel) {
			except({ kind: 'missingSku', side: 'channel', index: row.index, field: 'channel', sku, message: `Channel row ${row.index} does not say which channel it is: map the channel field (e.g. "channel")` });
			continue;
		}
		if (!sku) {
			except({ kind: 'missingSku', side: 'channel', index: row.index, field: 'sku', channel, message: `Channel row ${row.index} (${channel}) has no SKU: map the SKU field` });
			continue;
		}
		if (!locationId) {
			except({ kind: 'missingLocation', side: 'channel', index: row.index, field: 'locationId', channel, sku, message: `Channel row ${row.index} (${channel}, ${sku}) has no location: map the location field` });
			continue;
		}
		let current: number;
		try {
			current = toQuantity(row.current, 'current', true);
		} catch (error) {
			except({ kind: 'badQuantity', side: 'channel', index: row.index, field: 'current', channel, sku, locationId, message: `Channel row ${row.index} (${channel}, ${sku} at ${locationId}): ${(error as QuantityError).message}` });
			continue;
		}
		let bySku = seen.get(channel);
		if (!bySku) seen.set(channel, (bySku = new Map()));
		let locs = bySku.get(sku);
		if (!locs) bySku.set(sku, (locs = new Set()));
		if (locs.has(locationId)) {
			except({ kind: 'duplicateRow', side: 'channel', index: row.index, channel, sku, locationId, message: `Channel row ${row.index} repeats ${channel} ${sku} at ${locationId}; only the first row is used` });
			continue;
		}
		locs.add(locationId);

		const allowed = mappings ? mappings.get(`${channel}\u0000${locationId}`) : undefined;
		if (mappings && !allowed) {
			except({ kind: 'missingLocationMapping', side: 'channel', index: row.index, channel, sku, locationId, message: `No location mapping says which warehouses fill ${channel} location ${locationId}: add it to the location mapping table` });
			continue;
		}
		const components = row.components ?? bundles[sku];
		let pool: Pool | { error: ReconcileException };
		if (components && components.length > 0) pool = bundlePool(sku, components, truth, bundles, allowed, locationId, row, channel, rules);
		else {
			const t = truth.get(sku);
			if (!t) {
				except({ kind: 'unknownSkuInTruth', side: 'channel', index: row.index, channel, sku, locationId, message: `${channel} lists ${sku}, which the source of truth does not have: check the SKU, or define it as a bundle` });
				continue;
			}
			t.listed = true;
			pool = skuPool(t, allowed, locationId, rules.safetyStock ?? 0);
		}
		if ('error' in pool) {
			except(pool.error);
			continue;
		}
		if (pool.stale) {
			except({ kind: 'staleSnapshot', side: 'channel', index: row.index, channel, sku, locationId, message: `The stock of ${sku} for ${channel} ${locationId} comes from a snapshot older than ${rules.staleAfterMinutes} minutes; refusing to act on it — read the source again` });
			continue;
		}
		const allocation = row.allocation ?? rules.channelAllocation?.[channel] ?? rules.allocation ?? { mode: 'all' };
		let target = allocate(pool.atp, allocation);
		let note = '';
		if (row.updatedAt !== undefined && pool.snapshotAt !== undefined && row.updatedAt > pool.snapshotAt) {
			if (policy === 'skip') {
				except({ kind: 'changedAfterSnapshot', side: 'channel', index: row.index, channel, sku, locationId, message: `${channel} changed ${sku} at ${locationId} after the stock snapshot was taken; skipped as the conflict policy says — reconcile again with fresh stock` });
				continue;
			}
			if (policy === 'lowerWins' && current < target) {
				target = current;
				note = '; channel changed after the snapshot and shows less, kept (lower wins)';
			} else note = '; channel changed after the snapshot, truth wins';
		}
		const delta = target - current;
		const truthIndexes = pool.indexes;
		if (Math.abs(delta) <= tolerance) {
			inSync.push({ channel, sku, locationId, target, current, channelIndex: row.index, truthIndexes });
			continue;
		}
		adjustments.push({
			channel,
			sku,
			locationId,
			target,
			current,
			delta,
			// The pool's own sentence is shared by every channel row it fills; current and target are fields.
			reason: allocation.mode === 'all' && note === '' ? pool.detail : `${pool.detail}${describeAllocation(allocation, pool.atp, target)}${note}`,
			idempotencyKey: adjustmentKey(channel, sku, locationId, target, current),
			atp: pool.atp,
			truthLocationIds: pool.locations,
			truthIndexes,
			channelIndex: row.index,
			passthrough: row.passthrough,
		});
	}

	if (rules.reportUnlisted !== false && channelRows.length > 0) {
		for (const [sku, t] of truth) {
			if (t.listed) continue;
			except({ kind: 'unknownSkuInChannel', side: 'truth', index: t.firstIndex, sku, message: `${sku} is in stock at the source of truth but no channel lists it: list it on a channel, or ignore this if it is not for sale` });
		}
	}

	const sortedAdjustments = sortByKey(adjustments);
	const sortedInSync = sortByKey(inSync);
	exceptions.sort((a, b) => cmp(a.side, b.side) || a.index - b.index || cmp(a.kind, b.kind));
	return {
		adjustments: sortedAdjustments,
		inSync: sortedInSync,
		exceptions,
		summary: summarise(truthRows.length, channelRows.length, sortedAdjustments, sortedInSync, exceptions),
	};
}

/**
 * Sorts by channel, SKU, location. Each distinct value is ranked once and rows are ordered by
 * one number, so 600,000 rows cost a numeric sort instead of 600,000 × log n string comparisons.
 */
function sortByKey<T extends { channel: string; sku: string; locationId: string }>(list: T[]): T[] {
	if (list.length < 2) return list;
	const rank = (values: Iterable<string>) => {
		const sorted = [...new Set(values)].sort(cmp);
		return { size: sorted.length, of: new Map(sorted.map((v, i) => [v, i])) };
	};
	const channels = rank(list.map((r) => r.channel));
	const skus = rank(list.map((r) => r.sku));
	const locations = rank(list.map((r) => r.locationId));
	const keys = new Float64Array(list.length);
	for (let i = 0; i < list.length; i++) {
		const r = list[i];
		keys[i] = ((channels.of.get(r.channel) as number) * skus.size + (skus.of.get(r.sku) as number)) * locations.size + (locations.of.get(r.locationId) as number);
	}
	const order = Array.from({ length: list.length }, (_v, i) => i).sort((a, b) => keys[a] - keys[b]);
	return order.map((i) => list[i]);
}

function readTruth(rows: readonly TruthRow[], staleBefore: number | undefined, except: (e: ReconcileException) => void): Map<string, TruthSku> {
	const truth = new Map<string, TruthSku>();
	for (const row of rows) {
		const sku = text(row.sku);
		const locationId = text(row.locationId);
		if (!sku) {
			except({ kind: 'missingSku', side: 'truth', index: row.index, field: 'sku', message: `Truth row ${row.index} has no SKU: map the SKU field` });
			continue;
		}
		if (!locationId) {
			except({ kind: 'missingLocation', side: 'truth', index: row.index, field: 'locationId', sku, message: `Truth row ${row.index} (${sku}) has no location: map the location field` });
			continue;
		}
		let onHand: number;
		let committed: number;
		let reserved: number;
		let safety: number | undefined;
		try {
			onHand = toQuantity(row.onHand, 'onHand');
			committed = row.committed === undefined || row.committed === null || row.committed === '' ? 0 : toQuantity(row.committed, 'committed');
			reserved = row.reserved === undefined || row.reserved === null || row.reserved === '' ? 0 : toQuantity(row.reserved, 'reserved');
			safety = row.safetyStock === undefined || row.safetyStock === null || row.safetyStock === '' ? undefined : toQuantity(row.safetyStock, 'safetyStock');
		} catch (error) {
			const e = error as QuantityError;
			except({ kind: 'badQuantity', side: 'truth', index: row.index, field: e.field, sku, locationId, message: `Truth row ${row.index} (${sku} at ${locationId}): ${e.message}` });
			continue;
		}
		let t = truth.get(sku);
		if (!t) {
			t = { cells: new Map(), listed: false, firstIndex: row.index };
			truth.set(sku, t);
		}
		if (t.cells.has(locationId)) {
			except({ kind: 'duplicateRow', side: 'truth', index: row.index, sku, locationId, message: `Truth row ${row.index} repeats ${sku} at ${locationId}; only the first row is used — check the source for double counting` });
			continue;
		}
		if (safety !== undefined) t.safetyStock = safety;
		t.cells.set(locationId, {
			net: onHand - committed - reserved,
			onHand,
			committed,
			reserved,
			index: row.index,
			asOf: row.asOf,
			stale: staleBefore !== undefined && row.asOf !== undefined && row.asOf < staleBefore,
		});
	}
	return truth;
}

function indexMappings(rules: ReconcileRules): Map<string, string[]> | undefined {
	if (!rules.locationMappings || rules.locationMappings.length === 0) return undefined;
	const out = new Map<string, string[]>();
	for (const m of rules.locationMappings) {
		const key = `${m.channel}\u0000${m.channelLocationId}`;
		out.set(key, [...new Set([...(out.get(key) ?? []), ...m.truthLocationIds])]);
	}
	return out;
}

/** The truth locations that fill a channel location: explicit, same id, or all of them. */
function locationsFor(t: TruthSku, allowed: string[] | undefined, channelLocationId: string): string[] {
	if (allowed) return allowed;
	if (t.cells.has(channelLocationId)) return [channelLocationId];
	return [...t.cells.keys()].sort(cmp);
}

function skuPool(t: TruthSku, allowed: string[] | undefined, channelLocationId: string, defaultSafety: number): Pool {
	const cacheKey = allowed ? `m\u0000${allowed.join('\u0000')}` : t.cells.has(channelLocationId) ? `l\u0000${channelLocationId}` : '*';
	const cached = t.pools?.get(cacheKey);
	if (cached) return cached;
	const pool = computePool(t, locationsFor(t, allowed, channelLocationId), defaultSafety);
	(t.pools ??= new Map()).set(cacheKey, pool);
	return pool;
}

function computePool(t: TruthSku, locations: string[], defaultSafety: number): Pool {
	let net = 0;
	let onHand = 0;
	let committed = 0;
	let reserved = 0;
	let stale = false;
	let snapshotAt: number | undefined;
	const indexes: number[] = [];
	const used: string[] = [];
	for (const loc of locations) {
		const cell = t.cells.get(loc);
		if (!cell) continue;
		used.push(loc);
		net += cell.net;
		onHand += cell.onHand;
		committed += cell.committed;
		reserved += cell.reserved;
		indexes.push(cell.index);
		stale ||= cell.stale;
		if (cell.asOf !== undefined) snapshotAt = snapshotAt === undefined ? cell.asOf : Math.min(snapshotAt, cell.asOf);
	}
	const safety = t.safetyStock ?? defaultSafety;
	const atp = Math.max(0, net - safety);
	const where = used.length === 0 ? 'no stock at the mapped locations' : `at ${used.join(' + ')}`;
	return {
		atp,
		net,
		locations: used,
		indexes,
		stale,
		snapshotAt,
		detail: `available to sell ${atp} = on hand ${onHand} − committed ${committed} − reserved ${reserved} − safety ${safety} ${where}`,
	};
}

function bundlePool(
	sku: string,
	components: BundleComponent[],
	truth: Map<string, TruthSku>,
	bundles: Record<string, BundleComponent[]>,
	allowed: string[] | undefined,
	channelLocationId: string,
	row: ChannelRow,
	channel: string,
	rules: ReconcileRules,
): Pool | { error: ReconcileException } {
	const fail = (message: string) => ({
		error: { kind: 'badBundle' as ExceptionKind, side: 'channel' as const, index: row.index, channel, sku, locationId: channelLocationId, message },
	});
	let atp = Number.POSITIVE_INFINITY;
	const indexes: number[] = [];
	const locations = new Set<string>();
	const parts: string[] = [];
	let stale = false;
	let snapshotAt: number | undefined;
	for (const c of components) {
		const quantity = Number(c.quantity);
		if (!c.sku || !Number.isInteger(quantity) || quantity <= 0) {
			return fail(`Bundle ${sku} has a component without a SKU or with quantity ${describe(c.quantity)}: each component needs a SKU and a whole quantity of at least 1`);
		}
		if ((bundles[c.sku] && bundles[c.sku].length > 0) || c.sku === sku) {
			return fail(`Bundle ${sku} contains ${c.sku}, which is itself a bundle; bundles of bundles are not supported — list the inner bundle's components directly`);
		}
		const t = truth.get(c.sku);
		if (!t) return fail(`Bundle ${sku} needs component ${c.sku}, which the source of truth does not have: check the bundle definition`);
		t.listed = true;
		const pool = skuPool(t, allowed, channelLocationId, rules.safetyStock ?? 0);
		const units = Math.floor(pool.atp / quantity);
		if (units < atp) atp = units;
		pool.indexes.forEach((i) => indexes.push(i));
		pool.locations.forEach((l) => locations.add(l));
		stale ||= pool.stale;
		if (pool.snapshotAt !== undefined) snapshotAt = snapshotAt === undefined ? pool.snapshotAt : Math.min(snapshotAt, pool.snapshotAt);
		parts.push(`⌊${pool.atp} ${c.sku} / ${quantity}⌋ = ${units}`);
	}
	if (!Number.isFinite(atp)) return fail(`Bundle ${sku} has no components: define at least one`);
	return { atp, net: atp, locations: [...locations].sort(cmp), indexes, stale, snapshotAt, detail: `bundle available to sell ${atp} = min(${parts.join(', ')})` };
}

/**
 * The idempotency key of one correction: SHA-256 over channel, SKU, location, target and the
 * expected current value, so the same correction always has the same key and any change to
 * what is written, or to what it expects to find, gives a new one.
 */
export function adjustmentKey(channel: string, sku: string, locationId: string, target: number, current: number): string {
	const text = `inventoryReconcile\u0000${channel}\u0000${sku}\u0000${locationId}\u0000${target}\u0000${current}`;
	return oneShotHash ? oneShotHash('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');
}

// Node ≥ 21.7 (n8n 2.x runs on 24) hashes small inputs several times faster in one call.
const oneShotHash = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/**
 * What a channel gets of `atp` under an allocation, always rounded down: a share never shows a
 * unit that is not wholly there.
 */
export function allocate(atp: number, allocation: Allocation): number {
	const base = Math.max(0, Math.floor(atp));
	switch (allocation.mode) {
		case 'all':
			return base;
		case 'share': {
			const pct = Math.min(100, Math.max(0, allocation.percent));
			// Whole thousandths of a percent, so 33.3 % of 3 is exactly 0.999 → 0, never 1 by float error.
			return Math.floor((base * Math.round(pct * 1000)) / 100_000);
		}
		case 'cap':
			return Math.min(base, Math.max(0, Math.floor(allocation.max)));
		case 'floor':
			return base < allocation.min ? 0 : base;
		default:
			return base;
	}
}

function describeAllocation(allocation: Allocation, atp: number, target: number): string {
	switch (allocation.mode) {
		case 'share':
			return `; ${allocation.percent} % share of ${atp} rounded down = ${target}`;
		case 'cap':
			return atp > allocation.max ? `; capped at ${allocation.max}` : '';
		case 'floor':
			return atp < allocation.min ? `; below the floor of ${allocation.min}, so 0` : '';
		default:
			return '';
	}
}

function summarise(
	truthRows: number,
	channelRows: number,
	adjustments: Adjustment[],
	inSync: InSync[],
	exceptions: ReconcileException[],
): ReconcilePlan['summary'] {
	const exceptionsByKind: Partial<Record<ExceptionKind, number>> = {};
	for (const e of exceptions) exceptionsByKind[e.kind] = (exceptionsByKind[e.kind] ?? 0) + 1;
	const driftUnits: Record<string, number> = {};
	const oversellRisk: Record<string, number> = {};
	for (const a of adjustments) {
		driftUnits[a.channel] = (driftUnits[a.channel] ?? 0) + Math.abs(a.delta);
		if (a.current > a.target) oversellRisk[a.channel] = (oversellRisk[a.channel] ?? 0) + 1;
	}
	// Adjustments arrive sorted by key, so a stable top-K by |delta| keeps ties in key order.
	const top: Adjustment[] = [];
	for (const a of adjustments) {
		if (top.length === WORST && Math.abs(a.delta) <= Math.abs(top[WORST - 1].delta)) continue;
		let i = top.length;
		while (i > 0 && Math.abs(top[i - 1].delta) < Math.abs(a.delta)) i--;
		top.splice(i, 0, a);
		if (top.length > WORST) top.pop();
	}
	const worst = top
		.map((a) => ({ channel: a.channel, sku: a.sku, locationId: a.locationId, current: a.current, target: a.target, delta: a.delta }));
	return { truthRows, channelRows, adjustments: adjustments.length, inSync: inSync.length, exceptions: exceptions.length, exceptionsByKind, driftUnits, oversellRisk, worst };
}

function text(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

function cmp(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
