import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defineProfile, type BodyClassification } from '../../shared/core/http/profile';
import type { TransportResponse } from '../../shared/core/http/transport';
import type { SystemDefinition } from '../../shared/n8n/system';

/** The credential as the node reads it. */
export interface EbayCredentials extends ICredentialDataDecryptedObject {
	environment: string;
	clientId: string;
	clientSecret: string;
	refreshToken: string;
	scopes: string;
	baseUrl: string;
	tokenUrl: string;
	sessionToken: string;
	sessionExpiresAt: string;
}

/** Default daily call quota of the Inventory API per application (raised after a Growth Check). */
export const INVENTORY_DAILY_QUOTA = 2_000_000;
/** eBay's cap on revisions of one listing per calendar day. */
export const REVISIONS_PER_LISTING_PER_DAY = 250;
/** At most this many SKUs (and offers) per bulkUpdatePriceQuantity call. */
export const BULK_PRICE_QUANTITY_MAX = 25;

/** `<host>/sell/inventory/v1`, the host from the environment or the override. */
export function ebayInventoryBase(c: EbayCredentials): string {
	const override = String(c.baseUrl ?? '').trim().replace(/\/+$/, '');
	const host = override || (c.environment === 'sandbox' ? 'https://api.sandbox.ebay.com' : 'https://api.ebay.com');
	return `${host}/sell/inventory/v1`;
}

/**
 * eBay reports an exhausted daily quota as 429 with errorId 2001; its wait is "until the daily
 * window resets", which no retry inside one execution should sit through.
 */
export function classifyEbayBody(response: TransportResponse): BodyClassification | undefined {
	if (response.status !== 429) return undefined;
	const errors = (response.body as { errors?: Array<{ errorId?: number; message?: string }> } | undefined)?.errors;
	if (errors?.some((e) => e?.errorId === 2001) && !response.headers['retry-after']) {
		return {
			kind: 'rateLimited',
			action: 'fail',
			code: '2001',
			message: 'eBay’s daily call quota for the Inventory API is used up',
			hint: 'The quota resets at midnight US Pacific time; ask eBay for a higher limit (Application Growth Check).',
		};
	}
	return undefined;
}

/** The eBay Sell Inventory API as the kernel sees it. */
export const ebay: SystemDefinition<EbayCredentials> = {
	system: 'ebay',
	credentialType: 'ebaySellApi',
	profile: (c) =>
		defineProfile({
			system: 'ebay',
			baseUrl: ebayInventoryBase(c),
			defaultHeaders: { Accept: 'application/json', 'Content-Language': 'en-US' },
			classifyBody: classifyEbayBody,
			requestIdHeaders: ['x-ebay-c-request-id', 'rlogid'],
			hints: {
				auth: 'Check the client ID/secret and the refresh token (it lasts about 18 months) in the eBay credential.',
			},
		}),
	rateLimit: () => ({
		kind: 'rollingWindow',
		name: 'daily',
		limit: INVENTORY_DAILY_QUOTA,
		windowMs: 86_400_000,
	}),
};
