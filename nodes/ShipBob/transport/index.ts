/**
 * The ShipBob system definition: `<host>/<API version>` as the base URL, a 150-per-minute
 * rolling window kept in step with `x-remaining-calls`, waits from `x-retry-after`, and
 * ProblemDetails / validation bodies read into clear messages.
 * API: https://developer.shipbob.com/rate-limit
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defineProfile, type SystemProfile } from '../../shared/core/http/profile';
import type { RateLimitSpec } from '../../shared/core/ratelimit/factory';
import { InputError } from '../../shared/n8n/errors';
import type { SystemDefinition } from '../../shared/n8n/system';
import { shipBobErrorMessage } from '../mappers/errors';

/** The credential as the node reads it. */
export interface ShipBobCredentials extends ICredentialDataDecryptedObject {
	accessToken: string;
	apiVersion: string;
	environment: string;
	channelId: string;
	baseUrl: string;
}

/** API versions this package speaks (paths and shapes checked against their specs). */
export const SHIPBOB_API_VERSIONS = ['2026-01', '2025-07'] as const;

/** ShipBob's documented limit: 150 requests per sliding minute per user and application. */
export const SHIPBOB_REQUESTS_PER_MINUTE = 150;

/** `https://api.shipbob.com/2026-01`, or the override plus the version. */
export function shipBobBaseUrl(credentials: ShipBobCredentials): string {
	const version = String(credentials.apiVersion || SHIPBOB_API_VERSIONS[0]);
	if (!(SHIPBOB_API_VERSIONS as readonly string[]).includes(version)) {
		throw new InputError(
			`ShipBob API version "${version}" is not supported`,
			'apiVersion',
			`Pick one of ${SHIPBOB_API_VERSIONS.join(', ')} in the credential.`,
		);
	}
	const override = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	const host =
		override ||
		(credentials.environment === 'sandbox'
			? 'https://sandbox-api.shipbob.com'
			: 'https://api.shipbob.com');
	return `${host}/${version}`;
}

/** The profile for one credential. */
export function shipBobProfile(credentials: ShipBobCredentials): SystemProfile {
	const channel = String(credentials.channelId ?? '').trim();
	return defineProfile({
		system: 'shipbob',
		baseUrl: shipBobBaseUrl(credentials),
		defaultHeaders: {
			Accept: 'application/json',
			...(channel ? { shipbob_channel_id: channel } : {}),
		},
		retryAfterHeaders: ['x-retry-after', 'retry-after'],
		requestIdHeaders: ['x-request-id', 'request-id'],
		messageFromBody: shipBobErrorMessage,
		hints: {
			auth: 'Check the ShipBob personal access token in the credential (made in the same environment, production or ShipBob sandbox) and that it has access to this channel.',
		},
	});
}

/**
 * A rolling minute two seconds longer than ShipBob's, because ShipBob stamps a request when it
 * arrives, not when it took its place in our window: on a busy queue-mode worker a request can
 * leave more than a second after that, and a one-second margin once let 151 land in ShipBob's
 * minute during a 2,000-order promo run.
 */
export function shipBobRateLimit(): RateLimitSpec {
	return {
		kind: 'rollingWindow',
		name: 'per-minute',
		limit: SHIPBOB_REQUESTS_PER_MINUTE,
		windowMs: 62_000,
		remainingHeader: 'x-remaining-calls',
	};
}

/** How the ShipBob node plugs into the kernel. */
export const shipBobDefinition: SystemDefinition<ShipBobCredentials> = {
	system: 'shipbob',
	credentialType: 'shipBobApi',
	profile: shipBobProfile,
	rateLimit: shipBobRateLimit,
};
