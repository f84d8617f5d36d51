import { abortError, throwIfAborted } from '../resilience/abort';
import type { Clock } from '../resilience/clock';
import { oncePermit, type Permit, type RateLimiter } from './types';

/** Options of `ConcurrencyLimiter`. */
export interface ConcurrencyOptions {
	clock: Clock;
	/** Requests allowed in flight at once (NetSuite: the integration's concurrency limit). */
	slots: number;
}

interface Waiter {
	grant: () => void;
	cancel: () => void;
}

/**
 * At most `slots` requests in flight (NetSuite's account-wide concurrency cap, Akeneo's 4 per
 * connection). Waiters get slots strictly in arrival order; a slot passes straight from the
 * releasing request to the next waiter, so no late arrival can jump the line.
 */
export class ConcurrencyLimiter implements RateLimiter {
	private readonly clock: Clock;
	private slots: number;
	private active = 0;
	private readonly waiters: Waiter[] = [];
	private pausedUntil = 0;

	constructor(options: ConcurrencyOptions) {
		this.clock = options.clock;
		this.slots = checkSlots(options.slots);
	}

	async acquire(_request: unknown, signal?: AbortSignal): Promise<Permit> {
		throwIfAborted(signal);
		const pause = this.pausedUntil - this.clock.now();
		if (pause > 0) await this.clock.sleep(pause, signal);
		if (this.active < this.slots && this.waiters.length === 0) {
			this.active++;
		} else {
			await new Promise<void>((resolve, reject) => {
				const onAbort = () => {
					const index = this.waiters.indexOf(waiter);
					if (index >= 0) this.waiters.splice(index, 1);
					reject(abortError(signal));
				};
				const waiter: Waiter = {
					grant: () => {
						signal?.removeEventListener('abort', onAbort);
						resolve();
					},
					cancel: onAbort,
				};
				this.waiters.push(waiter);
				signal?.addEventListener('abort', onAbort, { once: true });
			});
		}
		return oncePermit(() => this.handOn());
	}

	/** Pauses new acquires for the wait; without one, nothing (the retry backoff covers it). */
	onRateLimited(retryAfterMs: number | undefined): void {
		if (retryAfterMs !== undefined && retryAfterMs > 0) {
			this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + retryAfterMs);
		}
	}

	/** Changes the number of slots (e.g. after reading the account's governance limits). */
	setSlots(slots: number): void {
		this.slots = checkSlots(slots);
		while (this.active < this.slots && this.waiters.length > 0) {
			this.active++;
			this.waiters.shift()?.grant();
		}
	}

	/** Requests in flight now. */
	get inFlight(): number {
		return this.active;
	}

	/** Requests waiting for a slot. */
	get queued(): number {
		return this.waiters.length;
	}

	private handOn(): void {
		if (this.active <= this.slots && this.waiters.length > 0) {
			this.waiters.shift()?.grant();
		} else {
			this.active--;
		}
	}
}

function checkSlots(slots: number): number {
	if (!Number.isInteger(slots) || slots < 1) {
		throw new RangeError(`concurrency slots must be an integer ≥ 1, got ${String(slots)}`);
	}
	return slots;
}
