/**
 * The one seam between the kernel and the network. The n8n bridge implements it over
 * `this.helpers.httpRequestWithAuthentication`; tests implement it over the sandbox or a queue
 * of canned responses. The kernel never performs I/O by any other route.
 */

/** HTTP methods the kernel sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** A request exactly as it should go on the wire (URL already resolved against the base). */
export interface TransportRequest {
	method: HttpMethod;
	/** Absolute URL. */
	url: string;
	query?: Record<string, string | number | boolean | string[] | undefined>;
	headers?: Record<string, string>;
	/** JSON-serialisable body, or a string sent as is. */
	body?: unknown;
	/** Milliseconds before the transport gives up and throws a timeout. */
	timeoutMs?: number;
	signal?: AbortSignal;
}

/** A response of any status: transports must not throw on 4xx/5xx, the kernel classifies them. */
export interface TransportResponse {
	status: number;
	/** Header names lower-cased. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the response was JSON, else the raw text (or undefined when empty). */
	body: unknown;
}

/**
 * Sends one request. Resolves with the response whatever its status; rejects only when no
 * response arrived (connection refused/reset, DNS, timeout), with an error whose `code` names
 * the cause (`ECONNRESET`, `ETIMEDOUT`, `ECONNREFUSED`, ...).
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Reads a header from a transport response whatever its case or multiplicity. */
export function headerValue(
	headers: TransportResponse['headers'],
	name: string,
): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}
