/**
 * Time, waiting and retrying: the Clock seam, Retry-After parsing, backoff with jitter, the
 * retry policy and the rules for when a request is safe to send twice.
 */
export type { Clock } from './clock';
export { abortError, isAbortError, raceAbort, throwIfAborted } from './abort';
export { parseRetryAfter } from './retryAfter';
export { DEFAULT_BACKOFF, backoffCeiling, fullJitterBackoff } from './backoff';
export type { BackoffOptions } from './backoff';
export {
	DEFAULT_RETRY_OPTIONS,
	NEVER_SENT_NETWORK_CODES,
	defaultRetryClassifier,
	formatMs,
	isSafeToRetry,
	isSafeToRetryAfterNetworkError,
	planRetryWait,
	resolveRetryOptions,
	retry,
} from './retry';
export type {
	AttemptContext,
	GiveUpEvent,
	GiveUpReason,
	RetryEvent,
	RetryOptions,
	RetryRunOptions,
	RetrySafetyInput,
	RetryVerdict,
	WaitSource,
} from './retry';
export { owedResends } from './resend';
export type { Owed } from './resend';
