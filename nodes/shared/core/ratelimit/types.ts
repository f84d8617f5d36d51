/**
 * The one interface the HTTP client talks to, whatever the system's throttle model. A limiter is
 * proactive (acquire waits until sending cannot break the budget) and then reactive (release
 * reads the response to refund or resync; onRateLimited pauses after a 429 or THROTTLED).
 */
import type { TransportResponse } from '../http/transport';

/** What a request asks of the budget. */
export interface RateRequest {
	/** Bucket key for per-operation limits (SP-API `getListingsItem`, ...); absent = default. */
	operation?: string;
	/** Points the request is expected to cost (Shopify requested query cost); limiters that
	 * count requests ignore it. */
	cost?: number;
}

/** What came back, for refunds and resync. */
export interface RateOutcome {
	status: number;
	headers: TransportResponse['headers'];
	body: unknown;
	/** The real cost when the caller knows it better than the body does. */
	actualCost?: number;
}

/** Budget held by one request; release it exactly once (later calls are ignored). */
export interface Permit {
	/**
	 * Gives the budget back or settles it. Pass the outcome when a response arrived; call with
	 * no argument when none did (network error, request never sent) — always, even on error,
	 * or concurrency slots leak.
	 */
	release(outcome?: RateOutcome): void;
}

/** A source of rate budget. */
export interface RateLimiter {
	/**
	 * Resolves when the request may be sent. Waits through the Clock; rejects with the abort
	 * error when `signal` aborts, and at once with a CommerceError when the request can never
	 * fit (cost above capacity).
	 */
	acquire(request: RateRequest, signal?: AbortSignal): Promise<Permit>;
	/**
	 * The server refused a request for rate reasons. With a wait, new acquires (for that
	 * operation, where limits are per operation) pause until it has passed; without one the
	 * limiter assumes its budget is spent.
	 */
	onRateLimited(retryAfterMs: number | undefined, request?: RateRequest): void;
}

/** A permit that holds nothing; used where no limiter is configured. */
export const NO_PERMIT: Permit = Object.freeze({ release: () => undefined });

/** A limiter that never waits: for systems without limits and for tests of other parts. */
export const UNLIMITED: RateLimiter = Object.freeze({
	acquire: async () => NO_PERMIT,
	onRateLimited: () => undefined,
});

/** Wraps a release function so that only its first call counts. */
export function oncePermit(release: (outcome?: RateOutcome) => void): Permit {
	let released = false;
	return {
		release(outcome) {
			if (released) return;
			released = true;
			release(outcome);
		},
	};
}
