/**
 * Time as the kernel sees it. Everything that waits (backoff, rate limiters) waits through a
 * Clock, so tests drive time with a fake one and never really sleep, and the n8n bridge can
 * sleep through n8n-workflow's abortable `sleep` instead of raw timers.
 */
export interface Clock {
	/** Milliseconds since the epoch. */
	now(): number;
	/** Resolves after `ms` milliseconds; rejects if `signal` aborts first. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
