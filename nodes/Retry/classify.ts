import { isCommerceError, ruleForStatus, TRANSIENT_NETWORK_CODES, type ErrorKind } from '../shared/core/http/errors';
import { parseRetryAfter } from '../shared/core/resilience/retryAfter';

/**
 * Reads the error an item carries — n8n's error-output shape (`json.error` as a message or a
 * serialized NodeApiError with `httpCode`), a raw network error (`code: 'ECONNRESET'`), or our
 * kernel's typed error details — and decides with the kernel's own table whether sending the
 * item again can help. No second classifier: statuses go through `ruleForStatus`, network codes
 * through `TRANSIENT_NETWORK_CODES`.
 */

/** What the Retry node needs to know about a failure. */
export interface Classified {
	retryable: boolean;
	kind: ErrorKind | 'unknown';
	status?: number;
	code?: string;
	/** Server-requested wait, in ms. */
	retryAfterMs?: number;
	requestId?: string;
	message: string;
}

type Loose = Record<string, unknown>;

const TIMEOUT_TEXT = /\b(timed? ?out|timeout|socket hang up|ECONNRESET|ECONNABORTED|network error)\b/i;

/**
 * Classifies one error.
 *
 * @param error the item's `json.error` (or the NodeError on `item.error`)
 * @param nowMs for turning a Retry-After date into a wait
 * @param unknownRetryable what to do when nothing says what went wrong
 */
export function classifyError(error: unknown, nowMs: number, unknownRetryable = false): Classified {
	if (error === undefined || error === null) {
		return { retryable: unknownRetryable, kind: 'unknown', message: 'The item carries no error' };
	}
	if (typeof error === 'string') return fromMessage(error, unknownRetryable);
	const e = error as Loose;
	const message = str(e.message) ?? str(e.description) ?? 'Unknown error';
	const requestId = str(e.requestId);

	// Our kernel already decided (typed error or its details on an error item).
	if (isCommerceError(error) || (typeof e.retryable === 'boolean' && typeof e.kind === 'string')) {
		return prune({
			retryable: e.retryable as boolean,
			kind: e.kind as ErrorKind,
			status: num(e.status),
			code: str(e.code),
			retryAfterMs: num(e.retryAfterMs) ?? retryAfterFrom(e, nowMs),
			requestId,
			message,
		});
	}

	const status = statusOf(e);
	if (status !== undefined && status >= 400) {
		const rule = ruleForStatus(status);
		// 401 asks the client to refresh credentials; by the time an item reaches this node that
		// has been tried, so it is an auth failure like 403.
		const retryable = rule.action === 'retry' || rule.action === 'rateLimited';
		return prune({ retryable, kind: rule.kind, status, retryAfterMs: retryAfterFrom(e, nowMs), requestId, message });
	}
	const code = codeOf(e);
	if (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)) {
		return prune({ retryable: true, kind: 'transient', code, requestId, message });
	}
	const byMessage = fromMessage(message, unknownRetryable);
	return prune({ ...byMessage, code, requestId });
}

function fromMessage(message: string, unknownRetryable: boolean): Classified {
	const status = /^\s*(\d{3})\b/.exec(message)?.[1] ?? /\bstatus(?: code)? (\d{3})\b/i.exec(message)?.[1];
	if (status) {
		const rule = ruleForStatus(Number(status));
		return {
			retryable: rule.action === 'retry' || rule.action === 'rateLimited',
			kind: rule.kind,
			status: Number(status),
			message,
		};
	}
	if (TIMEOUT_TEXT.test(message)) return { retryable: true, kind: 'transient', message };
	return { retryable: unknownRetryable, kind: 'unknown', message };
}

function statusOf(e: Loose): number | undefined {
	const response = (e.response ?? {}) as Loose;
	const cause = (e.cause ?? {}) as Loose;
	return (
		num(e.status) ?? num(e.httpCode) ?? num(e.statusCode) ?? num(response.status) ?? num(response.statusCode) ??
		num(cause.status) ?? num(cause.httpCode)
	);
}

function codeOf(e: Loose): string | undefined {
	const cause = (e.cause ?? {}) as Loose;
	const context = (e.context ?? {}) as Loose;
	return str(e.code) ?? str(cause.code) ?? str(context.code) ?? str(e.errno);
}

function retryAfterFrom(e: Loose, nowMs: number): number | undefined {
	const direct = num(e.retryAfterMs);
	if (direct !== undefined) return direct;
	const response = (e.response ?? {}) as Loose;
	for (const headers of [e.headers, response.headers, (e.cause as Loose | undefined)?.headers]) {
		if (!headers || typeof headers !== 'object') continue;
		for (const [name, value] of Object.entries(headers as Loose)) {
			if (name.toLowerCase() !== 'retry-after') continue;
			const first = Array.isArray(value) ? value[0] : value;
			const ms = parseRetryAfter(first === undefined || first === null ? undefined : String(first), nowMs);
			if (ms !== undefined) return ms;
		}
	}
	return num(e.retryAfter) !== undefined ? num(e.retryAfter)! * 1000 : undefined;
}

function num(v: unknown): number | undefined {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
	return undefined;
}

function str(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

function prune(c: Classified): Classified {
	for (const key of Object.keys(c) as Array<keyof Classified>) if (c[key] === undefined) delete c[key];
	return c;
}
