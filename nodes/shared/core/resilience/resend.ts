/** Re-sends still owed for one row (or SKU): when the next is due, how many are left, and the gap before it. */
export type Owed = [dueAtMs: number, left: number, gapMs: number];

/**
 * Which keys go out again at `nowMs`: the re-sends owed that have come due, with the book
 * updated in place (the next re-send of a key waits twice as long as the one before).
 *
 * A poll trigger's static data is recorded as soon as the poll returns, before the execution it
 * started has run. An execution that then dies (a queue-mode worker killed, n8n restarted
 * mid-run) would take the change with it: the next poll sees nothing new. So each change goes
 * out again a few times; the workflow downstream writes only what still differs, so a re-send
 * that finds everything in sync costs reads, not writes.
 */
export function owedResends(owed: Record<string, Owed>, nowMs: number, sentNow: ReadonlySet<string>): string[] {
	const due: string[] = [];
	for (const [key, [at, left, gap]] of Object.entries(owed)) {
		if (sentNow.has(key) || at > nowMs) continue;
		due.push(key);
		if (left > 1) owed[key] = [nowMs + gap * 2, left - 1, gap * 2];
		else delete owed[key];
	}
	return due;
}
