import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted recursively, no whitespace, `undefined` members dropped
 * (as JSON.stringify does), so two payloads that mean the same thing hash the same whatever
 * order their fields arrived in.
 *
 * @throws TypeError for values JSON cannot represent faithfully (NaN, Infinity, bigint,
 * functions, symbols, cycles) — a key derived from a lossy encoding would collide silently.
 */
export function canonicalJson(value: unknown): string {
	return encode(value, new Set());
}

function encode(value: unknown, seen: Set<object>): string {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return JSON.stringify(value);
		case 'number':
			if (!Number.isFinite(value)) {
				throw new TypeError(`Cannot derive a key from the number ${value}: use a finite number`);
			}
			return JSON.stringify(value);
		case 'object':
			break;
		default:
			throw new TypeError(`Cannot derive a key from a value of type ${typeof value}`);
	}
	const obj = value as object;
	if (seen.has(obj)) throw new TypeError('Cannot derive a key from a value that contains itself');
	seen.add(obj);
	try {
		if (Array.isArray(obj)) {
			return `[${obj.map((v) => (v === undefined ? 'null' : encode(v, seen))).join(',')}]`;
		}
		if (obj instanceof Date) return JSON.stringify(obj.toISOString());
		const entries = Object.keys(obj)
			.filter((k) => (obj as Record<string, unknown>)[k] !== undefined)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${encode((obj as Record<string, unknown>)[k], seen)}`);
		return `{${entries.join(',')}}`;
	} finally {
		seen.delete(obj);
	}
}

/** SHA-256 of the canonical JSON of `value`, as 64 lower-case hex characters. */
export function idempotencyKey(value: unknown): string {
	return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/**
 * A key scoped to a purpose (`'shopify:setQuantities'`), so the same payload sent to two
 * different operations never shares a key.
 */
export function scopedIdempotencyKey(scope: string, value: unknown): string {
	return idempotencyKey({ scope, value });
}
