/**
 * Typed errors and the one table that decides what a failed response means. A system profile
 * overrides entries of the table (say, NetSuite answers 400 for a concurrency limit) instead of
 * forking the client.
 */

/** What went wrong, in terms of what the caller should do about it. */
export type ErrorKind =
	| 'auth'
	| 'notFound'
	| 'validation'
	| 'conflict'
	| 'rateLimited'
	| 'transient'
	| 'fatal';

/**
 * What the client does with a failed response: retry it after backoff, wait for the rate
 * budget and retry, refresh credentials once and retry, or fail.
 */
export type ErrorAction = 'retry' | 'rateLimited' | 'refreshAuth' | 'fail';

/** One row of the status table. */
export interface StatusRule {
	kind: ErrorKind;
	action: ErrorAction;
}

/** Default meaning of each HTTP status; anything absent falls back by status class. */
export const DEFAULT_STATUS_TABLE: Readonly<Record<number, StatusRule>> = Object.freeze({
	400: { kind: 'validation', action: 'fail' },
	401: { kind: 'auth', action: 'refreshAuth' },
	403: { kind: 'auth', action: 'fail' },
	404: { kind: 'notFound', action: 'fail' },
	408: { kind: 'transient', action: 'retry' },
	409: { kind: 'conflict', action: 'fail' },
	412: { kind: 'conflict', action: 'fail' },
	422: { kind: 'validation', action: 'fail' },
	425: { kind: 'transient', action: 'retry' },
	429: { kind: 'rateLimited', action: 'rateLimited' },
	500: { kind: 'transient', action: 'retry' },
	502: { kind: 'transient', action: 'retry' },
	503: { kind: 'transient', action: 'retry' },
	504: { kind: 'transient', action: 'retry' },
});

/** A profile's overrides, entry by entry. */
export type StatusTableOverrides = Readonly<Record<number, StatusRule>>;

/** Looks a status up in the default table with a profile's overrides on top. */
export function ruleForStatus(status: number, overrides: StatusTableOverrides = {}): StatusRule {
	const rule = overrides[status] ?? DEFAULT_STATUS_TABLE[status];
	if (rule) return rule;
	if (status >= 500) return { kind: 'transient', action: 'retry' };
	if (status >= 400) return { kind: 'validation', action: 'fail' };
	return { kind: 'fatal', action: 'fail' };
}

/** Error codes that mean no response arrived, so the request may be retried when safe. */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
]);

/** Everything known about a failure, carried from the kernel up to the n8n error output. */
export interface CommerceErrorDetails {
	kind: ErrorKind;
	message: string;
	/** The system's name as used in profiles ('shopify', 'netsuite', ...). */
	system: string;
	status?: number;
	/** The system's own request id, for support tickets. */
	requestId?: string;
	/** Server-requested wait before retrying, in milliseconds. */
	retryAfterMs?: number;
	/** Whether sending the same request again could succeed. */
	retryable: boolean;
	/** The error body with secrets removed, for display. */
	body?: unknown;
	/** A system-specific code (`THROTTLED`, `CONCURRENCY_LIMIT_EXCEEDED`, `QuotaExceeded`...). */
	code?: string;
	/** How many attempts were made before giving up. */
	attempts?: number;
	/** A hint for the user on what to do. */
	hint?: string;
}

/** The single error type the kernel throws. */
export class CommerceError extends Error {
	readonly kind: ErrorKind;
	readonly system: string;
	readonly status?: number;
	readonly requestId?: string;
	readonly retryAfterMs?: number;
	readonly retryable: boolean;
	readonly body?: unknown;
	readonly code?: string;
	readonly attempts?: number;
	readonly hint?: string;

	constructor(details: CommerceErrorDetails, options?: { cause?: unknown }) {
		super(
			details.requestId ? `${details.message} (request id ${details.requestId})` : details.message,
			options,
		);
		this.name = 'CommerceError';
		this.kind = details.kind;
		this.system = details.system;
		this.status = details.status;
		this.requestId = details.requestId;
		this.retryAfterMs = details.retryAfterMs;
		this.retryable = details.retryable;
		this.body = details.body;
		this.code = details.code;
		this.attempts = details.attempts;
		this.hint = details.hint;
	}

	/** A plain object for item JSON: what the Retry node and error outputs read. */
	toJSON(): CommerceErrorDetails {
		return {
			kind: this.kind,
			message: this.message,
			system: this.system,
			status: this.status,
			requestId: this.requestId,
			retryAfterMs: this.retryAfterMs,
			retryable: this.retryable,
			body: this.body,
			code: this.code,
			attempts: this.attempts,
			hint: this.hint,
		};
	}
}

/** True for kernel errors, including ones that crossed a module boundary (duck-typed). */
export function isCommerceError(error: unknown): error is CommerceError {
	return (
		error instanceof CommerceError ||
		(typeof error === 'object' &&
			error !== null &&
			(error as { name?: unknown }).name === 'CommerceError' &&
			typeof (error as { kind?: unknown }).kind === 'string')
	);
}

/** Header and body keys whose values never leave the kernel. */
const SECRET_KEY = /(authorization|token|secret|password|api[-_]?key|cookie|signature|client[-_]?secret)/i;

/**
 * Returns a copy of an error body with secret-looking fields masked and long strings cut, so it
 * can go into item JSON, logs and error messages.
 */
export function cleanErrorBody(body: unknown, depth = 0): unknown {
	if (depth > 6) return '[truncated]';
	if (typeof body === 'string') return body.length > 2000 ? `${body.slice(0, 2000)}…` : body;
	if (Array.isArray(body)) return body.slice(0, 50).map((v) => cleanErrorBody(v, depth + 1));
	if (body && typeof body === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
			out[key] = SECRET_KEY.test(key) ? '[redacted]' : cleanErrorBody(value, depth + 1);
		}
		return out;
	}
	return body;
}
