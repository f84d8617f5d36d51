import { CommerceError, isCommerceError } from '../../../nodes/shared/core/http/errors';
import {
	isSafeToRetry,
	isSafeToRetryAfterNetworkError,
	planRetryWait,
	resolveRetryOptions,
	retry,
	type GiveUpEvent,
	type RetryEvent,
} from '../../../nodes/shared/core/resilience/retry';
import { FakeClock } from '../../helpers/fakeClock';

function rateLimited(retryAfterMs?: number): CommerceError {
	return new CommerceError({
		kind: 'rateLimited',
		system: 'shipbob',
		message: 'shipbob GET /inventory-level failed with status 429',
		status: 429,
		requestId: 'req-9',
		retryAfterMs,
		retryable: true,
		code: 'RATE',
	});
}

function transient(): CommerceError {
	return new CommerceError({
		kind: 'transient',
		system: 'x',
		message: 'boom',
		status: 503,
		retryable: true,
	});
}

/** An operation failing with the given errors in turn, then returning 'ok'. */
function failing(...errors: unknown[]) {
	const calls: number[] = [];
	const op = async ({ attempt }: { attempt: number }) => {
		calls.push(attempt);
		const error = errors[attempt - 1];
		if (error !== undefined) throw error;
		return 'ok';
	};
	return { op, calls };
}

const backoff = { baseMs: 100, capMs: 10_000 };

describe('retry', () => {
	it('returns the first success without waiting', async () => {
		const clock = new FakeClock();
		const { op, calls } = failing();
		await expect(retry(op, { clock })).resolves.toBe('ok');
		expect(calls).toEqual([1]);
		expect(clock.sleeps).toEqual([]);
	});

	it('backs off with full jitter from the injected random source', async () => {
		const clock = new FakeClock();
		const { op, calls } = failing(transient(), transient(), transient());
		await expect(retry(op, { clock, backoff, random: () => 0.5 })).resolves.toBe('ok');
		expect(calls).toEqual([1, 2, 3, 4]);
		// floor(0.5 × (ceiling + 1)) for ceilings 100, 200, 400
		expect(clock.sleeps).toEqual([50, 100, 200]);
		expect(clock.now()).toBe(350);
	});

	it('keeps every jittered wait within [0, ceiling]', async () => {
		const ceilings = [100, 200, 400, 800];
		for (const r of [0, 0.999_999]) {
			const clock = new FakeClock();
			const { op } = failing(transient(), transient(), transient(), transient());
			const waits: number[] = [];
			await retry(op, { clock, backoff, random: () => r, onRetry: (e) => waits.push(e.waitMs) });
			expect(waits).toEqual(r === 0 ? [0, 0, 0, 0] : ceilings);
			expect(clock.now()).toBe(r === 0 ? 0 : 1_500);
		}
	});

	it('waits exactly the server’s Retry-After instead of the computed backoff', async () => {
		const clock = new FakeClock();
		const { op } = failing(rateLimited(25_000));
		const events: RetryEvent[] = [];
		await retry(op, { clock, backoff, random: () => 0, onRetry: (e) => events.push(e) });
		expect(clock.sleeps).toEqual([25_000]);
		expect(events).toMatchObject([{ attempt: 1, waitMs: 25_000, source: 'retryAfter' }]);
	});

	it('does not retry what the classifier refuses, and reports why', async () => {
		const clock = new FakeClock();
		const notFound = new CommerceError({
			kind: 'notFound',
			system: 'x',
			message: 'gone',
			retryable: false,
		});
		const { op, calls } = failing(notFound);
		const giveUps: GiveUpEvent[] = [];
		await expect(retry(op, { clock, onGiveUp: (e) => giveUps.push(e) })).rejects.toBe(notFound);
		expect(calls).toEqual([1]);
		expect(giveUps).toMatchObject([{ reason: 'notRetryable', attempts: 1, error: notFound }]);
	});

	it('does not retry plain errors by default', async () => {
		const clock = new FakeClock();
		const bug = new TypeError('x is undefined');
		const { op, calls } = failing(bug);
		await expect(retry(op, { clock })).rejects.toBe(bug);
		expect(calls).toEqual([1]);
	});

	it('stops after maxAttempts and throws the last failure', async () => {
		const clock = new FakeClock();
		const last = transient();
		const { op, calls } = failing(transient(), transient(), last, transient());
		const giveUps: GiveUpEvent[] = [];
		await expect(
			retry(op, {
				clock,
				backoff,
				maxAttempts: 3,
				random: () => 0,
				onGiveUp: (e) => giveUps.push(e),
			}),
		).rejects.toBe(last);
		expect(calls).toEqual([1, 2, 3]);
		expect(giveUps[0]).toMatchObject({ reason: 'maxAttempts', attempts: 3 });
	});

	it('fails fast, without sleeping, when Retry-After is above maxWaitMs', async () => {
		const clock = new FakeClock();
		const cause = rateLimited(120_000);
		const { op, calls } = failing(cause);
		const giveUps: GiveUpEvent[] = [];
		const error = await retry(op, {
			clock,
			maxWaitMs: 60_000,
			onGiveUp: (e) => giveUps.push(e),
		}).catch((e: unknown) => e);
		expect(calls).toEqual([1]);
		expect(clock.sleeps).toEqual([]);
		expect(isCommerceError(error)).toBe(true);
		const e = error as CommerceError;
		expect(e.message).toBe(
			'shipbob asked to wait 2 min before retrying, longer than the 1 min a single wait may last ' +
				'(maxWaitMs); not waiting (request id req-9)',
		);
		expect(e).toMatchObject({
			kind: 'rateLimited',
			retryable: true,
			retryAfterMs: 120_000,
			status: 429,
			code: 'RATE',
			attempts: 1,
			system: 'shipbob',
		});
		expect(e.hint).toMatch(/Retry node/);
		expect((e as Error & { cause?: unknown }).cause).toBe(cause);
		expect(giveUps).toMatchObject([{ reason: 'waitTooLong', cause, error }]);
	});

	it('fails fast when a required wait would pass the elapsed budget', async () => {
		const clock = new FakeClock();
		const { op, calls } = failing(rateLimited(6_000), rateLimited(6_000));
		const error = (await retry(op, { clock, maxElapsedMs: 10_000 }).catch(
			(e: unknown) => e,
		)) as CommerceError;
		expect(calls).toEqual([1, 2]);
		expect(clock.sleeps).toEqual([6_000]);
		expect(error.message).toMatch(
			/would pass the 10 s retry budget \(maxElapsedMs; 6 s already spent\)/,
		);
		expect(error.retryAfterMs).toBe(6_000);
		expect(error.attempts).toBe(2);
	});

	it('gives up with the last failure when computed backoff would pass the elapsed budget', async () => {
		const clock = new FakeClock();
		const last = transient();
		const slow = async ({ attempt }: { attempt: number }) => {
			await clock.sleep(4_000);
			if (attempt < 5) throw attempt === 2 ? last : transient();
			return 'ok';
		};
		const giveUps: GiveUpEvent[] = [];
		await expect(
			retry(slow, {
				clock,
				backoff: { baseMs: 2_000, capMs: 2_000 },
				random: () => 0.999_999,
				maxElapsedMs: 10_000,
				onGiveUp: (e) => giveUps.push(e),
			}),
		).rejects.toBe(last);
		// attempt 1 ends at 4 s, waits 2 s, attempt 2 ends at 10 s: another 2 s would pass 10 s
		expect(giveUps).toMatchObject([{ reason: 'maxElapsed', attempts: 2, elapsedMs: 10_000 }]);
	});

	it('keeps computed backoff within maxWaitMs', async () => {
		const clock = new FakeClock();
		const { op } = failing(transient());
		await retry(op, {
			clock,
			backoff: { baseMs: 90_000, capMs: 90_000 },
			maxWaitMs: 1_000,
			random: () => 0.999_999,
		});
		expect(clock.sleeps).toEqual([1_000]);
	});

	it('retries at once for an immediate verdict (after a credential refresh)', async () => {
		const clock = new FakeClock();
		const { op, calls } = failing(new Error('401'));
		await retry(op, { clock, classify: async () => ({ retry: true, immediate: true }) });
		expect(calls).toEqual([1, 2]);
		expect(clock.sleeps).toEqual([]);
	});

	it('stops waiting and attempting when the signal aborts during a wait', async () => {
		const clock = new FakeClock();
		const controller = new AbortController();
		const { op, calls } = failing(rateLimited(5_000));
		const running = retry(op, {
			clock,
			signal: controller.signal,
			// onRetry runs just before the sleep starts; abort once it has.
			onRetry: () => queueMicrotask(() => controller.abort()),
		});
		await expect(running).rejects.toMatchObject({ name: 'AbortError' });
		expect(calls).toEqual([1]);
		expect(clock.sleeps).toEqual([5_000]);
		expect(clock.now()).toBe(0);
	});

	it('does not start when the signal has already aborted', async () => {
		const clock = new FakeClock();
		const controller = new AbortController();
		controller.abort();
		const { op, calls } = failing();
		await expect(retry(op, { clock, signal: controller.signal })).rejects.toMatchObject({
			name: 'AbortError',
		});
		expect(calls).toEqual([]);
	});

	it('rejects nonsense limits naming the field', () => {
		expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(
			/maxAttempts must be an integer ≥ 1/,
		);
		expect(() => resolveRetryOptions({ maxWaitMs: -1 })).toThrow(/maxWaitMs/);
		expect(() => resolveRetryOptions({ maxElapsedMs: Number.NaN })).toThrow(/maxElapsedMs/);
	});
});

describe('planRetryWait', () => {
	it('prefers the server wait, rounds it up, and falls back to backoff for junk', () => {
		expect(planRetryWait({ attempt: 1, retryAfterMs: 1500.2 }, backoff, () => 0)).toEqual({
			waitMs: 1501,
			source: 'retryAfter',
		});
		expect(planRetryWait({ attempt: 2, retryAfterMs: Number.NaN }, backoff, () => 0.5)).toEqual({
			waitMs: 100,
			source: 'backoff',
		});
		expect(planRetryWait({ attempt: 2, retryAfterMs: 50, immediate: true })).toEqual({
			waitMs: 0,
			source: 'immediate',
		});
	});
});

describe('isSafeToRetry', () => {
	it.each([
		['GET', {}, true],
		['HEAD', {}, true],
		['PUT', {}, true],
		['DELETE', {}, true],
		['POST', {}, false],
		['PATCH', {}, false],
		['POST', { idempotencyKey: 'k1' }, true],
		['PATCH', { idempotencyKey: 'k1' }, true],
		['POST', { idempotencyKey: '' }, false],
		['POST', { absoluteSet: true }, true],
		['PATCH', { absoluteSet: false }, false],
	] as const)('%s %p → %p', (method, extra, expected) => {
		expect(isSafeToRetry({ method, ...extra })).toBe(expected);
	});

	it('retries an unsafe write after a network error only when it never reached the server', () => {
		expect(isSafeToRetryAfterNetworkError({ method: 'POST', code: 'ECONNREFUSED' })).toBe(true);
		expect(isSafeToRetryAfterNetworkError({ method: 'POST', code: 'ENOTFOUND' })).toBe(true);
		expect(isSafeToRetryAfterNetworkError({ method: 'POST', code: 'ECONNRESET' })).toBe(false);
		expect(isSafeToRetryAfterNetworkError({ method: 'POST', code: 'ETIMEDOUT' })).toBe(false);
		expect(
			isSafeToRetryAfterNetworkError({ method: 'PATCH', code: 'ECONNRESET', idempotencyKey: 'k' }),
		).toBe(true);
		expect(isSafeToRetryAfterNetworkError({ method: 'GET', code: 'ECONNRESET' })).toBe(true);
	});
});
