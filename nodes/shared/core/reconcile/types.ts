/**
 * Inputs, rules and outputs of the reconcile engine. Rows arrive already read from items (the
 * node maps fields); quantities may still be junk here — the engine reports it, row by row.
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
	/** Per-SKU safety stock override. */
	safetyStock?: unknown;
	/** When the source read this row (ms since epoch). */
	asOf?: number;
}

/** What a channel shows for one SKU at one channel location. */
export interface ChannelRow {
	index: number;
	channel: unknown;
	sku: unknown;
	locationId: unknown;
	/** The quantity the channel currently shows as sellable. */
	current: unknown;
	/** When the channel last changed this quantity (ms since epoch), for the conflict policy. */
	updatedAt?: number;
	/** Per-row allocation override (share %, cap, floor, all). */
	allocation?: Allocation;
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

/** The rules of one reconcile run. */
export interface ReconcileRules {
	/** Units held back from every channel location pool (overridable per SKU). Default 0. */
	safetyStock?: number;
	/** Default allocation; per channel overrides in `channelAllocation`; per row on the row. */
	allocation?: Allocation;
	channelAllocation?: Record<string, Allocation>;
	/** Differences of at most this many units are left alone. Default 0. */
	tolerance?: number;
	conflictPolicy?: ConflictPolicy;
	/** Truth older than this (minutes before `now`) is refused. Off when absent or 0. */
	staleAfterMinutes?: number;
	/** The run's time (ms), for the stale guard. */
	now: number;
	/** Explicit mapping. When empty: same id → that location, otherwise every truth location. */
	locationMappings?: LocationMapping[];
	/** Bundle definitions by bundle SKU (rows may also carry their own `components`). */
	bundles?: Record<string, BundleComponent[]>;
	/** Report truth SKUs that no channel lists. Default true. */
	reportUnlisted?: boolean;
}

/** Kinds of exception, for counting and filtering. */
export type ExceptionKind =
	| 'badQuantity'
	| 'missingSku'
	| 'missingLocation'
	| 'duplicateRow'
	| 'unknownSkuInChannel'
	| 'unknownSkuInTruth'
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
	current: number;
	delta: number;
	reason: string;
	idempotencyKey: string;
	/** The available-to-sell before allocation. */
	atp: number;
	truthLocationIds: string[];
	/** Truth row indexes and the channel row index it came from. */
	truthIndexes: number[];
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
	truthIndexes: number[];
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
	/** Channel rows showing more than available-to-sell (oversell risk) per channel. */
	oversellRisk: Record<string, number>;
	/** Largest drifts first. */
	worst: Array<{ channel: string; sku: string; locationId: string; current: number; target: number; delta: number }>;
}

/** The engine's answer, each list sorted by channel, SKU, location (exceptions by side/index). */
export interface ReconcilePlan {
	adjustments: Adjustment[];
	inSync: InSync[];
	exceptions: ReconcileException[];
	summary: ReconcileSummary;
}
