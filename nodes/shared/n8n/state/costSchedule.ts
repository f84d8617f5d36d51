/**
 * A cost bucket shared by every process on one store (Shopify's GraphQL points), kept as a
 * generic cell rate algorithm: the store holds one number per bucket, the time at which the
 * bucket would be full again (TAT). A request of `cost` points moves it by `cost / rate` and may
 * be sent once it is no more than `capacity / rate` ahead of now.
 *
 * Unlike a window that refuses and makes the caller ask again, scheduling never refuses: every
 * caller gets its turn in the order its schedule call reached the store, so a large request is
 * never starved by a stream of small ones from other workers (asking again would let every
 * small request overtake it, and a Shopify query that asks for most of the bucket would wait
 * for ever). Refunds give back what the server did not charge; a sync raises the schedule to
 * what the server reports, never lowers it.
 *
 * A turn booked behind large requests would wait out their requested cost even after they have
 * refunded most of it, so a waiter also looks at the backlog now and then. The store counts the
 * points ever booked (`booked`, never lowered), so the waiter knows how much was booked after it;
 * once the backlog without those later bookings fits in the bucket, it may go at once. That is
 * safe: a later booking can only have been sent already if, at that moment, everything up to and
 * including it — this waiter too — fitted, which stays true as the bucket refills.
 *
 * The schedule counts a request from its booking; the server charges it when it gets to it,
 * which under load is seconds later, and restores nothing for it meanwhile. So the store also
 * keeps the server's own latest report (`serverFullAt`), and a waiter — at its turn or early —
 * goes only once that report, too, leaves room for its cost.
 *
 * Backends: one Lua script (Redis) or one upsert (Postgres) per call.
 */

/** `scheduleCost`: take `cost` points of the bucket `key`. */
export interface CostScheduleRequest {
	key: string;
	cost: number;
	/** Most points the bucket holds. */
	capacity: number;
	/** Points restored per second. */
	ratePerSec: number;
	nowMs: number;
}

/** `refundCost`: give back points the server did not charge. */
export interface CostRefundRequest {
	key: string;
	cost: number;
	ratePerSec: number;
	nowMs: number;
}

/** `syncCost`: the server reported `available` points. */
export interface CostSyncRequest {
	key: string;
	available: number;
	capacity: number;
	ratePerSec: number;
	nowMs: number;
}

/** A booked turn: the wait at the latest, and the store's booked counter just after the booking. */
export interface CostTurn {
	waitMs: number;
	/** Points ever booked on this bucket, as ms of restore time (only ever grows while the key lives). */
	booked: number;
}

/** The schedule now: how far ahead of now it runs (ms, 0 when full) and the booked counter. */
export interface CostBacklog {
	backlogMs: number;
	booked: number;
	/**
	 * The latest server report as a schedule time (ms since the epoch): when the points the
	 * server had charged at that report will have been restored.
	 */
	serverFullAt: number;
}

/** What the Redis and Postgres stores offer for shared cost buckets. */
export interface CostScheduleStore {
	/** Reserves the points; resolves with the longest wait before sending (0: now). Never refuses. */
	scheduleCost(request: CostScheduleRequest): Promise<CostTurn>;
	refundCost(request: CostRefundRequest): Promise<void>;
	syncCost(request: CostSyncRequest): Promise<void>;
	costBacklog(request: { key: string; nowMs: number }): Promise<CostBacklog>;
}

/** Whether the server's latest report leaves room for `costMs` (cost in restore ms) at `nowMs`. */
export function serverHasRoom(now: CostBacklog, costMs: number, tauMs: number, nowMs: number, slackMs = 100): boolean {
	// The slack covers the report's own age; it never makes a request that fits an empty bucket wait for ever.
	return Math.max(0, now.serverFullAt - nowMs) + Math.min(slackMs, tauMs - costMs) + costMs <= tauMs;
}

/**
 * Whether a waiter booked with `turn` may go now: the backlog without what was booked after it
 * fits in the bucket (`tauMs` = capacity in ms of restore time).
 */
export function mayGoEarly(turn: CostTurn, now: CostBacklog, tauMs: number): boolean {
	// A counter lower than ours means the key was dropped and recreated: nothing to deduct.
	const bookedAfter = now.booked >= turn.booked ? now.booked - turn.booked : 0;
	return now.backlogMs - bookedAfter <= tauMs;
}

/** Validates a schedule call; returns ms per point and the burst tolerance (capacity) in ms. */
export function checkCostSchedule(request: CostScheduleRequest): { per: number; tau: number } {
	const { cost, capacity, ratePerSec } = request;
	if (!(Number.isFinite(ratePerSec) && ratePerSec > 0)) throw new RangeError(`The restore rate must be positive, got ${ratePerSec}`);
	if (!(Number.isFinite(capacity) && capacity > 0)) throw new RangeError(`The capacity must be positive, got ${capacity}`);
	if (!(Number.isFinite(cost) && cost >= 0)) throw new RangeError(`The cost must be zero or more, got ${cost}`);
	if (cost > capacity) throw new RangeError(`A cost of ${cost} can never fit a bucket of ${capacity}`);
	const per = 1000 / ratePerSec;
	return { per, tau: capacity * per };
}

/** The schedule the server's report implies: full again after the missing points are restored. */
export function costFloor(request: CostSyncRequest): number {
	const missing = Math.max(0, request.capacity - Math.max(0, request.available));
	return request.nowMs + (missing * 1000) / request.ratePerSec;
}
