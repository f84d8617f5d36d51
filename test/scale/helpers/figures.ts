/**
 * Reading the sandbox's request log as the vendor would: requests per window, requests in flight,
 * 429s — the figures the scale tests assert on and print.
 */
import type { RequestLogEntry } from '../../../sandbox';

/** Most requests that arrived inside any window of `windowMs` (the vendors' sliding window). */
export function maxPerWindow(entries: RequestLogEntry[], windowMs: number): { max: number; at: number } {
	const times = entries.map((e) => e.time).sort((a, b) => a - b);
	let best = { max: 0, at: 0 };
	let start = 0;
	for (let end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= windowMs) start++;
		if (end - start + 1 > best.max) best = { max: end - start + 1, at: times[start] };
	}
	return best;
}

/** Most requests in flight at once, from arrival and duration (a request holds its slot until answered). */
export function maxInFlight(entries: RequestLogEntry[]): number {
	const events: Array<[number, number]> = [];
	for (const e of entries) {
		events.push([e.time, 1]);
		// Unanswered requests (dropped, still open) hold their slot to the end of the log.
		events.push([e.durationMs === null ? Number.MAX_SAFE_INTEGER : e.time + e.durationMs, -1]);
	}
	// Ends before starts at the same instant: the server frees a slot before it takes the next.
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let max = 0;
	for (const [, delta] of events) {
		now += delta;
		max = Math.max(max, now);
	}
	return max;
}

/** 429 answers, split into those fault injection caused and those a rate-limit policy gave. */
export function tooManyRequests(entries: RequestLogEntry[]): { injected: number; policy: number } {
	let injected = 0;
	let policy = 0;
	for (const e of entries) {
		if (e.status !== 429) continue;
		if (e.fault) injected++;
		else policy++;
	}
	return { injected, policy };
}

/** Requests per second over the log's span. */
export function throughput(entries: RequestLogEntry[]): { seconds: number; perSecond: number } {
	if (entries.length < 2) return { seconds: 0, perSecond: 0 };
	const times = entries.map((e) => e.time);
	const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
	return { seconds, perSecond: seconds > 0 ? entries.length / seconds : 0 };
}
