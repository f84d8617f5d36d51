import type { Permit, RateLimiter, RateOutcome, RateRequest } from './types';
import { oncePermit } from './types';

/**
 * Several limits at once (HubSpot: 10-second window + daily; Akeneo: concurrency + requests per
 * second). Parts are acquired in the order given and released in reverse. Put concurrency
 * limits first: a window counts a request when it is acquired, so a request must not wait for
 * a slot after its window entry is taken.
 */
export class CompositeLimiter implements RateLimiter {
	constructor(readonly parts: readonly RateLimiter[]) {
		if (parts.length === 0) throw new RangeError('CompositeLimiter needs at least one part');
	}

	async acquire(request: RateRequest, signal?: AbortSignal): Promise<Permit> {
		const held: Permit[] = [];
		try {
			for (const part of this.parts) held.push(await part.acquire(request, signal));
		} catch (error) {
			for (const permit of held.reverse()) permit.release();
			throw error;
		}
		return oncePermit((outcome?: RateOutcome) => {
			for (const permit of [...held].reverse()) permit.release(outcome);
		});
	}

	onRateLimited(retryAfterMs: number | undefined, request?: RateRequest): void {
		for (const part of this.parts) part.onRateLimited(retryAfterMs, request);
	}
}
