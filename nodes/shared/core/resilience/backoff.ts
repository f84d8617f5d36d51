/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): the wait is uniform in [0, min(cap, base·2^(attempt-1))]. Full jitter spreads a
 * crowd of clients that failed together, which is exactly the promo-peak 429 storm.
 */
export interface BackoffOptions {
	/** Wait ceiling for the first retry, in ms. */
	baseMs: number;
	/** Largest wait any retry may get, in ms. */
	capMs: number;
}

/** Default backoff: 500 ms base, 30 s cap. */
export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({ baseMs: 500, capMs: 30_000 });

/**
 * The wait before retry number `attempt` (1 = first retry).
 *
 * @param random a source of uniform [0, 1) numbers, injectable so tests are deterministic
 */
export function fullJitterBackoff(
	attempt: number,
	options: BackoffOptions = DEFAULT_BACKOFF,
	random: () => number = Math.random,
): number {
	const ceiling = backoffCeiling(attempt, options);
	return Math.floor(random() * (ceiling + 1));
}

/** The upper bound of the jittered wait for `attempt`, i.e. min(cap, base·2^(attempt-1)). */
export function backoffCeiling(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
	const n = Math.max(1, Math.floor(attempt));
	// 2^n overflows to Infinity long after it passes any sane cap, so clamp the exponent.
	const exp = Math.min(n - 1, 40);
	return Math.min(options.capMs, options.baseMs * 2 ** exp);
}
