/**
 * The request and response shapes system handlers see. Kept free of node's http types so a
 * handler is a plain function that is easy to read and to unit-test.
 */

/** Header values as node delivers them, with lower-case names. */
export type SandboxHeaders = Record<string, string | undefined>;

/** A response a handler (or the framework) wants sent. */
export interface SandboxResponse {
	status: number;
	headers?: Record<string, string | number>;
	/** Serialised as JSON unless `raw` is set. `undefined` means no body. */
	body?: unknown;
	/** Sent as-is (e.g. NDJSON, XML, a GraphQL text body). Takes precedence over `body`. */
	raw?: string | Buffer;
	/** Content-Type for `raw` (JSON bodies always get `application/json; charset=utf-8`). */
	contentType?: string;
}

/** Builds a JSON response. */
export function json(
	status: number,
	body: unknown,
	headers?: Record<string, string | number>,
): SandboxResponse {
	return { status, body, headers };
}

/** Builds a body-less response (e.g. 204). */
export function empty(status: number, headers?: Record<string, string | number>): SandboxResponse {
	return { status, headers };
}

/** Builds a text / raw response. */
export function text(
	status: number,
	raw: string | Buffer,
	contentType = 'text/plain; charset=utf-8',
	headers?: Record<string, string | number>,
): SandboxResponse {
	return { status, raw, contentType, headers };
}

/**
 * Throw from a handler to answer with a specific response (validation errors, 404s...) without
 * threading it back through every helper. Anything else a handler throws becomes a 500.
 */
export class SandboxHttpError extends Error {
	constructor(readonly response: SandboxResponse) {
		super(`Sandbox handler answered ${response.status}`);
		this.name = 'SandboxHttpError';
	}
}
