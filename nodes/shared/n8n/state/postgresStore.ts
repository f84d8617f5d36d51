import { createHash, randomUUID } from 'node:crypto';

import { Pool, type PoolConfig, type QueryResultRow } from 'pg';

import { takeFromBuckets, type BudgetBuckets } from '../../core/state/budget';
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
import { rowToDeadLetter } from './sqliteStore';
import {
	checkCostSchedule,
	costFloor,
	type CostBacklog,
	type CostRefundRequest,
	type CostScheduleRequest,
	type CostSyncRequest,
	type CostTurn,
} from './costSchedule';
import { checkClaim, checkDeadLetter, checkTtl } from './validate';

/**
 * The Postgres store, for queue mode: every worker talks to the same tables, and every key or
 * queue operation is one statement — `INSERT … ON CONFLICT DO UPDATE … WHERE` for reserve,
 * `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)` for claims — so Postgres' row locks
 * make them atomic across processes. The rate budget is a row read `FOR UPDATE` and rewritten
 * in one short transaction. Tables are created on first use.
 */

/** Options of {@link PostgresStore.open}. */
export interface PostgresStoreOptions {
	clock?: StoreClock;
	/** Schema for the tables (created if missing). Default `public`. */
	schema?: string;
}

const SWEEP_EVERY = 500;

export class PostgresStore implements StateStore {
	readonly backend = 'postgres' as const;
	private writes = 0;
	private readonly t: { keys: string; dlq: string; budget: string; cost: string };

	private constructor(
		private readonly pool: Pool,
		private readonly clock: StoreClock,
		schema: string,
	) {
		const q = (name: string) => `"${schema}"."${name}"`;
		this.t = {
			keys: q('commerce_sync_keys'),
			dlq: q('commerce_sync_dlq'),
			budget: q('commerce_sync_budget'),
			cost: q('commerce_sync_cost'),
		};
	}

	/** Connects and creates the tables if they do not exist yet. */
	static async open(config: PoolConfig, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
		const schema = options.schema ?? 'public';
		if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
			throw new Error(`The Postgres schema "${schema}" is not a plain identifier (letters, digits, underscores)`);
		}
		const pool = new Pool({ max: 10, idleTimeoutMillis: 30_000, ...config });
		// An idle client losing its connection must not crash n8n; the next query reconnects.
		pool.on('error', () => undefined);
		const store = new PostgresStore(pool, options.clock ?? { now: () => Date.now() }, schema);
		try {
			await store.createTables(schema);
		} catch (error) {
			await pool.end().catch(() => undefined);
			const where = `${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
			throw new Error(`Could not open the Postgres state store at ${where}: ${(error as Error).message}`, {
				cause: error,
			});
		}
		return store;
	}

	private async createTables(schema: string): Promise<void> {
		const client = await this.pool.connect();
		try {
			await client.query('BEGIN');
			// Two workers starting at once would race on CREATE TABLE IF NOT EXISTS; one lock orders them.
			await client.query(`SELECT pg_advisory_xact_lock(hashtext('commerce_sync_state_schema'))`);
			await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
			await client.query(`CREATE TABLE IF NOT EXISTS ${this.t.keys} (
				ns text NOT NULL, key text NOT NULL, state text NOT NULL, token text NOT NULL,
				expires_at bigint NOT NULL, hash text, PRIMARY KEY (ns, key))`);
			await client.query(`CREATE INDEX IF NOT EXISTS commerce_sync_keys_expiry ON ${this.t.keys} (expires_at)`);
			await client.query(`CREATE TABLE IF NOT EXISTS ${this.t.dlq} (
				id bigserial PRIMARY KEY, ns text NOT NULL, payload text NOT NULL, error text,
				attempts integer NOT NULL, due_at bigint NOT NULL, correlation_id text, reason text NOT NULL,
				created_at bigint NOT NULL, claims integer NOT NULL DEFAULT 0, lease_token text,
				lease_until bigint, visible_at bigint NOT NULL)`);
			await client.query(`CREATE INDEX IF NOT EXISTS commerce_sync_dlq_visible ON ${this.t.dlq} (ns, visible_at, id)`);
			await client.query(`CREATE INDEX IF NOT EXISTS commerce_sync_dlq_due ON ${this.t.dlq} (ns, due_at, id)`);
			await client.query(`CREATE TABLE IF NOT EXISTS ${this.t.budget} (key text PRIMARY KEY, buckets jsonb NOT NULL)`);
			await client.query(
				`CREATE TABLE IF NOT EXISTS ${this.t.cost} (key text PRIMARY KEY, tat double precision NOT NULL, booked double precision NOT NULL, server_full_at double precision NOT NULL DEFAULT 0)`,
			);
			await client.query('COMMIT');
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw error;
		} finally {
			client.release();
		}
	}

	async reserve(namespace: string, key: string, options: ReserveOptions): Promise<KeyClaim> {
		checkTtl(options.leaseMs, 'leaseMs');
		return await this.claim(text(namespace), text(key), options, 'reserved', options.leaseMs);
	}

	async record(namespace: string, key: string, options: RecordOptions): Promise<KeyClaim> {
		checkTtl(options.ttlMs, 'ttlMs');
		return await this.claim(text(namespace), text(key), options, 'committed', options.ttlMs);
	}

	async commit(namespace: string, key: string, token: string, ttlMs: number): Promise<boolean> {
		checkTtl(ttlMs, 'ttlMs');
		const result = await this.pool.query(
			`UPDATE ${this.t.keys} SET state = 'committed', token = '', expires_at = $1
			 WHERE ns = $2 AND key = $3 AND token = $4 AND state = 'reserved' AND token <> ''`,
			[this.clock.now() + ttlMs, text(namespace), text(key), token],
		);
		return (result.rowCount ?? 0) > 0;
	}

	async release(namespace: string, key: string, token: string): Promise<boolean> {
		const result = await this.pool.query(
			`DELETE FROM ${this.t.keys} WHERE ns = $1 AND key = $2 AND token = $3 AND state = 'reserved' AND token <> ''`,
			[text(namespace), text(key), token],
		);
		return (result.rowCount ?? 0) > 0;
	}

	/**
	 * Extends a live reservation to `leaseMs` from now (shared concurrency slots hold one for as
	 * long as their request runs). False when the token no longer holds the key or it expired.
	 */
	async renew(namespace: string, key: string, token: string, leaseMs: number): Promise<boolean> {
		checkTtl(leaseMs, 'leaseMs');
		const now = this.clock.now();
		const result = await this.pool.query(
			`UPDATE ${this.t.keys} SET expires_at = $1
			 WHERE ns = $2 AND key = $3 AND token = $4 AND state = 'reserved' AND token <> '' AND expires_at > $5`,
			[now + leaseMs, text(namespace), text(key), token, now],
		);
		return (result.rowCount ?? 0) > 0;
	}

	async forget(namespace: string, key: string): Promise<boolean> {
		const result = await this.pool.query(`DELETE FROM ${this.t.keys} WHERE ns = $1 AND key = $2`, [
			text(namespace),
			text(key),
		]);
		return (result.rowCount ?? 0) > 0;
	}

	async count(namespace: string): Promise<KeyCounts> {
		const result = await this.pool.query(
			`SELECT state, count(*) AS n FROM ${this.t.keys} WHERE ns = $1 AND expires_at > $2 GROUP BY state`,
			[text(namespace), this.clock.now()],
		);
		const counts: KeyCounts = { committed: 0, reserved: 0 };
		for (const row of result.rows) counts[row.state as keyof KeyCounts] = Number(row.n);
		return counts;
	}

	async clear(namespace: string): Promise<number> {
		const result = await this.pool.query(`DELETE FROM ${this.t.keys} WHERE ns = $1`, [text(namespace)]);
		return result.rowCount ?? 0;
	}

	async put(namespace: string, entry: DeadLetterInput): Promise<string> {
		checkDeadLetter(entry);
		const result = await this.pool.query(
			`INSERT INTO ${this.t.dlq} (ns, payload, error, attempts, due_at, correlation_id, reason, created_at, visible_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $5) RETURNING id`,
			[
				namespace,
				JSON.stringify(entry.payload),
				entry.error === undefined ? null : JSON.stringify(entry.error),
				entry.attempts,
				entry.dueAt,
				entry.correlationId ?? null,
				entry.reason,
				this.clock.now(),
			],
		);
		return String(result.rows[0].id);
	}

	async claimDue(namespace: string, options: ClaimOptions): Promise<ClaimedDeadLetter[]> {
		checkClaim(options);
		const now = this.clock.now();
		const until = now + options.leaseMs;
		const result = await this.pool.query(
			`UPDATE ${this.t.dlq} SET lease_token = gen_random_uuid()::text, lease_until = $3, visible_at = $3,
				claims = claims + 1
			 WHERE id IN (SELECT id FROM ${this.t.dlq} WHERE ns = $1 AND visible_at <= $2
				ORDER BY visible_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
			 RETURNING *`,
			[namespace, now, until, options.limit],
		);
		return result.rows.map(rowToDeadLetter).sort(byDueThenId) as ClaimedDeadLetter[];
	}

	async ack(namespace: string, id: string, leaseToken: string): Promise<boolean> {
		if (!leaseToken || !isId(id)) return false;
		const result = await this.pool.query(`DELETE FROM ${this.t.dlq} WHERE ns = $1 AND id = $2 AND lease_token = $3`, [
			namespace,
			id,
			leaseToken,
		]);
		return (result.rowCount ?? 0) > 0;
	}

	async nack(
		namespace: string,
		id: string,
		leaseToken: string,
		update: { dueAt: number; error?: Record<string, unknown>; attempts?: number },
	): Promise<boolean> {
		if (!leaseToken || !isId(id)) return false;
		const result = await this.pool.query(
			`UPDATE ${this.t.dlq} SET lease_token = NULL, lease_until = NULL, due_at = $1, visible_at = $1,
				error = COALESCE($2::text, error), attempts = COALESCE($3::integer, attempts)
			 WHERE ns = $4 AND id = $5 AND lease_token = $6`,
			[
				update.dueAt,
				update.error === undefined ? null : JSON.stringify(update.error),
				update.attempts ?? null,
				namespace,
				id,
				leaseToken,
			],
		);
		return (result.rowCount ?? 0) > 0;
	}

	async list(namespace: string, options: ListOptions): Promise<DeadLetter[]> {
		const offset = options.offset ?? 0;
		const result = options.dueOnly
			? await this.pool.query(
					`SELECT * FROM ${this.t.dlq} WHERE ns = $1 AND visible_at <= $2 ORDER BY due_at, id LIMIT $3 OFFSET $4`,
					[namespace, this.clock.now(), options.limit, offset],
				)
			: await this.pool.query(`SELECT * FROM ${this.t.dlq} WHERE ns = $1 ORDER BY due_at, id LIMIT $2 OFFSET $3`, [
					namespace,
					options.limit,
					offset,
				]);
		return result.rows.map(rowToDeadLetter);
	}

	async size(namespace: string): Promise<number> {
		const result = await this.pool.query(`SELECT count(*) AS n FROM ${this.t.dlq} WHERE ns = $1`, [namespace]);
		return Number(result.rows[0].n);
	}

	async purge(namespace: string, ids?: string[]): Promise<number> {
		if (ids === undefined) {
			return (await this.pool.query(`DELETE FROM ${this.t.dlq} WHERE ns = $1`, [namespace])).rowCount ?? 0;
		}
		const numeric = [...new Set(ids.filter(isId))];
		if (numeric.length === 0) return 0;
		const result = await this.pool.query(`DELETE FROM ${this.t.dlq} WHERE ns = $1 AND id = ANY($2::bigint[])`, [
			namespace,
			numeric,
		]);
		return result.rowCount ?? 0;
	}

	async take({ key, cost, windowMs, limit, nowMs }: RateBudgetTake): Promise<RateBudgetGrant> {
		// Validate before taking a row lock.
		takeFromBuckets([], cost, windowMs, limit, nowMs);
		const client = await this.pool.connect();
		try {
			await client.query('BEGIN');
			await client.query(
				`INSERT INTO ${this.t.budget} (key, buckets) VALUES ($1, '[]'::jsonb) ON CONFLICT (key) DO NOTHING`,
				[key],
			);
			const row = await client.query(`SELECT buckets FROM ${this.t.budget} WHERE key = $1 FOR UPDATE`, [key]);
			const result = takeFromBuckets(row.rows[0].buckets as BudgetBuckets, cost, windowMs, limit, nowMs);
			if (result.grant.granted) {
				await client.query(`UPDATE ${this.t.budget} SET buckets = $2 WHERE key = $1`, [key, JSON.stringify(result.buckets)]);
			}
			await client.query('COMMIT');
			return result.grant;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw error;
		} finally {
			client.release();
		}
	}

	async scheduleCost(request: CostScheduleRequest): Promise<CostTurn> {
		const { per, tau } = checkCostSchedule(request);
		// One statement: the row lock of the upsert orders concurrent schedules.
		const result = await this.pool.query(
			`INSERT INTO ${this.t.cost} AS c (key, tat, booked) VALUES ($1, $2::float8 + $3::float8, $3::float8)
			 ON CONFLICT (key) DO UPDATE SET tat = GREATEST(c.tat, $2::float8) + $3::float8, booked = c.booked + $3::float8
			 RETURNING tat, booked`,
			[request.key, request.nowMs, request.cost * per],
		);
		const row = result.rows[0] as { tat: number; booked: number };
		return { waitMs: Math.max(0, Math.ceil(Number(row.tat) - tau - request.nowMs)), booked: Number(row.booked) };
	}

	async refundCost(request: CostRefundRequest): Promise<void> {
		if (!(request.cost > 0)) return;
		await this.pool.query(`UPDATE ${this.t.cost} SET tat = GREATEST($2::float8, tat - $3::float8) WHERE key = $1`, [
			request.key,
			request.nowMs,
			(request.cost * 1000) / request.ratePerSec,
		]);
	}

	async syncCost(request: CostSyncRequest): Promise<void> {
		await this.pool.query(
			`INSERT INTO ${this.t.cost} AS c (key, tat, booked, server_full_at) VALUES ($1, $2::float8, 0, $2::float8)
			 ON CONFLICT (key) DO UPDATE SET tat = GREATEST(c.tat, excluded.tat), server_full_at = GREATEST(c.server_full_at, excluded.server_full_at)`,
			[request.key, costFloor(request)],
		);
	}

	async costBacklog(request: { key: string; nowMs: number }): Promise<CostBacklog> {
		const result = await this.pool.query(`SELECT tat, booked, server_full_at FROM ${this.t.cost} WHERE key = $1`, [request.key]);
		const row = result.rows[0] as { tat: number; booked: number; server_full_at: number } | undefined;
		return {
			backlogMs: Math.max(0, Number(row?.tat ?? 0) - request.nowMs),
			booked: Number(row?.booked ?? 0),
			serverFullAt: Number(row?.server_full_at ?? 0),
		};
	}

	async close(): Promise<void> {
		await this.pool.end();
	}

	/** Loads `count` committed keys `prefix0…` server-side, for benchmarks. */
	async seedCommitted(namespace: string, prefix: string, count: number, ttlMs: number): Promise<void> {
		await this.pool.query(
			`INSERT INTO ${this.t.keys} (ns, key, state, token, expires_at)
			 SELECT $1, $2 || g, 'committed', '', $3 FROM generate_series(0, $4 - 1) AS g
			 ON CONFLICT DO NOTHING`,
			[namespace, prefix, this.clock.now() + ttlMs, count],
		);
		await this.pool.query(`ANALYZE ${this.t.keys}`);
	}

	private async claim(
		namespace: string,
		key: string,
		options: { hash?: string; changedOnly?: boolean },
		state: 'reserved' | 'committed',
		ttlMs: number,
	): Promise<KeyClaim> {
		const now = this.clock.now();
		const token = state === 'reserved' ? randomUUID() : '';
		// `prev` reads the row as the statement found it; the upsert's WHERE decides on the
		// latest committed version under its row lock, so only `taken` is authoritative.
		const result = await this.pool.query(
			`WITH prev AS (SELECT state, expires_at, hash FROM ${this.t.keys} WHERE ns = $1 AND key = $2),
			 ins AS (
				INSERT INTO ${this.t.keys} AS d (ns, key, state, token, expires_at, hash)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (ns, key) DO UPDATE SET state = excluded.state, token = excluded.token,
					expires_at = excluded.expires_at, hash = excluded.hash
				WHERE d.expires_at <= $7
					OR ($8 AND d.state = 'committed' AND d.hash IS DISTINCT FROM excluded.hash)
				RETURNING 1)
			 SELECT (SELECT count(*) FROM ins) AS taken, prev.state, prev.expires_at, prev.hash
			 FROM (SELECT 1) AS one LEFT JOIN prev ON true`,
			[namespace, key, state, token, now + ttlMs, options.hash ?? null, now, options.changedOnly === true],
		);
		const row = result.rows[0] as QueryResultRow;
		if (++this.writes % SWEEP_EVERY === 0) void this.sweep(now);
		if (Number(row.taken) > 0) {
			const live = row.state !== null && Number(row.expires_at) > now;
			const previousHash = live && row.state === 'committed' && options.changedOnly ? row.hash ?? undefined : undefined;
			return previousHash === undefined ? { status: 'acquired', token } : { status: 'acquired', token, previousHash };
		}
		let current = row;
		if (row.state === null) {
			// Inserted by another worker after this statement's snapshot: read it now, for the answer only.
			const again = await this.pool.query(`SELECT state, expires_at, hash FROM ${this.t.keys} WHERE ns = $1 AND key = $2`, [
				namespace,
				key,
			]);
			current = again.rows[0] ?? { state: 'reserved', expires_at: now, hash: null };
		}
		if (current.state === 'reserved') return { status: 'inFlight', expiresAt: Number(current.expires_at) };
		return { status: 'duplicate', expiresAt: Number(current.expires_at), hash: current.hash ?? undefined };
	}

	/** Deletes a batch of expired keys; runs in the background every few hundred writes. */
	private async sweep(now: number): Promise<void> {
		try {
			await this.pool.query(
				`DELETE FROM ${this.t.keys} WHERE ctid IN (SELECT ctid FROM ${this.t.keys} WHERE expires_at <= $1 LIMIT 500)`,
				[now],
			);
		} catch {
			// Sweeping is housekeeping; the next one tries again.
		}
	}
}

/**
 * Postgres text cannot hold NUL; a key or namespace containing one is stored as its SHA-256
 * (a real key beginning "nul-sha256:" is not a practical concern).
 */
function text(value: string): string {
	return value.includes('\u0000') ? `nul-sha256:${createHash('sha256').update(value).digest('hex')}` : value;
}

function isId(id: string): boolean {
	return /^\d{1,18}$/.test(id);
}

function byDueThenId(a: DeadLetter, b: DeadLetter): number {
	return a.dueAt - b.dueAt || Number(a.id) - Number(b.id);
}
