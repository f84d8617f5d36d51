/**
 * The kernel's HTTP client: one per system profile and credential. It acquires rate budget,
 * sends through the injected Transport, settles the budget from the response, turns failures
 * into CommerceErrors and retries what is safe to retry — sleeping only through the Clock.
 */
import type { RateLimiter, RateRequest } from '../ratelimit/types';
import { UNLIMITED } from '../ratelimit/types';
import { isAbortError } from '../resilience/abort';
import type { Clock } from '../resilience/clock';
import {
	isSafeToRetry,
	isSafeToRetryAfterNetworkError,
	retry,
	type GiveUpEvent,
	type RetryEvent,
	type RetryVerdict,
} from '../resilience/retry';
import { parseRetryAfter } from '../resilience/retryAfter';
import {
	CommerceError,
	TRANSIENT_NETWORK_CODES,
	cleanErrorBody,
	isCommerceError,
	ruleForStatus,
	type ErrorAction,
	type ErrorKind,
} from './errors';
import {
	DEFAULT_REQUEST_ID_HEADERS,
	DEFAULT_RETRY_AFTER_HEADERS,
	defaultMessageFromBody,
	resolveRequestUrl,
	type SystemProfile,
} from './profile';
import { headerValue, type HttpMethod, type Transport, type TransportResponse } from './transport';

/** One request, as system operations describe it. */
export interface HttpRequest {
	method: HttpMethod;
	/** Path relative to the profile's base URL, or an absolute URL on the same origin. */
	path: string;
	query?: Record<string, string | number | boolean | string[] | undefined>;
	/** JSON-serialisable body, or a string sent as is. */
	body?: unknown;
	/** Extra headers; they override the profile's default headers. */
	headers?: Record<string, string>;
	/** Makes a POST/PATCH safe to retry; sent in the profile's `idempotencyHeader` if it has one
	 * (otherwise the operation carries it in the body, e.g. Shopify `@idempotent`). */
	idempotencyKey?: string;
	/** The write sets absolute values (never deltas), so repeating it is harmless. */
	absoluteSet?: boolean;
	/** Expected cost for cost-based limits (Shopify requested query cost). */
	cost?: number;
	/** Operation name for per-operation limits (SP-API). */
	operation?: string;
	/** Cancels waiting and sending. */
	signal?: AbortSignal;
	/** Overrides the profile's timeout. */
	timeoutMs?: number;
}

/** A successful response. `body` is the parsed JSON, cast to T unchecked. */
export interface HttpResponse<T> {
	status: number;
	headers: TransportResponse['headers'];
	body: T;
	/** Attempts made, 1 when the first succeeded. */
	attempts: number;
	requestId?: string;
}

/** What `createHttpClient` needs. */
export interface HttpClientOptions {
	profile: SystemProfile;
	transport: Transport;
	clock: Clock;
	/** Rate budget; default none. Share one limiter between clients of one credential. */
	limiter?: RateLimiter;
	/** Uniform [0, 1) source for backoff jitter. */
	random?: () => number;
	/** Called before each retry wait (for logs). */
	onRetry?: (event: RetryEvent & { system: string; method: HttpMethod; path: string }) => void;
	/** Called when a request stops retrying, just before it throws (for logs). */
	onGiveUp?: (event: GiveUpEvent & { system: string; method: HttpMethod; path: string }) => void;
}

/** A client bound to one system profile. */
export interface HttpClient {
	readonly profile: SystemProfile;
	/**
	 * Sends a request. Resolves with a 2xx response whose body the profile does not classify as
	 * an error. Rejects with a CommerceError for every failure the kernel understands (a status,
	 * an error body, a network error with a code, an off-origin URL, a cost that cannot fit), with
	 * the abort error when `signal` aborts, and passes any other error from the transport
	 * through untouched (it is not a network fault and is not retried).
	 */
	request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
const SECRET_NAME = /(authorization|token|secret|password|api[-_]?key|cookie|signature|session)/i;

/** Builds a client for one system (a factory, like shopify-app-js; no class to subclass). */
export function createHttpClient(options: HttpClientOptions): HttpClient {
	const { profile, transport, clock } = options;
	const limiter = options.limiter ?? UNLIMITED;
	const system = profile.system;
	const retryAfterHeaders = profile.retryAfterHeaders ?? DEFAULT_RETRY_AFTER_HEADERS;
	const requestIdHeaders = profile.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS;
	const messageFromBody = profile.messageFromBody ?? defaultMessageFromBody;

	async function request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
		if (!req || !METHODS.has(req.method)) {
			throw invalid(`method must be one of ${[...METHODS].join(', ')}, got '${req?.method}'`);
		}
		if (typeof req.path !== 'string') throw invalid('path must be a string');
		const url = resolveRequestUrl(profile.baseUrl, req.path, system);
		const path = pathnameOf(url);
		const headers: Record<string, string> = { ...profile.defaultHeaders, ...req.headers };
		if (req.idempotencyKey && profile.idempotencyHeader) {
			headers[profile.idempotencyHeader] = req.idempotencyKey;
		}
		const scrub = makeScrubber(secretValues(headers, req.query));
		const safe = isSafeToRetry(req);
		const rate: RateRequest = { operation: req.operation, cost: req.cost };
		const where = `${system} ${req.method} ${path}`;
		// Which table action produced each error we threw; errors not in here are never retried.
		const actions = new WeakMap<object, ErrorAction>();
		let refreshed = false;

		const fail = (details: {
			kind: ErrorKind;
			action: ErrorAction;
			message: string;
			attempt: number;
			status?: number;
			requestId?: string;
			retryAfterMs?: number;
			code?: string;
			body?: unknown;
			hint?: string;
			/** Overrides the rule: network errors decide it from their code. */
			retryable?: boolean;
		}): CommerceError => {
			const retryable =
				details.retryable ??
				(details.action === 'rateLimited' || (details.action === 'retry' && safe));
			const error = new CommerceError({
				kind: details.kind,
				system,
				message: scrub(details.message) as string,
				status: details.status,
				requestId: details.requestId,
				retryAfterMs: details.retryAfterMs,
				retryable,
				body: details.body === undefined ? undefined : scrub(cleanErrorBody(details.body)),
				code: details.code,
				attempts: details.attempt,
				hint:
					details.hint ??
					profile.hints?.[details.kind] ??
					defaultHint(details.kind, system, req.method, details.action === 'retry' && !safe),
			});
			actions.set(error, details.action);
			return error;
		};

		const attemptOnce = async ({ attempt }: { attempt: number }): Promise<HttpResponse<T>> => {
			const permit = await limiter.acquire(rate, req.signal);
			let response: TransportResponse;
			try {
				response = await transport({
					method: req.method,
					url,
					query: req.query,
					headers: { ...headers },
					body: req.body,
					timeoutMs: req.timeoutMs ?? profile.timeoutMs,
					signal: req.signal,
				});
			} catch (error) {
				permit.release();
				throw networkFailure(error, attempt);
			}
			permit.release({ status: response.status, headers: response.headers, body: response.body });

			const requestId = firstHeader(response.headers, requestIdHeaders);
			const verdict = profile.classifyBody?.(response);
			const ok = response.status >= 200 && response.status < 300;
			if (ok && !verdict) {
				return {
					status: response.status,
					headers: response.headers,
					body: response.body as T,
					attempts: attempt,
					requestId,
				};
			}
			const rule = verdict ?? ruleForStatus(response.status, profile.statusOverrides);
			const retryAfterMs = verdict?.retryAfterMs ?? headerWait(response.headers);
			if (rule.action === 'rateLimited') limiter.onRateLimited(retryAfterMs, rate);
			const vendor = verdict?.message ?? messageFromBody(response.body);
			const code = verdict?.code;
			const what = ok ? 'returned an error' : `failed with status ${response.status}`;
			throw fail({
				kind: rule.kind,
				action: rule.action,
				message: `${where} ${what}${code ? ` (${code})` : ''}${vendor ? `: ${vendor}` : ''}`,
				attempt,
				status: response.status,
				requestId,
				retryAfterMs,
				code,
				body: response.body,
				hint: verdict?.hint,
			});
		};

		const networkFailure = (error: unknown, attempt: number): unknown => {
			if (req.signal?.aborted || isCommerceError(error)) return error;
			// An abort we did not ask for is the transport giving up after timeoutMs.
			const code = isAbortError(error) ? 'ETIMEDOUT' : (error as { code?: unknown } | null)?.code;
			if (typeof code !== 'string' || code === '') return error;
			const known = TRANSIENT_NETWORK_CODES.has(code);
			const retryable = known && isSafeToRetryAfterNetworkError({ ...req, code });
			return fail({
				kind: 'transient',
				action: retryable ? 'retry' : 'fail',
				message: `${where} got no response (${code})`,
				attempt,
				code,
				retryable,
				hint: retryable
					? undefined
					: known
						? defaultHint('transient', system, req.method, true)
						: `The connection to ${system} failed with ${code}; check the base URL in the ` +
							'credential and that this n8n host can reach it.',
			});
		};

		const classify = async (error: unknown): Promise<RetryVerdict> => {
			const action = isCommerceError(error) ? actions.get(error) : undefined;
			if (!action || !isCommerceError(error)) return { retry: false };
			if (action === 'refreshAuth') {
				if (!profile.refreshAuth || refreshed) return { retry: false };
				refreshed = true;
				try {
					await profile.refreshAuth();
				} catch (refreshError) {
					throw new CommerceError({
						kind: 'auth',
						system,
						status: error.status,
						requestId: error.requestId,
						retryable: false,
						attempts: error.attempts,
						message: scrub(
							`${where} failed with status ${error.status ?? 401} and refreshing the ` +
								`credentials failed too: ${describe(refreshError)}`,
						) as string,
						hint: defaultHint('auth', system, req.method, false),
					});
				}
				return { retry: true, immediate: true };
			}
			if (!error.retryable) return { retry: false };
			return { retry: true, retryAfterMs: error.retryAfterMs };
		};

		return retry(attemptOnce, {
			...profile.retry,
			clock,
			random: options.random,
			signal: req.signal,
			system,
			classify,
			onRetry: options.onRetry
				? (event) => options.onRetry?.({ ...event, system, method: req.method, path })
				: undefined,
			onGiveUp: options.onGiveUp
				? (event) => options.onGiveUp?.({ ...event, system, method: req.method, path })
				: undefined,
		});
	}

	function headerWait(headers: TransportResponse['headers']): number | undefined {
		for (const name of retryAfterHeaders) {
			const wait = parseRetryAfter(headerValue(headers, name), clock.now());
			if (wait !== undefined) return wait;
		}
		return undefined;
	}

	function invalid(message: string): CommerceError {
		return new CommerceError({
			kind: 'validation',
			system,
			retryable: false,
			message: `Invalid ${system} request: ${message}`,
			hint: 'This is a bug in the operation that built the request; please report it.',
		});
	}

	return { profile, request };
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function firstHeader(
	headers: TransportResponse['headers'],
	names: readonly string[],
): string | undefined {
	for (const name of names) {
		const value = headerValue(headers, name);
		if (value) return value;
	}
	return undefined;
}

function pathnameOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url.replace(/[?#].*$/, '');
	}
}

/** Values of secret-looking headers and query parameters, so they can be cut from errors. */
function secretValues(headers: Record<string, string>, query: HttpRequest['query']): string[] {
	const values: string[] = [];
	const add = (name: string, value: unknown) => {
		if (!SECRET_NAME.test(name)) return;
		for (const v of Array.isArray(value) ? value : [value]) {
			if (typeof v !== 'string') continue;
			values.push(v);
			// "Bearer abc": the bare token may be echoed without its scheme.
			const bare = v.replace(/^(bearer|basic|token)\s+/i, '');
			if (bare !== v) values.push(bare);
		}
	};
	for (const [name, value] of Object.entries(headers)) add(name, value);
	for (const [name, value] of Object.entries(query ?? {})) add(name, value);
	// Short values would blank out ordinary words.
	return values.filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
}

const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

function makeScrubber(secrets: string[]): (value: unknown) => unknown {
	const scrubText = (text: string): string => {
		let out = text.replace(BEARER, (_m, scheme: string) => `${scheme} [redacted]`);
		for (const secret of secrets) out = out.split(secret).join('[redacted]');
		return out;
	};
	const walk = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return scrubText(value);
		if (depth > 8 || !value || typeof value !== 'object') return value;
		if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
		const out: Record<string, unknown> = {};
		for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
			out[key] = walk(v, depth + 1);
		}
		return out;
	};
	return (value) => walk(value, 0);
}

function defaultHint(
	kind: ErrorKind,
	system: string,
	method: HttpMethod,
	unsafeWrite: boolean,
): string {
	if (unsafeWrite) {
		return (
			`The request may have reached ${system} before it failed. It was not retried because a ` +
			`${method} without an idempotency key could apply twice: check in ${system} whether it ` +
			'took effect before sending the item again.'
		);
	}
	switch (kind) {
		case 'auth':
			return (
				`Check the ${system} credential: the token may be expired or revoked, or lack a ` +
				'permission (scope) this operation needs.'
			);
		case 'notFound':
			return (
				'Check the id in the input item; the record may not exist in ' +
				`${system} or may have been deleted.`
			);
		case 'validation':
			return (
				`${system} rejected the request content; fix the field named in the message and send ` +
				'the item again.'
			);
		case 'conflict':
			return (
				`The record changed in ${system} since it was read; read it again and retry with the ` +
				'current value.'
			);
		case 'rateLimited':
			return (
				`${system} kept rate-limiting this request. Send fewer items per run or fewer runs in ` +
				'parallel, or route the error output to the Commerce Sync Retry node to replay it later.'
			);
		case 'transient':
			return (
				`${system} had a temporary problem; send the item again later (the Commerce Sync ` +
				'Retry node can do this).'
			);
		default:
			return (
				`Unexpected response from ${system}; check the base URL and API version in the ` +
				'credential.'
			);
	}
}
