import { createHmac } from 'node:crypto';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { NetSuiteTbaApi } from '../../../credentials/NetSuiteTbaApi.credentials';

const credentials = {
	accountId: '1234567_SB1',
	consumerKey: 'ck-0001',
	consumerSecret: 'cs secret/with+chars',
	tokenId: 'tok-0001',
	tokenSecret: 'ts!secret*',
	concurrency: 5,
	baseUrl: '',
};

// Written from NetSuite's documented steps, independently of nodes/shared/core/auth/oauth1.ts.
function rfc3986(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
	);
}

function parseHeader(header: string): Record<string, string> {
	expect(header.startsWith('OAuth ')).toBe(true);
	const out: Record<string, string> = {};
	for (const part of header.slice(6).split(',')) {
		const m = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
		if (!m) throw new Error(`bad header part ${part}`);
		out[m[1]] = decodeURIComponent(m[2]);
	}
	return out;
}

function expectedSignature(method: string, url: string, params: Array<[string, string]>): string {
	const u = new URL(url);
	const all: Array<[string, string]> = [...params];
	u.searchParams.forEach((v, k) => all.push([k, v]));
	const norm = all
		.map(([k, v]) => [rfc3986(k), rfc3986(v)])
		.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
		.map(([k, v]) => `${k}=${v}`)
		.join('&');
	const base = [method, rfc3986(`${u.protocol}//${u.host}${u.pathname}`), rfc3986(norm)].join('&');
	const key = `${rfc3986(credentials.consumerSecret)}&${rfc3986(credentials.tokenSecret)}`;
	return createHmac('sha256', key).update(base).digest('base64');
}

async function sign(options: IHttpRequestOptions) {
	const signed = await new NetSuiteTbaApi().authenticate(credentials, options);
	return {
		signed,
		fields: parseHeader(String((signed.headers as Record<string, string>).Authorization)),
	};
}

describe('NetSuite TBA credential', () => {
	it('signs with HMAC-SHA256, the realm in 123456_SB1 form and the query string in the base string', async () => {
		const url = 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql';
		const { signed, fields } = await sign({
			method: 'POST',
			url,
			qs: { limit: 1000, offset: 2000 },
			body: { q: 'SELECT id FROM item' },
		});
		expect(fields.realm).toBe('1234567_SB1');
		expect(fields.oauth_signature_method).toBe('HMAC-SHA256');
		expect(fields.oauth_version).toBe('1.0');
		expect(fields.oauth_consumer_key).toBe('ck-0001');
		expect(fields.oauth_token).toBe('tok-0001');
		const oauth = Object.entries(fields).filter(
			([k]) => k.startsWith('oauth_') && k !== 'oauth_signature',
		);
		const expected = expectedSignature('POST', url, [
			...oauth,
			['limit', '1000'],
			['offset', '2000'],
		]);
		expect(fields.oauth_signature).toBe(expected);
		// The body is untouched and not signed: the same signature whatever the body.
		expect(signed.body).toEqual({ q: 'SELECT id FROM item' });
	});

	it('signs query parameters that are already in the URL (next-page links)', async () => {
		const url =
			'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/inventoryItem?limit=5&q=itemId%20IS%20%22A%20B%22';
		const { fields } = await sign({ method: 'GET', url });
		const oauth = Object.entries(fields).filter(
			([k]) => k.startsWith('oauth_') && k !== 'oauth_signature',
		);
		expect(fields.oauth_signature).toBe(expectedSignature('GET', url, oauth));
	});

	it('fails to verify when the query string is left out of the check', async () => {
		const url = 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql';
		const { fields } = await sign({ method: 'POST', url, qs: { limit: 10 } });
		const oauth = Object.entries(fields).filter(
			([k]) => k.startsWith('oauth_') && k !== 'oauth_signature',
		);
		expect(fields.oauth_signature).not.toBe(expectedSignature('POST', url, oauth));
	});

	it('joins baseURL and url for the credential test request', async () => {
		const { signed, fields } = await sign({
			method: 'GET',
			baseURL: 'http://127.0.0.1:8787/netsuite/',
			url: '/services/rest/record/v1/inventoryItem',
			qs: { limit: 1 },
		});
		const oauth = Object.entries(fields).filter(
			([k]) => k.startsWith('oauth_') && k !== 'oauth_signature',
		);
		const url = 'http://127.0.0.1:8787/netsuite/services/rest/record/v1/inventoryItem';
		expect(fields.oauth_signature).toBe(expectedSignature('GET', url, [...oauth, ['limit', '1']]));
		expect(signed.url).toBe('/services/rest/record/v1/inventoryItem');
	});

	it('uses a fresh nonce per request', async () => {
		const url = 'https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/salesOrder';
		const a = await sign({ method: 'GET', url });
		const b = await sign({ method: 'GET', url });
		expect(a.fields.oauth_nonce).not.toBe(b.fields.oauth_nonce);
	});

	it('refuses a relative URL without a base URL rather than signing the wrong thing', async () => {
		await expect(
			new NetSuiteTbaApi().authenticate(credentials, { method: 'GET', url: '/x' }),
		).rejects.toThrow(/relative URL/);
	});

	it('keeps secrets out of the header', async () => {
		const { signed } = await sign({
			method: 'GET',
			url: 'https://1234567.suitetalk.api.netsuite.com/x',
		});
		const header = String((signed.headers as Record<string, string>).Authorization);
		expect(header).not.toContain(credentials.consumerSecret);
		expect(header).not.toContain(credentials.tokenSecret);
	});
});
