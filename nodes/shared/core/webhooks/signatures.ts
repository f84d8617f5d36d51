import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signature checks for the systems that push. Every comparison is constant-time, and
 * every failure says why in words an operator can act on — but never echoes the expected
 * signature or the secret.
 */

/** Outcome of a signature check. */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Raw request body as received, before any JSON parsing (signatures cover exact bytes). */
export type RawBody = Buffer | string;

function hmac(secret: string | Buffer, data: RawBody | string, encoding: 'base64' | 'hex'): string {
	return createHmac('sha256', secret).update(data).digest(encoding);
}

/** Compares two strings in constant time (for equal lengths) without throwing on a mismatch. */
export function safeEqual(a: string, b: string): boolean {
	const ab = Buffer.from(a, 'utf8');
	const bb = Buffer.from(b, 'utf8');
	if (ab.length !== bb.length) {
		// Compare against itself so a length mismatch costs the same as a content mismatch.
		timingSafeEqual(ab, ab);
		return false;
	}
	return timingSafeEqual(ab, bb);
}

/**
 * Shopify: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw body)).
 * API: https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
 */
export function verifyShopifyWebhook(rawBody: RawBody, header: string | undefined, secret: string): VerifyResult {
	if (!secret) return { ok: false, reason: 'No app secret is set in the credential, so deliveries cannot be verified' };
	if (!header) return { ok: false, reason: 'The request has no X-Shopify-Hmac-Sha256 header' };
	return safeEqual(hmac(secret, rawBody, 'base64'), header.trim())
		? { ok: true }
		: { ok: false, reason: 'The X-Shopify-Hmac-Sha256 signature does not match the body and the app secret' };
}

/**
 * HubSpot signature v3: base64(HMAC-SHA256(client secret, method + uri + body + timestamp)),
 * with timestamps older than `maxAgeMs` refused so a captured request cannot be replayed.
 * API: https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
export function verifyHubSpotV3(input: {
	method: string;
	/** The full URL HubSpot called, as received. */
	uri: string;
	rawBody: RawBody;
	signature: string | undefined;
	/** `X-HubSpot-Request-Timestamp`, milliseconds. */
	timestamp: string | undefined;
	secret: string;
	nowMs: number;
	maxAgeMs?: number;
}): VerifyResult {
	const maxAge = input.maxAgeMs ?? 5 * 60_000;
	if (!input.secret) return { ok: false, reason: 'No client secret is set in the credential' };
	if (!input.signature) return { ok: false, reason: 'The request has no X-HubSpot-Signature-v3 header' };
	const ts = Number(input.timestamp);
	if (!input.timestamp || !Number.isFinite(ts)) {
		return { ok: false, reason: 'The request has no valid X-HubSpot-Request-Timestamp header' };
	}
	if (Math.abs(input.nowMs - ts) > maxAge) {
		return { ok: false, reason: `The request timestamp is more than ${Math.round(maxAge / 1000)} s away from now (stale or replayed)` };
	}
	const source = `${input.method.toUpperCase()}${decodeHubSpotUri(input.uri)}${bodyText(input.rawBody)}${input.timestamp}`;
	return safeEqual(hmac(input.secret, source, 'base64'), input.signature.trim())
		? { ok: true }
		: { ok: false, reason: 'The X-HubSpot-Signature-v3 signature does not match' };
}

// HubSpot signs the URI with these percent-encodings decoded, and no others.
const HUBSPOT_DECODE: Record<string, string> = {
	'%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'",
	'%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

/** Decodes exactly the percent-encodings HubSpot decodes before signing. */
export function decodeHubSpotUri(uri: string): string {
	return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => HUBSPOT_DECODE[m.toUpperCase()] ?? m);
}

/**
 * Standard Webhooks (ShipBob): `webhook-signature` holds space-separated `v1,<base64>` entries,
 * each base64(HMAC-SHA256(base64-decoded secret after `whsec_`, `${id}.${timestamp}.${body}`)).
 * Timestamps are seconds; older than `maxAgeMs` is refused.
 */
export function verifyStandardWebhook(input: {
	id: string | undefined;
	timestamp: string | undefined;
	signature: string | undefined;
	rawBody: RawBody;
	secret: string;
	nowMs: number;
	maxAgeMs?: number;
}): VerifyResult {
	const maxAge = input.maxAgeMs ?? 5 * 60_000;
	if (!input.secret) return { ok: false, reason: 'No webhook secret is set in the credential' };
	if (!input.id || !input.timestamp || !input.signature) {
		return { ok: false, reason: 'The request lacks webhook-id, webhook-timestamp or webhook-signature' };
	}
	const ts = Number(input.timestamp);
	if (!Number.isFinite(ts)) return { ok: false, reason: 'webhook-timestamp is not a number of seconds' };
	if (Math.abs(input.nowMs - ts * 1000) > maxAge) {
		return { ok: false, reason: 'webhook-timestamp is too far from now (stale or replayed)' };
	}
	const key = input.secret.startsWith('whsec_')
		? Buffer.from(input.secret.slice('whsec_'.length), 'base64')
		: Buffer.from(input.secret, 'utf8');
	const expected = hmac(key, `${input.id}.${input.timestamp}.${bodyText(input.rawBody)}`, 'base64');
	const candidates = input.signature
		.split(' ')
		.map((s) => s.trim())
		.filter((s) => s.startsWith('v1,'))
		.map((s) => s.slice(3));
	if (candidates.length === 0) return { ok: false, reason: 'webhook-signature has no v1 signature' };
	return candidates.some((c) => safeEqual(expected, c))
		? { ok: true }
		: { ok: false, reason: 'No webhook-signature entry matches the body and the secret' };
}

/**
 * Akeneo Event Platform: `X-AKENEO-SIGNATURE-PRIMARY` (or `-SECONDARY` during rotation) =
 * hex(HMAC-SHA256(secret, raw body)).
 */
export function verifyHexHmac(rawBody: RawBody, headers: Array<string | undefined>, secret: string): VerifyResult {
	if (!secret) return { ok: false, reason: 'No signing secret is set in the credential' };
	const given = headers.filter((h): h is string => typeof h === 'string' && h.trim() !== '');
	if (given.length === 0) return { ok: false, reason: 'The request carries no signature header' };
	const expected = hmac(secret, rawBody, 'hex');
	return given.some((h) => safeEqual(expected, h.trim().toLowerCase()))
		? { ok: true }
		: { ok: false, reason: 'The signature does not match the body and the secret' };
}

function bodyText(body: RawBody): string {
	return typeof body === 'string' ? body : body.toString('utf8');
}
