import { CommerceError } from '../../core/http/errors';
import { headerValue } from '../../core/http/transport';
import type { RateBudgetStore } from '../../core/ratelimit/budgetStore';
import { CompositeLimiter } from '../../core/ratelimit/composite';
import { ConcurrencyLimiter } from '../../core/ratelimit/concurrency';
import { readGraphqlCost, type GraphqlCostReport } from '../../core/ratelimit/costBucket';
import type { TokenBucketRate } from '../../core/ratelimit/tokenBucket';
import { createRateLimiter, type RateLimitSpec } from '../../core/ratelimit/factory';
import { oncePermit, UNLIMITED, type Permit, type RateLimiter, type RateRequest } from '../../core/ratelimit/types';
import { throwIfAborted } from '../../core/resilience/abort';
import type { Clock } from '../../core/resilience/clock';
import type { KeyStore } from '../../core/state/types';
import { checkCostSchedule, mayGoEarly, serverHasRoom, type CostScheduleStore } from './costSchedule';

/**
 * Rate limits shared by every n8n process that uses one state store (queue-mode workers).
 *
 * The kernel's rolling windows already draw on a `RateBudgetStore` when given one. The other
 * mechanisms need more than a window:
 * - **concurrency** (NetSuite, Akeneo): `slots` keys in the store's key space, each held by a
 *   reservation with a short lease that a heartbeat renews while the request runs, so a worker
 *   killed mid-request gives its slots back within one lease;
 * - **cost bucket** (Shopify): one shared bucket scheduled turn by turn (costSchedule.ts), with
 *   refunds of what the server did not charge and resyncs from its `throttleStatus`;
 * - **token buckets** (SP-API per operation): the same schedule at one point per request.
 *
 * Nothing here imports n8n; it lives beside the backends because it is the only user of the
 * key store's leases outside Dedupe.
 */

/** Extends a reservation's lease (Redis and Postgres stores). */
export interface LeaseRenewal {
	renew(namespace: string, key: string, token: string, leaseMs: number): Promise<boolean>;
}

/** What a shared budget needs: the window `take`, key leases for concurrency slots, cost schedules. */
export type SharedBudgetStore = RateBudgetStore &
	Partial<Pick<KeyStore, 'reserve' | 'release'>> &
	Partial<LeaseRenewal> &
	Partial<CostScheduleStore>;

function isCostScheduleStore(store: SharedBudgetStore): store is SharedBudgetStore & CostScheduleStore {
	return (
		typeof store.scheduleCost === 'function' &&
		typeof store.refundCost === 'function' &&
		typeof store.syncCost === 'function' &&
		typeof store.costBacklog === 'function'
	);
}

/** What {@link createSharedRateLimiter} needs besides the spec. */
export interface SharedLimiterContext {
	clock: Clock;
	system?: string;
	store: SharedBudgetStore;
	/** Unique per system, credential and host. */
	storeKey: string;
	/** Lease of a concurrency slot, renewed every third of it while held (default 30 s). */
	slotLeaseMs?: number;
}

/** Lease of a slot when the store cannot renew one: longer than any sane request. */
export const UNRENEWED_SLOT_LEASE_MS = 10 * 60_000;

/** Builds the limiter a spec describes, with every part drawing on the shared store. */
export function createSharedRateLimiter(spec: RateLimitSpec, context: SharedLimiterContext): RateLimiter {
	const { clock, system, store, storeKey } = context;
	switch (spec.kind) {
		case 'none':
			return UNLIMITED;
		case 'tokenBucket':
			if (!isCostScheduleStore(store)) return createRateLimiter(spec, { clock, system, store, storeKey });
			return new SharedTokenBucketLimiter({ ...spec, clock, store, storeKey });
		case 'rollingWindow':
			return createRateLimiter(spec, { clock, system, store, storeKey });
		case 'costBucket': {
			if (!isCostScheduleStore(store)) return createRateLimiter(spec, { clock, system });
			return new SharedCostBucketLimiter({
				clock,
				store,
				key: `${storeKey}:cost`,
				capacity: spec.capacity,
				restoreRatePerSec: spec.restoreRatePerSec,
				defaultCost: spec.defaultCost,
				system,
			});
		}
		case 'concurrency': {
			const local = new ConcurrencyLimiter({ clock, slots: spec.slots });
			if (!store.reserve || !store.release) return local;
			return new CompositeLimiter([
				local,
				new SharedSlotsLimiter({
					clock,
					store: store as SlotStore,
					namespace: `slots:${storeKey}`,
					slots: spec.slots,
					leaseMs: context.slotLeaseMs,
				}),
			]);
		}
		case 'composite':
			return new CompositeLimiter(spec.parts.map((part) => createSharedRateLimiter(part, context)));
		default: {
			const unknown: { kind?: unknown } = spec;
			throw new RangeError(`unknown rate limit kind ${String(unknown.kind)}`);
		}
	}
}

/** Options of {@link SharedCostBucketLimiter}. */
export interface SharedCostBucketOptions {
	clock: Clock;
	store: CostScheduleStore;
	key: string;
	/** Most points the bucket holds (Shopify `maximumAvailable`). */
	capacity: number;
	/** Points restored per second (Shopify `restoreRate`). */
	restoreRatePerSec: number;
	/** Cost of a request that states none (default 1). */
	defaultCost?: number;
	/** Longest wait for a turn before failing with a retryable error (default 5 minutes). */
	maxWaitMs?: number;
	system?: string;
	/** Reads the cost report from a response body; default `readGraphqlCost`. */
	readCost?: (body: unknown) => GraphqlCostReport | undefined;
	/** How often a waiting request looks whether the backlog has cleared early (default 200 ms). */
	backlogCheckMs?: number;
}

/**
 * Shopify's cost bucket shared through the store (see costSchedule.ts). A request takes its
 * requested cost and waits for its turn; the response gives back what the server did not charge
 * (the actual cost is usually far below the requested one) and raises the schedule when the
 * server's `throttleStatus` shows less than we count (another app on the same shop).
 */
export class SharedCostBucketLimiter implements RateLimiter {
	private pausedUntil = 0;
	private readonly maxWaitMs: number;
	private readonly readCost: (body: unknown) => GraphqlCostReport | undefined;
	private readonly backlogCheckMs: number;

	constructor(private readonly options: SharedCostBucketOptions) {
		if (!(options.capacity > 0) || !(options.restoreRatePerSec > 0)) {
			throw new RangeError('SharedCostBucketLimiter needs a positive capacity and restore rate');
		}
		this.maxWaitMs = options.maxWaitMs ?? 5 * 60_000;
		this.readCost = options.readCost ?? readGraphqlCost;
		this.backlogCheckMs = options.backlogCheckMs ?? 200;
	}

	async acquire(request: RateRequest, signal?: AbortSignal): Promise<Permit> {
		const { clock, store, key, capacity, restoreRatePerSec: ratePerSec } = this.options;
		const system = this.options.system ?? 'shopify';
		const cost = request.cost ?? this.options.defaultCost ?? 1;
		if (!(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)) {
			throw new RangeError(`request cost must be a number ≥ 0, got ${String(cost)}`);
		}
		if (cost > capacity) {
			throw new CommerceError({
				kind: 'validation',
				system,
				retryable: false,
				code: 'COST_EXCEEDS_CAPACITY',
				message: `This request asks for ${cost} cost points but the ${system} bucket holds at most ${capacity}, so it can never run`,
				hint: 'Request fewer items per page (a smaller `first:`) or fewer nested fields.',
			});
		}
		throwIfAborted(signal);
		const pause = this.pausedUntil - clock.now();
		if (pause > 0) await clock.sleep(pause, signal);
		const schedule = { key, cost, capacity, ratePerSec, nowMs: clock.now() };
		const { tau } = checkCostSchedule(schedule);
		const booking = await store.scheduleCost(schedule);
		const { waitMs } = booking;
		const giveBack = (points: number) =>
			points > 0 ? store.refundCost({ key, cost: points, ratePerSec, nowMs: clock.now() }).catch(() => undefined) : undefined;
		if (waitMs > this.maxWaitMs) {
			await giveBack(cost);
			throw new CommerceError({
				kind: 'rateLimited',
				system,
				retryable: true,
				retryAfterMs: waitMs,
				code: 'RATE_WINDOW_EXHAUSTED',
				message: `The ${system} cost budget is booked for the next ${Math.ceil(waitMs / 1000)} s, longer than a node waits for it`,
				hint: 'Run it again later (a Retry node holds the item until then), or lower the page size.',
			});
		}
		if (waitMs > 0) {
			const turn = clock.now() + waitMs;
			const costMs = (cost * 1000) / ratePerSec;
			try {
				for (;;) {
					const left = turn - clock.now();
					await clock.sleep(left > 0 ? Math.min(left, this.backlogCheckMs) : this.backlogCheckMs, signal);
					const now = await store.costBacklog({ key, nowMs: clock.now() }).catch(() => undefined);
					if (!now) {
						if (turn <= clock.now()) break;
						continue;
					}
					// Our turn, or refunds ahead of us freed the bucket early; and the server agrees.
					const ours = turn <= clock.now() || mayGoEarly(booking, now, tau);
					if (ours && serverHasRoom(now, costMs, tau, clock.now())) break;
				}
			} catch (error) {
				// Never sent: the points go back for the others.
				await giveBack(cost);
				throw error;
			}
		}
		return oncePermit((outcome) => {
			if (!outcome) {
				void giveBack(cost);
				return;
			}
			const report = this.readCost(outcome.body);
			const actual = outcome.actualCost ?? report?.actualQueryCost;
			// null: the query never ran (THROTTLED), so nothing was spent.
			const spent = actual === null ? 0 : actual;
			if (spent !== undefined && spent < cost) void giveBack(cost - spent);
			const status = report?.throttleStatus;
			if (status) {
				void store
					.syncCost({ key, available: status.currentlyAvailable, capacity, ratePerSec, nowMs: clock.now() })
					.catch(() => undefined);
			}
		});
	}

	onRateLimited(retryAfterMs: number | undefined): void {
		if (retryAfterMs !== undefined && retryAfterMs > 0) {
			this.pausedUntil = Math.max(this.pausedUntil, this.options.clock.now() + retryAfterMs);
		}
	}
}

/** Options of {@link SharedTokenBucketLimiter}. */
export interface SharedTokenBucketOptions extends TokenBucketRate {
	clock: Clock;
	store: CostScheduleStore;
	/** Prefix of the per-operation bucket keys. */
	storeKey: string;
	/** Known per-operation rates (SP-API's usage plans); others use the top-level rate. */
	operations?: Readonly<Record<string, TokenBucketRate>>;
	/** Header with the rate the server applied (`x-amzn-RateLimit-Limit`). */
	rateHeader?: string;
	/**
	 * Arrival jitter to absorb, as restore time held back from each bucket's burst (default
	 * 500 ms, never below one token): the server counts a request when it arrives, and under load
	 * an earlier request can arrive later than the one after it.
	 */
	jitterMs?: number;
}

/**
 * Token buckets per operation (SP-API, HubSpot search) shared through the store's cost
 * schedule with a cost of one per request: exact token-bucket arithmetic (the rate and burst the
 * vendor documents, not a stricter window), turns in the order they were booked, and a little of
 * the burst kept back for arrival jitter.
 */
export class SharedTokenBucketLimiter implements RateLimiter {
	private readonly rates = new Map<string, TokenBucketRate>();
	private readonly paused = new Map<string, number>();
	private readonly jitterMs: number;

	constructor(private readonly options: SharedTokenBucketOptions) {
		this.jitterMs = options.jitterMs ?? 500;
		for (const [operation, rate] of Object.entries(options.operations ?? {})) this.rates.set(operation, rate);
	}

	async acquire(request: RateRequest, signal?: AbortSignal): Promise<Permit> {
		const { clock, store, storeKey } = this.options;
		const operation = request.operation ?? 'default';
		const { ratePerSec, burst } = this.rateFor(operation);
		throwIfAborted(signal);
		const pause = (this.paused.get(operation) ?? 0) - clock.now();
		if (pause > 0) await clock.sleep(pause, signal);
		const capacity = Math.max(1, burst - (this.jitterMs * ratePerSec) / 1000);
		const { waitMs } = await store.scheduleCost({ key: `${storeKey}:${operation}`, cost: 1, capacity, ratePerSec, nowMs: clock.now() });
		if (waitMs > 0) {
			try {
				await clock.sleep(waitMs, signal);
			} catch (error) {
				await store.refundCost({ key: `${storeKey}:${operation}`, cost: 1, ratePerSec, nowMs: clock.now() }).catch(() => undefined);
				throw error;
			}
		}
		return oncePermit((outcome) => {
			if (!outcome || !this.options.rateHeader) return;
			const rate = Number(headerValue(outcome.headers, this.options.rateHeader));
			if (Number.isFinite(rate) && rate > 0) this.rates.set(operation, { ratePerSec: rate, burst });
		});
	}

	onRateLimited(retryAfterMs: number | undefined, request?: RateRequest): void {
		if (retryAfterMs !== undefined && retryAfterMs > 0) {
			const operation = request?.operation ?? 'default';
			this.paused.set(operation, Math.max(this.paused.get(operation) ?? 0, this.options.clock.now() + retryAfterMs));
		}
	}

	private rateFor(operation: string): TokenBucketRate {
		return this.rates.get(operation) ?? { ratePerSec: this.options.ratePerSec, burst: this.options.burst };
	}
}

/** The key-store operations slots use. */
export type SlotStore = Pick<KeyStore, 'reserve' | 'release'> & Partial<LeaseRenewal>;

/** Options of {@link SharedSlotsLimiter}. */
export interface SharedSlotsOptions {
	clock: Clock;
	store: SlotStore;
	/** Key-store namespace of the slots, unique per system, credential and host. */
	namespace: string;
	slots: number;
	/** Lease of a held slot; renewed every third of it while the request runs (default 30 s). */
	leaseMs?: number;
	/** First wait when every slot is taken; doubles per full scan up to 8× (default 20 ms). */
	pollMs?: number;
	/** Randomness for the first slot tried and the poll jitter (tests pass a fixed one). */
	random?: () => number;
}

/**
 * At most `slots` requests in flight across every process sharing the store. A slot is a key
 * `slot-<i>` reserved with a lease; taking one is the key store's atomic reserve, so two
 * workers can never hold the same slot. Waiting is polling with backoff (the stores have no
 * blocking wait), which is why a local ConcurrencyLimiter sits in front: only requests that
 * could run in this process poll.
 */
export class SharedSlotsLimiter implements RateLimiter {
	private readonly leaseMs: number;
	private readonly renewEveryMs: number | undefined;
	private readonly pollMs: number;
	private readonly random: () => number;
	private pausedUntil = 0;

	constructor(private readonly options: SharedSlotsOptions) {
		if (!Number.isInteger(options.slots) || options.slots < 1) {
			throw new RangeError(`concurrency slots must be an integer ≥ 1, got ${String(options.slots)}`);
		}
		const renewable = typeof options.store.renew === 'function';
		this.leaseMs = renewable ? (options.leaseMs ?? 30_000) : Math.max(options.leaseMs ?? 0, UNRENEWED_SLOT_LEASE_MS);
		this.renewEveryMs = renewable ? Math.max(1, Math.floor(this.leaseMs / 3)) : undefined;
		this.pollMs = options.pollMs ?? 20;
		this.random = options.random ?? Math.random;
	}

	async acquire(_request: RateRequest, signal?: AbortSignal): Promise<Permit> {
		const { clock, store, namespace, slots } = this.options;
		for (let scans = 0; ; scans++) {
			throwIfAborted(signal);
			const now = clock.now();
			if (this.pausedUntil > now) {
				await clock.sleep(this.pausedUntil - now, signal);
				continue;
			}
			// Start at a random slot, so processes do not all fight over slot-0 first.
			const first = Math.floor(this.random() * slots) % slots;
			for (let i = 0; i < slots; i++) {
				const slot = `slot-${(first + i) % slots}`;
				// Not raced against the signal: a reservation won after an abort must still be released.
				const claim = await store.reserve(namespace, slot, { leaseMs: this.leaseMs });
				if (claim.status === 'acquired') {
					if (signal?.aborted) {
						await store.release(namespace, slot, claim.token).catch(() => false);
						throwIfAborted(signal);
					}
					return this.hold(slot, claim.token);
				}
			}
			const wait = this.pollMs * 2 ** Math.min(scans, 3);
			await clock.sleep(Math.ceil(wait * (0.5 + this.random())), signal);
		}
	}

	onRateLimited(retryAfterMs: number | undefined): void {
		if (retryAfterMs !== undefined && retryAfterMs > 0) {
			this.pausedUntil = Math.max(this.pausedUntil, this.options.clock.now() + retryAfterMs);
		}
	}

	private hold(slot: string, token: string): Permit {
		const { clock, store, namespace } = this.options;
		const stop = new AbortController();
		if (this.renewEveryMs !== undefined && store.renew) {
			const renew = store.renew.bind(store);
			const every = this.renewEveryMs;
			void (async () => {
				for (;;) {
					try {
						await clock.sleep(every, stop.signal);
					} catch {
						return;
					}
					if (stop.signal.aborted) return;
					// A lost lease cannot be won back without breaking the limit; the request goes on.
					const kept = await renew(namespace, slot, token, this.leaseMs).catch(() => true);
					if (!kept) return;
				}
			})();
		}
		return oncePermit(() => {
			stop.abort();
			void store.release(namespace, slot, token).catch(() => false);
		});
	}
}
