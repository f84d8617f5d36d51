import { headerValue } from '../http/transport';
import { raceAbort, throwIfAborted } from '../resilience/abort';
import type { Clock } from '../resilience/clock';
import { assertPositive, Bucket } from './bucket';
import type { RateBudgetStore } from './budgetStore';
import { oncePermit, type Permit, type RateLimiter, type RateRequest } from './types';
import { WaitLine } from './waitLine';

/** Rate and burst of one bucket. */
export interface TokenBucketRate {
	/** Tokens added per second (SP-API "rate"). */
	ratePerSec: number;
	/** Bucket size (SP-API "burst"): how many requests may go at once after a pause. */
	burst: number;
}

/** Options of `TokenBucketLimiter`. */
export interface TokenBucketOptions extends TokenBucketRate {
	clock: Clock;
	/** Known per-operation rates; operations not listed use the top-level rate and burst. */
	operations?: Readonly<Record<string, TokenBucketRate>>;
	/**
	 * Response header carrying the rate the server applied (SP-API `x-amzn-RateLimit-Limit`);
	 * when present its value becomes the operation's rate.
	 */
	rateHeader?: string;
	/** Shared budget for queue mode; needs `storeKey`. */
	store?: RateBudgetStore;
	/** Prefix of store keys, unique per credential and host (e.g. `amazon:cred-42:eu`). */
	storeKey?: string;
	/**
	 * Extra wait, in ms, once the bucket is empty (default 50). The server counts a request when
	 * it arrives, not when we send it; a request that travels faster than the one before it would
	 * otherwise arrive before the server's bucket refilled, and earn a 429. The margin is paid
	 * once per empty bucket: the tokens it leaves behind carry over to the requests after it.
	 */
	arrivalMarginMs?: number;
}

/** Default `arrivalMarginMs`: several times the spread of loopback and same-region latencies. */
export const DEFAULT_ARRIVAL_MARGIN_MS = 50;

interface OperationState {
	bucket: Bucket;
	line: WaitLine;
	pausedUntil: number;
}

const DEFAULT_OPERATION = 'default';

/**
 * Token buckets keyed per operation, SP-API style: each request spends one token, tokens refill
 * at `ratePerSec` up to `burst`. Waiters are served in arrival order, so a 2 req/s bucket with
 * burst 4 lets 4 requests through at once and then one every 500 ms.
 */
export class TokenBucketLimiter implements RateLimiter {
	private readonly clock: Clock;
	private readonly states = new Map<string, OperationState>();
	private readonly rates = new Map<string, TokenBucketRate>();
	private readonly defaultRate: TokenBucketRate;
	private readonly marginMs: number;

	constructor(private readonly options: TokenBucketOptions) {
		this.clock = options.clock;
		this.defaultRate = checkRate('default', options);
		this.marginMs = options.arrivalMarginMs ?? DEFAULT_ARRIVAL_MARGIN_MS;
		if (!(Number.isFinite(this.marginMs) && this.marginMs >= 0)) {
			throw new RangeError(`arrivalMarginMs must be a number ≥ 0, got ${String(options.arrivalMarginMs)}`);
		}
		for (const [operation, rate] of Object.entries(options.operations ?? {})) {
			this.rates.set(operation, checkRate(operation, rate));
		}
		if (options.store && !options.storeKey) {
			throw new RangeError('TokenBucketLimiter: a store needs a storeKey unique per credential');
		}
	}

	async acquire(request: RateRequest, signal?: AbortSignal): Promise<Permit> {
		const operation = request.operation ?? DEFAULT_OPERATION;
		const state = this.state(operation);
		if (this.options.store) {
			await this.acquireShared(operation, state, signal);
		} else {
			await state.line.take(() => {
				const now = this.clock.now();
				if (state.pausedUntil > now) return state.pausedUntil - now;
				const wait = state.bucket.waitFor(1, now);
				if (wait === 0) state.bucket.take(1, now);
				return wait > 0 ? wait + this.marginMs : 0;
			}, signal);
		}
		return oncePermit((outcome) => {
			if (!outcome || !this.options.rateHeader) return;
			const rate = Number(headerValue(outcome.headers, this.options.rateHeader));
			if (Number.isFinite(rate) && rate > 0) this.updateRate(operation, rate);
		});
	}

	onRateLimited(retryAfterMs: number | undefined, request?: RateRequest): void {
		const state = this.state(request?.operation ?? DEFAULT_OPERATION);
		const now = this.clock.now();
		if (retryAfterMs !== undefined && retryAfterMs > 0) {
			state.pausedUntil = Math.max(state.pausedUntil, now + retryAfterMs);
		}
		// The server saw an empty bucket: ours was too optimistic.
		state.bucket.set(Math.min(0, state.bucket.available(now)), now);
	}

	/** Sets an operation's refill rate (e.g. from `x-amzn-RateLimit-Limit`); burst is kept. */
	updateRate(operation: string | undefined, ratePerSec: number): void {
		const key = operation ?? DEFAULT_OPERATION;
		const current = this.rateFor(key);
		if (current.ratePerSec === ratePerSec) return;
		this.rates.set(key, checkRate(key, { ratePerSec, burst: current.burst }));
		const state = this.states.get(key);
		if (state) {
			state.bucket.setRate(ratePerSec, this.clock.now());
			state.line.kick();
		}
	}

	/** Tokens available now for `operation` (may be fractional); for logs and tests. */
	available(operation?: string): number {
		return this.state(operation ?? DEFAULT_OPERATION).bucket.available(this.clock.now());
	}

	private rateFor(operation: string): TokenBucketRate {
		return this.rates.get(operation) ?? this.defaultRate;
	}

	private state(operation: string): OperationState {
		let state = this.states.get(operation);
		if (!state) {
			const { ratePerSec, burst } = this.rateFor(operation);
			state = {
				bucket: new Bucket(burst, ratePerSec, this.clock.now()),
				line: new WaitLine(this.clock),
				pausedUntil: 0,
			};
			this.states.set(operation, state);
		}
		return state;
	}

	// A bucket of b tokens refilled at r/s never allows more than b per b/r seconds, so the
	// shared window below is never looser than the real bucket.
	private async acquireShared(
		operation: string,
		state: OperationState,
		signal?: AbortSignal,
	): Promise<void> {
		const store = this.options.store as RateBudgetStore;
		for (;;) {
			throwIfAborted(signal);
			const now = this.clock.now();
			if (state.pausedUntil > now) {
				await this.clock.sleep(state.pausedUntil - now, signal);
				continue;
			}
			const { ratePerSec, burst } = this.rateFor(operation);
			const grant = await raceAbort(
				store.take({
					key: `${this.options.storeKey}:${operation}`,
					cost: 1,
					limit: Math.max(1, Math.floor(burst)),
					windowMs: Math.ceil((burst / ratePerSec) * 1000),
					nowMs: now,
				}),
				signal,
			);
			if (grant.granted) return;
			await this.clock.sleep(Math.max(1, grant.waitMs) + this.marginMs, signal);
		}
	}
}

function checkRate(name: string, rate: TokenBucketRate): TokenBucketRate {
	assertPositive(`${name}.ratePerSec`, rate.ratePerSec);
	assertPositive(`${name}.burst`, rate.burst);
	if (rate.burst < 1)
		throw new RangeError(`rate limit ${name}.burst must be ≥ 1, got ${rate.burst}`);
	return { ratePerSec: rate.ratePerSec, burst: rate.burst };
}
