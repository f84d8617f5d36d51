/**
 * An exact-enough sliding window log: it never lets more than `limit` units into any window of
 * `windowMs`. Takes within `resolutionMs` of each other share one entry stamped with the latest
 * of their times, which can only make entries expire later, never earlier — memory stays bounded
 * (≈ windowMs / resolutionMs entries, so a daily window costs no more than a 10-second one) and
 * the log stays on the safe side of the server's count.
 */
export class SlidingLog {
	private entries: Array<{ first: number; at: number; cost: number }> = [];
	private used = 0;

	/**
	 * @param windowMs the window length
	 * @param resolutionMs takes closer together than this are merged (default windowMs / 1000)
	 */
	constructor(
		readonly windowMs: number,
		readonly resolutionMs: number = windowMs / 1000,
	) {
		if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
	}

	/** Units taken within the window ending at `nowMs`. */
	usedAt(nowMs: number): number {
		this.prune(nowMs);
		return this.used;
	}

	/** Milliseconds until `cost` more units fit under `limit` (0 = they fit now). */
	waitFor(cost: number, limit: number, nowMs: number): number {
		this.prune(nowMs);
		if (this.used + cost <= limit) return 0;
		if (cost > limit) return Number.POSITIVE_INFINITY;
		let freed = 0;
		for (const entry of this.entries) {
			freed += entry.cost;
			if (this.used - freed + cost <= limit) return entry.at + this.windowMs - nowMs;
		}
		return this.windowMs;
	}

	/** Records `cost` units taken at `nowMs` (unconditionally; check `waitFor` first). */
	add(cost: number, nowMs: number): void {
		if (cost <= 0) return;
		const last = this.entries[this.entries.length - 1];
		if (last && nowMs - last.first < this.resolutionMs && nowMs >= last.at) {
			last.at = nowMs;
			last.cost += cost;
		} else {
			this.entries.push({ first: nowMs, at: Math.max(nowMs, last?.at ?? nowMs), cost });
		}
		this.used += cost;
	}

	/** True when nothing is left in the window. */
	isEmpty(nowMs: number): boolean {
		return this.usedAt(nowMs) === 0;
	}

	private prune(nowMs: number): void {
		let drop = 0;
		while (drop < this.entries.length && this.entries[drop].at + this.windowMs <= nowMs) {
			this.used -= this.entries[drop].cost;
			drop++;
		}
		if (drop > 0) this.entries.splice(0, drop);
	}
}
