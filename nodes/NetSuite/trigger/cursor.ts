/**
 * The poll watermark for NetSuite changes. NetSuite stamps changes to the second, a poll reads
 * while other users keep saving, and a transaction can commit with a stamp a little older than
 * rows already read. So the cursor is the newest stamp emitted plus the keys (`id@stamp`) of
 * every row emitted within an overlap window before it: each poll reads from `since − overlap`,
 * skips what it has already emitted, and never skips a change made while a poll was running.
 */

/** What the trigger keeps between polls (in the workflow's static data). */
export interface ChangeCursor {
	/** Newest change stamp emitted, `YYYY-MM-DD HH:MM:SS` in the server's time. */
	since: string;
	/** `id@stamp` of rows emitted with a stamp at or after `since − overlap`. */
	seen: string[];
}

const STAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Seconds since the epoch of a server stamp (read as UTC; only differences matter). */
export function stampSeconds(stamp: string): number {
	const m = STAMP.exec(stamp);
	if (!m) throw new RangeError(`"${stamp}" is not a YYYY-MM-DD HH:MM:SS stamp`);
	return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
}

/** A stamp moved by `seconds` (negative = earlier). */
export function shiftStamp(stamp: string, seconds: number): string {
	return new Date((stampSeconds(stamp) + seconds) * 1000)
		.toISOString()
		.slice(0, 19)
		.replace('T', ' ');
}

/** The key a row is remembered by: the same row changed again gets a new key. */
export function changeKey(id: string, stamp: string): string {
	return `${id}@${stamp}`;
}

/** Where the next read starts. */
export function readFrom(cursor: ChangeCursor, overlapSeconds: number): string {
	return shiftStamp(cursor.since, -overlapSeconds);
}

/** A row of a change feed: its id and change stamp. */
export interface ChangeRow {
	id: string;
	changedAt: string;
}

/**
 * Picks the rows to emit from a read (oldest first) and the cursor after emitting them: rows
 * already seen are skipped, at most `max` are taken, and the cursor never moves past the last
 * row taken, so rows left for the next poll are read again.
 */
export function advance<T extends ChangeRow>(
	cursor: ChangeCursor,
	rows: Iterable<T>,
	max: number,
	overlapSeconds: number,
): { emit: T[]; cursor: ChangeCursor } {
	const seen = new Set(cursor.seen);
	const emit: T[] = [];
	let since = cursor.since;
	for (const row of rows) {
		if (emit.length >= max) break;
		const key = changeKey(row.id, row.changedAt);
		if (seen.has(key)) continue;
		seen.add(key);
		emit.push(row);
		if (stampSeconds(row.changedAt) > stampSeconds(since)) since = row.changedAt;
	}
	const floor = stampSeconds(since) - overlapSeconds;
	const kept = [...seen].filter((key) => stampSeconds(key.slice(key.indexOf('@') + 1)) >= floor);
	return { emit, cursor: { since, seen: kept } };
}

/** Checks a cursor read back from static data; undefined when absent or damaged. */
export function readCursor(value: unknown): ChangeCursor | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const c = value as { since?: unknown; seen?: unknown };
	if (typeof c.since !== 'string' || !STAMP.test(c.since) || !Array.isArray(c.seen))
		return undefined;
	return {
		since: c.since,
		seen: c.seen.filter((k): k is string => typeof k === 'string' && k.includes('@')),
	};
}
