import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defineProfile, type BodyClassification } from '../../shared/core/http/profile';
import type { TransportResponse } from '../../shared/core/http/transport';
import type { TokenBucketRate } from '../../shared/core/ratelimit/tokenBucket';
import type { SystemDefinition } from '../../shared/n8n/system';

/** The credential as the node reads it. */
export interface AmazonCredentials extends ICredentialDataDecryptedObject {
	clientId: string;
	clientSecret: string;
	refreshToken: string;
	region: string;
	sellerId: string;
	marketplaceIds: string;
	baseUrl: string;
	tokenUrl: string;
	sessionToken: string;
	sessionExpiresAt: string;
}

/**
 * Default rate (requests/s) and burst per operation, from the usage-plan tables in the API
 * models (listingsItems_2021-08-01.json, feeds_2021-06-30.json). The rate the server applies
 * comes back in `x-amzn-RateLimit-Limit` and replaces these as calls are made.
 */
export const SP_API_RATES: Readonly<Record<string, TokenBucketRate>> = Object.freeze({
	getListingsItem: { ratePerSec: 5, burst: 10 },
	putListingsItem: { ratePerSec: 5, burst: 10 },
	patchListingsItem: { ratePerSec: 5, burst: 5 },
	searchListingsItems: { ratePerSec: 5, burst: 5 },
	createFeedDocument: { ratePerSec: 0.5, burst: 15 },
	createFeed: { ratePerSec: 0.0083, burst: 15 },
	getFeed: { ratePerSec: 2, burst: 15 },
	getFeedDocument: { ratePerSec: 0.0222, burst: 10 },
});

/** `https://sellingpartnerapi-<region>.amazon.com` or the override. */
export function amazonBaseUrl(c: AmazonCredentials): string {
	const override = String(c.baseUrl ?? '').trim();
	if (override) return override.replace(/\/+$/, '');
	const region = ['na', 'eu', 'fe'].includes(c.region) ? c.region : 'na';
	return `https://sellingpartnerapi-${region}.amazon.com`;
}

/** The credential's marketplace ids, trimmed, at least one. */
export function marketplaceIds(c: AmazonCredentials): string[] {
	return String(c.marketplaceIds ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

/**
 * SP-API answers an expired access token with 403 `Unauthorized` ("The access token you
 * provided has expired"); that one is worth a token refresh, any other 403 is not.
 */
export function classifyAmazonBody(response: TransportResponse): BodyClassification | undefined {
	if (response.status !== 403) return undefined;
	const errors = (response.body as { errors?: Array<{ code?: string; message?: string }> } | undefined)?.errors;
	const expired = errors?.find((e) => /access token.*(expired|invalid)/i.test(e?.message ?? ''));
	return expired ? { kind: 'auth', action: 'refreshAuth', code: expired.code, message: expired.message } : undefined;
}

/** The Selling Partner API as the kernel sees it. */
export const amazon: SystemDefinition<AmazonCredentials> = {
	system: 'amazon',
	credentialType: 'amazonSpApi',
	profile: (c) =>
		defineProfile({
			system: 'amazon',
			baseUrl: amazonBaseUrl(c),
			defaultHeaders: { Accept: 'application/json' },
			classifyBody: classifyAmazonBody,
			// SP-API sends no Retry-After: the token bucket refills at the rate it reports instead.
			retryAfterHeaders: ['retry-after'],
			requestIdHeaders: ['x-amzn-requestid'],
			hints: {
				auth: 'Check the LWA client ID/secret, the refresh token and that the app has the Product Listing role.',
				rateLimited: 'SP-API limits each operation separately; the node waits for the bucket to refill.',
			},
		}),
	rateLimit: () => ({
		kind: 'tokenBucket',
		ratePerSec: 1,
		burst: 5,
		operations: SP_API_RATES,
		rateHeader: 'x-amzn-ratelimit-limit',
	}),
};
