import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defineProfile, type BodyClassification } from '../../shared/core/http/profile';
import { headerValue, type TransportResponse } from '../../shared/core/http/transport';
import { parseRetryAfter } from '../../shared/core/resilience/retryAfter';
import type { RateLimitSpec } from '../../shared/core/ratelimit/factory';
import { n8nClock } from '../../shared/n8n/clock';
import type { SystemDefinition } from '../../shared/n8n/system';

/** The credential as the node reads it. */
export interface HubSpotCredentials extends ICredentialDataDecryptedObject {
	accessToken: string;
	plan: string;
	perTenSeconds: number;
	daily: number;
	clientSecret: string;
	baseUrl: string;
}

/** HubSpot's batch endpoints take at most this many inputs per call. */
export const BATCH_MAX = 100;
/** Search pages hold at most 200 results, and a query reaches at most 10,000. */
export const SEARCH_PAGE_MAX = 200;
export const SEARCH_RESULTS_MAX = 10_000;

/** Per-plan limits of private apps (reference: commerce-apis.md §4.4). */
export const HUBSPOT_PLANS: Readonly<Record<string, { perTenSeconds: number; daily: number }>> = Object.freeze({
	starter: { perTenSeconds: 100, daily: 250_000 },
	professional: { perTenSeconds: 190, daily: 625_000 },
	enterprise: { perTenSeconds: 190, daily: 1_000_000 },
	limitIncrease: { perTenSeconds: 200, daily: 1_250_000 },
});

// Without a Retry-After, a rolling-window refusal is retried after this pause; the limiter
// also lowers its own count from X-HubSpot-RateLimit-Remaining, so the wait is rarely needed.
const ROLLING_PAUSE_MS = 1000;

/** The limits the credential's plan stands for. */
export function planLimits(c: Pick<HubSpotCredentials, 'plan' | 'perTenSeconds' | 'daily'>): { perTenSeconds: number; daily: number } {
	if (c.plan === 'custom') {
		return { perTenSeconds: positive(c.perTenSeconds, 100), daily: positive(c.daily, 250_000) };
	}
	return HUBSPOT_PLANS[c.plan] ?? HUBSPOT_PLANS.starter;
}

/** The rolling 10-second window, the daily counter and the search endpoints' own 5 per second. */
export function hubspotRateLimit(c: Pick<HubSpotCredentials, 'plan' | 'perTenSeconds' | 'daily'>): RateLimitSpec {
	const { perTenSeconds, daily } = planLimits(c);
	return {
		kind: 'composite',
		parts: [
			// Half a second over 10 s: HubSpot stamps a request when it arrives, which can be well after
			// we let it go when the event loop or the network is busy; a 429 costs far more than the margin.
			{ kind: 'rollingWindow', name: '10s', limit: perTenSeconds, windowMs: 10_500, remainingHeader: 'x-hubspot-ratelimit-remaining', limitHeader: 'x-hubspot-ratelimit-max' },
			{ kind: 'rollingWindow', name: 'daily', limit: daily, windowMs: 86_400_000, remainingHeader: 'x-hubspot-ratelimit-daily-remaining', limitHeader: 'x-hubspot-ratelimit-daily' },
			{ kind: 'tokenBucket', ratePerSec: 1000, burst: 1000, operations: { search: { ratePerSec: 5, burst: 5 } } },
		],
	};
}

/**
 * HubSpot's 429 names the limit it hit: `TEN_SECONDLY_ROLLING` clears within seconds, `DAILY`
 * only at midnight in the account's time zone, so that one is not retried.
 */
export function classifyHubSpotBody(response: TransportResponse): BodyClassification | undefined {
	if (response.status !== 429) return undefined;
	const body = (response.body ?? {}) as { policyName?: string; message?: string };
	const policy = typeof body.policyName === 'string' ? body.policyName : undefined;
	if (policy === 'DAILY') {
		return {
			kind: 'rateLimited',
			action: 'fail',
			code: 'DAILY',
			message: body.message,
			hint: 'The HubSpot account used its daily API quota; it resets at midnight in the account’s time zone. Route the error output to the Retry node to send these items then, or raise the plan’s quota.',
		};
	}
	const header = parseRetryAfter(headerValue(response.headers, 'retry-after'), n8nClock.now());
	return {
		kind: 'rateLimited',
		action: 'rateLimited',
		code: policy ?? 'RATE_LIMIT',
		message: body.message,
		retryAfterMs: header ?? ROLLING_PAUSE_MS,
	};
}

/** `https://api.hubapi.com` or the override. */
export function hubspotBaseUrl(c: Pick<HubSpotCredentials, 'baseUrl'>): string {
	const override = String(c.baseUrl ?? '').trim();
	return override ? override.replace(/\/+$/, '') : 'https://api.hubapi.com';
}

/** HubSpot CRM v3 as the kernel sees it. */
export const hubspot: SystemDefinition<HubSpotCredentials> = {
	system: 'hubspot',
	credentialType: 'hubSpotPrivateAppApi',
	profile: (c) =>
		defineProfile({
			system: 'hubspot',
			baseUrl: hubspotBaseUrl(c),
			defaultHeaders: { Accept: 'application/json' },
			classifyBody: classifyHubSpotBody,
			requestIdHeaders: ['x-hubspot-correlation-id', 'x-request-id'],
			hints: {
				auth: 'Check the private app access token, and that the app has the crm.objects.*.read/write scopes this operation needs.',
				conflict: 'HubSpot found a record with the same unique value; upsert by that property instead of creating.',
			},
		}),
	rateLimit: hubspotRateLimit,
};

function positive(value: unknown, fallback: number): number {
	const n = Number(value);
	return Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
}
