import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { takeFromBuckets, type BudgetBuckets } from '../../core/state/budget';
import { decideClaim, type KeyRow } from '../../core/state/rows';
import type {
	RateBudgetGrant,
	RateBudgetTake,
	ClaimOptions,
	ClaimedDeadLetter,
	DeadLetter,
	DeadLetterInput,
	KeyClaim,
	KeyCounts,
	ListOptions,
	RecordOptions,
	ReserveOptions,
	StateStore,
	StoreClock,
} from '../../core/state/types';
import { checkClaim, checkDeadLetter, checkTtl } from './validate';

/**
 * The embedded store on Node ≥ 22.13: `node:sqlite` in a private file next to n8n's storage.
 * `DatabaseSync` is synchronous, so each operation — a short `BEGIN IMMEDIATE … COMMIT` with no
 * `await` inside — cannot interleave with another execution in the process; the immediate
 * transaction also keeps a second process on the same file out while it runs. WAL with
 * `synchronous=FULL` makes every acknowledged change survive a crash.
 */

interface SqliteStatement {
	run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
	get(...params: unknown[]): Record<string, unknown> | undefined;
	all(...params: unknown[]): Array<Record<string, unknown>>;
}

interface SqliteDatabase {
	exec(sql: string): void;
	prepare(sql: string): SqliteStatement;
	close(): void;
}

interface SqliteModule {
	DatabaseSync: new (path: string) => SqliteDatabase;
}

/**
 * `node:sqlite` when this Node has it unflagged (22.13+, 23.4+, 24+), else undefined. Loaded
 * lazily so Node 20 never even tries to resolve it.
 */
export function loadSqlite(): SqliteModule | undefined {
	const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
	if (typeof get !== 'function') return undefined;
	try {
		const mod = get('node:sqlite') as SqliteModule | undefined;
		return mod && typeof mod.DatabaseSync === 'function' ? mod : undefined;
	} catch {
		return undefined;
	}
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dedupe (
	ns TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, token TEXT NOT NULL,
	expires_at INTEGER NOT NULL, hash TEXT, PRIMARY KEY (ns, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dedupe_expiry ON dedupe (expires_at);
CREATE TABLE IF NOT EXISTS dlq (
	id INTEGER PRIMARY KEY AUTOINCREMENT, ns TEXT NOT NULL, payload TEXT NOT NULL, error TEXT,
	attempts INTEGER NOT NULL, due_at INTEGER NOT NULL, correlation_id TEXT, reason TEXT NOT NULL,
	created_at INTEGER NOT NULL, claims INTEGER NOT NULL DEFAULT 0, lease_token TEXT,
	lease_until INTEGER, visible_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dlq_visible ON dlq (ns, visible_at, id);
CREATE INDEX IF NOT EXISTS dlq_due ON dlq (ns, due_at, id);
CREATE TABLE IF NOT EXISTS budget (key TEXT PRIMARY KEY, buckets TEXT NOT NULL) WITHOUT ROWID;
`;

/** Writes between two sweeps of expired keys; each sweep deletes at most SWEEP_BATCH rows. */
const SWEEP_EVERY = 500;
const SWEEP_BATCH = 500;

export class SqliteStore implements StateStore {
	readonly backend = 'embedded-sqlite' as const;
	private writes = 0;
	private readonly stmt: Record<string, SqliteStatement>;

	private constructor(
		private readonly db: SqliteDatabase,
		private readonly clock: StoreClock,
	) {
		const q = (sql: string) => db.prepare(sql);
		this.stmt = {
			getKey: q('SELECT state, token, expires_at, hash FROM dedupe WHERE ns = ? AND key = ?'),
			putKey: q(
				`INSERT INTO dedupe (ns, key, state, token, expires_at, hash) VALUES (?, ?, ?, ?, ?, ?)
				 ON CONFLICT (ns, key) DO UPDATE SET state = excluded.state, token = excluded.token,
				 expires_at = excluded.expires_at, hash = excluded.hash`,
			),
			commitKey: q(
				`UPDATE dedupe SET state = 'committed', token = '', expires_at = ?
				 WHERE ns = ? AND key = ? AND token = ? AND state = 'reserved' AND token <> ''`,
			),
			releaseKey: q(`DELETE FROM dedupe WHERE ns = ? AND key = ? AND token = ? AND state = 'reserved' AND token <> ''`),
			forgetKey: q('DELETE FROM dedupe WHERE ns = ? AND key = ?'),
			countKeys: q('SELECT state, COUNT(*) AS n FROM dedupe WHERE ns = ? AND expires_at > ? GROUP BY state'),
			clearKeys: q('DELETE FROM dedupe WHERE ns = ?'),
			sweep: q(
				`DELETE FROM dedupe WHERE (ns, key) IN
				 (SELECT ns, key FROM dedupe WHERE expires_at <= ? LIMIT ${SWEEP_BATCH})`,
			),
			put: q(
				`INSERT INTO dlq (ns, payload, error, attempts, due_at, correlation_id, reason, created_at, visible_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			),
			due: q('SELECT id FROM dlq WHERE ns = ? AND visible_at <= ? ORDER BY visible_at, id LIMIT ?'),
			lease: q(
				`UPDATE dlq SET lease_token = ?, lease_until = ?, visible_at = ?, claims = claims + 1
				 WHERE id = ? RETURNING *`,
			),
			ack: q('DELETE FROM dlq WHERE ns = ? AND id = ? AND lease_token = ?'),
			nack: q(
				`UPDATE dlq SET lease_token = NULL, lease_until = NULL, due_at = ?, visible_at = ?,
				 error = COALESCE(?, error), attempts = COALESCE(?, attempts)
				 WHERE ns = ? AND id = ? AND lease_token = ?`,
			),
			listAll: q('SELECT * FROM dlq WHERE ns = ? ORDER BY due_at, id LIMIT ? OFFSET ?'),
			listDue: q('SELECT * FROM dlq WHERE ns = ? AND visible_at <= ? ORDER BY due_at, id LIMIT ? OFFSET ?'),
			size: q('SELECT COUNT(*) AS n FROM dlq WHERE ns = ?'),
			purgeAll: q('DELETE FROM dlq WHERE ns = ?'),
			purgeOne: q('DELETE FROM dlq WHERE ns = ? AND id = ?'),
			getBudget: q('SELECT buckets FROM budget WHERE key = ?'),
			putBudget: q(
				'INSERT INTO budget (key, buckets) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET buckets = excluded.buckets',
			),
		};
	}

	/** Opens (creating if needed) the database file. Throws when this Node has no `node:sqlite`. */
	static open(file: string, options: { clock?: StoreClock } = {}): SqliteStore {
		const sqlite = loadSqlite();
		if (!sqlite) throw new Error('node:sqlite is not available in this Node.js version (needs 22.13 or later)');
		mkdirSync(dirname(file), { recursive: true });
		const db = new sqlite.DatabaseSync(file);
		// 32 MB page cache keeps the key index's upper levels in memory at a million keys.
		db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 1000; PRAGMA cache_size = -32000;');
		db.exec(SCHEMA);
		return new SqliteStore(db, options.clock ?? { now: () => Date.now() });
	}

	async reserve(namespace: string, key: string, options: ReserveOptions): Promise<KeyClaim> {
		checkTtl(options.leaseMs, 'leaseMs');
		return this.claim(namespace, key, options, 'reserved', options.leaseMs);
	}

	async record(namespace: string, key: string, options: RecordOptions): Promise<KeyClaim> {
		checkTtl(options.ttlMs, 'ttlMs');
		return this.claim(namespace, key, options, 'committed', options.ttlMs);
	}

	async commit(namespace: string, key: string, token: string, ttlMs: number): Promise<boolean> {
		checkTtl(ttlMs, 'ttlMs');
		return changes(this.stmt.commitKey.run(this.clock.now() + ttlMs, namespace, key, token)) > 0;
	}

	async release(namespace: string, key: string, token: string): Promise<boolean> {
		return changes(this.stmt.releaseKey.run(namespace, key, token)) > 0;
	}

	async forget(namespace: string, key: string): Promise<boolean> {
		return changes(this.stmt.forgetKey.run(namespace, key)) > 0;
	}

	async count(namespace: string): Promise<KeyCounts> {
		const counts: KeyCounts = { committed: 0, reserved: 0 };
		for (const row of this.stmt.countKeys.all(namespace, this.clock.now())) {
			counts[row.state as keyof KeyCounts] = Number(row.n);
		}
		return counts;
	}

	async clear(namespace: string): Promise<number> {
		return changes(this.stmt.clearKeys.run(namespace));
	}

	async put(namespace: string, entry: DeadLetterInput): Promise<string> {
		checkDeadLetter(entry);
		const row = this.stmt.put.get(
			namespace,
			JSON.stringify(entry.payload),
			entry.error === undefined ? null : JSON.stringify(entry.error),
			entry.attempts,
			entry.dueAt,
			entry.correlationId ?? null,
			entry.reason,
			this.clock.now(),
			entry.dueAt,
		);
		return String(row!.id);
	}

	async claimDue(namespace: string, options: ClaimOptions): Promise<ClaimedDeadLetter[]> {
		checkClaim(options);
		const now = this.clock.now();
		return this.transaction(() => {
			const ids = this.stmt.due.all(namespace, now, options.limit).map((r) => r.id);
			return ids.map((id) => {
				const until = now + options.leaseMs;
				const row = this.stmt.lease.get(randomUUID(), until, until, id);
				return rowToDeadLetter(row!) as ClaimedDeadLetter;
			});
		});
	}

	async ack(namespace: string, id: string, leaseToken: string): Promise<boolean> {
		if (!leaseToken) return false;
		return changes(this.stmt.ack.run(namespace, toId(id), leaseToken)) > 0;
	}

	async nack(
		namespace: string,
		id: string,
		leaseToken: string,
		update: { dueAt: number; error?: Record<string, unknown>; attempts?: number },
	): Promise<boolean> {
		if (!leaseToken) return false;
		const result = this.stmt.nack.run(
			update.dueAt,
			update.dueAt,
			update.error === undefined ? null : JSON.stringify(update.error),
			update.attempts ?? null,
			namespace,
			toId(id),
			leaseToken,
		);
		return changes(result) > 0;
	}

	async list(namespace: string, options: ListOptions): Promise<DeadLetter[]> {
		const offset = options.offset ?? 0;
		const rows = options.dueOnly
			? this.stmt.listDue.all(namespace, this.clock.now(), options.limit, offset)
			: this.stmt.listAll.all(namespace, options.limit, offset);
		return rows.map(rowToDeadLetter);
	}

	async size(namespace: string): Promise<number> {
		return Number(this.stmt.size.get(namespace)!.n);
	}

	async purge(namespace: string, ids?: string[]): Promise<number> {
		if (ids === undefined) return changes(this.stmt.purgeAll.run(namespace));
		return this.transaction(() =>
			[...new Set(ids)].reduce((n, id) => n + changes(this.stmt.purgeOne.run(namespace, toId(id))), 0),
		);
	}

	async take({ key, cost, windowMs, limit, nowMs }: RateBudgetTake): Promise<RateBudgetGrant> {
		return this.transaction(() => {
			const row = this.stmt.getBudget.get(key);
			const buckets = row ? (JSON.parse(String(row.buckets)) as BudgetBuckets) : [];
			const result = takeFromBuckets(buckets, cost, windowMs, limit, nowMs);
			if (result.grant.granted) this.stmt.putBudget.run(key, JSON.stringify(result.buckets));
			return result.grant;
		});
	}

	async close(): Promise<void> {
		this.db.close();
	}

	/** Loads many committed keys in one transaction, for benchmarks and imports. */
	seedCommitted(namespace: string, keys: Iterable<string>, ttlMs: number): void {
		const expiresAt = this.clock.now() + ttlMs;
		this.transaction(() => {
			for (const key of keys) this.stmt.putKey.run(namespace, key, 'committed', '', expiresAt, null);
		});
		// Fold the bulk write into the database now, not into the next callers' commits.
		this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
	}

	private claim(
		namespace: string,
		key: string,
		options: { hash?: string; changedOnly?: boolean },
		state: KeyRow['state'],
		ttlMs: number,
	): KeyClaim {
		const now = this.clock.now();
		const claim = this.transaction((): KeyClaim => {
			const raw = this.stmt.getKey.get(namespace, key);
			const row: KeyRow | undefined = raw && {
				state: raw.state as KeyRow['state'],
				token: String(raw.token),
				expiresAt: Number(raw.expires_at),
				hash: raw.hash === null ? undefined : String(raw.hash),
			};
			const decision = decideClaim(row, now, options);
			if (!decision.take) return decision.claim;
			const token = state === 'reserved' ? randomUUID() : '';
			this.stmt.putKey.run(namespace, key, state, token, now + ttlMs, options.hash ?? null);
			return decision.previousHash === undefined
				? { status: 'acquired', token }
				: { status: 'acquired', token, previousHash: decision.previousHash };
		});
		if (claim.status === 'acquired' && ++this.writes % SWEEP_EVERY === 0) this.stmt.sweep.run(now);
		return claim;
	}

	private transaction<T>(fn: () => T): T {
		this.db.exec('BEGIN IMMEDIATE');
		try {
			const result = fn();
			this.db.exec('COMMIT');
			return result;
		} catch (error) {
			this.db.exec('ROLLBACK');
			throw error;
		}
	}
}

/** Rows from `dlq` (SQLite and Postgres share the column names) as a DeadLetter. */
export function rowToDeadLetter(row: Record<string, unknown>): DeadLetter {
	const parse = (v: unknown) => (v === null || v === undefined ? undefined : typeof v === 'string' ? JSON.parse(v) : v);
	const entry: DeadLetter = {
		id: String(row.id),
		payload: parse(row.payload) as Record<string, unknown>,
		attempts: Number(row.attempts),
		dueAt: Number(row.due_at),
		reason: row.reason as DeadLetter['reason'],
		createdAt: Number(row.created_at),
		claims: Number(row.claims),
	};
	const error = parse(row.error);
	if (error !== undefined) entry.error = error as Record<string, unknown>;
	if (row.correlation_id !== null && row.correlation_id !== undefined) entry.correlationId = String(row.correlation_id);
	if (row.lease_token !== null && row.lease_token !== undefined) {
		entry.leaseToken = String(row.lease_token);
		entry.leaseUntil = Number(row.lease_until);
	}
	return entry;
}

function changes(result: { changes: number | bigint }): number {
	return Number(result.changes);
}

/** Ids are integers in SQL; anything else cannot match and is passed as -1. */
function toId(id: string): number {
	return /^\d+$/.test(id) ? Number(id) : -1;
}
