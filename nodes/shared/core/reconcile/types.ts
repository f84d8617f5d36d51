/**
 * Inputs, rules and outputs of the reconcile engine. Rows arrive already read from items (the
 * node maps fields); quantities, times and per-row rules may still be junk here — the engine
 * reports it, row by row, and carries on with the rest.
 */

/** A source-of-truth stock row (WMS/ERP), one SKU at one location. */
export interface TruthRow {
	/** Position in the truth input, for exceptions and paired items. */
	index: number;
	sku: unknown;
	locationId: unknown;
	onHand: unknown;
	committed?: unknown;
	reserved?: unknown;
	/** Per-SKU safety stock override (applies to every channel location of the SKU). */
	safetyStock?: unknown;
	/** When the source read this row: ms since epoch, an ISO date string or a Date. */
	asOf?: unknown;
}

/** What a channel shows for one SKU at one channel location, with optional per-row rules. */
export interface ChannelRow {
	index: number;
	channel: unknown;
	sku: unknown;
	locationId: unknown;
	/** The quantity the channel currently shows as sellable. */
	current: unknown;
	/** When the channel last changed this quantity, for the conflict policy (ms, ISO or Date). */
	updatedAt?: unknown;
	/** When this channel row was read, for the stale-snapshot guard (ms, ISO or Date). */
	asOf?: unknown;
	/** Per-row allocation override; raw values are validated by the engine. */
	allocation?: unknown;
	/** Per-row safety stock override (wins over the truth row's and the rule's). */
	safetyStock?: unknown;
	/** Per-row tolerance override. */
	tolerance?: unknown;
	/** Per-row conflict policy override: truthWins, lowerWins or skip. */
	conflictPolicy?: unknown;
	/** Bundle definition from the row: components and quantity per bundle. */
	components?: BundleComponent[];
	/** Fields passed through to the adjustment untouched (inventoryItemId, correlationId...). */
	passthrough?: Record<string, unknown>;
}

/** How much of the available-to-sell a channel gets. Rounding is always down. */
export type Allocation =
	| { mode: 'all' }
	| { mode: 'share'; percent: number }
	| { mode: 'cap'; max: number }
	/** Show nothing once available-to-sell falls below `min` (keeps the last units for other channels). */
	| { mode: 'floor'; min: number };

/** One component of a bundle or kit. */
export interface BundleComponent {
	sku: string;
	quantity: number;
}

/** Which truth locations may fill one channel location. */
export interface LocationMapping {
	channel: string;
	channelLocationId: string;
	truthLocationIds: string[];
}

/** What happens when a channel changed after the truth snapshot was taken. */
export type ConflictPolicy = 'truthWins' | 'lowerWins' | 'skip';

/** The rules of one reconcile run; rows may override several of them (see `ChannelRow`). */
export interface ReconcileRules {
	/** Units held back from every channel location pool (overridable per SKU). Default 0. */
	safetyStock?: number;
	/** Default allocation; per channel overrides in `channelAllocation`; per row on the row. */
	allocation?: Allocation;
	channelAllocation?: Record<string, Allocation>;
	/** Differences of at most this many units are left alone. Default 0. */
	tolerance?: number;
	conflictPolicy?: ConflictPolicy;
	/** Snapshots older than this (minutes before `now`) are refused. Off when absent or 0. */
	staleAfterMinutes?: number;
	/** The run's time (ms), for the stale guard. */
	now: number;
	/**
	 * Explicit mapping. A channel with at least one mapping uses only its mappings (an unmapped
	 * location of that channel is an exception); a channel with none uses the default: a channel
	 * location with the same id as a truth location takes that location, any other takes the pool
	 * of every truth location.
	 */
	locationMappings?: LocationMapping[];
	/** Bundle definitions by bundle SKU (rows may also carry their own `components`). */
	bundles?: Record<string, BundleComponent[]>;
	/** Report truth SKUs that no channel lists. Default true. */
	reportUnlisted?: boolean;
}

/** Kinds of exception, for counting and filtering. */
export type ExceptionKind =
	| 'badQuantity'
	| 'badRule'
	| 'badTimestamp'
	| 'missingChannel'
	| 'missingSku'
	| 'missingLocation'
	| 'duplicateRow'
	| 'unknownSkuInChannel'
	| 'unknownSkuInTruth'
	| 'unknownLocation'
	| 'missingLocationMapping'
	| 'staleSnapshot'
	| 'changedAfterSnapshot'
	| 'badBundle';

/** Something a person must look at; never stops the rest of the run. */
export interface ReconcileException {
	kind: ExceptionKind;
	side: 'truth' | 'channel';
	/** Row index in its input. */
	index: number;
	message: string;
	channel?: string;
	sku?: string;
	locationId?: string;
	field?: string;
}

/** One write a channel needs: set `sku` at `locationId` to `target`, expecting `current`. */
export interface Adjustment {
	channel: string;
	sku: string;
	locationId: string;
	target: number;
	/** What the channel showed: the expected value for a compare-and-set write. */
	current: number;
	delta: number;
	reason: string;
	/** Same value as `scopedIdempotencyKey('inventoryReconcile', {channel, sku, locationId, target, current})`. */
	idempotencyKey: string;
	/** The available-to-sell before allocation. */
	atp: number;
	/** Shared between rows of the same SKU and pool: do not mutate. */
	truthLocationIds: readonly string[];
	/** Truth row indexes it came from (shared like `truthLocationIds`). */
	truthIndexes: readonly number[];
	channelIndex: number;
	passthrough?: Record<string, unknown>;
}

/** A channel row that already shows the right quantity (within tolerance). */
export interface InSync {
	channel: string;
	sku: string;
	locationId: string;
	target: number;
	current: number;
	channelIndex: number;
	truthIndexes: readonly number[];
	passthrough?: Record<string, unknown>;
}

/** Counts and drift for the summary. */
export interface ReconcileSummary {
	truthRows: number;
	channelRows: number;
	adjustments: number;
	inSync: number;
	exceptions: number;
	exceptionsByKind: Partial<Record<ExceptionKind, number>>;
	/** Σ|delta| per channel. */
	driftUnits: Record<string, number>;
	/** Adjustments per channel. */
	adjustmentsByChannel: Record<string, number>;
	/** Channel rows showing more than they should (oversell risk) per channel. */
	oversellRisk: Record<string, number>;
	/** Largest single drifts first (ties in channel, SKU, location order). */
	worst: Array<{ channel: string; sku: string; locationId: string; current: number; target: number; delta: number }>;
	/** SKUs with the most units of drift over all channels and locations, largest first. */
	worstSkus: Array<{ sku: string; driftUnits: number; adjustments: number }>;
}

/** The engine's answer, each list sorted by channel, SKU, location (exceptions by side/index). */
export interface ReconcilePlan {
	adjustments: Adjustment[];
	inSync: InSync[];
	exceptions: ReconcileException[];
	summary: ReconcileSummary;
}
