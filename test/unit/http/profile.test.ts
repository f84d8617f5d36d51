import {
	defaultMessageFromBody,
	defineProfile,
	isSameOrigin,
	resolveRequestUrl,
} from '../../../nodes/shared/core/http/profile';

describe('resolveRequestUrl', () => {
	it.each([
		['https://api.test/v1', '/items', 'https://api.test/v1/items'],
		['https://api.test/v1/', 'items', 'https://api.test/v1/items'],
		['https://api.test/v1//', '//items/1', 'https://api.test/v1/items/1'],
		['https://api.test', '/items', 'https://api.test/items'],
		['https://api.test/v1', '', 'https://api.test/v1'],
		['https://api.test/v1?x=1', '/items', 'https://api.test/v1/items'],
	])('%s + %s → %s', (base, path, expected) => {
		expect(resolveRequestUrl(base, path, 'acme')).toBe(expected);
	});

	it('keeps a same-origin absolute URL as is and refuses other origins', () => {
		expect(resolveRequestUrl('https://api.test/v1', 'https://api.test/v2/next?c=1', 'acme')).toBe(
			'https://api.test/v2/next?c=1',
		);
		expect(() =>
			resolveRequestUrl('https://api.test/v1', 'https://api.test:8443/x', 'acme'),
		).toThrow(/only https:\/\/api.test/);
		expect(() => resolveRequestUrl('https://api.test/v1', 'file:///etc/passwd', 'acme')).toThrow(
			/Refusing/,
		);
	});

	it('rejects a base URL that is not absolute http(s)', () => {
		expect(() => resolveRequestUrl('api.test/v1', '/x', 'acme')).toThrow(
			/acme base URL 'api.test\/v1' is not a valid absolute URL/,
		);
		expect(() => resolveRequestUrl('ftp://api.test', '/x', 'acme')).toThrow(
			/must use http or https/,
		);
	});
});

describe('isSameOrigin', () => {
	it('compares scheme, host and port', () => {
		expect(isSameOrigin('https://a.test/x', 'https://a.test/y?z')).toBe(true);
		expect(isSameOrigin('https://a.test', 'http://a.test')).toBe(false);
		expect(isSameOrigin('https://a.test', 'https://b.a.test')).toBe(false);
		expect(isSameOrigin('https://a.test', 'not a url')).toBe(false);
	});
});

describe('defineProfile', () => {
	it('accepts a good profile and freezes it', () => {
		const profile = defineProfile({
			system: 'shipbob',
			baseUrl: 'https://api.shipbob.com/2026-01',
		});
		expect(Object.isFrozen(profile)).toBe(true);
	});

	it('names the bad field', () => {
		expect(() => defineProfile({ system: 'Ship Bob', baseUrl: 'https://x.test' })).toThrow(
			/profile.system must be a short lower-case name/,
		);
		expect(() => defineProfile({ system: 'x', baseUrl: '/relative' })).toThrow(/base URL/);
		expect(() =>
			defineProfile({
				system: 'x',
				baseUrl: 'https://x.test',
				statusOverrides: { 999: { kind: 'fatal', action: 'fail' } },
			}),
		).toThrow(/statusOverrides\[999\]/);
	});
});

describe('defaultMessageFromBody', () => {
	it.each<[unknown, string | undefined]>([
		[{ message: 'Item not found' }, 'Item not found'],
		[{ error: 'invalid_grant', error_description: 'expired' }, 'invalid_grant'],
		[{ error: { message: 'nested' } }, 'nested'],
		[
			{ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota' }] },
			'You exceeded your quota',
		],
		[{ errors: [{ errorId: 25001, longMessage: 'A system error' }] }, 'A system error'],
		[
			{
				title: 'Too Many Requests',
				status: 429,
				'o:errorDetails': [
					{
						detail: 'Concurrent request limit exceeded. Request blocked.',
						'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
					},
				],
			},
			'Concurrent request limit exceeded. Request blocked.',
		],
		[
			{ title: 'Bad Request', detail: 'reference_id is required' },
			'Bad Request: reference_id is required',
		],
		['Service Unavailable', 'Service Unavailable'],
		['<html>502</html>', undefined],
		[undefined, undefined],
		[{ data: {} }, undefined],
	])('%p → %p', (body, expected) => {
		expect(defaultMessageFromBody(body)).toBe(expected);
	});

	it('cuts a long text body', () => {
		expect(defaultMessageFromBody('x'.repeat(1_000))).toHaveLength(301);
	});
});
