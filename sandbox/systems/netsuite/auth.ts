/**
 * The sandbox's own check of NetSuite Token-Based Authentication (OAuth 1.0a, HMAC-SHA256),
 * written from NetSuite's documentation and deliberately sharing no code with the node's
 * signer, so a bug in one cannot cancel out the same bug in the other.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The TBA secrets the sandbox account accepts. */
export interface TbaAccount {
	/** Account id as NetSuite shows it (`1234567_SB1`). */
	accountId: string;
	consumerKey: string;
	consumerSecret: string;
	tokenId: string;
	tokenSecret: string;
}

/** Why a login failed (kept in the sandbox's login audit trail; never sent to the client). */
export type LoginFailure =
	| 'missing header'
	| 'unsupported signature method'
	| 'wrong realm'
	| 'unknown consumer key'
	| 'unknown token'
	| 'stale timestamp'
	| 'reused nonce'
	| 'wrong oauth_version'
	| 'bad signature';

/** Percent-encoding per RFC 3986 (what PHP's rawurlencode does). */
function enc(value: string): string {
	let out = '';
	for (const byte of Buffer.from(value, 'utf8')) {
		const c = String.fromCharCode(byte);
		out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	return out;
}

function parseAuthorization(header: string): Map<string, string> | undefined {
	const m = /^OAuth\s+(.*)$/is.exec(header.trim());
	if (!m) return undefined;
	const fields = new Map<string, string>();
	for (const part of m[1].split(',')) {
		const kv = /^\s*([A-Za-z0-9_]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
		if (!kv) return undefined;
		try {
			fields.set(kv[1], decodeURIComponent(kv[2]));
		} catch {
			return undefined;
		}
	}
	return fields;
}

/** What the verifier needs about one request. */
export interface SignedRequest {
	method: string;
	/** Full URL as received (scheme, host, path, query). */
	url: string;
	authorization: string | undefined;
	/** Request time (sandbox clock, ms). */
	now: number;
}

/** A verifier with its own nonce memory. */
export class TbaVerifier {
	private nonces = new Map<string, number>();

	constructor(
		private account: TbaAccount,
		/** Allowed clock skew in seconds; null switches the check off (manual-clock tests). */
		public toleranceSec: number | null = 300,
	) {}

	setAccount(account: TbaAccount): void {
		this.account = account;
		this.nonces.clear();
	}

	reset(): void {
		this.nonces.clear();
	}

	/** Undefined when the request is properly signed, else why not. */
	verify(request: SignedRequest): LoginFailure | undefined {
		if (!request.authorization) return 'missing header';
		const fields = parseAuthorization(request.authorization);
		if (!fields) return 'missing header';
		if (fields.get('oauth_signature_method') !== 'HMAC-SHA256')
			return 'unsupported signature method';
		if ((fields.get('oauth_version') ?? '1.0') !== '1.0') return 'wrong oauth_version';
		const realm = this.account.accountId.toUpperCase().replace(/-/g, '_');
		if (fields.get('realm') !== realm) return 'wrong realm';
		if (fields.get('oauth_consumer_key') !== this.account.consumerKey)
			return 'unknown consumer key';
		if (fields.get('oauth_token') !== this.account.tokenId) return 'unknown token';
		const timestamp = Number(fields.get('oauth_timestamp'));
		if (!Number.isInteger(timestamp)) return 'stale timestamp';
		if (this.toleranceSec !== null && Math.abs(request.now / 1000 - timestamp) > this.toleranceSec)
			return 'stale timestamp';
		const nonce = fields.get('oauth_nonce') ?? '';
		if (!nonce) return 'reused nonce';

		const url = new URL(request.url);
		const params: Array<[string, string]> = [];
		for (const [key, value] of fields)
			if (key !== 'realm' && key !== 'oauth_signature') params.push([key, value]);
		for (const [key, value] of url.searchParams) params.push([key, value]);
		const normalized = params
			.map(([k, v]) => `${enc(k)}=${enc(v)}`)
			.sort((a, b) => {
				const [ka, va] = a.split('=');
				const [kb, vb] = b.split('=');
				if (ka !== kb) return ka < kb ? -1 : 1;
				return va < vb ? -1 : va > vb ? 1 : 0;
			})
			.join('&');
		const baseUrl = `${url.protocol}//${url.host.toLowerCase()}${url.pathname}`;
		const base = `${request.method.toUpperCase()}&${enc(baseUrl)}&${enc(normalized)}`;
		const key = `${enc(this.account.consumerSecret)}&${enc(this.account.tokenSecret)}`;
		const expected = Buffer.from(createHmac('sha256', key).update(base, 'utf8').digest('base64'));
		const given = Buffer.from(fields.get('oauth_signature') ?? '');
		if (expected.length !== given.length || !timingSafeEqual(expected, given))
			return 'bad signature';

		// Only a correctly signed request spends its nonce, as a replay must be refused.
		const nonceKey = `${this.account.tokenId}:${nonce}`;
		if (this.nonces.has(nonceKey)) return 'reused nonce';
		this.nonces.set(nonceKey, request.now);
		if (this.nonces.size > 50_000) {
			const cutoff = request.now - (this.toleranceSec ?? 300) * 2000;
			for (const [k, at] of this.nonces) if (at < cutoff) this.nonces.delete(k);
		}
		return undefined;
	}
}

/** NetSuite's answer to any failed login: no reason given (it is in the Login Audit Trail). */
export function invalidLoginBody(): unknown {
	return {
		type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
		title: 'Unauthorized',
		status: 401,
		'o:errorDetails': [
			{
				detail:
					'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
				'o:errorCode': 'INVALID_LOGIN',
			},
		],
	};
}
