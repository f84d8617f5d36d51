import * as crypto from 'node:crypto';

import { describe, toQuantity, type QuantityError } from '../domain/stock';
import type {
	Adjustment,
	Allocation,
	BundleComponent,
	ChannelRow,
	ConflictPolicy,
	ExceptionKind,
	InSync,
	ReconcileException,
	ReconcilePlan,
	ReconcileRules,
	ReconcileSummary,
	TruthRow,
} from './types';

/*
 * Layout, for 200,000 SKUs × 5 locations against 600,000 channel rows in well under a second
 * or two: SKUs, locations and channel locations are interned to small integers once; truth
 * cells live in typed arrays chained per SKU; location sets are bit masks; a pool (the sum over
 * one SKU's allowed cells) is cached per SKU for the last set used, so channels sharing a
 * mapping share it. Nothing is keyed by a concatenated string per row, nothing is quadratic,
 * and the output is sorted by counting sorts over name ranks, not by comparing rows.
 */

const WORST = 10;
/**
 * Row order keys pack (channel location, SKU) as combo × 2^26 + SKU id: exact in a double up
 * to 2^21 channel locations and 2^26 SKUs, far beyond what fits in memory anyway.
 */
const SKU_SPAN = 0x4000000;
const POLICIES: readonly ConflictPolicy[] = ['truthWins', 'lowerWins', 'skip'];

/** A set of truth locations that may fill a channel location. */
interface LocationSet {
	mask: Uint8Array;
	/** Known truth locations in the set, sorted by name. */
	ids: number[];
	/** Their names, and how a reason says where the stock is, shared by every SKU holding all of them. */
	names: string[];
	where: string;
}

/** One location of one channel, resolved once. */
interface ChannelLocation {
	name: string;
	combo: number;
	/** Id of the channel it belongs to. */
	channel: number;
	/** Undefined when the channel is mapped and this location is not. */
	set: LocationSet | undefined;
	/** Why `set` is undefined, for the exception. */
	problem: string;
	/** The constant parts of its adjustments' canonical key text, around `current` and the SKU. */
	keyHead: string;
	keyMiddle: string;
}

interface ChannelInfo {
	name: string;
	id: number;
	json: string;
	allocation: Allocation;
	mappings: Map<string, string[]> | undefined;
	locations: Map<string, ChannelLocation>;
	drift: number;
	adjustments: number;
	oversell: number;
}

/**
 * What one SKU holds over one location set. It is also its own Supply for the last safety stock
 * asked for (usually the only one): one object per SKU and set, not three.
 */
interface Pool extends Supply {
	net: number;
	onHand: number;
	committed: number;
	reserved: number;
	where: string;
}

/** A pool or a bundle's units, ready for allocation. */
interface Supply {
	atp: number;
	safety: number;
	/** The last reason built from it, for rows with the same allocation and note to share it. */
	reasonAllocation?: Allocation;
	reasonNote?: string;
	reasonText?: string;
	stale: boolean;
	untimed: boolean;
	snapshotAt: number;
	locations: readonly string[];
	indexes: readonly number[];
	/** Bundles set it at once; pools when a reason first needs it. */
	detail: string | undefined;
}

/**
 * Decides what every channel should show and what must change. Pure and deterministic: the
 * same rows and rules give the same plan, sorted by channel, SKU and location. Bad rows become
 * exceptions naming the row, the field and the fix; they never stop the rest. Memory grows with
 * the number of rows and keys only.
 */
export function reconcile(truthRows: readonly TruthRow[], channelRows: readonly ChannelRow[], rules: ReconcileRules): ReconcilePlan {
	const exceptions: ReconcileException[] = [];
	const except = (e: ReconcileException) => void exceptions.push(e);
	const guard = rules.staleAfterMinutes !== undefined && rules.staleAfterMinutes > 0;
	const staleBefore = guard ? rules.now - (rules.staleAfterMinutes as number) * 60_000 : Number.NEGATIVE_INFINITY;
	const defaultSafety = Math.max(0, Math.floor(rules.safetyStock ?? 0));
	const defaultTolerance = Math.max(0, Math.floor(rules.tolerance ?? 0));
	const defaultPolicy = rules.conflictPolicy ?? 'truthWins';
	const times = timeReader();

	// ---- SKUs (shared by both sides) ----
	const skuIds = new Map<string, number>();
	const skuNames: string[] = [];
	const skuHead: number[] = [];
	const skuSafety: number[] = [];
	const skuFirst: number[] = [];
	const skuListed: number[] = [];
	const skuLocMask: number[] = [];
	const skuComboMask: number[] = [];
	const skuPoolSet: Array<LocationSet | undefined> = [];
	const skuPool: Array<Pool | undefined> = [];
	const skuJson: Array<string | undefined> = [];
	const skuDrift: number[] = [];
	const skuAdjusted: number[] = [];
	const wideLocs = new Set<string>();
	const wideCombos = new Set<string>();
	const skuOf = (sku: string): number => {
		let id = skuIds.get(sku);
		if (id === undefined) {
			id = skuNames.length;
			skuIds.set(sku, id);
			skuNames.push(sku);
			skuHead.push(-1);
			skuSafety.push(-1);
			skuFirst.push(-1);
			skuListed.push(0);
			skuLocMask.push(0);
			skuComboMask.push(0);
			skuPoolSet.push(undefined);
			skuPool.push(undefined);
			skuJson.push(undefined);
			skuDrift.push(0);
			skuAdjusted.push(0);
		}
		return id;
	};

	// ---- truth cells ----
	const n = truthRows.length;
	const cellLoc = new Int32Array(n);
	const cellNext = new Int32Array(n);
	const cellIndex = new Int32Array(n);
	const cellOnHand = new Float64Array(n);
	const cellCommitted = new Float64Array(n);
	const cellReserved = new Float64Array(n);
	const cellAsOf = new Float64Array(n);
	let cells = 0;
	const locIds = new Map<string, number>();
	const locNames: string[] = [];
	const locFirst: number[] = [];
	const locRows: number[] = [];
	// Truth exports list a SKU's locations one after another: comparing with the previous row's
	// SKU is far cheaper than a hash-table probe with a string read from every row.
	let prevSku = '';
	let prevId = -1;

	for (let r = 0; r < n; r++) {
		const row = truthRows[r];
		const sku = text(row.sku);
		if (!sku) {
			except({ kind: 'missingSku', side: 'truth', index: row.index, field: 'sku', message: `Truth row ${row.index} has no SKU: map the SKU field` });
			continue;
		}
		const location = text(row.locationId);
		if (!location) {
			except({ kind: 'missingLocation', side: 'truth', index: row.index, field: 'locationId', sku, message: `Truth row ${row.index} (${sku}) has no location: map the location field` });
			continue;
		}
		let onHand: number;
		let committed: number;
		let reserved: number;
		let safety = -1;
		try {
			onHand = quantity(row.onHand, 'onHand', true);
			committed = quantity(row.committed, 'committed', false);
			reserved = quantity(row.reserved, 'reserved', false);
			if (!absent(row.safetyStock)) safety = toQuantity(row.safetyStock, 'safetyStock');
		} catch (error) {
			const e = error as QuantityError;
			except({ kind: 'badQuantity', side: 'truth', index: row.index, field: e.field, sku, locationId: location, message: `Truth row ${row.index} (${sku} at ${location}): ${e.message}` });
			continue;
		}
		const asOf = times(row.asOf);
		if (Number.isNaN(asOf) && !absent(row.asOf)) {
			except({ kind: 'badTimestamp', side: 'truth', index: row.index, field: 'asOf', sku, locationId: location, message: `Truth row ${row.index} (${sku} at ${location}): the snapshot time ${describe(row.asOf)} is not a date; send an ISO date such as 2026-01-31T09:00:00Z or milliseconds` });
			continue;
		}
		const id = sku === prevSku ? prevId : skuOf(sku);
		prevSku = sku;
		prevId = id;
		let loc = locIds.get(location);
		if (loc === undefined) {
			loc = locNames.length;
			locIds.set(location, loc);
			locNames.push(location);
			locFirst.push(row.index);
			locRows.push(0);
		}
		// One bit per location while there are few (the usual case), a set beyond that.
		if (loc < 31) {
			const bit = 1 << loc;
			if (skuLocMask[id] & bit) {
				duplicateTruth(row, sku, location);
				continue;
			}
			skuLocMask[id] |= bit;
		} else {
			const key = `${id}:${loc}`;
			if (wideLocs.has(key)) {
				duplicateTruth(row, sku, location);
				continue;
			}
			wideLocs.add(key);
		}
		locRows[loc]++;
		// Two rows giving a SKU different safety stock: the larger one holds, never fewer units.
		if (safety > skuSafety[id]) skuSafety[id] = safety;
		if (skuFirst[id] < 0) skuFirst[id] = row.index;
		const c = cells++;
		cellLoc[c] = loc;
		cellIndex[c] = row.index;
		cellOnHand[c] = onHand;
		cellCommitted[c] = committed;
		cellReserved[c] = reserved;
		cellAsOf[c] = asOf;
		cellNext[c] = skuHead[id];
		skuHead[id] = c;
	}
	function duplicateTruth(row: TruthRow, sku: string, location: string): void {
		except({ kind: 'duplicateRow', side: 'truth', index: row.index, sku, locationId: location, message: `Truth row ${row.index} repeats ${sku} at ${location}; only the first row is used — check the source for double counting` });
	}

	// ---- location sets ----
	const locCount = locNames.length;
	/** Scratch: the cell of the SKU being pooled at each location, -1 elsewhere. */
	const cellAt = new Int32Array(locCount).fill(-1);
	const usedLoc = new Uint8Array(locCount);
	const sets = new Map<string, LocationSet>();
	const setOf = (ids: number[]): LocationSet => {
		const sorted = [...new Set(ids)].sort((a, b) => cmp(locNames[a], locNames[b]));
		const key = sorted.join(',');
		let set = sets.get(key);
		if (!set) {
			const mask = new Uint8Array(locCount);
			for (const id of sorted) {
				mask[id] = 1;
				usedLoc[id] = 1;
			}
			const names = sorted.map((id) => locNames[id]);
			set = { mask, ids: sorted, names, where: placeText(names) };
			sets.set(key, set);
		}
		return set;
	};
	let allSet: LocationSet | undefined;
	const mappingsByChannel = new Map<string, Map<string, string[]>>();
	for (const m of rules.locationMappings ?? []) {
		let byLocation = mappingsByChannel.get(m.channel);
		if (!byLocation) mappingsByChannel.set(m.channel, (byLocation = new Map()));
		byLocation.set(m.channelLocationId, [...(byLocation.get(m.channelLocationId) ?? []), ...m.truthLocationIds]);
	}
	const bundles = new Map<string, BundleComponent[]>();
	for (const [sku, list] of Object.entries(rules.bundles ?? {})) if (list && list.length > 0) bundles.set(sku, list);

	// ---- channels ----
	const channels = new Map<string, ChannelInfo>();
	const channelList: ChannelInfo[] = [];
	const comboList: ChannelLocation[] = [];
	const channelOf = (name: string): ChannelInfo => {
		let info = channels.get(name);
		if (!info) {
			info = {
				name,
				id: channelList.length,
				json: JSON.stringify(name),
				allocation: rules.channelAllocation?.[name] ?? rules.allocation ?? { mode: 'all' },
				mappings: mappingsByChannel.get(name),
				locations: new Map(),
				drift: 0,
				adjustments: 0,
				oversell: 0,
			};
			channels.set(name, info);
			channelList.push(info);
		}
		return info;
	};
	const locationOf = (info: ChannelInfo, name: string): ChannelLocation => {
		let cl = info.locations.get(name);
		if (!cl) {
			let set: LocationSet | undefined;
			let problem = `No location mapping says which warehouses fill ${info.name} location ${name}: add it to the location mapping table`;
			if (info.mappings) {
				const mapped = info.mappings.get(name);
				const known = (mapped ?? []).map((l) => locIds.get(l)).filter((l): l is number => l !== undefined);
				// A mapping whose warehouses are all unknown is a typo, not "no stock": showing 0
				// everywhere on its say-so would quietly stop sales.
				if (known.length > 0) set = setOf(known);
				else if (mapped && locCount > 0) {
					problem = `The location mapping for ${info.name} location ${name} names ${mapped.join(', ')}, none of which is a location in the truth input: check the IDs in the mapping table`;
				}
			} else {
				const same = locIds.get(name);
				set = same !== undefined ? setOf([same]) : (allSet ??= setOf(locNames.map((_l, i) => i)));
			}
			cl = {
				name,
				combo: comboList.length,
				channel: info.id,
				set,
				problem,
				keyHead: `{"scope":"inventoryReconcile","value":{"channel":${info.json},"current":`,
				keyMiddle: `,"locationId":${JSON.stringify(name)},"sku":`,
			};
			info.locations.set(name, cl);
			comboList.push(cl);
		}
		return cl;
	};

	const poolOf = (sku: number, set: LocationSet): Pool => {
		if (skuPoolSet[sku] === set) return skuPool[sku] as Pool;
		let net = 0;
		let onHand = 0;
		let committed = 0;
		let reserved = 0;
		let stale = false;
		let untimed = false;
		let snapshotAt = Number.NaN;
		let count = 0;
		for (let c = skuHead[sku]; c !== -1; c = cellNext[c]) {
			if (set.mask[cellLoc[c]] === 0) continue;
			cellAt[cellLoc[c]] = c;
			count++;
			onHand += cellOnHand[c];
			committed += cellCommitted[c];
			reserved += cellReserved[c];
			const asOf = cellAsOf[c];
			if (Number.isNaN(asOf)) untimed = guard;
			else {
				if (asOf < staleBefore) stale = true;
				if (!(asOf >= snapshotAt)) snapshotAt = asOf;
			}
		}
		net = onHand - committed - reserved;
		// Cells are chained newest first; list them in the set's (name) order, without a sort
		// unless the SKU holds only a few of a large set's locations.
		const whole = count === set.ids.length;
		let indexes: number[];
		let locations: readonly string[];
		if (whole) {
			// The usual case: the set's own names, and one exact-size array, no scratch list.
			indexes = new Array<number>(count);
			for (let i = 0; i < count; i++) {
				const loc = set.ids[i];
				indexes[i] = cellIndex[cellAt[loc]];
				cellAt[loc] = -1;
			}
			locations = set.names;
		} else {
			let used: number[];
			if (count * 4 >= set.ids.length) {
				used = [];
				for (const loc of set.ids) if (cellAt[loc] >= 0) used.push(cellAt[loc]);
			} else {
				used = [];
				for (let c = skuHead[sku]; c !== -1; c = cellNext[c]) if (set.mask[cellLoc[c]] === 1) used.push(c);
				used.sort((a, b) => cmp(locNames[cellLoc[a]], locNames[cellLoc[b]]));
			}
			for (const c of used) cellAt[cellLoc[c]] = -1;
			indexes = used.map((c) => cellIndex[c]);
			locations = used.map((c) => locNames[cellLoc[c]]);
		}
		// A new object rather than the SKU's previous pool refilled: measured, refilling (an
		// old-space object by then) was slower with SKUs in no particular order, and no faster
		// otherwise.
		const pool: Pool = {
			net,
			onHand,
			committed,
			reserved,
			stale,
			untimed,
			snapshotAt,
			locations,
			indexes,
			where: whole ? set.where : placeText(locations),
			atp: 0,
			safety: -1,
			detail: undefined,
			reasonAllocation: undefined,
			reasonNote: undefined,
			reasonText: undefined,
		};
		skuPoolSet[sku] = set;
		skuPool[sku] = pool;
		return pool;
	};

	const supplyOf = (sku: number, set: LocationSet, safety: number): Supply => {
		const pool = poolOf(sku, set);
		// Channels sharing a pool and a safety stock share one explanation, not one each.
		if (pool.safety === safety) return pool;
		const atp = Math.max(0, pool.net - safety);
		pool.atp = atp;
		pool.safety = safety;
		// Written only when a row needs a reason (in-sync rows do not).
		pool.detail = undefined;
		pool.reasonAllocation = undefined;
		return pool;
	};

	const bundleOf = (bundle: string, components: BundleComponent[], set: LocationSet, rowSafety: number): Supply | string => {
		let units = Number.POSITIVE_INFINITY;
		const indexes: number[] = [];
		const locations = new Set<string>();
		const parts: string[] = [];
		let stale = false;
		let untimed = false;
		let snapshotAt = Number.NaN;
		for (const component of components) {
			const quantity = Number(component?.quantity);
			const sku = typeof component?.sku === 'string' ? component.sku.trim() : '';
			if (!sku || !Number.isInteger(quantity) || quantity <= 0) {
				return `Bundle ${bundle} has a component without a SKU or with quantity ${describe(component?.quantity)}: each component needs a SKU and a whole quantity of at least 1`;
			}
			if (sku === bundle || bundles.has(sku)) {
				return `Bundle ${bundle} contains ${sku}, which is itself a bundle; bundles of bundles are not supported — list the inner bundle's components directly`;
			}
			const id = skuIds.get(sku);
			if (id === undefined || skuHead[id] === -1) {
				return `Bundle ${bundle} needs component ${sku}, which the source of truth does not have: check the bundle definition`;
			}
			skuListed[id] = 1;
			const pool = poolOf(id, set);
			const safety = skuSafety[id] >= 0 ? skuSafety[id] : defaultSafety;
			const atp = Math.max(0, pool.net - safety);
			const fit = Math.floor(atp / quantity);
			if (fit < units) units = fit;
			for (const i of pool.indexes) indexes.push(i);
			for (const l of pool.locations) locations.add(l);
			stale ||= pool.stale;
			untimed ||= pool.untimed;
			if (!(pool.snapshotAt >= snapshotAt)) snapshotAt = pool.snapshotAt;
			parts.push(`floor(${atp} ${sku} / ${quantity}) = ${fit}`);
		}
		if (!Number.isFinite(units)) return `Bundle ${bundle} has no components: define at least one`;
		const atp = Math.max(0, units - rowSafety);
		return {
			atp,
			safety: rowSafety,
			stale,
			untimed,
			snapshotAt,
			locations: [...locations].sort(cmp),
			indexes: [...new Set(indexes)].sort((a, b) => a - b),
			detail: `bundle available to sell ${atp} = min(${parts.join(', ')})${rowSafety > 0 ? ` - safety ${rowSafety}` : ''}`,
		};
	};

	// ---- channel rows ----
	const adjustments: Adjustment[] = [];
	const adjKeys: number[] = [];
	const inSync: InSync[] = [];
	const syncKeys: number[] = [];
	const allocationCache = new Map<unknown, Allocation | string>();

	/*
	 * Id of a SKU the truth side (or an earlier channel row) named, else -1. Probing a 200,000-key
	 * map with a string read from every row costs a hash and a few cache misses per row; channel
	 * exports usually list SKUs in one order (the source's, or each other's), so first guess the
	 * SKU that followed the previous row's SKU last time (at first: the truth's order), then the
	 * previous row's SKU itself. A cheap print of each truth SKU (length and last characters,
	 * in a typed array) turns most wrong guesses away without reading the SKU text elsewhere in
	 * memory, so unordered input pays almost nothing for the guess.
	 */
	const truthSkus = skuNames.length;
	const skuAfter = new Int32Array(truthSkus);
	const skuPrint = new Int32Array(truthSkus);
	for (let id = 0; id < truthSkus; id++) {
		skuAfter[id] = id + 1 < truthSkus ? id + 1 : -1;
		skuPrint[id] = printOf(skuNames[id]);
	}
	let lastSku = -1;
	const knownSku = (sku: string): number => {
		if (lastSku >= 0 && lastSku < truthSkus) {
			const next = skuAfter[lastSku];
			if (next >= 0 && skuPrint[next] === printOf(sku) && skuNames[next] === sku) {
				lastSku = next;
				return next;
			}
			if (skuNames[lastSku] === sku) return lastSku;
		}
		const id = skuIds.get(sku) ?? -1;
		if (id >= 0) {
			if (lastSku >= 0 && lastSku < truthSkus && id < truthSkus) skuAfter[lastSku] = id;
			lastSku = id;
		}
		return id;
	};
	// The channel location of the previous row, for rows of one location that come together.
	let lastChannel = '';
	let lastLocation = '';
	let lastCl: ChannelLocation | undefined;

	for (let r = 0; r < channelRows.length; r++) {
		const row = channelRows[r];
		const channel = text(row.channel);
		const sku = text(row.sku);
		if (!channel) {
			except({ kind: 'missingChannel', side: 'channel', index: row.index, field: 'channel', sku: sku || undefined, message: `Channel row ${row.index} does not say which channel it is: map the channel field (e.g. "channel")` });
			continue;
		}
		if (!sku) {
			except({ kind: 'missingSku', side: 'channel', index: row.index, field: 'sku', channel, message: `Channel row ${row.index} (${channel}) has no SKU: map the SKU field` });
			continue;
		}
		const skuId = knownSku(sku);
		if (skuId >= 0) skuListed[skuId] = 1;
		const location = text(row.locationId);
		if (!location) {
			except({ kind: 'missingLocation', side: 'channel', index: row.index, field: 'locationId', channel, sku, message: `Channel row ${row.index} (${channel}, ${sku}) has no location: map the location field` });
			continue;
		}
		let current: number;
		try {
			current = quantity(row.current, 'current', true, true);
		} catch (error) {
			except({ kind: 'badQuantity', side: 'channel', index: row.index, field: 'current', channel, sku, locationId: location, message: `${rowLabel(row.index, channel, sku, location)}: ${(error as QuantityError).message}` });
			continue;
		}
		if (channel !== lastChannel || location !== lastLocation || !lastCl) {
			lastCl = locationOf(channelOf(channel), location);
			lastChannel = channel;
			lastLocation = location;
		}
		const cl = lastCl;
		const info = channelList[cl.channel];
		const id = skuId >= 0 ? skuId : skuOf(sku);
		if (cl.combo < 31) {
			const bit = 1 << cl.combo;
			if (skuComboMask[id] & bit) {
				duplicateChannel(row, channel, sku, location);
				continue;
			}
			skuComboMask[id] |= bit;
		} else {
			const key = `${id}:${cl.combo}`;
			if (wideCombos.has(key)) {
				duplicateChannel(row, channel, sku, location);
				continue;
			}
			wideCombos.add(key);
		}
		const set = cl.set;
		if (!set) {
			except({ kind: 'missingLocationMapping', side: 'channel', index: row.index, channel, sku, locationId: location, message: cl.problem });
			continue;
		}

		// Per-row rules: each one a person may set on a single SKU.
		let allocation = info.allocation;
		let safetyOverride = -1;
		let tolerance = defaultTolerance;
		let policy = defaultPolicy;
		if (!absent(row.allocation)) {
			let parsed = allocationCache.get(row.allocation);
			if (parsed === undefined) {
				parsed = allocationFrom(row.allocation);
				if (typeof row.allocation !== 'object') allocationCache.set(row.allocation, parsed);
			}
			if (typeof parsed === 'string') {
				badRule(row, channel, sku, location, 'allocation', parsed);
				continue;
			}
			allocation = parsed;
		}
		if (!absent(row.safetyStock)) {
			safetyOverride = wholeNumber(row.safetyStock);
			if (safetyOverride < 0) {
				badRule(row, channel, sku, location, 'safetyStock', `safety stock must be a whole number of at least 0, got ${describe(row.safetyStock)}`);
				continue;
			}
		}
		if (!absent(row.tolerance)) {
			tolerance = wholeNumber(row.tolerance);
			if (tolerance < 0) {
				badRule(row, channel, sku, location, 'tolerance', `tolerance must be a whole number of at least 0, got ${describe(row.tolerance)}`);
				continue;
			}
		}
		if (!absent(row.conflictPolicy)) {
			const p = String(row.conflictPolicy).trim() as ConflictPolicy;
			if (!POLICIES.includes(p)) {
				badRule(row, channel, sku, location, 'conflictPolicy', `conflict policy must be one of ${POLICIES.join(', ')}, got ${describe(row.conflictPolicy)}`);
				continue;
			}
			policy = p;
		}
		const updatedAt = times(row.updatedAt);
		const channelAsOf = times(row.asOf);
		if ((Number.isNaN(updatedAt) && !absent(row.updatedAt)) || (Number.isNaN(channelAsOf) && !absent(row.asOf))) {
			const field = Number.isNaN(updatedAt) && !absent(row.updatedAt) ? 'updatedAt' : 'asOf';
			except({ kind: 'badTimestamp', side: 'channel', index: row.index, field, channel, sku, locationId: location, message: `${rowLabel(row.index, channel, sku, location)}: "${field}" ${describe(row[field])} is not a date; send an ISO date such as 2026-01-31T09:00:00Z or milliseconds` });
			continue;
		}

		const components = row.components ?? (bundles.size > 0 ? bundles.get(sku) : undefined);
		let supply: Supply | string;
		if (components && components.length > 0) {
			supply = bundleOf(sku, components, set, Math.max(0, safetyOverride));
		} else if (skuHead[id] === -1) {
			except({ kind: 'unknownSkuInTruth', side: 'channel', index: row.index, channel, sku, locationId: location, message: `${channel} lists ${sku}, which the source of truth does not have (or only in rows reported as exceptions): check the SKU, or define it as a bundle` });
			continue;
		} else {
			supply = supplyOf(id, set, safetyOverride >= 0 ? safetyOverride : skuSafety[id] >= 0 ? skuSafety[id] : defaultSafety);
		}
		if (typeof supply === 'string') {
			except({ kind: 'badBundle', side: 'channel', index: row.index, channel, sku, locationId: location, message: supply });
			continue;
		}
		if (supply.stale || supply.untimed) {
			const why = supply.stale
				? `comes from a snapshot older than ${rules.staleAfterMinutes} minutes`
				: 'comes from a truth row with no snapshot time while the stale-snapshot guard is on';
			except({ kind: 'staleSnapshot', side: 'channel', index: row.index, channel, sku, locationId: location, message: `The stock of ${sku} for ${channel} ${location} ${why}; not acted on — read the source again${supply.untimed ? ' (or map its snapshot time field)' : ''}` });
			continue;
		}
		if (channelAsOf < staleBefore) {
			except({ kind: 'staleSnapshot', side: 'channel', index: row.index, field: 'asOf', channel, sku, locationId: location, message: `${rowLabel(row.index, channel, sku, location)} was read more than ${rules.staleAfterMinutes} minutes ago; not acted on — read the channel again` });
			continue;
		}
		const allocated = allocate(supply.atp, allocation);
		let target = allocated;
		let note = '';
		if (updatedAt > supply.snapshotAt) {
			if (policy === 'skip') {
				except({ kind: 'changedAfterSnapshot', side: 'channel', index: row.index, channel, sku, locationId: location, message: `${channel} changed ${sku} at ${location} after the stock snapshot was taken; skipped as the conflict policy says — reconcile again with fresh stock` });
				continue;
			}
			if (policy === 'lowerWins' && current < target) {
				target = current;
				note = '; the channel changed after the snapshot and shows less, so its value stays (lower wins)';
			} else note = '; the channel changed after the snapshot, truth wins';
		}
		const delta = target - current;
		const order = cl.combo * SKU_SPAN + id;
		if (delta <= tolerance && delta >= -tolerance) {
			inSync.push({ channel, sku, locationId: location, target, current, channelIndex: row.index, truthIndexes: supply.indexes, passthrough: row.passthrough });
			syncKeys.push(order);
			continue;
		}
		const units = delta < 0 ? -delta : delta;
		info.drift += units;
		info.adjustments++;
		if (current > target) info.oversell++;
		skuDrift[id] += units;
		skuAdjusted[id]++;
		const json = skuJson[id] ?? (skuJson[id] = JSON.stringify(sku));
		adjustments.push({
			channel,
			sku,
			locationId: location,
			target,
			current,
			delta,
			reason: reasonOf(supply, allocation, allocated, note),
			idempotencyKey: hashKey(`${cl.keyHead}${current}${cl.keyMiddle}${json},"target":${target}}}`),
			atp: supply.atp,
			truthLocationIds: supply.locations,
			truthIndexes: supply.indexes,
			channelIndex: row.index,
			passthrough: row.passthrough,
		});
		adjKeys.push(order);
	}
	function duplicateChannel(row: ChannelRow, channel: string, sku: string, location: string): void {
		except({ kind: 'duplicateRow', side: 'channel', index: row.index, channel, sku, locationId: location, message: `Channel row ${row.index} repeats ${channel} ${sku} at ${location}; only the first row is used` });
	}
	function badRule(row: ChannelRow, channel: string, sku: string, location: string, field: string, problem: string): void {
		except({ kind: 'badRule', side: 'channel', index: row.index, field, channel, sku, locationId: location, message: `${rowLabel(row.index, channel, sku, location)}: ${problem}; fix the "${field}" field or remove it to use the node's rule` });
	}

	if (channelRows.length > 0) {
		if (rules.reportUnlisted !== false) {
			for (let id = 0; id < skuNames.length; id++) {
				if (skuHead[id] === -1 || skuListed[id]) continue;
				const sku = skuNames[id];
				except({ kind: 'unknownSkuInChannel', side: 'truth', index: skuFirst[id], sku, message: `${sku} is in the source of truth but no channel lists it: list it on a channel, or ignore this if it is not for sale` });
			}
		}
		if (mappingsByChannel.size > 0) {
			for (let loc = 0; loc < locCount; loc++) {
				if (usedLoc[loc]) continue;
				const name = locNames[loc];
				except({ kind: 'unknownLocation', side: 'truth', index: locFirst[loc], locationId: name, message: `Truth location ${name} (${locRows[loc]} rows, first at row ${locFirst[loc]}) fills no channel location, so its stock is offered nowhere: add it to the location mapping table, or ignore this if that is intended` });
			}
		}
	}

	const ranks = adjustments.length > 1 || inSync.length > 1 ? ranksOf(skuNames, channelList, comboList) : undefined;
	const sortedAdjustments = ranks ? sortRows(adjustments, adjKeys, ranks) : adjustments;
	const sortedInSync = ranks ? sortRows(inSync, syncKeys, ranks) : inSync;
	exceptions.sort((a, b) => cmp(a.side, b.side) || a.index - b.index || cmp(a.kind, b.kind) || cmp(a.channel ?? '', b.channel ?? '') || cmp(a.sku ?? '', b.sku ?? '') || cmp(a.locationId ?? '', b.locationId ?? ''));
	return {
		adjustments: sortedAdjustments,
		inSync: sortedInSync,
		exceptions,
		summary: summarise(truthRows.length, channelRows.length, sortedAdjustments, sortedInSync.length, exceptions, channelList, skuNames, skuDrift, skuAdjusted),
	};
}

/** Sort ranks of every SKU, channel and channel location name, computed once for both lists. */
interface Ranks {
	sku: Int32Array;
	/** By channel location (combo): the rank of its channel (below the number of combos too). */
	channel: Int32Array;
	/** By channel location (combo): the rank of its own name. */
	location: Int32Array;
}

function ranksOf(skuNames: string[], channels: ChannelInfo[], combos: ChannelLocation[]): Ranks {
	const channelRank = rankOf(channels.map((c) => c.name));
	return {
		sku: rankOf(skuNames),
		channel: Int32Array.from(combos, (cl) => channelRank[cl.channel]),
		location: rankOf(combos.map((c) => c.name)),
	};
}

/**
 * Sorts by channel, SKU, location name, ties in input order. With the names ranked, three
 * stable counting sorts (location, then SKU, then channel: least significant first) place
 * 600,000 rows in linear time: no comparison, no string read per row.
 */
function sortRows<T>(rows: T[], keys: number[], ranks: Ranks): T[] {
	const n = rows.length;
	if (n < 2) return rows;
	const byLocation = new Int32Array(n);
	const bySku = new Int32Array(n);
	const byChannel = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		const sku = keys[i] % SKU_SPAN;
		const combo = (keys[i] - sku) / SKU_SPAN;
		byLocation[i] = ranks.location[combo];
		bySku[i] = ranks.sku[sku];
		byChannel[i] = ranks.channel[combo];
	}
	let order = stableByRank(null, byLocation, ranks.location.length);
	order = stableByRank(order, bySku, ranks.sku.length);
	order = stableByRank(order, byChannel, ranks.channel.length);
	const out = new Array<T>(n);
	for (let i = 0; i < n; i++) out[i] = rows[order[i]];
	return out;
}

/** One counting-sort pass: `order` (rows 0..n-1 when null) stably by each row's rank, 0 ≤ rank < buckets. */
function stableByRank(order: Int32Array | null, rank: Int32Array, buckets: number): Int32Array {
	const n = rank.length;
	const next = new Int32Array(buckets + 1);
	for (let i = 0; i < n; i++) next[rank[i] + 1]++;
	for (let b = 0; b < buckets; b++) next[b + 1] += next[b];
	const out = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		const row = order ? order[i] : i;
		out[next[rank[row]]++] = row;
	}
	return out;
}

/** Rank of each name in sorted order; equal names (a location of two channels) share a rank. */
function rankOf(names: string[]): Int32Array {
	const order = names.map((_n, i) => i).sort((a, b) => cmp(names[a], names[b]));
	const rank = new Int32Array(names.length);
	for (let i = 0, r = 0; i < order.length; i++) {
		if (i > 0 && names[order[i]] !== names[order[i - 1]]) r = i;
		rank[order[i]] = r;
	}
	return rank;
}

/**
 * The idempotency key of one correction: the same value as
 * `scopedIdempotencyKey('inventoryReconcile', { channel, sku, locationId, target, current })`,
 * so any tool can recompute it; it changes with what is written and with what it expects to find.
 */
export function adjustmentKey(channel: string, sku: string, locationId: string, target: number, current: number): string {
	return hashKey(`{"scope":"inventoryReconcile","value":{"channel":${JSON.stringify(channel)},"current":${JSON.stringify(current)},"locationId":${JSON.stringify(locationId)},"sku":${JSON.stringify(sku)},"target":${JSON.stringify(target)}}}`);
}

// crypto.hash (Node ≥ 20.12) hashes a short string about twice as fast as createHash().
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const hashKey = (canonical: string): string =>
	oneShot ? oneShot('sha256', canonical, 'hex') : crypto.createHash('sha256').update(canonical, 'utf8').digest('hex');

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

/**
 * Reads an allocation a person wrote: `"all"`, `"share:40"`, `"40%"`, `"cap:10"`, `"floor:3"`,
 * or `{ mode, value }` (also `percent` / `max` / `min`). Returns the problem as text when it is
 * not one, so the caller can name the row or the parameter.
 */
export function allocationFrom(raw: unknown): Allocation | string {
	let mode: unknown;
	let value: unknown;
	if (typeof raw === 'string') {
		const s = raw.trim();
		const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(s);
		if (pct) [mode, value] = ['share', pct[1]];
		else [mode, value] = s.split(':').map((p) => p.trim());
	} else if (raw && typeof raw === 'object') {
		const o = raw as Record<string, unknown>;
		mode = o.mode;
		value = o.value ?? o.percent ?? o.max ?? o.min;
	}
	if (mode === 'all') return { mode: 'all' };
	const v = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
	switch (mode) {
		case 'share':
			return v >= 0 && v <= 100 ? { mode: 'share', percent: v } : `a share must be a percentage from 0 to 100, got ${describe(value)}`;
		case 'cap':
			return Number.isInteger(v) && v >= 0 ? { mode: 'cap', max: v } : `a cap must be a whole number of at least 0, got ${describe(value)}`;
		case 'floor':
			return Number.isInteger(v) && v >= 0 ? { mode: 'floor', min: v } : `a floor must be a whole number of at least 0, got ${describe(value)}`;
		default:
			return `allocation ${describe(raw)} is not one of "all", "share:<percent>", "cap:<units>", "floor:<units>"`;
	}
}

/**
 * Why a channel should show its target: the available-to-sell sum, the allocation and any
 * conflict note. Rows that share a pool, an allocation and a note share one string: what the
 * channel shows now is in the row's own fields, not repeated here.
 */
function reasonOf(supply: Supply, allocation: Allocation, allocated: number, note: string): string {
	if (supply.reasonAllocation === allocation && supply.reasonNote === note) return supply.reasonText as string;
	const detail = (supply.detail ??= detailOf(supply as Pool));
	const text = detail + allocationNote(allocation, supply.atp, allocated) + note;
	supply.reasonAllocation = allocation;
	supply.reasonNote = note;
	supply.reasonText = text;
	return text;
}

/** How a pool's available-to-sell adds up; joined, so one flat string, not a tree of cons strings. */
function detailOf(pool: Pool): string {
	return ['available to sell ', pool.atp, ' = on hand ', pool.onHand, ' - committed ', pool.committed, ' - reserved ', pool.reserved, ' - safety ', pool.safety, ' ', pool.where].join('');
}

function allocationNote(allocation: Allocation, atp: number, target: number): string {
	switch (allocation.mode) {
		case 'share':
			return ['; ', allocation.percent, ' % share of ', atp, ' rounded down = ', target].join('');
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
	inSync: number,
	exceptions: ReconcileException[],
	channels: ChannelInfo[],
	skuNames: string[],
	skuDrift: number[],
	skuAdjusted: number[],
): ReconcileSummary {
	const exceptionsByKind: Partial<Record<ExceptionKind, number>> = {};
	for (const e of exceptions) exceptionsByKind[e.kind] = (exceptionsByKind[e.kind] ?? 0) + 1;
	const driftUnits: Record<string, number> = {};
	const adjustmentsByChannel: Record<string, number> = {};
	const oversellRisk: Record<string, number> = {};
	for (const c of [...channels].sort((a, b) => cmp(a.name, b.name))) {
		if (c.adjustments === 0) continue;
		driftUnits[c.name] = c.drift;
		adjustmentsByChannel[c.name] = c.adjustments;
		if (c.oversell > 0) oversellRisk[c.name] = c.oversell;
	}
	// Adjustments arrive sorted by key, so a stable top-K by |delta| keeps ties in key order.
	const worst = topK(adjustments, (a, b) => Math.abs(a.delta) > Math.abs(b.delta)).map((a) => ({
		channel: a.channel,
		sku: a.sku,
		locationId: a.locationId,
		current: a.current,
		target: a.target,
		delta: a.delta,
	}));
	const adjusted = function* () {
		for (let id = 0; id < skuNames.length; id++) if (skuAdjusted[id] > 0) yield id;
	};
	const worstSkus = topK(adjusted(), (a, b) => skuDrift[a] > skuDrift[b] || (skuDrift[a] === skuDrift[b] && skuNames[a] < skuNames[b])).map((id) => ({
		sku: skuNames[id],
		driftUnits: skuDrift[id],
		adjustments: skuAdjusted[id],
	}));
	return {
		truthRows,
		channelRows,
		adjustments: adjustments.length,
		inSync,
		exceptions: exceptions.length,
		exceptionsByKind,
		driftUnits,
		adjustmentsByChannel,
		oversellRisk,
		worst,
		worstSkus,
	};
}

/** The first WORST elements by `before`, in one pass; ties keep their arrival order. */
function topK<T>(items: Iterable<T>, before: (a: T, b: T) => boolean): T[] {
	const top: T[] = [];
	for (const item of items) {
		if (top.length === WORST && !before(item, top[WORST - 1])) continue;
		let i = top.length;
		while (i > 0 && before(item, top[i - 1])) i--;
		top.splice(i, 0, item);
		if (top.length > WORST) top.pop();
	}
	return top;
}

/** A whole quantity; absent means 0 unless `required`. Fast path for the usual plain integer. */
function quantity(value: unknown, field: string, required: boolean, allowNegative = false): number {
	if (typeof value === 'number' && Number.isInteger(value) && (value >= 0 || allowNegative)) return value === 0 ? 0 : value;
	if (!required && absent(value)) return 0;
	return toQuantity(value, field, allowNegative);
}

/** A whole number ≥ 0 from a number or numeric string, or -1. */
function wholeNumber(value: unknown): number {
	const v = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
	return Number.isInteger(v) && v >= 0 ? v : -1;
}

/**
 * Reads a time: ms since epoch, an ISO string or a Date. NaN when absent or unreadable (the
 * caller tells them apart). Snapshots repeat one time on every row, so the last string parsed
 * is remembered.
 */
function timeReader(): (value: unknown) => number {
	let lastText: string | undefined;
	let lastValue = Number.NaN;
	return (value) => {
		if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
		if (typeof value === 'string') {
			if (value === lastText) return lastValue;
			const t = value.trim() === '' ? Number.NaN : /^\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
			lastText = value;
			lastValue = t;
			return t;
		}
		if (value instanceof Date) return value.getTime();
		return Number.NaN;
	};
}

/** Length and last two UTF-16 units of a SKU in one int: equal SKUs have equal prints. */
function printOf(sku: string): number {
	const n = sku.length;
	return (n << 20) ^ (sku.charCodeAt(n - 1) << 10) ^ (n > 1 ? sku.charCodeAt(n - 2) : 0);
}

function rowLabel(index: number, channel: string, sku: string, location: string): string {
	return `Channel row ${index} (${channel}, ${sku} at ${location})`;
}

function placeText(locations: readonly string[]): string {
	return locations.length === 0 ? 'no stock at the mapped locations' : `at ${locations.join(' + ')}`;
}

function absent(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

function text(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

function cmp(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
