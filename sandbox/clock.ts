/**
 * Sandbox time. Rate-limit windows, request-log times, injected latency and webhook retry
 * schedules all read one injectable `Clock` (the kernel's interface), so a test can hold time
 * still, step it, or let it run.
 */
import type { Clock } from '../nodes/shared/core/resilience/clock';

export type { Clock };

function abortError(signal?: AbortSignal): Error {
	const reason: unknown = signal?.reason;
	if (reason instanceof Error) return reason;
	const error = new Error('The operation was cancelled');
	error.name = 'AbortError';
	return error;
}

/** Wall-clock time and real timers (what `npm run sandbox` uses). */
export const systemClock: Clock = {
	now: () => Date.now(),
	sleep(ms, signal) {
		if (signal?.aborted) return Promise.reject(abortError(signal));
		if (!(ms > 0)) return Promise.resolve();
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				clearTimeout(timer);
				reject(abortError(signal));
			};
			const timer = setTimeout(() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			}, ms);
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	},
};

interface Sleeper {
	at: number;
	seq: number;
	resolve: () => void;
	detach: () => void;
}

/**
 * A clock that moves only when told (`advance`, `set`). Sleepers wake, in time order, when time
 * reaches them. Unlike a clock that jumps to the next sleeper by itself, this one lets a test
 * say exactly "5 s later" while real HTTP requests are in flight.
 */
export class ManualClock implements Clock {
	private current: number;
	private sleepers: Sleeper[] = [];
	private seq = 0;

	constructor(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)) {
		this.current = startMs;
	}

	now(): number {
		return this.current;
	}

	sleep(ms: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) return Promise.reject(abortError(signal));
		if (!(ms > 0)) return Promise.resolve();
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				this.sleepers = this.sleepers.filter((s) => s !== sleeper);
				reject(abortError(signal));
			};
			const sleeper: Sleeper = {
				at: this.current + ms,
				seq: this.seq++,
				resolve,
				detach: () => signal?.removeEventListener('abort', onAbort),
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			if (Number.isFinite(sleeper.at)) this.sleepers.push(sleeper);
		});
	}

	/** Moves time forward by `ms`, waking every sleeper due on the way (earliest first). */
	async advance(ms: number): Promise<void> {
		await this.set(this.current + ms);
	}

	/** Moves time to `ms` (never backwards), waking every sleeper due by then. */
	async set(ms: number): Promise<void> {
		const target = Math.max(this.current, ms);
		for (;;) {
			const due = this.sleepers
				.filter((s) => s.at <= target)
				.sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
			if (!due) break;
			this.sleepers = this.sleepers.filter((s) => s !== due);
			this.current = Math.max(this.current, due.at);
			due.detach();
			due.resolve();
			// Let the woken code run (and possibly schedule earlier sleeps) before the next one.
			await new Promise((r) => setImmediate(r));
		}
		this.current = target;
		await new Promise((r) => setImmediate(r));
	}

	/** Wake-up times of everything asleep, soonest first. */
	get pending(): number[] {
		return this.sleepers.map((s) => s.at).sort((a, b) => a - b);
	}
}
