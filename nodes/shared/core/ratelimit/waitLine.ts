import { abortError, raceAbort, throwIfAborted } from '../resilience/abort';
import type { Clock } from '../resilience/clock';

const MAX_SLEEP_MS = 2_147_483_647;

/**
 * A first-come-first-served line in front of a budget. Only the head of the line looks at the
 * budget: it calls `tryTake`, which either takes budget and returns 0, or takes nothing and
 * returns how long to wait. The head sleeps that long through the Clock and asks again. Anyone
 * who changes the budget in the caller's favour (refund, resync, faster rate) calls `kick()` so
 * the head asks again at once instead of oversleeping. FIFO order keeps a big request from
 * starving behind a stream of small ones.
 */
export class WaitLine {
	private tail: Promise<void> = Promise.resolve();
	private waiting = 0;
	private kicker?: AbortController;

	constructor(private readonly clock: Clock) {}

	/** Number of callers in line (the head included). */
	get length(): number {
		return this.waiting;
	}

	/**
	 * Waits for a turn, then until `tryTake` succeeds. `tryTake` must take nothing when it
	 * returns a wait > 0. Rejects with the abort error when `signal` aborts; callers behind an
	 * aborted one keep their place.
	 */
	async take(tryTake: () => number, signal?: AbortSignal): Promise<void> {
		throwIfAborted(signal);
		if (this.waiting === 0 && tryTake() <= 0) return;

		this.waiting++;
		const before = this.tail;
		let leave!: () => void;
		const mine = new Promise<void>((resolve) => (leave = resolve));
		this.tail = before.then(() => mine);
		try {
			await raceAbort(before, signal);
			for (;;) {
				throwIfAborted(signal);
				const waitMs = tryTake();
				if (waitMs <= 0) return;
				await this.sleepKickable(waitMs, signal);
			}
		} finally {
			this.waiting--;
			leave();
		}
	}

	/** Wakes the head of the line so it re-reads the budget. */
	kick(): void {
		this.kicker?.abort();
	}

	private async sleepKickable(ms: number, signal?: AbortSignal): Promise<void> {
		const kicker = new AbortController();
		this.kicker = kicker;
		const forward = () => kicker.abort();
		signal?.addEventListener('abort', forward, { once: true });
		try {
			// Timers overflow above 2^31-1 ms and would fire at once.
			await this.clock.sleep(Math.min(ms, MAX_SLEEP_MS), kicker.signal);
		} catch (error) {
			if (signal?.aborted) throw abortError(signal);
			if (!kicker.signal.aborted) throw error;
		} finally {
			signal?.removeEventListener('abort', forward);
			if (this.kicker === kicker) this.kicker = undefined;
		}
	}
}
