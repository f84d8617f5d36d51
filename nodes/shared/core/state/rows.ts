import type { KeyClaim } from './types';

/**
 * The key-state rules, written once for the backends that keep rows in process (the journal
 * and SQLite stores check them in TypeScript; Postgres and Redis say the same in SQL and Lua).
 */

/** One remembered key. */
export interface KeyRow {
	state: 'reserved' | 'committed';
	/** Reservation token; empty for keys recorded by check-and-record. */
	token: string;
	/** ms since the epoch; the row is dead at and after this instant. */
	expiresAt: number;
	hash?: string;
}

/**
 * Whether a reserve/record may take the key given what is stored, and if not, what to answer.
 * A key is free when absent or expired, or — changed-only — committed with a different hash.
 */
export function decideClaim(
	row: KeyRow | undefined,
	nowMs: number,
	options: { hash?: string; changedOnly?: boolean },
): { take: true; previousHash?: string } | { take: false; claim: KeyClaim } {
	if (!row || row.expiresAt <= nowMs) return { take: true };
	if (row.state === 'reserved') return { take: false, claim: { status: 'inFlight', expiresAt: row.expiresAt } };
	if (options.changedOnly && row.hash !== options.hash) return { take: true, previousHash: row.hash };
	return { take: false, claim: { status: 'duplicate', expiresAt: row.expiresAt, hash: row.hash } };
}

/** Whether `token` still holds a live-or-lapsed reservation on the row (commit/release check). */
export function holdsReservation(row: KeyRow | undefined, token: string): boolean {
	return row !== undefined && row.state === 'reserved' && token !== '' && row.token === token;
}
