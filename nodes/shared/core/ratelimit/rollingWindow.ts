import { CommerceError } from '../http/errors';
import { headerValue } from '../http/transport';
import { raceAbort, throwIfAborted } from '../resilience/abort';
import type { Clock } from '../resilience/clock';
import { formatMs } from '../resilience/retry';
import { assertPositive } from './bucket';
import type { RateBudgetStore } from './budgetStore';
import { SlidingLog } from './slidingLog';
import { oncePermit, type Permit, type RateLimiter } from './types';
import { WaitLine } from './waitLine';

/** Options of `RollingWindowLimiter`. */
export interface RollingWindowOptions {
	clock: Clock;
	/** Requests allowed in any window. */
	limit: number;
	/**
	 * Window length (HubSpot 10_000 or 86_400_000, ShipBob 60_000). Set it a little above the
	 * vendor's figure when responses are slow: the server stamps a request when it arrives.
	 */
	windowMs: number;
	/** Names the window in store keys and messages ('10s', 'daily'); default `${windowMs}ms`. */
	name?: string;
	/** Merge takes closer than this (default windowMs / 1000); see SlidingLog. */
	resolutionMs?: number;
	/** Response header with the server's remaining count (`x-hubspot-ratelimit-remaining`,
	 * `x-remaining-calls`); when lower than ours, ours is lowered to match. */
	remainingHeader?: string;
	/** Response header with the server's limit for the window (`x-hubspot-ratelimit-max`). */
	limitHeader?: string;
	/** Shared budget for queue mode; needs `storeKey`. */
	store?: RateBudgetStore;
	/** Prefix of store keys, unique per credential and host. */
	storeKey?: string;
	/**
	 * Longest wait for budget before giving up (default 5 minutes). A spent daily quota would
	 * otherwise hold an execution for hours; failing fast hands the item to the error output or
	 * the Retry node's dead-letter queue with the time the window frees up.
	 */
	maxWaitMs?: number;
	/** System named in the error when the wait is too long. */
	system?: string;
}

/** Default `maxWaitMs`: above any short window's own length (ShipBob's minute), far below a day. */
export const DEFAULT_WINDOW_MAX_WAIT_MS = 5 * 60_000;

/**
 * A rolling window: at most `limit` requests in any `windowMs` (HubSpot per 10 s and per day,
 * ShipBob per minute). Waits proactively, in arrival order, until the oldest request in the
 * window leaves it; tightens itself from the server's remaining-calls header.
 */
export class RollingWindowLimiter implements RateLimiter {
	private readonly clock: Clock;
	private readonly log: SlidingLog;
	private readonly line: WaitLine;
	private limit: number;
	private pausedUntil = 0;
	private readonly maxWaitMs: number;
	readonly name: string;

	constructor(private readonly options: RollingWindowOptions) {
		assertPositive('limit', options.limit);
		assertPositive('windowMs', options.windowMs);
		if (options.store && !options.storeKey) {
			throw new RangeError('RollingWindowLimiter: a store needs a storeKey unique per credential');
		}
		this.clock = options.clock;
		this.limit = Math.floor(options.limit);
		this.log = new SlidingLog(options.windowMs, options.resolutionMs);
		this.line = new WaitLine(options.clock);
		this.name = options.name ?? `${options.windowMs}ms`;
		this.maxWaitMs = options.maxWaitMs ?? DEFAULT_WINDOW_MAX_WAIT_MS;
		assertPositive('maxWaitMs', this.maxWaitMs);
	}

	async acquire(_request: unknown, signal?: AbortSignal): Promise<Permit> {
		if (this.options.store) {
			await this.acquireShared(signal);
		} else {
			await this.line.take(() => {
				const now = this.clock.now();
				if (this.pausedUntil > now) return this.refuseLongWait(this.pausedUntil - now);
				const wait = this.log.waitFor(1, this.limit, now);
				if (wait === 0) this.log.add(1, now);
				return this.refuseLongWait(wait);
			}, signal);
		}
		return oncePermit((outcome) => {
			if (!outcome) return;
			const { remainingHeader, limitHeader } = this.options;
			const limit = limitHeader ? Number(headerValue(outcome.headers, limitHeader)) : NaN;
			const remaining = remainingHeader
				? Number(headerValue(outcome.headers, remainingHeader) ?? NaN)
				: NaN;
			if (Number.isInteger(remaining) && remaining >= 0) {
				this.resync(remaining, Number.isInteger(limit) && limit > 0 ? limit : undefined);
			} else if (Number.isInteger(limit) && limit > 0) {
				this.limit = limit;
			}
		});
	}

	/** Pauses new acquires for the wait; without one, nothing (the retry backoff covers it). */
	onRateLimited(retryAfterMs: number | undefined): void {
		if (retryAfterMs !== undefined && retryAfterMs > 0) {
			this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + retryAfterMs);
		}
	}

	/**
	 * Takes the server's remaining count into account: when it is lower than ours (another
	 * client shares the budget), the difference is recorded as taken now. A higher count is
	 * ignored — requests still in flight may not have reached the server's count yet.
	 */
	resync(remaining: number, limit?: number): void {
		if (limit !== undefined) this.limit = limit;
		const now = this.clock.now();
		const ours = this.limit - this.log.usedAt(now);
		if (remaining < ours) this.log.add(ours - remaining, now);
	}

	/** Requests that may still go in the current window; for logs and tests. */
	remaining(): number {
		return Math.max(0, this.limit - this.log.usedAt(this.clock.now()));
	}

	private async acquireShared(signal?: AbortSignal): Promise<void> {
		const store = this.options.store as RateBudgetStore;
		for (;;) {
			throwIfAborted(signal);
			const now = this.clock.now();
			if (this.pausedUntil > now) {
				await this.clock.sleep(this.refuseLongWait(this.pausedUntil - now), signal);
				continue;
			}
			const grant = await raceAbort(
				store.take({
					key: `${this.options.storeKey}:${this.name}`,
					cost: 1,
					limit: this.limit,
					windowMs: this.options.windowMs,
					nowMs: now,
				}),
				signal,
			);
			if (grant.granted) return;
			await this.clock.sleep(this.refuseLongWait(Math.max(1, grant.waitMs)), signal);
		}
	}

	/** Returns `waitMs` when it may be waited; throws a retryable rate-limit error otherwise. */
	private refuseLongWait(waitMs: number): number {
		if (waitMs <= this.maxWaitMs) return waitMs;
		const system = this.options.system;
		throw new CommerceError({
			kind: 'rateLimited',
			system: system ?? 'unknown',
			retryable: true,
			retryAfterMs: waitMs,
			code: 'RATE_WINDOW_EXHAUSTED',
			message:
				`The ${system ? `${system} ` : ''}request limit for the ${this.name} window (${this.limit.toLocaleString('en')} ` +
				`requests) is used up: the next request fits in ${formatMs(waitMs)}, longer than the ` +
				`${formatMs(this.maxWaitMs)} a node waits for rate budget`,
			hint:
				'Run it again once the window has freed up (a Retry node holds the item until then), ' +
				'or raise the limit in the credential if your plan allows more.',
		});
	}
}
