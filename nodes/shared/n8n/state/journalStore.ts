import { randomUUID } from 'node:crypto';
import { promises as fsp, readFileSync, existsSync, writeFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { takeFromBuckets, type BudgetBuckets } from '../../core/state/budget';
import { decideClaim, holdsReservation, type KeyRow } from '../../core/state/rows';
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
import { checkClaim, checkDeadLetter, checkTtl, copyDeadLetter } from './validate';

/**
 * The embedded store for Node < 22.13 (no `node:sqlite`): state in Maps, every change appended
 * to an NDJSON journal and fsynced before the call resolves, replayed at open, compacted by
 * writing a snapshot to a temp file and renaming it over the journal.
 *
 * Why it is atomic: each operation reads and changes the Maps in one synchronous step, so no
 * other execution in the process can interleave. File writes go through one promise chain (the
 * store's async mutex), in the order the changes were made; every caller waits until the batch
 * holding its change — and so every change it could have seen — is on disk. Concurrent callers
 * share one fsync (group commit).
 *
 * Single process only: a lock file stops a second process from opening the same journal.
 */

type JournalLine =
	| { t: 'k'; n: string; k: string; s: 'r' | 'c'; o: string; e: number; h?: string }
	| { t: 'kd'; n: string; k: string }
	| { t: 'kc'; n: string }
	| { t: 'q'; n: string; v: DeadLetter }
	| { t: 'qd'; n: string; i: string }
	| { t: 'qc'; n: string }
	| { t: 'b'; k: string; v: BudgetBuckets }
	| { t: 'id'; v: number };

/** Options of {@link JournalStore.open}. */
export interface JournalStoreOptions {
	clock?: StoreClock;
	/** Compact once the journal has this many lines and at least twice as many as live records. */
	compactAfterLines?: number;
}

const openPaths = new Set<string>();

export class JournalStore implements StateStore {
	readonly backend = 'embedded-journal' as const;

	private readonly keys = new Map<string, Map<string, KeyRow>>();
	private readonly dlq = new Map<string, Map<string, DeadLetter>>();
	private readonly budgets = new Map<string, BudgetBuckets>();
	private nextId = 1;
	private lines = 0;
	private pending: string[] = [];
	private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
	private flushing: Promise<void> | undefined;
	private closed = false;
	private nextCompactionCheck: number;

	private constructor(
		private readonly file: string,
		private handle: fsp.FileHandle,
		private readonly clock: StoreClock,
		private readonly compactAfterLines: number,
	) {
		this.nextCompactionCheck = compactAfterLines;
	}

	/** Opens (creating if needed) the journal at `file`, replaying it into memory. */
	static async open(file: string, options: JournalStoreOptions = {}): Promise<JournalStore> {
		if (openPaths.has(file)) {
			throw new Error(`The state journal ${file} is already open in this process; share the open store`);
		}
		mkdirSync(dirname(file), { recursive: true });
		takeLock(file);
		openPaths.add(file);
		try {
			const handle = await fsp.open(file, 'a+');
			const store = new JournalStore(file, handle, options.clock ?? { now: () => Date.now() }, options.compactAfterLines ?? 50_000);
			await store.replay();
			return store;
		} catch (error) {
			openPaths.delete(file);
			releaseLock(file);
			throw error;
		}
	}

	// ---- keys ------------------------------------------------------------------------------

	async reserve(namespace: string, key: string, options: ReserveOptions): Promise<KeyClaim> {
		checkTtl(options.leaseMs, 'leaseMs');
		const now = this.clock.now();
		const row = this.keys.get(namespace)?.get(key);
		const decision = decideClaim(row, now, options);
		if (!decision.take) return await this.after(decision.claim);
		const token = randomUUID();
		this.write({ t: 'k', n: namespace, k: key, s: 'r', o: token, e: now + options.leaseMs, h: options.hash });
		return await this.after({ status: 'acquired', token, previousHash: decision.previousHash });
	}

	async commit(namespace: string, key: string, token: string, ttlMs: number): Promise<boolean> {
		checkTtl(ttlMs, 'ttlMs');
		const row = this.keys.get(namespace)?.get(key);
		if (!holdsReservation(row, token)) return await this.after(false);
		this.write({ t: 'k', n: namespace, k: key, s: 'c', o: '', e: this.clock.now() + ttlMs, h: row!.hash });
		return await this.after(true);
	}

	async release(namespace: string, key: string, token: string): Promise<boolean> {
		if (!holdsReservation(this.keys.get(namespace)?.get(key), token)) return await this.after(false);
		this.write({ t: 'kd', n: namespace, k: key });
		return await this.after(true);
	}

	async record(namespace: string, key: string, options: RecordOptions): Promise<KeyClaim> {
		checkTtl(options.ttlMs, 'ttlMs');
		const now = this.clock.now();
		const decision = decideClaim(this.keys.get(namespace)?.get(key), now, options);
		if (!decision.take) return await this.after(decision.claim);
		this.write({ t: 'k', n: namespace, k: key, s: 'c', o: '', e: now + options.ttlMs, h: options.hash });
		return await this.after({ status: 'acquired', token: '', previousHash: decision.previousHash });
	}

	async forget(namespace: string, key: string): Promise<boolean> {
		if (!this.keys.get(namespace)?.has(key)) return await this.after(false);
		this.write({ t: 'kd', n: namespace, k: key });
		return await this.after(true);
	}

	async count(namespace: string): Promise<KeyCounts> {
		const now = this.clock.now();
		const counts: KeyCounts = { committed: 0, reserved: 0 };
		for (const row of this.keys.get(namespace)?.values() ?? []) {
			if (row.expiresAt > now) counts[row.state]++;
		}
		return await this.after(counts);
	}

	async clear(namespace: string): Promise<number> {
		const n = this.keys.get(namespace)?.size ?? 0;
		if (n > 0) this.write({ t: 'kc', n: namespace });
		return await this.after(n);
	}

	// ---- dead letters ----------------------------------------------------------------------

	async put(namespace: string, entry: DeadLetterInput): Promise<string> {
		checkDeadLetter(entry);
		const id = String(this.nextId);
		const value: DeadLetter = { ...copyDeadLetter(entry as DeadLetter), id, createdAt: this.clock.now(), claims: 0 };
		delete value.leaseToken;
		delete value.leaseUntil;
		this.write({ t: 'q', n: namespace, v: value });
		return await this.after(id);
	}

	async claimDue(namespace: string, options: ClaimOptions): Promise<ClaimedDeadLetter[]> {
		checkClaim(options);
		const now = this.clock.now();
		const due = [...(this.dlq.get(namespace)?.values() ?? [])]
			.filter((e) => visibleAt(e) <= now)
			.sort(byVisibleThenId)
			.slice(0, options.limit);
		const out: ClaimedDeadLetter[] = [];
		for (const entry of due) {
			const claimed: ClaimedDeadLetter = {
				...copyDeadLetter(entry),
				claims: entry.claims + 1,
				leaseToken: randomUUID(),
				leaseUntil: now + options.leaseMs,
			};
			this.write({ t: 'q', n: namespace, v: claimed });
			out.push(copyDeadLetter(claimed) as ClaimedDeadLetter);
		}
		return await this.after(out);
	}

	async ack(namespace: string, id: string, leaseToken: string): Promise<boolean> {
		const entry = this.dlq.get(namespace)?.get(id);
		if (!entry || !leaseToken || entry.leaseToken !== leaseToken) return await this.after(false);
		this.write({ t: 'qd', n: namespace, i: id });
		return await this.after(true);
	}

	async nack(
		namespace: string,
		id: string,
		leaseToken: string,
		update: { dueAt: number; error?: Record<string, unknown>; attempts?: number },
	): Promise<boolean> {
		const entry = this.dlq.get(namespace)?.get(id);
		if (!entry || !leaseToken || entry.leaseToken !== leaseToken) return await this.after(false);
		const next: DeadLetter = {
			...copyDeadLetter(entry),
			dueAt: update.dueAt,
			error: update.error ?? entry.error,
			attempts: update.attempts ?? entry.attempts,
		};
		delete next.leaseToken;
		delete next.leaseUntil;
		this.write({ t: 'q', n: namespace, v: next });
		return await this.after(true);
	}

	async list(namespace: string, options: ListOptions): Promise<DeadLetter[]> {
		const now = this.clock.now();
		const entries = [...(this.dlq.get(namespace)?.values() ?? [])]
			.filter((e) => !options.dueOnly || visibleAt(e) <= now)
			.sort((a, b) => a.dueAt - b.dueAt || Number(a.id) - Number(b.id));
		const offset = options.offset ?? 0;
		return await this.after(entries.slice(offset, offset + options.limit).map(copyDeadLetter));
	}

	async size(namespace: string): Promise<number> {
		return await this.after(this.dlq.get(namespace)?.size ?? 0);
	}

	async purge(namespace: string, ids?: string[]): Promise<number> {
		const queue = this.dlq.get(namespace);
		if (!queue) return await this.after(0);
		if (ids === undefined) {
			const n = queue.size;
			if (n > 0) this.write({ t: 'qc', n: namespace });
			return await this.after(n);
		}
		let n = 0;
		for (const id of new Set(ids)) {
			if (!queue.has(id)) continue;
			this.write({ t: 'qd', n: namespace, i: id });
			n++;
		}
		return await this.after(n);
	}

	// ---- rate budget -----------------------------------------------------------------------

	async take({ key, cost, windowMs, limit, nowMs }: RateBudgetTake): Promise<RateBudgetGrant> {
		const { grant, buckets } = takeFromBuckets(this.budgets.get(key) ?? [], cost, windowMs, limit, nowMs);
		if (grant.granted) this.write({ t: 'b', k: key, v: buckets });
		return await this.after(grant);
	}

	// ---- lifecycle -------------------------------------------------------------------------

	async close(): Promise<void> {
		if (this.closed) return;
		await this.after(undefined);
		this.closed = true;
		await this.handle.close();
		openPaths.delete(this.file);
		releaseLock(this.file);
	}

	/** Records in memory (live keys, expired ones included until compaction; dead letters). */
	get recordCount(): number {
		let n = this.budgets.size;
		for (const m of this.keys.values()) n += m.size;
		for (const m of this.dlq.values()) n += m.size;
		return n;
	}

	/**
	 * Loads many committed keys in one write, for benchmarks and imports. Not part of the
	 * store interface: it does not check for existing keys.
	 */
	async seedCommitted(namespace: string, keys: Iterable<string>, ttlMs: number): Promise<void> {
		const expiresAt = this.clock.now() + ttlMs;
		for (const key of keys) this.write({ t: 'k', n: namespace, k: key, s: 'c', o: '', e: expiresAt });
		await this.after(undefined);
	}

	// ---- journal ---------------------------------------------------------------------------

	private write(line: JournalLine): void {
		if (this.closed) throw new Error('The state store is closed');
		this.apply(line);
		this.pending.push(JSON.stringify(line));
	}

	/** Resolves with `value` once every change made so far is durable. */
	private after<T>(value: T): Promise<T> {
		if (this.pending.length === 0 && !this.flushing) return Promise.resolve(value);
		return new Promise<T>((resolve, reject) => {
			this.waiters.push({ resolve: () => resolve(value), reject });
			this.flushing ??= this.flushLoop();
		});
	}

	private async flushLoop(): Promise<void> {
		try {
			while (this.waiters.length > 0) {
				const batch = this.pending;
				const waiters = this.waiters;
				this.pending = [];
				this.waiters = [];
				try {
					if (this.compactionDue(batch.length)) {
						await this.compact();
					} else if (batch.length > 0) {
						await this.handle.write(batch.join('\n') + '\n');
						await this.handle.datasync();
						this.lines += batch.length;
					}
					for (const w of waiters) w.resolve();
				} catch (error) {
					for (const w of waiters) w.reject(error);
				}
			}
		} finally {
			this.flushing = undefined;
		}
	}

	private apply(line: JournalLine): void {
		switch (line.t) {
			case 'k': {
				let m = this.keys.get(line.n);
				if (!m) this.keys.set(line.n, (m = new Map()));
				m.set(line.k, { state: line.s === 'r' ? 'reserved' : 'committed', token: line.o, expiresAt: line.e, hash: line.h });
				break;
			}
			case 'kd':
				this.keys.get(line.n)?.delete(line.k);
				break;
			case 'kc':
				this.keys.delete(line.n);
				break;
			case 'q': {
				let m = this.dlq.get(line.n);
				if (!m) this.dlq.set(line.n, (m = new Map()));
				m.set(line.v.id, line.v);
				this.nextId = Math.max(this.nextId, Number(line.v.id) + 1);
				break;
			}
			case 'qd':
				this.dlq.get(line.n)?.delete(line.i);
				break;
			case 'qc':
				this.dlq.delete(line.n);
				break;
			case 'b':
				this.budgets.set(line.k, line.v);
				break;
			case 'id':
				this.nextId = Math.max(this.nextId, line.v);
				break;
		}
	}

	private async replay(): Promise<void> {
		const text = readFileSync(this.file, 'utf8');
		let start = 0;
		let lineNo = 0;
		while (start < text.length) {
			const end = text.indexOf('\n', start);
			if (end === -1) {
				// A torn last line (crash mid-write, never acknowledged): drop it.
				await this.handle.truncate(Buffer.byteLength(text.slice(0, start), 'utf8'));
				break;
			}
			lineNo++;
			const raw = text.slice(start, end);
			start = end + 1;
			if (raw.trim() === '') continue;
			let line: JournalLine;
			try {
				line = JSON.parse(raw) as JournalLine;
			} catch {
				throw new Error(
					`The state journal ${this.file} is damaged at line ${lineNo}. Restore it from a backup, or move it away to start with empty state`,
				);
			}
			this.apply(line);
			this.lines++;
		}
		if (this.compactionDue(0)) await this.compact();
	}

	/**
	 * Whether the journal has grown to twice the live records. Checking means sweeping expired
	 * keys (a full scan), so after a check that finds nothing to do the next one waits until as
	 * many lines again have been written: the scan costs O(1) per written line on average.
	 */
	private compactionDue(extraLines: number): boolean {
		const lines = this.lines + extraLines;
		if (lines <= this.nextCompactionCheck) return false;
		this.sweepExpired();
		const live = this.recordCount;
		if (lines > 2 * live) return true;
		this.nextCompactionCheck = lines + Math.max(this.compactAfterLines, live);
		return false;
	}

	/** Drops expired keys from memory; they read as absent anyway, so nothing is journaled. */
	private sweepExpired(): void {
		const now = this.clock.now();
		for (const m of this.keys.values()) {
			for (const [k, row] of m) if (row.expiresAt <= now) m.delete(k);
		}
	}

	/** Rewrites the journal as a snapshot of live state: temp file, fsync, rename, fsync dir. */
	private async compact(): Promise<void> {
		const chunks: string[] = [];
		let buffer: string[] = [JSON.stringify({ t: 'id', v: this.nextId })];
		let count = 1;
		const push = (line: JournalLine) => {
			buffer.push(JSON.stringify(line));
			count++;
			if (buffer.length >= 10_000) {
				chunks.push(buffer.join('\n') + '\n');
				buffer = [];
			}
		};
		this.sweepExpired();
		for (const [n, m] of this.keys) {
			for (const [k, row] of m) {
				push({ t: 'k', n, k, s: row.state === 'reserved' ? 'r' : 'c', o: row.token, e: row.expiresAt, h: row.hash });
			}
		}
		for (const [n, m] of this.dlq) for (const v of m.values()) push({ t: 'q', n, v });
		for (const [k, v] of this.budgets) push({ t: 'b', k, v });
		chunks.push(buffer.join('\n') + '\n');

		const tmp = `${this.file}.compact`;
		const out = await fsp.open(tmp, 'w');
		try {
			for (const chunk of chunks) await out.write(chunk);
			await out.sync();
		} finally {
			await out.close();
		}
		await this.handle.close();
		await fsp.rename(tmp, this.file);
		await fsyncDir(dirname(this.file));
		this.handle = await fsp.open(this.file, 'a+');
		this.lines = count;
		this.nextCompactionCheck = count + Math.max(this.compactAfterLines, count);
	}
}

function visibleAt(entry: DeadLetter): number {
	return entry.leaseUntil !== undefined ? Math.max(entry.leaseUntil, entry.dueAt) : entry.dueAt;
}

function byVisibleThenId(a: DeadLetter, b: DeadLetter): number {
	return visibleAt(a) - visibleAt(b) || Number(a.id) - Number(b.id);
}

async function fsyncDir(dir: string): Promise<void> {
	const handle = await fsp.open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

function takeLock(file: string): void {
	const lock = `${file}.lock`;
	if (existsSync(lock)) {
		const pid = Number(readFileSync(lock, 'utf8').trim());
		if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
			throw new Error(
				`The state file ${file} is in use by another process (pid ${pid}). The embedded store serves one n8n process; for queue mode or several instances choose the Postgres or Redis backend in the "Commerce Sync State Store" credential`,
			);
		}
	}
	writeFileSync(lock, String(process.pid));
}

function releaseLock(file: string): void {
	try {
		unlinkSync(`${file}.lock`);
	} catch {
		// Already gone: nothing to release.
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
