import type { RateBudgetGrant } from '../ratelimit/budgetStore';

/**
 * The rate-budget algorithm every backend of the kernel's `RateBudgetStore` runs (in TypeScript, SQL-side in a locked row, or in
 * Lua): a sliding window kept as a few time buckets. A bucket counts until its whole span has
 * left the window, so the check errs on the safe side — never more than `limit` in any window
 * — while the state stays at most {@link BUDGET_BUCKETS} + 1 numbers pairs whatever the limit.
 */

/** Buckets per window: the sliding window's resolution (a 10 s window has 500 ms buckets). */
export const BUDGET_BUCKETS = 20;

/** Stored budget state: `[bucketStart, used]` pairs, oldest first. */
export type BudgetBuckets = Array<[number, number]>;

/** Width of one bucket for a window, in ms (at least 1). */
export function bucketWidth(windowMs: number): number {
	return Math.max(1, Math.ceil(windowMs / BUDGET_BUCKETS));
}

/** Throws a RangeError for a take that could never be granted or makes no sense. */
export function checkBudgetTake(cost: number, windowMs: number, limit: number): void {
	if (!(Number.isFinite(windowMs) && windowMs > 0)) {
		throw new RangeError(`The budget window must be a positive number of ms, got ${windowMs}`);
	}
	if (!(Number.isFinite(limit) && limit > 0)) {
		throw new RangeError(`The budget limit must be positive, got ${limit}`);
	}
	if (!(Number.isFinite(cost) && cost >= 0)) {
		throw new RangeError(`The cost of a take must be zero or more, got ${cost}`);
	}
	if (cost > limit) {
		throw new RangeError(`A take of ${cost} can never fit a budget of ${limit} per ${windowMs} ms`);
	}
}

/**
 * One take against a budget. Pure: returns the grant and the state to store (unchanged
 * buckets, minus the ones that left the window, plus the cost when granted).
 */
export function takeFromBuckets(
	buckets: BudgetBuckets,
	cost: number,
	windowMs: number,
	limit: number,
	nowMs: number,
): { grant: RateBudgetGrant; buckets: BudgetBuckets } {
	checkBudgetTake(cost, windowMs, limit);
	const width = bucketWidth(windowMs);
	const live = buckets
		.filter(([start]) => start + width > nowMs - windowMs)
		.sort((a, b) => a[0] - b[0])
		.map(([start, used]): [number, number] => [start, used]);
	const used = live.reduce((sum, [, n]) => sum + n, 0);
	if (used + cost <= limit) {
		const start = Math.floor(nowMs / width) * width;
		const last = live[live.length - 1];
		if (last && last[0] === start) last[1] += cost;
		else live.push([start, cost]);
		return { grant: { granted: true, waitMs: 0, remaining: limit - used - cost }, buckets: live };
	}
	let freed = 0;
	let waitMs = windowMs;
	for (const [start, n] of live) {
		freed += n;
		if (used - freed + cost <= limit) {
			waitMs = Math.max(1, start + width + windowMs - nowMs);
			break;
		}
	}
	return { grant: { granted: false, waitMs, remaining: Math.max(0, limit - used) }, buckets: live };
}
