import type { RateBudgetStore } from '../ratelimit/budgetStore';

export type { RateBudgetGrant, RateBudgetStore, RateBudgetTake } from '../ratelimit/budgetStore';

/**
 * The state store: the one place Dedupe keys, dead letters and shared rate budgets live. The
 * interface is pure; backends (embedded file, Postgres, Redis) live in `nodes/shared/n8n/state`.
 *
 * Every method is atomic on its own: two executions (or two queue-mode workers, for the server
 * backends) calling `reserve` for the same key at once get exactly one `acquired`. Time comes
 * from the clock the store was opened with, so tests drive expiry without sleeping.
 */

/** Which implementation is behind a store, for logs, outputs and the README. */
export type StateBackendName = 'embedded-journal' | 'embedded-sqlite' | 'postgres' | 'redis';

/** Options of `reserve`: hold a key while the work it guards runs. */
export interface ReserveOptions {
	/**
	 * How long the reservation holds if it is never confirmed or released, in ms. After it runs
	 * out, another execution may take the key (the holder is presumed dead).
	 */
	leaseMs: number;
	/** Content hash to remember with the key (changed-only mode compares it). */
	hash?: string;
	/**
	 * Changed-only: a committed key whose remembered hash differs from `hash` counts as new, so
	 * a catalog row passes again exactly when its content changed.
	 */
	changedOnly?: boolean;
}

/** Options of `record`: check and remember a key in one step. */
export interface RecordOptions {
	/** How long the key is remembered, in ms. */
	ttlMs: number;
	/** Content hash to remember with the key. */
	hash?: string;
	/** Changed-only: see {@link ReserveOptions.changedOnly}. */
	changedOnly?: boolean;
}

/** The outcome of `reserve` or `record` for one key. */
export type KeyClaim =
	| {
			/** The caller owns the key now (reserve: until commit/release/lease end). */
			status: 'acquired';
			/** Proof of ownership for commit/release; empty for `record`. */
			token: string;
			/** The hash remembered before, when a changed-only key changed. */
			previousHash?: string;
	  }
	| {
			/** The key was seen and committed before (and, changed-only, its hash is the same). */
			status: 'duplicate';
			expiresAt: number;
			hash?: string;
	  }
	| {
			/** Another execution holds a live reservation on the key right now. */
			status: 'inFlight';
			expiresAt: number;
	  };

/** Live keys in a namespace, by state. */
export interface KeyCounts {
	committed: number;
	reserved: number;
}

/** Reserve / commit / release of keys with a TTL, per namespace. */
export interface KeyStore {
	/** Takes the key if nobody holds it (absent, expired, or changed in changed-only mode). */
	reserve(namespace: string, key: string, options: ReserveOptions): Promise<KeyClaim>;
	/**
	 * Marks a reservation done and remembers the key for `ttlMs`. False when the token no longer
	 * holds the key (the lease ran out and someone else took it, or it was released).
	 */
	commit(namespace: string, key: string, token: string, ttlMs: number): Promise<boolean>;
	/** Drops a reservation so a retry can pass. False when the token no longer holds the key. */
	release(namespace: string, key: string, token: string): Promise<boolean>;
	/** Check-and-record in one atomic step: the key is committed at once when new. */
	record(namespace: string, key: string, options: RecordOptions): Promise<KeyClaim>;
	/** Forgets one key whatever its state. True when it existed. */
	forget(namespace: string, key: string): Promise<boolean>;
	/** Live (unexpired) keys in the namespace. */
	count(namespace: string): Promise<KeyCounts>;
	/** Forgets every key of the namespace; returns how many there were (expired ones included). */
	clear(namespace: string): Promise<number>;
}

/** What goes into the dead-letter queue. */
export interface DeadLetterInput {
	/** The item's original JSON, replayed unchanged. */
	payload: Record<string, unknown>;
	/** The error that sent it here (cleaned, no secrets). */
	error?: Record<string, unknown>;
	/** Attempts made so far. */
	attempts: number;
	/** When the entry may be replayed, ms since the epoch. */
	dueAt: number;
	correlationId?: string;
	/** Why it is parked: waiting out a long backoff, or given up on. */
	reason: 'scheduled' | 'deadLetter';
}

/** A stored dead-letter entry. */
export interface DeadLetter extends DeadLetterInput {
	id: string;
	createdAt: number;
	/** How many times the entry has been claimed for replay. */
	claims: number;
	/** Set while an execution holds a lease on the entry. */
	leaseToken?: string;
	leaseUntil?: number;
}

/** A claimed entry: the lease token proves the claim for ack/nack. */
export interface ClaimedDeadLetter extends DeadLetter {
	leaseToken: string;
	leaseUntil: number;
}

/** Options of `claimDue`. */
export interface ClaimOptions {
	/** Most entries to claim. */
	limit: number;
	/** How long the claim holds; after it, the entry is due again (the claimer presumed dead). */
	leaseMs: number;
}

/** Options of `list`. */
export interface ListOptions {
	limit: number;
	offset?: number;
	/** Only entries due now (and not leased). */
	dueOnly?: boolean;
}

/** A durable dead-letter queue per namespace, with leases so two replayers never share an entry. */
export interface DeadLetterStore {
	put(namespace: string, entry: DeadLetterInput): Promise<string>;
	/** Claims due, unleased entries (oldest due first) with a lease. Atomic per entry. */
	claimDue(namespace: string, options: ClaimOptions): Promise<ClaimedDeadLetter[]>;
	/** Removes a claimed entry. False when the lease was lost. */
	ack(namespace: string, id: string, leaseToken: string): Promise<boolean>;
	/** Gives a claimed entry back, due again at `dueAt`. False when the lease was lost. */
	nack(
		namespace: string,
		id: string,
		leaseToken: string,
		update: { dueAt: number; error?: Record<string, unknown>; attempts?: number },
	): Promise<boolean>;
	/** Entries ordered by due time then id. */
	list(namespace: string, options: ListOptions): Promise<DeadLetter[]>;
	/** Number of entries in the namespace. */
	size(namespace: string): Promise<number>;
	/** Deletes the given entries, or every entry of the namespace; returns how many went. */
	purge(namespace: string, ids?: string[]): Promise<number>;
}

/**
 * Everything a backend offers. The rate budget is the kernel's `RateBudgetStore` (a sliding
 * window shared by every process using the store), so a state store plugs straight into the
 * system nodes' limiters.
 */
export interface StateStore extends KeyStore, DeadLetterStore, RateBudgetStore {
	readonly backend: StateBackendName;
	/** Releases connections and file handles. */
	close(): Promise<void>;
}

/** Time as a store sees it (a subset of the kernel Clock, so any Clock fits). */
export interface StoreClock {
	now(): number;
}
