/**
 * A leaky/token bucket's arithmetic, shared by the token-bucket and cost-bucket limiters: a
 * level that refills continuously at `ratePerSec` up to `capacity`.
 */
export class Bucket {
	private level: number;
	private updatedAt: number;

	constructor(
		public capacity: number,
		public ratePerSec: number,
		nowMs: number,
		initialLevel: number = capacity,
	) {
		assertPositive('capacity', capacity);
		assertPositive('ratePerSec', ratePerSec);
		this.level = Math.min(capacity, initialLevel);
		this.updatedAt = nowMs;
	}

	/** The level at `nowMs` (may be negative after a resync says we overspent). */
	available(nowMs: number): number {
		this.refill(nowMs);
		return this.level;
	}

	/** Ms until `cost` fits (0 = now). */
	waitFor(cost: number, nowMs: number): number {
		this.refill(nowMs);
		// Float refills land a hair below whole numbers (0.1 + 0.2); don't wait a ms for that.
		const missing = cost - this.level;
		if (missing <= 1e-9) return 0;
		return Math.max(1, Math.ceil((missing / this.ratePerSec) * 1000));
	}

	/** Removes `cost` (call after `waitFor` returned 0). */
	take(cost: number, nowMs: number): void {
		this.refill(nowMs);
		this.level -= cost;
	}

	/** Adds `amount` back, never above capacity. */
	refund(amount: number, nowMs: number): void {
		this.refill(nowMs);
		this.level = Math.min(this.capacity, this.level + amount);
	}

	/** Sets the level outright (resync from the server's own count). */
	set(level: number, nowMs: number): void {
		this.updatedAt = nowMs;
		this.level = Math.min(this.capacity, level);
	}

	/** Changes the refill rate from now on. */
	setRate(ratePerSec: number, nowMs: number): void {
		assertPositive('ratePerSec', ratePerSec);
		this.refill(nowMs);
		this.ratePerSec = ratePerSec;
	}

	/** Changes the capacity from now on. */
	setCapacity(capacity: number, nowMs: number): void {
		assertPositive('capacity', capacity);
		this.refill(nowMs);
		this.capacity = capacity;
		this.level = Math.min(this.level, capacity);
	}

	private refill(nowMs: number): void {
		if (nowMs > this.updatedAt) {
			this.level = Math.min(
				this.capacity,
				this.level + ((nowMs - this.updatedAt) * this.ratePerSec) / 1000,
			);
			this.updatedAt = nowMs;
		}
	}
}

/** Throws a RangeError naming `field` unless `value` is a finite number > 0. */
export function assertPositive(field: string, value: number): void {
	if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
		throw new RangeError(`rate limit ${field} must be a number > 0, got ${String(value)}`);
	}
}
