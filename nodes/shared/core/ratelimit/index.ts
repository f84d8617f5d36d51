/**
 * Rate limiters behind one interface (`RateLimiter`), plus the shared-budget hook
 * (`RateBudgetStore`) that queue-mode state stores implement.
 */
export type { Permit, RateLimiter, RateOutcome, RateRequest } from './types';
export { NO_PERMIT, UNLIMITED, oncePermit } from './types';
export { TokenBucketLimiter } from './tokenBucket';
export type { TokenBucketOptions, TokenBucketRate } from './tokenBucket';
export { CostBucketLimiter, readGraphqlCost } from './costBucket';
export type { CostBucketOptions, GraphqlCostReport, ThrottleStatus } from './costBucket';
export { ConcurrencyLimiter } from './concurrency';
export type { ConcurrencyOptions } from './concurrency';
export { RollingWindowLimiter } from './rollingWindow';
export type { RollingWindowOptions } from './rollingWindow';
export { CompositeLimiter } from './composite';
export type { RateBudgetGrant, RateBudgetStore, RateBudgetTake } from './budgetStore';
export { InMemoryRateBudgetStore } from './memoryBudgetStore';
export { SlidingLog } from './slidingLog';
export { WaitLine } from './waitLine';
export { createRateLimiter } from './factory';
export type { RateLimitSpec, RateLimiterContext } from './factory';
