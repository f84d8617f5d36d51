import type {
	IAllExecuteFunctions,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { Transport, TransportRequest, TransportResponse } from '../core/http/transport';

/** Contexts whose helpers can send authenticated requests (execute, poll, webhook, load options). */
export type RequestContext = Pick<IAllExecuteFunctions, 'helpers' | 'getNode'>;

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * The kernel's Transport over `this.helpers.httpRequestWithAuthentication`: n8n applies the
 * credential (headers, signing, OAuth refresh) and we get every status back as data, because
 * the kernel — not n8n — decides what a 429 or a 503 means.
 */
export function createN8nTransport(ctx: RequestContext, credentialType: string): Transport {
	return async (request: TransportRequest): Promise<TransportResponse> => {
		const options: IHttpRequestOptions = {
			method: request.method as IHttpRequestMethods,
			url: request.url,
			qs: request.query as IDataObject | undefined,
			headers: request.headers,
			body: request.body as IHttpRequestOptions['body'],
			json: typeof request.body !== 'string',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs,
			abortSignal: request.signal,
			arrayFormat: 'repeat',
		};
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx as never,
				credentialType,
				options,
			)) as FullResponse;
			return {
				status: response.statusCode,
				headers: lowerCaseHeaders(response.headers ?? {}),
				body: parseMaybeJson(response.body),
			};
		} catch (error) {
			throw networkError(error);
		}
	};
}

function lowerCaseHeaders(headers: FullResponse['headers']): TransportResponse['headers'] {
	const out: TransportResponse['headers'] = {};
	for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
	return out;
}

// n8n returns text bodies for error statuses even when the server sent JSON.
function parseMaybeJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (!(text.startsWith('{') || text.startsWith('['))) return body === '' ? undefined : body;
	try {
		return JSON.parse(text);
	} catch {
		return body;
	}
}

/**
 * Keeps the network error code (ECONNRESET…) where the kernel looks for it. Errors without a
 * code (a missing credential, a bad URL) pass through unchanged: they are not network faults
 * and must not be retried as if they were.
 */
function networkError(error: unknown): unknown {
	const source = error as { code?: string; cause?: { code?: string }; message?: string };
	const code = source?.code ?? source?.cause?.code;
	if (!code) return error;
	const out = new Error(source?.message ?? 'The request failed before any response arrived');
	(out as Error & { code?: string }).code = code;
	return out;
}
