import type { Clock } from '../resilience/clock';
import type { RateBudgetStore } from './budgetStore';
import { CompositeLimiter } from './composite';
import { ConcurrencyLimiter } from './concurrency';
import { CostBucketLimiter } from './costBucket';
import { RollingWindowLimiter } from './rollingWindow';
import { TokenBucketLimiter, type TokenBucketRate } from './tokenBucket';
import { UNLIMITED, type RateLimiter } from './types';

/**
 * A system's rate limits as data, for its profile. `createRateLimiter` turns it into a limiter.
 *
 * Examples: Shopify `{kind: 'costBucket', capacity: 1000, restoreRatePerSec: 50}`; NetSuite
 * `{kind: 'concurrency', slots: 5}`; HubSpot `{kind: 'composite', parts: [{kind:
 * 'rollingWindow', name: '10s', limit: 100, windowMs: 10_000, remainingHeader:
 * 'x-hubspot-ratelimit-remaining'}, {kind: 'rollingWindow', name: 'daily', limit: 250_000,
 * windowMs: 86_400_000, remainingHeader: 'x-hubspot-ratelimit-daily-remaining'}]}`.
 */
export type RateLimitSpec =
	| { kind: 'none' }
	| {
			kind: 'tokenBucket';
			ratePerSec: number;
			burst: number;
			operations?: Readonly<Record<string, TokenBucketRate>>;
			rateHeader?: string;
	  }
	| {
			kind: 'costBucket';
			capacity: number;
			restoreRatePerSec: number;
			defaultCost?: number;
	  }
	| { kind: 'concurrency'; slots: number }
	| {
			kind: 'rollingWindow';
			limit: number;
			windowMs: number;
			name?: string;
			remainingHeader?: string;
			limitHeader?: string;
			/** Longest wait for budget before failing fast; see RollingWindowOptions. */
			maxWaitMs?: number;
	  }
	| { kind: 'composite'; parts: readonly RateLimitSpec[] };

/** What `createRateLimiter` needs besides the spec. */
export interface RateLimiterContext {
	clock: Clock;
	/** System named in limiter errors. */
	system?: string;
	/** Shared budget (queue mode); used by token buckets and rolling windows. */
	store?: RateBudgetStore;
	/** Unique per credential and host, e.g. `hubspot:<credentialId>`; required with a store. */
	storeKey?: string;
}

/** Builds the limiter a spec describes. */
export function createRateLimiter(spec: RateLimitSpec, context: RateLimiterContext): RateLimiter {
	const { clock, store, storeKey } = context;
	switch (spec.kind) {
		case 'none':
			return UNLIMITED;
		case 'tokenBucket':
			return new TokenBucketLimiter({ ...spec, clock, store, storeKey });
		case 'costBucket':
			return new CostBucketLimiter({ ...spec, clock, system: context.system });
		case 'concurrency':
			return new ConcurrencyLimiter({ clock, slots: spec.slots });
		case 'rollingWindow':
			return new RollingWindowLimiter({ ...spec, clock, store, storeKey, system: context.system });
		case 'composite':
			return new CompositeLimiter(spec.parts.map((part) => createRateLimiter(part, context)));
		default: {
			const unknown: { kind?: unknown } = spec;
			throw new RangeError(`unknown rate limit kind ${String(unknown.kind)}`);
		}
	}
}
