/**
 * The shared-budget hook. In n8n queue mode several worker processes send requests with the same
 * credential; a limiter that only counts its own process would let N workers spend N budgets.
 * When a `RateBudgetStore` is given, the rolling-window and token-bucket limiters ask it instead
 * of their own memory, so every worker draws on one budget.
 *
 * ## Contract for backends (Redis, Postgres, embedded)
 *
 * `take` is one atomic check-and-record on a **sliding window**: for `key`, grant `cost` units
 * if the units granted in the last `windowMs` plus `cost` stay ≤ `limit`, and record them at
 * the current time; otherwise record nothing.
 *
 * - Atomicity: concurrent `take`s for one key, from any process, must behave as if run one at
 *   a time (Redis: one Lua script over a sorted set; Postgres: one transaction holding a row
 *   lock on the key, or `SELECT … FOR UPDATE`).
 * - Time: `nowMs` is the caller's clock. A backend may use its own clock instead (Redis `TIME`,
 *   Postgres `clock_timestamp()`) — better across hosts with skewed clocks — as long as one
 *   store uses one time source for all keys. `waitMs` is always relative.
 * - Refusal: `granted: false` with `waitMs` = the time until enough of the recorded units
 *   leave the window for `cost` to fit (a lower bound is fine: the caller sleeps and asks
 *   again). Never return `granted: false, waitMs: 0`.
 * - Callers never ask for `cost > limit` (limiters reject such requests themselves); a backend
 *   may throw a RangeError if they do.
 * - Precision: a backend may merge or round entries only in the safe direction (treat units as
 *   taken later than they were), so it never grants more than `limit` per window.
 * - Expiry: entries older than `windowMs` can be dropped; a key unused for `windowMs` can be
 *   deleted (Redis `PEXPIRE key windowMs`).
 * - `remaining` is `limit` minus the units in the window after this take (for logs and tests).
 * - Keys are opaque strings built by the limiters as `<storeKey>:<bucket>`, e.g.
 *   `hubspot:cred-42:10s` — namespace them per backend as you like.
 *
 * Token-bucket limiters map (rate r/s, burst b) onto a window of b units per b/r seconds, which
 * never exceeds what the bucket would allow in any interval.
 */

/** One `take` call. */
export interface RateBudgetTake {
	key: string;
	/** Units to take (1 per request for the built-in limiters). */
	cost: number;
	/** Most units allowed in any window. */
	limit: number;
	windowMs: number;
	/** The caller's clock reading. */
	nowMs: number;
}

/** The store's answer. */
export interface RateBudgetGrant {
	granted: boolean;
	/** When not granted: ms until the take may fit (> 0). 0 when granted. */
	waitMs: number;
	/** Units left in the window after this call. */
	remaining: number;
}

/** A budget shared between processes; see the module comment for the contract. */
export interface RateBudgetStore {
	take(request: RateBudgetTake): Promise<RateBudgetGrant>;
}
