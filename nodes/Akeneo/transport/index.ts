import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defineProfile } from '../../shared/core/http/profile';
import type { RateLimitSpec } from '../../shared/core/ratelimit/factory';
import type { SystemDefinition } from '../../shared/n8n/system';

/** The credential as the node reads it. */
export interface AkeneoCredentials extends ICredentialDataDecryptedObject {
	host: string;
	clientId: string;
	clientSecret: string;
	username: string;
	password: string;
	concurrency: number;
	requestsPerSecond: number;
	sessionToken: string;
	sessionExpiresAt: string;
	refreshToken: string;
}

/** Lines per collection PATCH; more is refused with 413. */
export const COLLECTION_MAX = 100;
/** Items per list page; more is refused with 422. */
export const PAGE_MAX = 100;
/** Akeneo SaaS: calls at once per PIM instance, whatever the connection. */
export const INSTANCE_CONCURRENCY = 10;
/** The content type of a line-by-line PATCH body. */
export const COLLECTION_CONTENT_TYPE = 'application/vnd.akeneo.collection+json';

/** The PIM's address without a trailing slash or `/api`. */
export function akeneoBaseUrl(c: Pick<AkeneoCredentials, 'host'>): string {
	return String(c.host ?? '').trim().replace(/\/+$/, '').replace(/\/api$/, '');
}

/**
 * Concurrency per connection (never more than the instance allows) and requests per second.
 * The instance cap is shared with every other client of the PIM, which this process cannot see,
 * so it only bounds the per-connection setting here.
 */
export function akeneoRateLimit(c: Pick<AkeneoCredentials, 'concurrency' | 'requestsPerSecond'>): RateLimitSpec {
	const slots = Math.min(INSTANCE_CONCURRENCY, whole(c.concurrency, 4));
	const perSecond = whole(c.requestsPerSecond, 100);
	return {
		kind: 'composite',
		parts: [
			{ kind: 'concurrency', slots },
			{ kind: 'tokenBucket', ratePerSec: perSecond, burst: perSecond },
		],
	};
}

/** Akeneo's REST API as the kernel sees it. Errors are `{code, message, errors[]}`. */
export const akeneo: SystemDefinition<AkeneoCredentials> = {
	system: 'akeneo',
	credentialType: 'akeneoApi',
	profile: (c) =>
		defineProfile({
			system: 'akeneo',
			baseUrl: akeneoBaseUrl(c),
			defaultHeaders: { Accept: 'application/json' },
			messageFromBody: akeneoMessage,
			hints: {
				auth: 'Check the connection’s client ID, secret, username and password, and that its user group may use the API for products.',
				validation: 'Akeneo refused the content: the message names the property; fix it and send the item again.',
			},
		}),
	rateLimit: akeneoRateLimit,
};

/** `message`, plus the first property error Akeneo lists under it. */
export function akeneoMessage(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : undefined;
	const b = body as { message?: unknown; errors?: Array<{ property?: string; message?: string; attribute?: string }> };
	const message = typeof b.message === 'string' ? b.message : undefined;
	const first = Array.isArray(b.errors) ? b.errors[0] : undefined;
	if (first?.message) return `${message ? `${message} ` : ''}(${first.attribute ?? first.property ?? 'field'}: ${first.message})`;
	return message;
}

function whole(value: unknown, fallback: number): number {
	const n = Number(value);
	return Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
}
