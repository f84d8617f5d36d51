import type { Clock } from '../../nodes/shared/core/resilience/clock';

interface Timer {
	at: number;
	seq: number;
	resolve: () => void;
	detach: () => void;
}

/**
 * A virtual clock for unit tests: `sleep` never waits in real time. Pending sleeps fire one at a
 * time, earliest wake-up first (ties in call order), and only once everything already runnable
 * has settled (one `setImmediate` turn), so concurrent sleepers wake in time order and code that
 * runs after a wake-up can schedule an earlier sleep than ones still pending. Time jumps forward
 * to each wake-up; it never goes back.
 *
 * Usage: `const clock = new FakeClock(); await Promise.all([...])` — no manual ticking needed.
 * `advance(ms)` jumps time by hand (e.g. "an hour later").
 */
export class FakeClock implements Clock {
	/** Every duration passed to `sleep`, in call order (aborted ones included). */
	readonly sleeps: number[] = [];
	private current: number;
	private timers: Timer[] = [];
	private seq = 0;
	private scheduled = false;

	constructor(startMs = 0) {
		this.current = startMs;
	}

	now(): number {
		return this.current;
	}

	sleep(ms: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) return Promise.reject(abortReason(signal));
		this.sleeps.push(ms);
		if (!(ms > 0)) return Promise.resolve();
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				this.timers = this.timers.filter((t) => t !== timer);
				reject(abortReason(signal));
			};
			const timer: Timer = {
				at: this.current + ms,
				seq: this.seq++,
				resolve,
				detach: () => signal?.removeEventListener('abort', onAbort),
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			// An infinite sleep only ends by abort; it must not drag virtual time to Infinity.
			if (Number.isFinite(timer.at)) {
				this.timers.push(timer);
				this.schedule();
			}
		});
	}

	/**
	 * Jumps time forward by hand ("an hour later"). Sleepers that become due wake on the next
	 * automatic turn, still in time order, at no earlier than the new time.
	 */
	advance(ms: number): void {
		if (!(ms >= 0)) throw new RangeError(`advance needs ms >= 0, got ${ms}`);
		this.current += ms;
	}

	/** How many sleeps are waiting. */
	get pendingSleeps(): number {
		return this.timers.length;
	}

	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(() => {
			this.scheduled = false;
			const next = this.earliest();
			if (!next) return;
			this.wake(next);
			if (this.timers.length > 0) this.schedule();
		});
	}

	private earliest(): Timer | undefined {
		let best: Timer | undefined;
		for (const t of this.timers) {
			if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
		}
		return best;
	}

	private wake(timer: Timer): void {
		this.timers = this.timers.filter((t) => t !== timer);
		this.current = Math.max(this.current, timer.at);
		timer.detach();
		timer.resolve();
	}
}

function abortReason(signal?: AbortSignal): Error {
	const reason: unknown = signal?.reason;
	if (reason instanceof Error) return reason;
	const error = new Error('The operation was cancelled');
	error.name = 'AbortError';
	return error;
}
