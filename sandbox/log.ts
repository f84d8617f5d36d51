/**
 * The request log: one entry per request a system received, written when it arrives (so a
 * request that is never answered still shows up) and completed when it ends. Headers and bodies
 * are not kept: they carry tokens.
 */
import type { LimitOutcome } from './ratelimit/policies';
import type { RequestFault } from './faults';

/** One request as the sandbox saw it. */
export interface RequestLogEntry {
	/** Increasing sequence number (use it as `since` to read only newer entries). */
	seq: number;
	/** Arrival time, sandbox clock, ms since epoch. */
	time: number;
	system: string;
	method: string;
	/** Path below the system prefix, without the query string. */
	path: string;
	query: Record<string, string | string[]>;
	/** The matched route's operation name, when a route matched. */
	operation?: string;
	/** HTTP status sent; null while in flight, or when no response was sent (drop, hang). */
	status: number | null;
	/** Sandbox-clock ms from arrival to the end of the response (null while in flight). */
	durationMs: number | null;
	/** Every rate-limit policy's verdict on this request. */
	rateLimit: LimitOutcome[];
	/** The injected fault, if any. */
	fault?: RequestFault;
	/** Added latency, when some was injected. */
	latencyMs?: number;
	/** Why the request ended without a normal answer (client went away, handler threw...). */
	note?: string;
}

/** A filter for reading the log. */
export interface LogQuery {
	system?: string;
	/** Only entries with `seq` greater than this. */
	sinceSeq?: number;
	/** Only entries that arrived at or after this time (ms). */
	sinceTime?: number;
	limit?: number;
}

/** A bounded in-memory log (oldest entries are dropped beyond `capacity`). */
export class RequestLog {
	private entries: RequestLogEntry[] = [];
	private seq = 0;

	constructor(private readonly capacity = 50_000) {}

	/** Records an arrival and returns the live entry to complete later. */
	start(
		entry: Omit<RequestLogEntry, 'seq' | 'status' | 'durationMs' | 'rateLimit'>,
	): RequestLogEntry {
		const full: RequestLogEntry = {
			seq: ++this.seq,
			status: null,
			durationMs: null,
			rateLimit: [],
			...entry,
		};
		this.entries.push(full);
		if (this.entries.length > this.capacity)
			this.entries.splice(0, this.entries.length - this.capacity);
		return full;
	}

	/** Copies of the matching entries, oldest first. */
	list(query: LogQuery = {}): RequestLogEntry[] {
		let out = this.entries.filter(
			(e) =>
				(query.system === undefined || e.system === query.system) &&
				(query.sinceSeq === undefined || e.seq > query.sinceSeq) &&
				(query.sinceTime === undefined || e.time >= query.sinceTime),
		);
		if (query.limit !== undefined) out = out.slice(-query.limit);
		return out.map((e) => JSON.parse(JSON.stringify(e)) as RequestLogEntry);
	}

	/** Forgets entries (all, or one system's). Sequence numbers keep increasing. */
	clear(system?: string): void {
		this.entries = system === undefined ? [] : this.entries.filter((e) => e.system !== system);
	}

	/** The latest sequence number handed out. */
	get lastSeq(): number {
		return this.seq;
	}
}
