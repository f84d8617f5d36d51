import { createHash } from 'node:crypto';

import {
	canonicalJson,
	idempotencyKey,
	scopedIdempotencyKey,
} from '../../../nodes/shared/core/idempotency/key';

describe('canonicalJson', () => {
	it('sorts keys recursively and drops whitespace', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
			'{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
		);
	});

	it('drops undefined members like JSON.stringify, but keeps null', () => {
		expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
		expect(canonicalJson([undefined, 1])).toBe('[null,1]');
	});

	it('encodes dates as ISO strings', () => {
		expect(canonicalJson({ at: new Date(Date.UTC(2026, 0, 2)) })).toBe('{"at":"2026-01-02T00:00:00.000Z"}');
	});

	it.each([
		['NaN', { q: NaN }],
		['Infinity', { q: Infinity }],
		['bigint', { q: BigInt(1) }],
		['function', { q: () => 1 }],
	])('refuses %s rather than hashing a lossy encoding', (_name, value) => {
		expect(() => canonicalJson(value)).toThrow(TypeError);
	});

	it('refuses cycles but accepts the same object twice side by side', () => {
		const shared = { x: 1 };
		expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		expect(() => canonicalJson(cyclic)).toThrow(/contains itself/);
	});

	it('escapes strings exactly as JSON does', () => {
		expect(canonicalJson({ 'k"ey': 'va\nl' })).toBe('{"k\\"ey":"va\\nl"}');
	});
});

describe('idempotencyKey', () => {
	it('is the SHA-256 hex of the canonical JSON', () => {
		const expected = createHash('sha256').update('{"a":1,"b":[1,2]}').digest('hex');
		expect(idempotencyKey({ b: [1, 2], a: 1 })).toBe(expected);
		expect(idempotencyKey({ b: [1, 2], a: 1 })).toMatch(/^[0-9a-f]{64}$/);
	});

	it('is the same whatever the key order and differs when content differs', () => {
		expect(idempotencyKey({ sku: 'A', qty: 3 })).toBe(idempotencyKey({ qty: 3, sku: 'A' }));
		expect(idempotencyKey({ sku: 'A', qty: 3 })).not.toBe(idempotencyKey({ sku: 'A', qty: 4 }));
		expect(idempotencyKey({ sku: 'A', qty: 3 })).not.toBe(idempotencyKey({ sku: 'A', qty: '3' }));
	});

	it('separates scopes for the same content', () => {
		const content = { sku: 'A', qty: 3 };
		expect(scopedIdempotencyKey('shopify:set', content)).not.toBe(scopedIdempotencyKey('ebay:set', content));
		expect(scopedIdempotencyKey('shopify:set', content)).toBe(scopedIdempotencyKey('shopify:set', { qty: 3, sku: 'A' }));
	});
});
