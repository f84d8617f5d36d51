/**
 * Webhook signers: each turns one delivery into the headers the real system sends, signature
 * included (reference/commerce-apis.md §1.9, §3.1, §4.5, §5.6). A system module names its signer
 * and retry schedule in `SandboxSystem.webhooks`.
 */
import { createHmac } from 'node:crypto';

/** Everything a signer may put into headers. */
export interface SignInput {
	/** The exact bytes sent (signatures cover raw bytes). */
	body: string;
	/** Full target URL, as the request line will carry it. */
	url: string;
	method: string;
	secret: string;
	topic: string;
	/** Same for every delivery of one event (duplicates and retries included). */
	eventId: string;
	/** Same across retries of one delivery; a duplicate delivery gets a new one. */
	deliveryId: string;
	/** 1 for the first attempt of a delivery. */
	attempt: number;
	/** When this attempt is sent (sandbox clock, ms). */
	timestampMs: number;
	/** When the event happened (sandbox clock, ms). */
	occurredAtMs: number;
}

/** Returns the headers (signature and metadata) for one delivery attempt. */
export type WebhookSigner = (input: SignInput) => Record<string, string>;

function hmac(key: string | Buffer, data: string, encoding: 'base64' | 'hex'): string {
	return createHmac('sha256', key).update(data, 'utf8').digest(encoding);
}

/**
 * Shopify: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw body)), plus topic, shop
 * domain, API version, per-delivery webhook id, per-event event id and the event time.
 * API: https://shopify.dev/docs/apps/build/webhooks/delivery-structure
 */
export function shopifySigner(
	options: { shopDomain?: string; apiVersion?: string } = {},
): WebhookSigner {
	return (i) => ({
		'X-Shopify-Topic': i.topic,
		'X-Shopify-Hmac-Sha256': hmac(i.secret, i.body, 'base64'),
		'X-Shopify-Shop-Domain': options.shopDomain ?? 'sandbox-shop.myshopify.com',
		'X-Shopify-API-Version': options.apiVersion ?? '2026-01',
		'X-Shopify-Webhook-Id': i.deliveryId,
		'X-Shopify-Event-Id': i.eventId,
		'X-Shopify-Triggered-At': new Date(i.occurredAtMs).toISOString(),
	});
}

// HubSpot signs the URI with these percent-encodings decoded, and no others.
const HUBSPOT_DECODED: Record<string, string> = {
	'%3A': ':',
	'%2F': '/',
	'%3F': '?',
	'%40': '@',
	'%21': '!',
	'%24': '$',
	'%27': "'",
	'%28': '(',
	'%29': ')',
	'%2A': '*',
	'%2C': ',',
	'%3B': ';',
};

/**
 * HubSpot signature v3: base64(HMAC-SHA256(client secret, method + uri + body + timestamp)), the
 * URI with HubSpot's listed percent-encodings decoded; timestamp in ms.
 * API: https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
export function hubspotV3Signer(): WebhookSigner {
	return (i) => {
		const uri = i.url.replace(
			/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
			(m) => HUBSPOT_DECODED[m.toUpperCase()] ?? m,
		);
		const ts = String(i.timestampMs);
		return {
			'X-HubSpot-Signature-v3': hmac(
				i.secret,
				`${i.method.toUpperCase()}${uri}${i.body}${ts}`,
				'base64',
			),
			'X-HubSpot-Request-Timestamp': ts,
		};
	};
}

/**
 * Standard Webhooks (ShipBob): `webhook-id` (the event's id, stable across retries),
 * `webhook-timestamp` (seconds), `webhook-signature` = `v1,` + base64(HMAC-SHA256(key,
 * `${id}.${timestamp}.${body}`)), where the key is the base64-decoded part after `whsec_` (a
 * secret without that prefix is used as UTF-8 bytes). ShipBob adds `x-webhook-topic`.
 * API: https://developer.shipbob.com/webhooks (scheme per standardwebhooks.com)
 */
export function standardWebhooksSigner(
	options: { topicHeader?: string | null } = {},
): WebhookSigner {
	return (i) => {
		const key = i.secret.startsWith('whsec_')
			? Buffer.from(i.secret.slice(6), 'base64')
			: Buffer.from(i.secret, 'utf8');
		const ts = String(Math.floor(i.timestampMs / 1000));
		const headers: Record<string, string> = {
			'webhook-id': i.eventId,
			'webhook-timestamp': ts,
			'webhook-signature': `v1,${hmac(key, `${i.eventId}.${ts}.${i.body}`, 'base64')}`,
		};
		const topicHeader = options.topicHeader === undefined ? 'x-webhook-topic' : options.topicHeader;
		if (topicHeader) headers[topicHeader] = i.topic;
		return headers;
	};
}

/**
 * Akeneo Event Platform: hex(HMAC-SHA256(secret, raw body)) in `X-AKENEO-SIGNATURE-PRIMARY`.
 * API: https://api.akeneo.com/event-platform/concepts.html
 */
export function akeneoSigner(): WebhookSigner {
	return (i) => ({
		'X-AKENEO-SIGNATURE-PRIMARY': hmac(i.secret, i.body, 'hex'),
		'X-AKENEO-SIGNATURE-ALGORITHM': 'HmacSHA256',
	});
}

/**
 * A plain HMAC-SHA256 of the raw body in one header (hex or base64), with event id and topic
 * headers: for systems whose push is a script you design yourself (NetSuite SuiteScript).
 */
export function genericHmacSigner(
	options: {
		header?: string;
		encoding?: 'hex' | 'base64';
		prefix?: string;
		eventIdHeader?: string;
		topicHeader?: string;
	} = {},
): WebhookSigner {
	return (i) => ({
		[options.header ?? 'X-Signature-Sha256']:
			`${options.prefix ?? ''}${hmac(i.secret, i.body, options.encoding ?? 'hex')}`,
		[options.eventIdHeader ?? 'X-Event-Id']: i.eventId,
		[options.topicHeader ?? 'X-Event-Topic']: i.topic,
	});
}

/** How a system retries failed deliveries. */
export interface DeliveryPolicy {
	/** Wait before each retry, in order; the length is the number of retries. */
	retryDelaysMs: number[];
	/** One attempt's limit (connect + answer), in real milliseconds. */
	timeoutMs: number;
	/** Deactivate a subscription after this many events in a row failed for good (0 = never). */
	removeAfterFailures: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Shopify: 5 s per attempt, 8 retries over about 4 h, subscription removed after 8 failures [R]. */
export const SHOPIFY_DELIVERY: DeliveryPolicy = {
	retryDelaysMs: [10_000, 30_000, MIN, 5 * MIN, 15 * MIN, 30 * MIN, HOUR, 90 * MIN],
	timeoutMs: 5_000,
	removeAfterFailures: 8,
};

/** HubSpot: about 5 s per attempt, up to 10 retries over about 24 h [R]. */
export const HUBSPOT_DELIVERY: DeliveryPolicy = {
	retryDelaysMs: [
		MIN,
		2 * MIN,
		5 * MIN,
		10 * MIN,
		30 * MIN,
		HOUR,
		2 * HOUR,
		4 * HOUR,
		6 * HOUR,
		9 * HOUR,
	],
	timeoutMs: 5_000,
	removeAfterFailures: 0,
};

/** ShipBob: "exponential backoff" (the schedule itself is undocumented; this one is a guess) [R]. */
export const SHIPBOB_DELIVERY: DeliveryPolicy = {
	retryDelaysMs: [30_000, 2 * MIN, 10 * MIN, 30 * MIN, 2 * HOUR],
	timeoutMs: 10_000,
	removeAfterFailures: 0,
};

/** A short generic schedule. */
export const GENERIC_DELIVERY: DeliveryPolicy = {
	retryDelaysMs: [1_000, 10_000, MIN],
	timeoutMs: 5_000,
	removeAfterFailures: 0,
};
