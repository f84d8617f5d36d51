import type { RateBudgetGrant, RateBudgetStore, RateBudgetTake } from './budgetStore';
import { SlidingLog } from './slidingLog';

/**
 * The reference `RateBudgetStore`: one sliding log per key, in this process's memory. Correct
 * within one process (single n8n instance, tests); backends for queue mode must pass the same
 * tests against a shared database.
 */
export class InMemoryRateBudgetStore implements RateBudgetStore {
	private readonly logs = new Map<string, SlidingLog>();

	async take(request: RateBudgetTake): Promise<RateBudgetGrant> {
		const { key, cost, limit, windowMs, nowMs } = request;
		if (cost > limit) {
			throw new RangeError(`budget ${key}: cost ${cost} can never fit a limit of ${limit}`);
		}
		let log = this.logs.get(key);
		if (!log || log.windowMs !== windowMs) {
			log = new SlidingLog(windowMs);
			this.logs.set(key, log);
		}
		const waitMs = log.waitFor(cost, limit, nowMs);
		if (waitMs > 0) {
			return { granted: false, waitMs, remaining: Math.max(0, limit - log.usedAt(nowMs)) };
		}
		log.add(cost, nowMs);
		return { granted: true, waitMs: 0, remaining: Math.max(0, limit - log.usedAt(nowMs)) };
	}
}
