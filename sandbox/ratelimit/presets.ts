/**
 * Each vendor's documented limit, wired to the mechanisms in `policies.ts`, answering with the
 * vendor's own headers and error body (reference/commerce-apis.md §1.8, §2.8, §3.1, §4.4, §5.5,
 * §6.4, §7.5). Numbers are defaults; every one can be changed at run time through the control
 * API. A system module picks its preset, e.g. `rateLimits: [shipbobRateLimit()]`.
 */
import { json, type SandboxResponse } from '../http';
import {
	ConcurrencyPolicy,
	CostBucketPolicy,
	TokenBucketPolicy,
	WindowPolicy,
	type BucketSize,
	type LimitDecision,
	type LimitKey,
	type ThrottleStatus,
	type TokenBucketDecision,
	type WindowDecision,
} from './policies';

const seconds = (ms: number | undefined): number => Math.max(1, Math.ceil((ms ?? 1000) / 1000));

/**
 * ShipBob: 150 requests per sliding minute per user+app; 429 with `x-retry-after` (seconds) and
 * `x-remaining-calls`; the FAQ's `X-RateLimit-Remaining` is sent too (docs are inconsistent).
 */
export function shipbobRateLimit(
	options: { perMinute?: number; key?: LimitKey } = {},
): WindowPolicy {
	return new WindowPolicy({
		name: 'per-minute',
		windows: [
			{ name: 'PER_MINUTE', kind: 'sliding', windowMs: 60_000, max: options.perMinute ?? 150 },
		],
		key: options.key,
		shape: {
			headers: (d) => ({
				'x-remaining-calls': String(d.remaining ?? 0),
				'X-RateLimit-Remaining': String(d.remaining ?? 0),
			}),
			reject: (d) =>
				json(
					429,
					{
						statusCode: 429,
						message: `Rate limit is exceeded. Try again in ${seconds(d.retryAfterMs)} seconds.`,
					},
					{ 'x-retry-after': String(seconds(d.retryAfterMs)) },
				),
		},
	});
}

/**
 * HubSpot private apps: a rolling 10-second burst window and a daily counter per account (Free /
 * Starter 100 per 10 s and 250,000 a day). The daily window resets at midnight in the account's
 * time zone (`utcOffsetMinutes`). 429 body carries `policyName`.
 */
export function hubspotRateLimit(
	options: {
		perTenSeconds?: number;
		daily?: number;
		utcOffsetMinutes?: number;
		key?: LimitKey;
	} = {},
): WindowPolicy {
	const burst = options.perTenSeconds ?? 100;
	const daily = options.daily ?? 250_000;
	return new WindowPolicy({
		name: 'hubspot',
		windows: [
			{ name: 'TEN_SECONDLY_ROLLING', kind: 'sliding', windowMs: 10_000, max: burst },
			{
				name: 'DAILY',
				kind: 'fixed',
				windowMs: 86_400_000,
				max: daily,
				alignMs: -(options.utcOffsetMinutes ?? 0) * 60_000,
			},
		],
		key: options.key,
		shape: {
			headers: (d: WindowDecision) => {
				const ten = d.windows.find((w) => w.name === 'TEN_SECONDLY_ROLLING');
				const day = d.windows.find((w) => w.name === 'DAILY');
				const h: Record<string, string> = {};
				if (day) {
					h['X-HubSpot-RateLimit-Daily'] = String(day.max);
					h['X-HubSpot-RateLimit-Daily-Remaining'] = String(day.remaining);
				}
				if (ten) {
					h['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(ten.windowMs);
					h['X-HubSpot-RateLimit-Max'] = String(ten.max);
					h['X-HubSpot-RateLimit-Remaining'] = String(ten.remaining);
				}
				return h;
			},
			reject: (d, req) =>
				json(429, {
					status: 'error',
					message:
						d.detail === 'DAILY'
							? 'You have reached your daily limit.'
							: 'You have reached your ten_secondly_rolling limit.',
					errorType: 'RATE_LIMIT',
					correlationId: req.requestId,
					policyName: d.detail,
					requestId: req.requestId,
				}),
		},
	});
}

/** NetSuite's REST error body for the account-wide concurrency cap (no Retry-After). */
export function netsuiteConcurrencyBody(): unknown {
	return {
		type: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
		title: 'Too Many Requests',
		status: 429,
		'o:errorDetails': [
			{
				detail: 'Concurrent request limit exceeded. Request blocked.',
				'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
			},
		],
	};
}

/**
 * NetSuite: one account-wide cap on concurrent in-flight requests (shared tier 15 by default);
 * beyond it, 429 `CONCURRENCY_LIMIT_EXCEEDED` and no Retry-After header.
 */
export function netsuiteConcurrency(
	options: { max?: number; key?: LimitKey } = {},
): ConcurrencyPolicy {
	return new ConcurrencyPolicy({
		name: 'concurrency',
		max: options.max ?? 15,
		key: options.key,
		shape: { reject: () => json(429, netsuiteConcurrencyBody()) },
	});
}

/**
 * Akeneo SaaS: at most 4 concurrent calls per connection and 100 requests/s per instance; both
 * answer 429 with `Retry-After`. Returns two policies, checked in order.
 */
export function akeneoRateLimits(
	options: {
		concurrent?: number;
		perSecond?: number;
		retryAfterSeconds?: number;
		key?: LimitKey;
	} = {},
): [ConcurrencyPolicy, TokenBucketPolicy] {
	const perSecond = options.perSecond ?? 100;
	const reject = (d: LimitDecision): SandboxResponse =>
		json(
			429,
			{ code: 429, message: 'You have exceeded the limit of API requests per second.' },
			{
				'Retry-After': String(
					d.retryAfterMs === undefined
						? (options.retryAfterSeconds ?? 15)
						: seconds(d.retryAfterMs),
				),
			},
		);
	return [
		new ConcurrencyPolicy({
			name: 'concurrency',
			max: options.concurrent ?? 4,
			key: options.key,
			shape: { reject },
		}),
		new TokenBucketPolicy({
			name: 'per-second',
			rate: perSecond,
			burst: perSecond,
			key: options.key,
			shape: { reject },
		}),
	];
}

/**
 * Amazon SP-API: one token bucket per operation (rate/s + burst, from the models' tables) per
 * selling partner + app. Every response carries `x-amzn-RateLimit-Limit` (the rate applied);
 * over budget → 429 `QuotaExceeded` in an `ErrorList`.
 */
export function amazonTokenBuckets(options: {
	operations: Record<string, BucketSize>;
	fallback?: BucketSize;
	key?: LimitKey;
}): TokenBucketPolicy {
	const fallback = options.fallback ?? { rate: 1, burst: 5 };
	return new TokenBucketPolicy({
		name: 'per-operation',
		rate: fallback.rate,
		burst: fallback.burst,
		operations: options.operations,
		key: options.key,
		shape: {
			headers: (d: TokenBucketDecision, req) => ({
				'x-amzn-RateLimit-Limit': String(d.rate),
				'x-amzn-RequestId': req.requestId,
			}),
			reject: () =>
				json(429, {
					errors: [
						{
							code: 'QuotaExceeded',
							message: 'You exceeded your quota for the requested resource.',
							details: '',
						},
					],
				}),
		},
	});
}

/**
 * eBay: a daily call quota per API (Inventory API 2,000,000/day by default), reset at midnight
 * (`utcOffsetMinutes`: eBay uses US Pacific time). Over quota → 429 with errorId 2001.
 * eBay documents no rate-limit headers, so none are sent.
 */
export function ebayDailyQuota(
	options: { perDay?: number; utcOffsetMinutes?: number; key?: LimitKey } = {},
): WindowPolicy {
	return new WindowPolicy({
		name: 'daily',
		windows: [
			{
				name: 'DAILY',
				kind: 'fixed',
				windowMs: 86_400_000,
				max: options.perDay ?? 2_000_000,
				alignMs: -(options.utcOffsetMinutes ?? -420) * 60_000,
			},
		],
		key: options.key,
		shape: {
			reject: () =>
				json(429, {
					errors: [
						{
							errorId: 2001,
							domain: 'ACCESS',
							category: 'REQUEST',
							message: 'Too many requests',
							longMessage: 'The request limit has been reached for the resource.',
						},
					],
				}),
		},
	});
}

/** Shopify's `extensions.cost` block. */
export function shopifyCostExtension(
	requested: number,
	actual: number | null,
	status: ThrottleStatus,
): unknown {
	return {
		cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status },
	};
}

/** Shopify's THROTTLED body: no `data` key, `actualQueryCost` null. */
export function shopifyThrottledBody(requested: number, status: ThrottleStatus): unknown {
	return {
		errors: [
			{
				message: 'Throttled',
				extensions: {
					code: 'THROTTLED',
					documentation: 'https://shopify.dev/api/usage/rate-limits',
				},
			},
		],
		extensions: shopifyCostExtension(requested, null, status),
	};
}

/** Shopify's MAX_COST_EXCEEDED body for a single query asking more than `maxCost`. */
export function shopifyMaxCostBody(requested: number, maxCost: number): unknown {
	return {
		errors: [
			{
				message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxCost}).`,
				extensions: {
					code: 'MAX_COST_EXCEEDED',
					cost: requested,
					maxCost,
					documentation: 'https://shopify.dev/api/usage/rate-limits',
				},
			},
		],
	};
}

/**
 * Shopify Admin GraphQL: a bucket of query-cost points per app+shop (Standard: 1,000 points,
 * 100 restored per second; both configurable). The Shopify module computes each query's cost and
 * charges it via `request.limits.charge('cost', cost)`; the framework tracks the bucket.
 * Throttled answers are HTTP 200 by default (`throttledStatus` 429 for the variant some report).
 */
export function shopifyCostBucket(
	options: {
		maximumAvailable?: number;
		restoreRate?: number;
		maxQueryCost?: number;
		throttledStatus?: 200 | 429;
		key?: LimitKey;
	} = {},
): CostBucketPolicy {
	const policy: CostBucketPolicy = new CostBucketPolicy({
		name: 'cost',
		maximumAvailable: options.maximumAvailable ?? 1000,
		restoreRate: options.restoreRate ?? 100,
		maxQueryCost: options.maxQueryCost ?? 1000,
		key: options.key,
		shape: {
			// Used for injected throttle bursts: a THROTTLED answer for a nominal 100-point query.
			reject: (d) => {
				const config = policy.describe(0).config as {
					maximumAvailable: number;
					restoreRate: number;
				};
				const status = {
					maximumAvailable: config.maximumAvailable,
					currentlyAvailable: d.remaining ?? 0,
					restoreRate: config.restoreRate,
				};
				return json(options.throttledStatus ?? 200, shopifyThrottledBody(100, status), {
					'Retry-After': String(seconds(d.retryAfterMs)),
				});
			},
		},
	});
	return policy;
}
