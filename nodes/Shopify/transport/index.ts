import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defineProfile, type BodyClassification } from '../../shared/core/http/profile';
import type { TransportResponse } from '../../shared/core/http/transport';
import { readGraphqlCost } from '../../shared/core/ratelimit/costBucket';
import type { SystemDefinition } from '../../shared/n8n/system';

/** The credential as the node reads it. */
export interface ShopifyCredentials extends ICredentialDataDecryptedObject {
	shopDomain: string;
	accessToken: string;
	apiVersion: string;
	appSecret: string;
	baseUrl: string;
	plan: string;
}

/** Shopify's single-query ceiling: a document requesting more is refused before it runs. */
export const MAX_QUERY_COST = 1000;

/** Restore rate (points/s) and bucket size by plan. API: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits */
const PLANS: Record<string, { restore: number; capacity: number }> = {
	standard: { restore: 100, capacity: 1000 },
	advanced: { restore: 200, capacity: 2000 },
	plus: { restore: 1000, capacity: 10000 },
	enterprise: { restore: 2000, capacity: 20000 },
};

/** `https://<shop>/admin/api/<version>` or the override's equivalent. */
export function shopifyApiBase(c: ShopifyCredentials): string {
	const root = c.baseUrl?.trim()
		? c.baseUrl.trim().replace(/\/+$/, '')
		: `https://${String(c.shopDomain ?? '').trim().replace(/^https?:\/\//, '').replace(/\/+$/, '')}`;
	return `${root}/admin/api/${c.apiVersion || '2026-04'}`;
}

/** True from 2026-01: `changeFromQuantity` and `@idempotent` exist. */
export function supportsChangeFrom(version: string): boolean {
	return version >= '2026-01';
}

/**
 * Errors Shopify hides in bodies. THROTTLED arrives as HTTP 200 (sometimes 429) with the code in
 * the body; the wait is how long the bucket needs to restore the points the query asked for.
 * For any other non-2xx the HTTP status decides (a 403 whose body says INTERNAL_SERVER_ERROR is
 * still a 403 and is never retried).
 */
export function classifyShopifyBody(response: TransportResponse): BodyClassification | undefined {
	const body = response.body as { errors?: unknown } | undefined;
	if (!body || typeof body !== 'object' || !Array.isArray(body.errors)) return undefined;
	const codes = (body.errors as Array<{ extensions?: { code?: string }; message?: string }>).map((e) => e?.extensions?.code);
	const ok = response.status >= 200 && response.status < 300;
	if (codes.includes('THROTTLED') && (ok || response.status === 429)) {
		const cost = readGraphqlCost(response.body);
		const status = cost?.throttleStatus;
		const needed = (cost?.requestedQueryCost ?? 0) - (status?.currentlyAvailable ?? 0);
		const retryAfterMs =
			status?.restoreRate && needed > 0 ? Math.ceil((needed / status.restoreRate) * 1000) : 1000;
		return { kind: 'rateLimited', action: 'rateLimited', code: 'THROTTLED', retryAfterMs, message: 'Throttled' };
	}
	if (!ok) return undefined;
	if (codes.includes('MAX_COST_EXCEEDED')) {
		return {
			kind: 'validation',
			action: 'fail',
			code: 'MAX_COST_EXCEEDED',
			hint: 'Ask for fewer items per call (a smaller batch or page size).',
		};
	}
	if (codes.includes('INTERNAL_SERVER_ERROR')) return { kind: 'transient', action: 'retry', code: 'INTERNAL_SERVER_ERROR' };
	return undefined;
}

/** The Shopify Admin GraphQL API as the kernel sees it. */
export const shopify: SystemDefinition<ShopifyCredentials> = {
	system: 'shopify',
	credentialType: 'shopifyAdminGraphqlApi',
	profile: (c) =>
		defineProfile({
			system: 'shopify',
			baseUrl: shopifyApiBase(c),
			defaultHeaders: { Accept: 'application/json' },
			classifyBody: classifyShopifyBody,
			statusOverrides: {
				402: { kind: 'auth', action: 'fail' },
				423: { kind: 'auth', action: 'fail' },
			},
			requestIdHeaders: ['x-request-id'],
			hints: {
				auth: 'Check the Admin API access token and its access scopes in the Shopify credential.',
			},
		}),
	rateLimit: (c) => {
		const plan = PLANS[c.plan ?? 'standard'] ?? PLANS.standard;
		return { kind: 'costBucket', capacity: plan.capacity, restoreRatePerSec: plan.restore };
	},
};
