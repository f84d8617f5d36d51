import { createHmac } from 'node:crypto';

import {
	netSuiteHostId,
	netSuiteRealm,
	oauth1AuthorizationHeader,
	oauth1Signature,
	parseOAuthHeader,
	percentEncode,
	signatureBaseString,
} from '../../../nodes/shared/core/auth/oauth1';

const credentials = {
	consumerKey: 'ck',
	consumerSecret: 'cs&1',
	tokenId: 'tk',
	tokenSecret: 'ts',
	accountId: '123456-sb1',
};

describe('OAuth 1.0a for NetSuite TBA', () => {
	it('percent-encodes per RFC 3986', () => {
		expect(percentEncode("a b!*'()~._-")).toBe('a%20b%21%2A%27%28%29~._-');
	});

	it('maps account ids between realm and host forms', () => {
		expect(netSuiteRealm('123456-sb1')).toBe('123456_SB1');
		expect(netSuiteHostId('123456_SB1')).toBe('123456-sb1');
	});

	it('builds the base string from method, base URL and sorted params incl. the query', () => {
		const base = signatureBaseString(
			'post',
			'https://123456-SB1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?offset=0&limit=1000',
			{ oauth_nonce: 'n', oauth_consumer_key: 'ck' },
			{ q: 'a b' },
		);
		expect(base).toBe(
			'POST&https%3A%2F%2F123456-sb1.suitetalk.api.netsuite.com%2Fservices%2Frest%2Fquery%2Fv1%2Fsuiteql&' +
				'limit%3D1000%26oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26offset%3D0%26q%3Da%2520b',
		);
	});

	it('signs with enc(consumer secret)&enc(token secret)', () => {
		const expected = createHmac('sha256', 'cs%261&ts').update('BASE').digest('base64');
		expect(oauth1Signature('BASE', 'cs&1', 'ts')).toBe(expected);
	});

	it('produces a header whose signature a server can recompute, realm excluded', () => {
		const url = 'https://123456-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/inventoryItem';
		const header = oauth1AuthorizationHeader({ credentials, method: 'GET', url, query: { limit: 5 }, nonce: 'abc', timestampSec: 1700000000 });
		const fields = parseOAuthHeader(header)!;
		expect(fields.realm).toBe('123456_SB1');
		expect(fields.oauth_signature_method).toBe('HMAC-SHA256');
		const { oauth_signature: signature, realm: _realm, ...oauth } = fields;
		const base = signatureBaseString('GET', url, oauth, { limit: 5 });
		expect(signature).toBe(oauth1Signature(base, 'cs&1', 'ts'));
		// A different query must not verify with the same signature.
		expect(signature).not.toBe(oauth1Signature(signatureBaseString('GET', url, oauth, { limit: 6 }), 'cs&1', 'ts'));
	});

	it('uses a fresh nonce per request by default', () => {
		const url = 'https://x.suitetalk.api.netsuite.com/a';
		const a = parseOAuthHeader(oauth1AuthorizationHeader({ credentials, method: 'GET', url }))!;
		const b = parseOAuthHeader(oauth1AuthorizationHeader({ credentials, method: 'GET', url }))!;
		expect(a.oauth_nonce).not.toBe(b.oauth_nonce);
		expect(parseOAuthHeader('Bearer x')).toBeUndefined();
	});
});
