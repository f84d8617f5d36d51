import { createHmac } from 'node:crypto';

import {
	decodeHubSpotUri,
	safeEqual,
	verifyHexHmac,
	verifyHubSpotV3,
	verifyShopifyWebhook,
	verifyStandardWebhook,
} from '../../../nodes/shared/core/webhooks/signatures';

const body = '{"inventory_item_id":808950810,"location_id":905684977,"available":6}';

describe('verifyShopifyWebhook', () => {
	const secret = 'shpss_test_secret';
	const good = createHmac('sha256', secret).update(body).digest('base64');

	it('accepts the base64 HMAC of the raw body (string or buffer)', () => {
		expect(verifyShopifyWebhook(body, good, secret)).toEqual({ ok: true });
		expect(verifyShopifyWebhook(Buffer.from(body), good, secret)).toEqual({ ok: true });
	});

	it.each([
		['missing header', undefined, secret, /no X-Shopify-Hmac-Sha256/],
		['wrong secret', createHmac('sha256', 'other').update(body).digest('base64'), secret, /does not match/],
		['hex instead of base64', createHmac('sha256', secret).update(body).digest('hex'), secret, /does not match/],
		['no secret configured', good, '', /No app secret/],
	])('refuses %s', (_name, header, key, reason) => {
		const result = verifyShopifyWebhook(body, header, key);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toMatch(reason);
	});

	it('refuses a body changed by one byte', () => {
		expect(verifyShopifyWebhook(body.replace('6', '7'), good, secret).ok).toBe(false);
	});
});

describe('verifyHubSpotV3', () => {
	const secret = 'hubspot-client-secret';
	const now = 1_760_000_000_000;
	const uri = 'https://example.com/webhook/hubspot?x=1';
	const sign = (ts: string, u = uri) => createHmac('sha256', secret).update(`POST${u}${body}${ts}`).digest('base64');

	it('accepts a fresh, correctly signed request', () => {
		const ts = String(now - 1000);
		expect(verifyHubSpotV3({ method: 'post', uri, rawBody: body, signature: sign(ts), timestamp: ts, secret, nowMs: now })).toEqual({ ok: true });
	});

	it('decodes the listed percent-encodings before checking', () => {
		const ts = String(now);
		const encoded = 'https://example.com/webhook%3Fa%3D%281%29';
		const decoded = 'https://example.com/webhook?a%3D(1)';
		expect(decodeHubSpotUri(encoded)).toBe(decoded);
		expect(verifyHubSpotV3({ method: 'POST', uri: encoded, rawBody: body, signature: sign(ts, decoded), timestamp: ts, secret, nowMs: now }).ok).toBe(true);
	});

	it('refuses stale timestamps even when the signature is right', () => {
		const ts = String(now - 6 * 60_000);
		const result = verifyHubSpotV3({ method: 'POST', uri, rawBody: body, signature: sign(ts), timestamp: ts, secret, nowMs: now });
		expect(result).toEqual({ ok: false, reason: expect.stringMatching(/stale or replayed/) });
	});

	it('refuses a missing timestamp, a missing or wrong signature', () => {
		const ts = String(now);
		expect(verifyHubSpotV3({ method: 'POST', uri, rawBody: body, signature: sign(ts), timestamp: undefined, secret, nowMs: now }).ok).toBe(false);
		expect(verifyHubSpotV3({ method: 'POST', uri, rawBody: body, signature: undefined, timestamp: ts, secret, nowMs: now }).ok).toBe(false);
		expect(verifyHubSpotV3({ method: 'GET', uri, rawBody: body, signature: sign(ts), timestamp: ts, secret, nowMs: now }).ok).toBe(false);
	});
});

describe('verifyStandardWebhook', () => {
	const rawKey = Buffer.from('ShipBob-webhook-key-bytes');
	const secret = `whsec_${rawKey.toString('base64')}`;
	const now = 1_760_000_000_000;
	const id = 'msg_2x';
	const ts = String(Math.floor(now / 1000));
	const sig = createHmac('sha256', rawKey).update(`${id}.${ts}.${body}`).digest('base64');

	it('accepts when any v1 entry matches (key rotation sends several)', () => {
		expect(verifyStandardWebhook({ id, timestamp: ts, signature: `v1,bogus v1,${sig}`, rawBody: body, secret, nowMs: now })).toEqual({ ok: true });
	});

	it('refuses stale, unsigned or mis-signed deliveries', () => {
		expect(verifyStandardWebhook({ id, timestamp: String(Number(ts) - 600), signature: `v1,${sig}`, rawBody: body, secret, nowMs: now }).ok).toBe(false);
		expect(verifyStandardWebhook({ id, timestamp: ts, signature: `v2,${sig}`, rawBody: body, secret, nowMs: now }).ok).toBe(false);
		expect(verifyStandardWebhook({ id: 'other', timestamp: ts, signature: `v1,${sig}`, rawBody: body, secret, nowMs: now }).ok).toBe(false);
		expect(verifyStandardWebhook({ id, timestamp: ts, signature: undefined, rawBody: body, secret, nowMs: now }).ok).toBe(false);
	});
});

describe('verifyHexHmac and safeEqual', () => {
	it('accepts the primary or the secondary signature', () => {
		const hex = createHmac('sha256', 's3').update(body).digest('hex');
		expect(verifyHexHmac(body, [undefined, hex.toUpperCase()], 's3').ok).toBe(true);
		expect(verifyHexHmac(body, ['00', undefined], 's3').ok).toBe(false);
		expect(verifyHexHmac(body, [], 's3').ok).toBe(false);
	});

	it('compares without throwing on different lengths', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abcd')).toBe(false);
	});
});
