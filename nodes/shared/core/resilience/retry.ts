/**
 * The retry policy: which failures are retried, how long to wait, and when to stop. Shapes are
 * borrowed from cockatiel (`onRetry`/`onGiveUp`, a classifier deciding what is handled) and
 * p-retry (`maxRetryTime`, AbortSignal); waits go through the injected Clock only.
 *
 * Two rules matter more than the numbers:
 * - a wait the server asks for (`Retry-After`) beats our computed backoff, and a wait longer than
 *   we are allowed to sleep fails at once with a CommerceError that says what to do, instead of
 *   holding an n8n execution for minutes;
 * - a write is retried only when sending it twice cannot apply it twice (see `isSafeToRetry`).
 */
import type { HttpMethod } from '../http/transport';
import { CommerceError, isCommerceError, type ErrorKind } from '../http/errors';
import { abortError, throwIfAborted } from './abort';
import { DEFAULT_BACKOFF, fullJitterBackoff, type BackoffOptions } from './backoff';
import type { Clock } from './clock';

/** Limits of one retry run. */
export interface RetryOptions {
	/** Attempts in all, the first one included (1 = never retry). */
	maxAttempts: number;
	/** Time budget from the start of the first attempt; no retry starts after it. */
	maxElapsedMs: number;
	/** Longest single wait; a server-required wait above it fails fast instead of sleeping. */
	maxWaitMs: number;
	/** Computed backoff for failures that carry no server wait. */
	backoff: BackoffOptions;
}

/** Defaults: 5 attempts, 2 min in all, at most 60 s per wait, 500 ms → 30 s full jitter. */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = Object.freeze({
	maxAttempts: 5,
	maxElapsedMs: 120_000,
	maxWaitMs: 60_000,
	backoff: DEFAULT_BACKOFF,
});

/**
 * A classifier's answer for one failure. `retryAfterMs` is a wait the server required;
 * `immediate` retries with no wait at all (used after refreshing credentials).
 */
export type RetryVerdict =
	{ retry: false } | { retry: true; retryAfterMs?: number; immediate?: boolean };

/** What each attempt is told. */
export interface AttemptContext {
	/** 1 for the first attempt. */
	attempt: number;
	/** Clock time when the first attempt started. */
	startedAtMs: number;
	signal?: AbortSignal;
}

/** Where a wait came from. */
export type WaitSource = 'retryAfter' | 'backoff' | 'immediate';

/** Passed to `onRetry` just before sleeping. */
export interface RetryEvent {
	/** The failure being retried. */
	error: unknown;
	/** The attempt that failed (1 = the first). */
	attempt: number;
	waitMs: number;
	source: WaitSource;
	elapsedMs: number;
}

/** Why a run stopped retrying. */
export type GiveUpReason = 'notRetryable' | 'maxAttempts' | 'maxElapsed' | 'waitTooLong';

/** Passed to `onGiveUp` just before the run throws `error`. */
export interface GiveUpEvent {
	/** What the run throws: the last failure, or a fail-fast CommerceError wrapping it. */
	error: unknown;
	/** The last failure itself. */
	cause: unknown;
	attempts: number;
	elapsedMs: number;
	reason: GiveUpReason;
}

/** Everything one `retry` run needs besides the operation. */
export interface RetryRunOptions extends Partial<RetryOptions> {
	clock: Clock;
	/** Uniform [0, 1) source for jitter; injectable so tests are exact. */
	random?: () => number;
	/** Aborts waiting and stops further attempts; the abort error is thrown as is. */
	signal?: AbortSignal;
	/** System named in fail-fast errors when the failure is not a CommerceError. */
	system?: string;
	/**
	 * Decides whether a failure is retried. Default: `defaultRetryClassifier` (CommerceError
	 * `retryable` and `retryAfterMs`; anything else is not retried). May be async, e.g. to
	 * refresh credentials before answering `{retry: true, immediate: true}`.
	 */
	classify?: (
		error: unknown,
		context: { attempt: number; elapsedMs: number },
	) => RetryVerdict | Promise<RetryVerdict>;
	/** Called before each wait; must not throw. */
	onRetry?: (event: RetryEvent) => void;
	/** Called once when the run stops retrying, before it throws; must not throw. */
	onGiveUp?: (event: GiveUpEvent) => void;
}

/** Retries CommerceErrors marked retryable, honouring their `retryAfterMs`; nothing else. */
export function defaultRetryClassifier(error: unknown): RetryVerdict {
	if (isCommerceError(error) && error.retryable) {
		return { retry: true, retryAfterMs: error.retryAfterMs };
	}
	return { retry: false };
}

/**
 * The wait before the retry that follows failed attempt `attempt`: the server's wait when it
 * gave one, else full-jitter backoff. Pure; the Retry node uses it to schedule replays.
 */
export function planRetryWait(
	input: { attempt: number; retryAfterMs?: number; immediate?: boolean },
	backoff: BackoffOptions = DEFAULT_BACKOFF,
	random: () => number = Math.random,
): { waitMs: number; source: WaitSource } {
	if (input.immediate) return { waitMs: 0, source: 'immediate' };
	if (input.retryAfterMs !== undefined && Number.isFinite(input.retryAfterMs)) {
		return { waitMs: Math.max(0, Math.ceil(input.retryAfterMs)), source: 'retryAfter' };
	}
	return { waitMs: fullJitterBackoff(input.attempt, backoff, random), source: 'backoff' };
}

/**
 * Runs `operation` until it succeeds, the classifier refuses a retry, or a limit is reached.
 * On giving up it throws the last failure unchanged, except when the server required a wait we
 * may not make (above `maxWaitMs`, or past `maxElapsedMs`): then it throws a retryable
 * CommerceError with `retryAfterMs` and a hint, at once, without sleeping.
 */
export async function retry<T>(
	operation: (context: AttemptContext) => Promise<T>,
	options: RetryRunOptions,
): Promise<T> {
	const limits = resolveRetryOptions(options);
	const { clock, signal } = options;
	const random = options.random ?? Math.random;
	const classify = options.classify ?? defaultRetryClassifier;
	const startedAtMs = clock.now();

	for (let attempt = 1; ; attempt++) {
		throwIfAborted(signal);
		let failure: unknown;
		try {
			return await operation({ attempt, startedAtMs, signal });
		} catch (error) {
			failure = error;
		}
		if (signal?.aborted) throw abortError(signal);

		const elapsedMs = clock.now() - startedAtMs;
		const giveUp = (reason: GiveUpReason, thrown: unknown = failure): never => {
			options.onGiveUp?.({ error: thrown, cause: failure, attempts: attempt, elapsedMs, reason });
			throw thrown;
		};

		const verdict = await classify(failure, { attempt, elapsedMs });
		if (!verdict.retry) giveUp('notRetryable');
		if (attempt >= limits.maxAttempts) giveUp('maxAttempts');

		const planned = planRetryWait(
			{ attempt, ...(verdict as { retryAfterMs?: number; immediate?: boolean }) },
			limits.backoff,
			random,
		);
		const { source } = planned;
		// Our own backoff obeys maxWaitMs quietly; only a server-required wait fails fast.
		const waitMs =
			source === 'backoff' ? Math.min(planned.waitMs, limits.maxWaitMs) : planned.waitMs;
		const passesBudget = elapsedMs + waitMs > limits.maxElapsedMs;
		if (source === 'retryAfter' && (waitMs > limits.maxWaitMs || passesBudget)) {
			giveUp(
				'waitTooLong',
				waitTooLongError(failure, {
					waitMs,
					attempts: attempt,
					elapsedMs,
					limits,
					system: options.system,
				}),
			);
		}
		if (passesBudget) giveUp('maxElapsed');

		options.onRetry?.({ error: failure, attempt, waitMs, source, elapsedMs });
		if (waitMs > 0) await clock.sleep(waitMs, signal);
	}
}

/** Fills defaults and rejects nonsense limits with an error naming the field. */
export function resolveRetryOptions(options: Partial<RetryOptions> = {}): RetryOptions {
	const resolved: RetryOptions = {
		maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_OPTIONS.maxAttempts,
		maxElapsedMs: options.maxElapsedMs ?? DEFAULT_RETRY_OPTIONS.maxElapsedMs,
		maxWaitMs: options.maxWaitMs ?? DEFAULT_RETRY_OPTIONS.maxWaitMs,
		backoff: options.backoff ?? DEFAULT_RETRY_OPTIONS.backoff,
	};
	if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
		throw new RangeError(`retry maxAttempts must be an integer ≥ 1, got ${resolved.maxAttempts}`);
	}
	for (const field of ['maxElapsedMs', 'maxWaitMs'] as const) {
		if (!(resolved[field] >= 0)) {
			throw new RangeError(
				`retry ${field} must be a number of milliseconds ≥ 0, got ${resolved[field]}`,
			);
		}
	}
	return resolved;
}

function waitTooLongError(
	cause: unknown,
	info: {
		waitMs: number;
		attempts: number;
		elapsedMs: number;
		limits: RetryOptions;
		system?: string;
	},
): CommerceError {
	const source = isCommerceError(cause) ? cause : undefined;
	const system = source?.system ?? info.system ?? 'unknown';
	const why =
		info.waitMs > info.limits.maxWaitMs
			? `longer than the ${formatMs(info.limits.maxWaitMs)} a single wait may last (maxWaitMs)`
			: `which would pass the ${formatMs(info.limits.maxElapsedMs)} retry budget ` +
				`(maxElapsedMs; ${formatMs(info.elapsedMs)} already spent)`;
	const kind: ErrorKind = source?.kind ?? 'transient';
	return new CommerceError(
		{
			kind,
			message:
				`${system} asked to wait ${formatMs(info.waitMs)} before retrying, ` +
				`${why}; not waiting`,
			system,
			status: source?.status,
			requestId: source?.requestId,
			retryAfterMs: info.waitMs,
			retryable: true,
			body: source?.body,
			code: source?.code,
			attempts: info.attempts,
			hint:
				'Send the item again after the wait: route the error output to the Commerce Sync Retry ' +
				'node (it replays after retryAfterMs), or raise the max wait if holding the execution ' +
				'that long is acceptable.',
		},
		{ cause },
	);
}

/** "1.5 s", "2 min 5 s", "250 ms": for messages people read. */
export function formatMs(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
	const minutes = Math.floor(ms / 60_000);
	const seconds = Math.round((ms % 60_000) / 1000);
	if (minutes < 60) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** The facts about a request that decide whether sending it twice is harmless. */
export interface RetrySafetyInput {
	method: HttpMethod;
	/** A key the server de-duplicates on (header or in-body directive). */
	idempotencyKey?: string;
	/** The caller declares the write sets absolute values ("qty = 7"), never deltas. */
	absoluteSet?: boolean;
}

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * True when a request may be sent again after it possibly reached the server: GET, HEAD, PUT
 * and DELETE are idempotent by definition (RFC 9110 §9.2.2); POST and PATCH only with an
 * idempotency key or when the caller declares an absolute set.
 */
export function isSafeToRetry(input: RetrySafetyInput): boolean {
	if (IDEMPOTENT_METHODS.has(input.method)) return true;
	return Boolean(input.idempotencyKey) || input.absoluteSet === true;
}

/**
 * Network error codes that prove the request never reached the server (no connection was
 * made), so even an unsafe write can be sent again. Resets and timeouts are absent on purpose:
 * the server may have received and applied the request before the connection died.
 */
export const NEVER_SENT_NETWORK_CODES: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether a request that failed with network error `code` may be retried: always when the code
 * proves it was never sent, else only when the request is safe to repeat.
 */
export function isSafeToRetryAfterNetworkError(
	input: RetrySafetyInput & { code: string },
): boolean {
	return NEVER_SENT_NETWORK_CODES.has(input.code) || isSafeToRetry(input);
}
