/**
 * Server-side rate-limit mechanisms, reusable by every system module. A policy decides whether
 * one request fits the budget *now* (read from the sandbox clock), and which headers and error
 * body the system answers with. `presets.ts` wires these to each vendor's documented numbers and
 * shapes; a system module normally just picks a preset.
 *
 * Two modes:
 *  - `auto`: the framework checks the policy before the route handler runs; a rejection is
 *    answered by the policy's `reject()` and the handler never runs.
 *  - `manual`: the handler charges the policy itself (Shopify's cost bucket: only the handler
 *    can compute a query's cost), through `request.limits`.
 */
import { json, type SandboxResponse } from '../http';

/** What a policy sees of a request. */
export interface LimitRequest {
	system: string;
	/** The route's operation name (per-operation buckets key on it). */
	operation: string;
	method: string;
	path: string;
	headers: Record<string, string | undefined>;
	/** Deterministic per-request id, for error bodies that carry one. */
	requestId: string;
}

/** The part of a decision that goes into the request log. */
export interface LimitOutcome {
	/** Policy instance name, e.g. `per-minute`. */
	policy: string;
	allowed: boolean;
	limit?: number;
	remaining?: number;
	retryAfterMs?: number;
	/** Which sub-limit decided (window name, `cost 52`...). */
	detail?: string;
}

/** A policy's verdict on one request. */
export interface LimitDecision extends LimitOutcome {
	/** Headers the system adds to the response (on success and on rejection). */
	headers: Record<string, string>;
	/** For concurrency slots: frees the slot. The framework calls it when the response ends. */
	release?: () => void;
}

/** How a system words its limit: headers on every response, and the rejection itself. */
export interface LimitShape<D extends LimitDecision = LimitDecision> {
	headers?(decision: D, req: LimitRequest): Record<string, string>;
	reject(decision: D, req: LimitRequest): SandboxResponse;
}

/** Picks the budget a request spends from; the default is one budget for everyone. */
export type LimitKey = (req: LimitRequest) => string;

/** Snapshot of a policy for the control API. */
export interface PolicyDescription {
	name: string;
	kind: string;
	mode: 'auto' | 'manual';
	enabled: boolean;
	config: Record<string, unknown>;
	state: Record<string, unknown>;
}

/** A rate-limit policy the framework can run, reconfigure and report on. */
export interface RateLimitPolicy {
	readonly name: string;
	readonly kind: string;
	readonly mode: 'auto' | 'manual';
	enabled: boolean;
	/** Checks and, when allowed, spends budget. Disabled policies always allow, without headers. */
	check(req: LimitRequest, now: number): LimitDecision;
	/** The response for a rejection (also used for injected 429 bursts). */
	reject(decision: LimitDecision, req: LimitRequest): SandboxResponse;
	/** Changes numbers at run time (control API); unknown or invalid fields throw. */
	configure(patch: Record<string, unknown>): void;
	describe(now: number): PolicyDescription;
	/** Forgets all spent budget. */
	reset(): void;
	/** Puts the settings back as the system was built with them (enabled too) and forgets spent budget. */
	restoreDefaults(): void;
}

const defaultKey: LimitKey = () => 'default';

/** A generic 429 with Retry-After, for systems without a documented shape. */
export const genericShape: LimitShape = {
	headers: (d): Record<string, string> =>
		d.remaining === undefined ? {} : { 'X-RateLimit-Remaining': String(d.remaining) },
	reject: (d) =>
		json(
			429,
			{
				error: 'rate_limited',
				message: 'Too many requests',
				retryAfterSeconds: Math.ceil((d.retryAfterMs ?? 1000) / 1000),
			},
			{ 'Retry-After': String(Math.ceil((d.retryAfterMs ?? 1000) / 1000)) },
		),
};

function positive(name: string, field: string, value: unknown, allowZero = false): number {
	if (
		typeof value !== 'number' ||
		!Number.isFinite(value) ||
		value < 0 ||
		(!allowZero && value === 0)
	) {
		throw new RangeError(
			`Rate-limit policy "${name}": "${field}" must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(value)}`,
		);
	}
	return value;
}

abstract class BasePolicy<
	C extends object,
	D extends LimitDecision = LimitDecision,
> implements RateLimitPolicy {
	enabled = true;
	abstract readonly kind: string;
	readonly mode: 'auto' | 'manual' = 'auto';

	/** The settings as built: a sandbox reset returns to them, so one test's tuning never leaks into the next. */
	private readonly builtWith: C;

	protected constructor(
		readonly name: string,
		protected config: C,
		protected readonly shape: LimitShape<D>,
		protected readonly keyOf: LimitKey,
	) {
		this.builtWith = structuredClone(config);
	}

	restoreDefaults(): void {
		this.config = structuredClone(this.builtWith);
		this.enabled = true;
		this.reset();
	}

	check(req: LimitRequest, now: number): LimitDecision {
		if (!this.enabled) return { policy: this.name, allowed: true, headers: {} };
		const decision = this.decide(req, now);
		decision.headers = { ...decision.headers, ...(this.shape.headers?.(decision, req) ?? {}) };
		return decision;
	}

	reject(decision: LimitDecision, req: LimitRequest): SandboxResponse {
		const res = this.shape.reject(decision as D, req);
		return { ...res, headers: { ...decision.headers, ...(res.headers ?? {}) } };
	}

	configure(patch: Record<string, unknown>): void {
		const next = { ...this.config } as Record<string, unknown>;
		for (const [field, value] of Object.entries(patch)) {
			if (field === 'enabled') {
				if (typeof value !== 'boolean')
					throw new RangeError(`Rate-limit policy "${this.name}": "enabled" must be true or false`);
				this.enabled = value;
				continue;
			}
			if (!(field in next)) {
				throw new RangeError(
					`Rate-limit policy "${this.name}" has no setting "${field}"; settings: enabled, ${Object.keys(next).join(', ')}`,
				);
			}
			next[field] = this.validate(field, value);
		}
		this.config = next as C;
	}

	describe(now: number): PolicyDescription {
		return {
			name: this.name,
			kind: this.kind,
			mode: this.mode,
			enabled: this.enabled,
			config: { ...this.config } as Record<string, unknown>,
			state: this.state(now),
		};
	}

	abstract reset(): void;
	protected abstract decide(req: LimitRequest, now: number): D;
	protected abstract state(now: number): Record<string, unknown>;
	protected validate(field: string, value: unknown): unknown {
		return positive(this.name, field, value);
	}
}

// ---------------------------------------------------------------------------------------------
// Token bucket (leaky bucket): `rate` tokens per second flow in up to `burst`; a request spends 1.

/** A rate and a bucket size. */
export interface BucketSize {
	/** Tokens restored per second. */
	rate: number;
	/** Bucket capacity. */
	burst: number;
}

/** Token bucket settings; `operations` gives named operations their own bucket and numbers. */
export interface TokenBucketConfig extends BucketSize {
	operations: Record<string, BucketSize>;
}

/** Token-bucket decision: carries the numbers of the bucket that decided. */
export interface TokenBucketDecision extends LimitDecision {
	rate: number;
	burst: number;
}

/**
 * Classic token bucket (Amazon SP-API per-operation buckets, Akeneo requests/s). A bucket starts
 * full. With `operations`, each listed operation has its own bucket per key; others share the
 * default bucket.
 */
export class TokenBucketPolicy extends BasePolicy<TokenBucketConfig, TokenBucketDecision> {
	readonly kind = 'token-bucket';
	private buckets = new Map<string, { tokens: number; at: number }>();

	constructor(options: {
		name: string;
		rate: number;
		burst: number;
		operations?: Record<string, BucketSize>;
		shape?: LimitShape<TokenBucketDecision>;
		key?: LimitKey;
	}) {
		super(
			options.name,
			{ rate: options.rate, burst: options.burst, operations: options.operations ?? {} },
			options.shape ?? genericShape,
			options.key ?? defaultKey,
		);
		positive(options.name, 'rate', options.rate);
		positive(options.name, 'burst', options.burst);
	}

	protected decide(req: LimitRequest, now: number): TokenBucketDecision {
		const own = this.config.operations[req.operation];
		const size = own ?? this.config;
		const id = `${this.keyOf(req)}|${own ? req.operation : '*'}`;
		const bucket = this.refill(id, size, now);
		const base = {
			policy: this.name,
			limit: size.burst,
			rate: size.rate,
			burst: size.burst,
			headers: {},
			detail: own ? req.operation : undefined,
		};
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return { ...base, allowed: true, remaining: Math.floor(bucket.tokens) };
		}
		return {
			...base,
			allowed: false,
			remaining: 0,
			retryAfterMs: Math.ceil(((1 - bucket.tokens) / size.rate) * 1000),
		};
	}

	private refill(id: string, size: BucketSize, now: number): { tokens: number; at: number } {
		let bucket = this.buckets.get(id);
		if (!bucket) {
			bucket = { tokens: size.burst, at: now };
			this.buckets.set(id, bucket);
		}
		bucket.tokens = Math.min(
			size.burst,
			bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * size.rate,
		);
		bucket.at = now;
		return bucket;
	}

	protected validate(field: string, value: unknown): unknown {
		if (field !== 'operations') return super.validate(field, value);
		if (typeof value !== 'object' || value === null)
			throw new RangeError(
				`Rate-limit policy "${this.name}": "operations" must be an object of {rate, burst}`,
			);
		for (const [op, size] of Object.entries(value as Record<string, BucketSize>)) {
			positive(this.name, `operations.${op}.rate`, size?.rate);
			positive(this.name, `operations.${op}.burst`, size?.burst);
		}
		return value;
	}

	reset(): void {
		this.buckets.clear();
	}

	protected state(now: number): Record<string, unknown> {
		const out: Record<string, number> = {};
		for (const [id, b] of this.buckets) {
			const op = id.split('|')[1];
			const size = this.config.operations[op] ?? this.config;
			out[id] = Math.min(size.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * size.rate);
		}
		return { tokens: out };
	}
}

// ---------------------------------------------------------------------------------------------
// Counting windows: sliding (a log of request times) and fixed (calendar-aligned counters).

/** One counting window. */
export interface WindowSpec {
	/** Reported as the policy detail on rejection, e.g. `TEN_SECONDLY_ROLLING`, `DAILY`. */
	name: string;
	/** `sliding`: the last `windowMs` before now. `fixed`: aligned periods (e.g. calendar days). */
	kind: 'sliding' | 'fixed';
	windowMs: number;
	max: number;
	/** For fixed windows: where periods start, relative to the epoch (e.g. a time-zone offset). */
	alignMs?: number;
}

/** Where one window stands after a decision. */
export interface WindowStatus {
	name: string;
	max: number;
	remaining: number;
	windowMs: number;
	/** Milliseconds until the window frees room (sliding) or resets (fixed). */
	resetMs: number;
}

/** Window decision: every window's standing, for headers such as HubSpot's. */
export interface WindowDecision extends LimitDecision {
	windows: WindowStatus[];
}

/** Window settings, changeable at run time: `max` by window name. */
export interface WindowConfig {
	windows: WindowSpec[];
}

/**
 * Request-count windows (ShipBob 150 per sliding minute; HubSpot 10-s rolling + daily).
 * A request must fit every window; rejected requests are not counted.
 */
export class WindowPolicy extends BasePolicy<WindowConfig, WindowDecision> {
	readonly kind = 'window';
	private logs = new Map<string, number[]>();
	private counters = new Map<string, { period: number; count: number }>();

	constructor(options: {
		name: string;
		windows: WindowSpec[];
		shape?: LimitShape<WindowDecision>;
		key?: LimitKey;
	}) {
		super(
			options.name,
			{ windows: options.windows.map((w) => ({ ...w })) },
			options.shape ?? genericShape,
			options.key ?? defaultKey,
		);
		this.validate('windows', options.windows);
	}

	protected decide(req: LimitRequest, now: number): WindowDecision {
		const key = this.keyOf(req);
		const statuses = this.config.windows.map((w) => this.status(key, w, now));
		const full = statuses.find((s) => s.remaining <= 0);
		if (full) {
			return {
				policy: this.name,
				allowed: false,
				detail: full.name,
				limit: full.max,
				remaining: 0,
				retryAfterMs: Math.max(1, full.resetMs),
				windows: statuses,
				headers: {},
			};
		}
		for (const w of this.config.windows) this.count(key, w, now);
		const after = this.config.windows.map((w) => this.status(key, w, now));
		const tightest = after.reduce((a, b) => (b.remaining < a.remaining ? b : a));
		return {
			policy: this.name,
			allowed: true,
			limit: tightest.max,
			remaining: tightest.remaining,
			windows: after,
			headers: {},
		};
	}

	private status(key: string, w: WindowSpec, now: number): WindowStatus {
		if (w.kind === 'sliding') {
			const log = this.prune(key, w, now);
			const resetMs = log.length >= w.max ? log[log.length - w.max] + w.windowMs - now : 0;
			return {
				name: w.name,
				max: w.max,
				remaining: Math.max(0, w.max - log.length),
				windowMs: w.windowMs,
				resetMs,
			};
		}
		const period = this.period(w, now);
		const c = this.counters.get(`${key}|${w.name}`);
		const used = c && c.period === period ? c.count : 0;
		return {
			name: w.name,
			max: w.max,
			remaining: Math.max(0, w.max - used),
			windowMs: w.windowMs,
			resetMs: period + w.windowMs - now,
		};
	}

	private count(key: string, w: WindowSpec, now: number): void {
		if (w.kind === 'sliding') {
			this.prune(key, w, now).push(now);
			return;
		}
		const id = `${key}|${w.name}`;
		const period = this.period(w, now);
		const c = this.counters.get(id);
		if (c && c.period === period) c.count++;
		else this.counters.set(id, { period, count: 1 });
	}

	private prune(key: string, w: WindowSpec, now: number): number[] {
		const id = `${key}|${w.name}`;
		let log = this.logs.get(id);
		if (!log) {
			log = [];
			this.logs.set(id, log);
		}
		let drop = 0;
		while (drop < log.length && log[drop] <= now - w.windowMs) drop++;
		if (drop > 0) log.splice(0, drop);
		return log;
	}

	private period(w: WindowSpec, now: number): number {
		const align = w.alignMs ?? 0;
		return Math.floor((now - align) / w.windowMs) * w.windowMs + align;
	}

	protected validate(field: string, value: unknown): unknown {
		if (field !== 'windows' || !Array.isArray(value))
			throw new RangeError(
				`Rate-limit policy "${this.name}": "windows" must be a list of {name, kind, windowMs, max}`,
			);
		for (const w of value as WindowSpec[]) {
			if (!w || typeof w.name !== 'string' || (w.kind !== 'sliding' && w.kind !== 'fixed')) {
				throw new RangeError(
					`Rate-limit policy "${this.name}": each window needs a name and kind "sliding" or "fixed"`,
				);
			}
			positive(this.name, `${w.name}.windowMs`, w.windowMs);
			positive(this.name, `${w.name}.max`, w.max);
		}
		return value;
	}

	/** Accepts `{ windows: { NAME: { max } } }` as a partial update as well as a full list. */
	configure(patch: Record<string, unknown>): void {
		const windows = patch.windows;
		if (windows && !Array.isArray(windows) && typeof windows === 'object') {
			const updates = windows as Record<string, Partial<WindowSpec>>;
			const unknown = Object.keys(updates).filter(
				(n) => !this.config.windows.some((w) => w.name === n),
			);
			if (unknown.length > 0) {
				throw new RangeError(
					`Rate-limit policy "${this.name}" has no window ${unknown.join(', ')}; windows: ${this.config.windows.map((w) => w.name).join(', ')}`,
				);
			}
			patch = {
				...patch,
				windows: this.config.windows.map((w) => ({ ...w, ...(updates[w.name] ?? {}) })),
			};
		}
		super.configure(patch);
	}

	reset(): void {
		this.logs.clear();
		this.counters.clear();
	}

	protected state(now: number): Record<string, unknown> {
		const keys = new Set(
			[...this.logs.keys(), ...this.counters.keys()].map((id) => id.split('|')[0]),
		);
		const out: Record<string, WindowStatus[]> = {};
		for (const key of keys) out[key] = this.config.windows.map((w) => this.status(key, w, now));
		return { windows: out };
	}
}

// ---------------------------------------------------------------------------------------------
// Concurrency slots: requests in flight at once, beyond `max` rejected (NetSuite, Akeneo).

/** Concurrency settings. */
export interface ConcurrencyConfig {
	max: number;
}

/**
 * Caps requests in flight. A slot is held from the check until the framework calls
 * `release` (when the response has been sent, or the connection died).
 */
export class ConcurrencyPolicy extends BasePolicy<ConcurrencyConfig> {
	readonly kind = 'concurrency';
	private inFlight = new Map<string, number>();

	constructor(options: { name: string; max: number; shape?: LimitShape; key?: LimitKey }) {
		super(
			options.name,
			{ max: options.max },
			options.shape ?? genericShape,
			options.key ?? defaultKey,
		);
		positive(options.name, 'max', options.max);
	}

	protected decide(req: LimitRequest): LimitDecision {
		const key = this.keyOf(req);
		const used = this.inFlight.get(key) ?? 0;
		if (used >= this.config.max) {
			return {
				policy: this.name,
				allowed: false,
				limit: this.config.max,
				remaining: 0,
				detail: `${used} in flight`,
				headers: {},
			};
		}
		this.inFlight.set(key, used + 1);
		let released = false;
		return {
			policy: this.name,
			allowed: true,
			limit: this.config.max,
			remaining: this.config.max - used - 1,
			headers: {},
			release: () => {
				if (released) return;
				released = true;
				this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 1) - 1));
			},
		};
	}

	/** Requests in flight for `key`. */
	current(key = 'default'): number {
		return this.inFlight.get(key) ?? 0;
	}

	reset(): void {
		// In-flight requests still release into the fresh map; clamp at zero handles that.
		this.inFlight.clear();
	}

	protected state(): Record<string, unknown> {
		return { inFlight: Object.fromEntries(this.inFlight) };
	}
}

// ---------------------------------------------------------------------------------------------
// Cost bucket (Shopify GraphQL): the handler computes a query's cost; the bucket holds points.

/** Cost bucket settings. */
export interface CostBucketConfig {
	/** Bucket size in points. */
	maximumAvailable: number;
	/** Points restored per second. */
	restoreRate: number;
	/** A single query asking more than this is refused before execution. */
	maxQueryCost: number;
}

/** Where the bucket stands (Shopify's `throttleStatus`). */
export interface ThrottleStatus {
	maximumAvailable: number;
	currentlyAvailable: number;
	restoreRate: number;
}

/** Result of charging a query. */
export interface CostCharge {
	allowed: boolean;
	/** `tooExpensive`: over `maxQueryCost`, can never run; `throttled`: not enough points now. */
	reason?: 'tooExpensive' | 'throttled';
	requested: number;
	throttleStatus: ThrottleStatus;
	retryAfterMs?: number;
}

/**
 * Leaky bucket of query-cost points. Manual: the system module calls `charge` with the requested
 * cost before executing and `refund` with the actual cost after, as Shopify does. The framework
 * owns the arithmetic and time.
 */
export class CostBucketPolicy extends BasePolicy<CostBucketConfig> {
	readonly kind = 'cost-bucket';
	readonly mode = 'manual' as const;
	private buckets = new Map<string, { points: number; at: number }>();

	constructor(options: {
		name: string;
		maximumAvailable: number;
		restoreRate: number;
		maxQueryCost?: number;
		shape?: LimitShape;
		key?: LimitKey;
	}) {
		super(
			options.name,
			{
				maximumAvailable: options.maximumAvailable,
				restoreRate: options.restoreRate,
				maxQueryCost: options.maxQueryCost ?? 1000,
			},
			options.shape ?? genericShape,
			options.key ?? defaultKey,
		);
		positive(options.name, 'maximumAvailable', options.maximumAvailable);
		positive(options.name, 'restoreRate', options.restoreRate);
	}

	/** The budget key a request spends from. */
	keyFor(req: LimitRequest): string {
		return this.keyOf(req);
	}

	/** Current standing of `key`'s bucket. */
	status(key: string, now: number): ThrottleStatus {
		const b = this.refill(key, now);
		return {
			maximumAvailable: this.config.maximumAvailable,
			currentlyAvailable: Math.floor(b.points),
			restoreRate: this.config.restoreRate,
		};
	}

	/** Charges `requested` points if they are available now (always allowed when disabled). */
	charge(key: string, requested: number, now: number): CostCharge {
		if (!(requested >= 0))
			throw new RangeError(
				`Cost bucket "${this.name}": requested cost must be >= 0, got ${requested}`,
			);
		const b = this.refill(key, now);
		if (!this.enabled) return { allowed: true, requested, throttleStatus: this.status(key, now) };
		if (requested > this.config.maxQueryCost) {
			return {
				allowed: false,
				reason: 'tooExpensive',
				requested,
				throttleStatus: this.status(key, now),
			};
		}
		if (b.points < requested) {
			const retryAfterMs = Math.ceil(((requested - b.points) / this.config.restoreRate) * 1000);
			return {
				allowed: false,
				reason: 'throttled',
				requested,
				throttleStatus: this.status(key, now),
				retryAfterMs,
			};
		}
		b.points -= requested;
		return { allowed: true, requested, throttleStatus: this.status(key, now) };
	}

	/** Gives back `requested − actual` points after execution. */
	refund(key: string, requested: number, actual: number, now: number): ThrottleStatus {
		const b = this.refill(key, now);
		if (this.enabled)
			b.points = Math.min(this.config.maximumAvailable, b.points + Math.max(0, requested - actual));
		return this.status(key, now);
	}

	/** Manual policies are not checked by the framework; this only reports the bucket. */
	protected decide(req: LimitRequest, now: number): LimitDecision {
		const s = this.status(this.keyOf(req), now);
		return {
			policy: this.name,
			allowed: true,
			limit: s.maximumAvailable,
			remaining: s.currentlyAvailable,
			headers: {},
		};
	}

	private refill(key: string, now: number): { points: number; at: number } {
		let b = this.buckets.get(key);
		if (!b) {
			b = { points: this.config.maximumAvailable, at: now };
			this.buckets.set(key, b);
		}
		b.points = Math.min(
			this.config.maximumAvailable,
			b.points + (Math.max(0, now - b.at) / 1000) * this.config.restoreRate,
		);
		b.at = now;
		return b;
	}

	reset(): void {
		this.buckets.clear();
	}

	protected state(now: number): Record<string, unknown> {
		return {
			buckets: Object.fromEntries([...this.buckets.keys()].map((k) => [k, this.status(k, now)])),
		};
	}
}
