import type { ClaimOptions, DeadLetter, DeadLetterInput } from '../../core/state/types';

/**
 * Argument checks every backend runs first, so a bad TTL or payload fails the same way (and
 * before touching storage) whichever backend is configured.
 */

/** A TTL or lease must be a positive whole number of ms. */
export function checkTtl(ms: number, name: string): void {
	if (!Number.isFinite(ms) || ms < 1) {
		throw new RangeError(`${name} must be a positive number of milliseconds, got ${ms}`);
	}
}

/** Limits and lease of a claim must be positive. */
export function checkClaim(options: ClaimOptions): void {
	if (!Number.isInteger(options.limit) || options.limit < 1) {
		throw new RangeError(`The claim limit must be a positive whole number, got ${options.limit}`);
	}
	checkTtl(options.leaseMs, 'leaseMs');
}

/** A dead letter needs a JSON object payload and finite numbers. */
export function checkDeadLetter(entry: DeadLetterInput): void {
	if (entry.payload === null || typeof entry.payload !== 'object' || Array.isArray(entry.payload)) {
		throw new TypeError('A dead-letter payload must be a JSON object');
	}
	if (!Number.isFinite(entry.dueAt)) throw new RangeError(`dueAt must be a time in ms, got ${entry.dueAt}`);
	if (!Number.isInteger(entry.attempts) || entry.attempts < 0) {
		throw new RangeError(`attempts must be a whole number ≥ 0, got ${entry.attempts}`);
	}
}

/** A deep copy through JSON, so callers never share objects with a store's memory. */
export function copyDeadLetter(entry: DeadLetter): DeadLetter {
	return JSON.parse(JSON.stringify(entry)) as DeadLetter;
}
