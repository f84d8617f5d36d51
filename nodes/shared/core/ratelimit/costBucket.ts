import { CommerceError } from '../http/errors';
import type { Clock } from '../resilience/clock';
import { Bucket } from './bucket';
import { oncePermit, type Permit, type RateLimiter, type RateRequest } from './types';
import { WaitLine } from './waitLine';

/** The server's view of the bucket (Shopify `extensions.cost.throttleStatus`). */
export interface ThrottleStatus {
	currentlyAvailable: number;
	maximumAvailable?: number;
	restoreRate?: number;
}

/** The cost report of a GraphQL response (Shopify `extensions.cost`). */
export interface GraphqlCostReport {
	requestedQueryCost?: number;
	/** Null when the query did not run (THROTTLED, MAX_COST_EXCEEDED). */
	actualQueryCost?: number | null;
	throttleStatus?: ThrottleStatus;
}

/** Reads `extensions.cost` from a GraphQL response body; undefined when absent or malformed. */
export function readGraphqlCost(body: unknown): GraphqlCostReport | undefined {
	const cost = (body as { extensions?: { cost?: unknown } } | null | undefined)?.extensions?.cost;
	if (!cost || typeof cost !== 'object') return undefined;
	const raw = cost as Record<string, unknown>;
	const report: GraphqlCostReport = {};
	if (isNumber(raw.requestedQueryCost)) report.requestedQueryCost = raw.requestedQueryCost;
	if (raw.actualQueryCost === null) report.actualQueryCost = null;
	else if (isNumber(raw.actualQueryCost)) report.actualQueryCost = raw.actualQueryCost;
	const status = raw.throttleStatus as Record<string, unknown> | undefined;
	if (status && isNumber(status.currentlyAvailable)) {
		report.throttleStatus = {
			currentlyAvailable: status.currentlyAvailable,
			maximumAvailable: isNumber(status.maximumAvailable) ? status.maximumAvailable : undefined,
			restoreRate: isNumber(status.restoreRate) ? status.restoreRate : undefined,
		};
	}
	return report;
}

/** Options of `CostBucketLimiter`. */
export interface CostBucketOptions {
	clock: Clock;
	/** Most points the bucket holds (Shopify `maximumAvailable`). */
	capacity: number;
	/** Points restored per second (Shopify `restoreRate`). */
	restoreRatePerSec: number;
	/** Level at start; default full. */
	initialAvailable?: number;
	/** Cost charged when a request states none (default 1). */
	defaultCost?: number;
	/** Reads the cost report from a response body; default `readGraphqlCost`. */
	readCost?: (body: unknown) => GraphqlCostReport | undefined;
	/** System named in errors (default 'shopify'). */
	system?: string;
}

/**
 * Shopify GraphQL's cost bucket. Before sending, the request's *requested* cost is charged,
 * waiting until it fits (in arrival order); a cost above the capacity fails at once, since it
 * would wait forever. After the response, the charge is refunded down to the *actual* cost, or
 * the whole bucket is resynced from the server's `throttleStatus`.
 */
export class CostBucketLimiter implements RateLimiter {
	private readonly clock: Clock;
	private readonly bucket: Bucket;
	private readonly line: WaitLine;
	private readonly readCost: (body: unknown) => GraphqlCostReport | undefined;
	private readonly system: string;
	private readonly defaultCost: number;
	// Charged by permits not yet released; a resync must not forget them.
	private outstanding = 0;
	private pausedUntil = 0;

	constructor(options: CostBucketOptions) {
		this.clock = options.clock;
		this.bucket = new Bucket(
			options.capacity,
			options.restoreRatePerSec,
			options.clock.now(),
			options.initialAvailable ?? options.capacity,
		);
		this.line = new WaitLine(options.clock);
		this.readCost = options.readCost ?? readGraphqlCost;
		this.system = options.system ?? 'shopify';
		this.defaultCost = options.defaultCost ?? 1;
	}

	async acquire(request: RateRequest, signal?: AbortSignal): Promise<Permit> {
		const cost = request.cost ?? this.defaultCost;
		if (!(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)) {
			throw new RangeError(`request cost must be a number ≥ 0, got ${String(cost)}`);
		}
		if (cost > this.bucket.capacity) {
			throw new CommerceError({
				kind: 'validation',
				system: this.system,
				retryable: false,
				code: 'COST_EXCEEDS_CAPACITY',
				message:
					`This request asks for ${cost} cost points but the ${this.system} bucket holds at ` +
					`most ${this.bucket.capacity}, so it can never run`,
				hint: 'Request fewer items per page (a smaller `first:`) or fewer nested fields.',
			});
		}
		await this.line.take(() => {
			const now = this.clock.now();
			if (this.pausedUntil > now) return this.pausedUntil - now;
			const wait = this.bucket.waitFor(cost, now);
			if (wait === 0) {
				this.bucket.take(cost, now);
				this.outstanding += cost;
			}
			return wait;
		}, signal);
		return oncePermit((outcome) => {
			this.outstanding -= cost;
			if (!outcome) return;
			const report = this.readCost(outcome.body);
			if (report?.throttleStatus) {
				this.resync(report.throttleStatus);
				return;
			}
			const actual = outcome.actualCost ?? report?.actualQueryCost;
			// null: the query never ran (THROTTLED), so nothing was spent.
			const spent = actual === null ? 0 : actual;
			if (spent !== undefined && spent < cost) {
				this.bucket.refund(cost - spent, this.clock.now());
				this.line.kick();
			}
		});
	}

	onRateLimited(retryAfterMs: number | undefined): void {
		const now = this.clock.now();
		if (retryAfterMs !== undefined && retryAfterMs > 0) {
			this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		}
	}

	/**
	 * Adopts the server's count. Charges of requests still in flight are kept on top, since the
	 * server may not have seen them yet (over-counting only makes us wait a little longer).
	 */
	resync(status: ThrottleStatus): void {
		const now = this.clock.now();
		if (status.maximumAvailable !== undefined && status.maximumAvailable > 0) {
			this.bucket.setCapacity(status.maximumAvailable, now);
		}
		if (status.restoreRate !== undefined && status.restoreRate > 0) {
			this.bucket.setRate(status.restoreRate, now);
		}
		this.bucket.set(status.currentlyAvailable - this.outstanding, now);
		this.line.kick();
	}

	/** Points available now (negative while overspent); for logs and tests. */
	available(): number {
		return this.bucket.available(this.clock.now());
	}

	/** The bucket's current capacity. */
	get capacity(): number {
		return this.bucket.capacity;
	}
}

function isNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}
