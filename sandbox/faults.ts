/**
 * Run-time fault injection, per system. Every decision draws from a seeded stream, and every
 * request draws the same number of values whatever the configuration, so a given seed produces
 * the same faults on the same requests, and changing one rate does not reshuffle the others.
 */
import { createRng, type Rng, type Seed } from './rng';

/** Webhook delivery faults. */
export interface WebhookFaultConfig {
	/** Share of events delivered twice (same event id, new delivery id). */
	duplicateRate?: number;
	/** Share of events held back and delivered after the next event of the same subscription. */
	outOfOrderRate?: number;
	/** Longest an out-of-order event is held when no later event comes (sandbox clock ms). */
	holdMs?: number;
	/** Share of events delivered late, by `ms` + up to `jitterMs` (sandbox clock). */
	delay?: { rate: number; ms: number; jitterMs?: number };
	/** Share of deliveries whose 2xx is treated as lost, so they are redelivered on the retry schedule. */
	lostAckRate?: number;
}

/** What can go wrong with a system, set through `PUT /_sandbox/faults/<system>`. */
export interface FaultConfig {
	/** Reseeds this system's fault stream (default: the sandbox seed). */
	seed?: Seed;
	/** Only requests matching this are eligible (method exact, path substring or `/regex/`). */
	match?: { method?: string; path?: string };
	/** Share of requests answered with one of `errorStatuses` (default 500, 502, 503). */
	errorRate?: number;
	errorStatuses?: number[];
	/**
	 * Bursts of consecutive 429s (the system's own throttle answer) with Retry-After: a burst of
	 * `length` starts at a request with probability `rate`; `start: true` starts one at the next
	 * eligible request.
	 */
	burst429?: { rate?: number; length: number; retryAfterSeconds?: number; start?: boolean };
	/** Added latency: `fixedMs` + uniform [0, jitterMs) (sandbox clock). */
	latency?: { fixedMs?: number; jitterMs?: number };
	/** Share of requests whose socket is destroyed without any response. */
	dropRate?: number;
	/** Share of requests that hang: never answered, or answered normally after `afterMs`. */
	timeout?: { rate: number; afterMs?: number };
	webhooks?: WebhookFaultConfig;
}

/** The fault chosen for one request. */
export type RequestFault =
	| { kind: 'drop' }
	| { kind: 'timeout'; afterMs: number | null }
	| { kind: 'error'; status: number }
	| { kind: 'burst429'; retryAfterMs: number; index: number; length: number };

/** What to do to one request. */
export interface FaultPlan {
	latencyMs: number;
	fault?: RequestFault;
}

/** Faults chosen for one webhook event. */
export interface WebhookFaultPlan {
	duplicate: boolean;
	outOfOrder: boolean;
	delayMs: number;
	lostAck: boolean;
}

function rate(field: string, value: unknown): void {
	if (value === undefined) return;
	if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
		throw new RangeError(
			`Fault config: "${field}" must be a share between 0 and 1, got ${JSON.stringify(value)}`,
		);
	}
}

function nonNegative(field: string, value: unknown): void {
	if (value === undefined) return;
	if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
		throw new RangeError(
			`Fault config: "${field}" must be a non-negative number of milliseconds, got ${JSON.stringify(value)}`,
		);
	}
}

/** Throws a RangeError naming the field and the fix when `config` is not usable. */
export function validateFaultConfig(config: FaultConfig): void {
	if (typeof config !== 'object' || config === null || Array.isArray(config))
		throw new RangeError('Fault config must be a JSON object');
	const known = [
		'seed',
		'match',
		'errorRate',
		'errorStatuses',
		'burst429',
		'latency',
		'dropRate',
		'timeout',
		'webhooks',
	];
	const unknown = Object.keys(config).filter((k) => !known.includes(k));
	if (unknown.length > 0)
		throw new RangeError(
			`Fault config: unknown field ${unknown.join(', ')}; known fields: ${known.join(', ')}`,
		);
	rate('errorRate', config.errorRate);
	rate('dropRate', config.dropRate);
	if (config.errorStatuses !== undefined) {
		if (
			!Array.isArray(config.errorStatuses) ||
			config.errorStatuses.length === 0 ||
			config.errorStatuses.some((s) => !Number.isInteger(s) || s < 400 || s > 599)
		) {
			throw new RangeError(
				'Fault config: "errorStatuses" must be a non-empty list of HTTP statuses from 400 to 599, e.g. [500, 503]',
			);
		}
	}
	if (config.burst429) {
		const b = config.burst429;
		rate('burst429.rate', b.rate);
		if (!Number.isInteger(b.length) || b.length < 1)
			throw new RangeError(
				'Fault config: "burst429.length" must be a whole number of requests, at least 1',
			);
		if (b.retryAfterSeconds !== undefined && !(b.retryAfterSeconds >= 0))
			throw new RangeError('Fault config: "burst429.retryAfterSeconds" must be >= 0');
	}
	if (config.latency) {
		nonNegative('latency.fixedMs', config.latency.fixedMs);
		nonNegative('latency.jitterMs', config.latency.jitterMs);
	}
	if (config.timeout) {
		rate('timeout.rate', config.timeout.rate);
		nonNegative('timeout.afterMs', config.timeout.afterMs);
	}
	if (config.match?.path !== undefined && typeof config.match.path !== 'string')
		throw new RangeError('Fault config: "match.path" must be a string');
	if (
		config.match?.path?.startsWith('/') &&
		config.match.path.endsWith('/') &&
		config.match.path.length > 2
	) {
		try {
			new RegExp(config.match.path.slice(1, -1));
		} catch {
			throw new RangeError(
				`Fault config: "match.path" ${config.match.path} is not a valid regular expression`,
			);
		}
	}
	const w = config.webhooks;
	if (w) {
		rate('webhooks.duplicateRate', w.duplicateRate);
		rate('webhooks.outOfOrderRate', w.outOfOrderRate);
		rate('webhooks.lostAckRate', w.lostAckRate);
		nonNegative('webhooks.holdMs', w.holdMs);
		if (w.delay) {
			rate('webhooks.delay.rate', w.delay.rate);
			nonNegative('webhooks.delay.ms', w.delay.ms);
			nonNegative('webhooks.delay.jitterMs', w.delay.jitterMs);
		}
	}
}

/** One system's fault configuration and its random streams. */
export class FaultInjector {
	private config: FaultConfig = {};
	private requestRng: Rng;
	private webhookRng: Rng;
	private burstLeft = 0;
	private burstLength = 0;
	private burstRetryMs = 0;

	constructor(
		private readonly system: string,
		private defaultSeed: Seed,
	) {
		this.requestRng = createRng(defaultSeed, `faults:${system}`);
		this.webhookRng = createRng(defaultSeed, `webhook-faults:${system}`);
	}

	/** Replaces the configuration and restarts the random streams from its seed. */
	set(config: FaultConfig): void {
		validateFaultConfig(config);
		this.config = JSON.parse(JSON.stringify(config)) as FaultConfig;
		const seed = config.seed ?? this.defaultSeed;
		this.requestRng = createRng(seed, `faults:${this.system}`);
		this.webhookRng = createRng(seed, `webhook-faults:${this.system}`);
		this.burstLeft = 0;
		if (this.config.burst429?.start) {
			this.startBurst(this.config.burst429);
			// A one-shot trigger: a later reseed must not start another burst.
			delete this.config.burst429.start;
		}
	}

	/** Clears every fault (and restarts the streams). */
	clear(): void {
		this.set({});
	}

	/** A new default seed (after a sandbox re-seed); takes effect at the next `set`/`clear`. */
	reseed(seed: Seed): void {
		this.defaultSeed = seed;
		this.set(this.config);
	}

	get(): FaultConfig {
		return JSON.parse(JSON.stringify(this.config)) as FaultConfig;
	}

	/** Decides what happens to one request. */
	plan(method: string, path: string): FaultPlan {
		if (!this.matches(method, path)) return { latencyMs: 0 };
		const c = this.config;
		// Always six draws, in this order, so the stream position depends only on the request count.
		const uDrop = this.requestRng.next();
		const uTimeout = this.requestRng.next();
		const uError = this.requestRng.next();
		const uStatus = this.requestRng.next();
		const uBurst = this.requestRng.next();
		const uJitter = this.requestRng.next();
		const latencyMs = (c.latency?.fixedMs ?? 0) + Math.floor(uJitter * (c.latency?.jitterMs ?? 0));
		if (this.burstLeft > 0) return { latencyMs, fault: this.nextBurst() };
		if (uDrop < (c.dropRate ?? 0)) return { latencyMs, fault: { kind: 'drop' } };
		if (c.timeout && uTimeout < c.timeout.rate)
			return { latencyMs, fault: { kind: 'timeout', afterMs: c.timeout.afterMs ?? null } };
		if (uError < (c.errorRate ?? 0)) {
			const statuses = c.errorStatuses ?? [500, 502, 503];
			return {
				latencyMs,
				fault: { kind: 'error', status: statuses[Math.floor(uStatus * statuses.length)] },
			};
		}
		if (c.burst429 && uBurst < (c.burst429.rate ?? 0)) {
			this.startBurst(c.burst429);
			return { latencyMs, fault: this.nextBurst() };
		}
		return { latencyMs };
	}

	/** Decides the faults of one webhook event (always five draws). */
	planWebhook(): WebhookFaultPlan {
		const w = this.config.webhooks ?? {};
		const uDup = this.webhookRng.next();
		const uOrder = this.webhookRng.next();
		const uDelay = this.webhookRng.next();
		const uJitter = this.webhookRng.next();
		const uLost = this.webhookRng.next();
		const delayed = !!w.delay && uDelay < w.delay.rate;
		return {
			duplicate: uDup < (w.duplicateRate ?? 0),
			outOfOrder: uOrder < (w.outOfOrderRate ?? 0),
			delayMs: delayed && w.delay ? w.delay.ms + Math.floor(uJitter * (w.delay.jitterMs ?? 0)) : 0,
			lostAck: uLost < (w.lostAckRate ?? 0),
		};
	}

	/** How long an out-of-order event is held at most. */
	get holdMs(): number {
		return this.config.webhooks?.holdMs ?? 2_000;
	}

	private startBurst(b: NonNullable<FaultConfig['burst429']>): void {
		this.burstLeft = b.length;
		this.burstLength = b.length;
		this.burstRetryMs = (b.retryAfterSeconds ?? 2) * 1000;
	}

	private nextBurst(): RequestFault {
		const index = this.burstLength - this.burstLeft + 1;
		this.burstLeft--;
		return { kind: 'burst429', retryAfterMs: this.burstRetryMs, index, length: this.burstLength };
	}

	private matches(method: string, path: string): boolean {
		const m = this.config.match;
		if (!m) return true;
		if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
		if (m.path) {
			const p = m.path;
			if (p.length > 2 && p.startsWith('/') && p.endsWith('/'))
				return new RegExp(p.slice(1, -1)).test(path);
			return path.includes(p);
		}
		return true;
	}
}
