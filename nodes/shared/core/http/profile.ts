/**
 * A system profile: everything that makes one vendor's API different, as data. The client is
 * the same for all seven systems; quirks go here, never into a forked client.
 */
import type { RetryOptions } from '../resilience/retry';
import {
	CommerceError,
	type ErrorKind,
	type StatusRule,
	type StatusTableOverrides,
} from './errors';
import type { TransportResponse } from './transport';

/**
 * A profile's reading of a response body: a status-table rule plus what the body says. Returned
 * by `classifyBody` for errors inside 2xx bodies (Shopify `THROTTLED`) or to refine a non-2xx
 * (HubSpot 429 `policyName: DAILY`).
 */
export interface BodyClassification extends StatusRule {
	/** The vendor's error code (`THROTTLED`, `MAX_COST_EXCEEDED`, `CONCURRENCY_LIMIT_EXCEEDED`). */
	code?: string;
	/** The wait the body implies; beats the Retry-After headers. */
	retryAfterMs?: number;
	/** The vendor's message, used instead of `messageFromBody`. */
	message?: string;
	/** What the user should do, instead of the default hint for the kind. */
	hint?: string;
}

/** Everything the client needs to know about one system. */
export interface SystemProfile {
	/** Short lower-case name used in errors and logs ('shopify', 'netsuite', ...). */
	system: string;
	/** Absolute http(s) URL that relative paths are resolved against; it fixes the allowed origin. */
	baseUrl: string;
	/** Headers sent with every request (Accept, API version). Never put secrets here: the
	 * n8n transport applies credentials. */
	defaultHeaders?: Readonly<Record<string, string>>;
	/** Entries on top of DEFAULT_STATUS_TABLE. */
	statusOverrides?: StatusTableOverrides;
	/**
	 * Reads a response body for errors the status does not show. For a 2xx, return undefined
	 * when the body is a success; for other statuses, undefined keeps the status table's rule.
	 */
	classifyBody?: (response: TransportResponse) => BodyClassification | undefined;
	/** Headers holding the server's wait, first parseable one wins; default `['retry-after']`.
	 * Values are read as Retry-After: seconds (fractions allowed) or an HTTP date. */
	retryAfterHeaders?: readonly string[];
	/** Headers holding the server's request id; default `['x-request-id']`. */
	requestIdHeaders?: readonly string[];
	/** Header that carries `idempotencyKey`, when the system has one. */
	idempotencyHeader?: string;
	/** Retry limits for this system (defaults: DEFAULT_RETRY_OPTIONS). */
	retry?: Partial<RetryOptions>;
	/** Extracts the vendor's error message from a body; default `defaultMessageFromBody`. */
	messageFromBody?: (body: unknown) => string | undefined;
	/**
	 * Refreshes credentials after a 401; the request is then sent once more. Without it a 401
	 * fails at once.
	 */
	refreshAuth?: () => Promise<void>;
	/** Default per-request timeout passed to the transport. */
	timeoutMs?: number;
	/** Hints per error kind, on top of the defaults. */
	hints?: Partial<Record<ErrorKind, string>>;
}

/** Default `retryAfterHeaders`. */
export const DEFAULT_RETRY_AFTER_HEADERS: readonly string[] = Object.freeze(['retry-after']);
/** Default `requestIdHeaders`. */
export const DEFAULT_REQUEST_ID_HEADERS: readonly string[] = Object.freeze(['x-request-id']);

/**
 * Checks a profile once, when a system module loads, so a typo fails loudly there rather than
 * on the first request. Returns the same profile, frozen.
 */
export function defineProfile<P extends SystemProfile>(profile: P): Readonly<P> {
	if (!profile.system || !/^[a-z][a-z0-9-]*$/.test(profile.system)) {
		throw new RangeError(
			`profile.system must be a short lower-case name like 'shopify', got '${profile.system}'`,
		);
	}
	parseBaseUrl(profile.baseUrl, profile.system);
	for (const [status, rule] of Object.entries(profile.statusOverrides ?? {})) {
		if (!/^[1-5]\d\d$/.test(status) || !rule || !rule.kind || !rule.action) {
			throw new RangeError(
				`profile ${profile.system}: statusOverrides[${status}] must be {kind, action} ` +
					'for an HTTP status',
			);
		}
	}
	return Object.freeze(profile);
}

function parseBaseUrl(baseUrl: string, system: string): URL {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		throw new CommerceError({
			kind: 'validation',
			system,
			retryable: false,
			message: `The ${system} base URL '${baseUrl}' is not a valid absolute URL`,
			hint: 'Set the base URL in the credential to the full address, like https://example.com/api.',
		});
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new CommerceError({
			kind: 'validation',
			system,
			retryable: false,
			message: `The ${system} base URL must use http or https, got ${url.protocol}`,
			hint: 'Set the base URL in the credential to an https:// address.',
		});
	}
	return url;
}

/** True when `url` is absolute (has a scheme). */
export function isAbsoluteUrl(url: string): boolean {
	return /^[a-z][a-z0-9+.-]*:/i.test(url);
}

/** True when absolute `url` has the same scheme, host and port as `baseUrl`. */
export function isSameOrigin(baseUrl: string, url: string): boolean {
	try {
		return new URL(url).origin === new URL(baseUrl).origin;
	} catch {
		return false;
	}
}

/**
 * Resolves a request path: a relative path is appended to the base URL (its path kept, slashes
 * normalised); an absolute URL (a next-page link) must share the base URL's origin, else a
 * CommerceError refuses it, so a hostile or buggy link can never receive our credentials.
 */
export function resolveRequestUrl(baseUrl: string, path: string, system: string): string {
	const base = parseBaseUrl(baseUrl, system);
	if (isAbsoluteUrl(path)) {
		if (!isSameOrigin(baseUrl, path)) {
			throw new CommerceError({
				kind: 'validation',
				system,
				retryable: false,
				code: 'OFF_ORIGIN_URL',
				message:
					`Refusing to send a ${system} request to ${safeOrigin(path)}: only ${base.origin} ` +
					'(the credential’s base URL) may receive it',
				hint: 'Use a path relative to the base URL, or fix the base URL in the credential.',
			});
		}
		return path;
	}
	const head = base.href.replace(/[?#].*$/, '').replace(/\/+$/, '');
	const tail = path.replace(/^\/+/, '');
	return tail === '' ? head : `${head}/${tail}`;
}

function safeOrigin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'an invalid URL';
	}
}

/**
 * Finds a readable message in the common error body shapes: `message`, `error` (string or
 * `{message}`), `errors[0].message`, `title`/`detail` (RFC 7807), NetSuite
 * `o:errorDetails[0].detail`, or a short text body.
 */
export function defaultMessageFromBody(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		if (text === '' || text.startsWith('<')) return undefined;
		return text.length > 300 ? `${text.slice(0, 300)}…` : text;
	}
	if (!body || typeof body !== 'object') return undefined;
	const b = body as Record<string, unknown>;
	const pick = (...values: unknown[]): string | undefined => {
		for (const value of values) if (typeof value === 'string' && value.trim()) return value.trim();
		return undefined;
	};
	const first = (list: unknown): Record<string, unknown> | undefined =>
		Array.isArray(list) && list[0] && typeof list[0] === 'object'
			? (list[0] as Record<string, unknown>)
			: undefined;
	const error = b.error as Record<string, unknown> | string | undefined;
	const netsuite = first(b['o:errorDetails']);
	const firstError = first(b.errors);
	const detail = pick(b.detail);
	const title = pick(b.title);
	return pick(
		netsuite?.detail,
		b.message,
		typeof error === 'string' ? error : error?.message,
		firstError?.message,
		firstError?.longMessage,
		title && detail ? `${title}: ${detail}` : (detail ?? title),
		b.error_description,
	);
}
