import { createHmac, randomBytes } from 'node:crypto';

/**
 * OAuth 1.0a request signing with HMAC-SHA256, as NetSuite Token-Based Authentication needs it
 * (NetSuite dropped HMAC-SHA1 in 2023.1). Query parameters are part of the signature base
 * string; a JSON body is not.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html
 */

/** The four secrets of a TBA credential plus the account id used as the realm. */
export interface OAuth1Credentials {
	consumerKey: string;
	consumerSecret: string;
	tokenId: string;
	tokenSecret: string;
	/** Account id in any case/separator form; the realm uses `123456_SB1`. */
	accountId: string;
}

/** RFC 3986 percent-encoding (unreserved characters kept), as OAuth 1.0a requires. */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** NetSuite's realm form of an account id: upper case, underscore (`123456-sb1` → `123456_SB1`). */
export function netSuiteRealm(accountId: string): string {
	return accountId.trim().replace(/-/g, '_').toUpperCase();
}

/** NetSuite's host form of an account id: lower case, hyphen (`123456_SB1` → `123456-sb1`). */
export function netSuiteHostId(accountId: string): string {
	return accountId.trim().replace(/_/g, '-').toLowerCase();
}

/**
 * The signature base string: METHOD & enc(base URL) & enc(sorted, encoded params), where the
 * params are the oauth_* values plus every query parameter of the URL and of `extraQuery`.
 */
export function signatureBaseString(
	method: string,
	url: string,
	oauthParams: Record<string, string>,
	extraQuery: Record<string, string | number | boolean | string[] | undefined> = {},
): string {
	const parsed = new URL(url);
	const pairs: Array<[string, string]> = [];
	parsed.searchParams.forEach((value, key) => pairs.push([key, value]));
	for (const [key, value] of Object.entries(extraQuery)) {
		if (value === undefined) continue;
		for (const v of Array.isArray(value) ? value : [value]) pairs.push([key, String(v)]);
	}
	for (const [key, value] of Object.entries(oauthParams)) pairs.push([key, value]);
	const encoded = pairs
		.filter(([key]) => key !== 'realm' && key !== 'oauth_signature')
		.map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
		.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
		.map(([k, v]) => `${k}=${v}`)
		.join('&');
	const base = `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname}`;
	return `${method.toUpperCase()}&${percentEncode(base)}&${percentEncode(encoded)}`;
}

/** base64(HMAC-SHA256(enc(consumerSecret) & enc(tokenSecret), base string)). */
export function oauth1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
	const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
	return createHmac('sha256', key).update(baseString).digest('base64');
}

/**
 * The `Authorization: OAuth …` header for one request. `nonce` and `timestampSec` are
 * injectable so tests can check exact output; by default a fresh random nonce and the
 * current time are used (NetSuite refuses a reused nonce).
 */
export function oauth1AuthorizationHeader(input: {
	credentials: OAuth1Credentials;
	method: string;
	url: string;
	query?: Record<string, string | number | boolean | string[] | undefined>;
	nonce?: string;
	timestampSec?: number;
}): string {
	const { credentials } = input;
	const oauth: Record<string, string> = {
		oauth_consumer_key: credentials.consumerKey,
		oauth_nonce: input.nonce ?? randomBytes(16).toString('hex'),
		oauth_signature_method: 'HMAC-SHA256',
		oauth_timestamp: String(input.timestampSec ?? Math.floor(Date.now() / 1000)),
		oauth_token: credentials.tokenId,
		oauth_version: '1.0',
	};
	const base = signatureBaseString(input.method, input.url, oauth, input.query);
	const signature = oauth1Signature(base, credentials.consumerSecret, credentials.tokenSecret);
	const fields = [
		`realm="${netSuiteRealm(credentials.accountId)}"`,
		...Object.entries(oauth).map(([k, v]) => `${k}="${percentEncode(v)}"`),
		`oauth_signature="${percentEncode(signature)}"`,
	];
	return `OAuth ${fields.join(', ')}`;
}

/** Parses an `Authorization: OAuth …` header into its (decoded) fields; for verifying servers. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
	if (!header || !/^OAuth\s/i.test(header)) return undefined;
	const out: Record<string, string> = {};
	const re = /([a-zA-Z_]+)="([^"]*)"/g;
	for (let m = re.exec(header); m; m = re.exec(header)) out[m[1]] = decodeURIComponent(m[2]);
	return out;
}
