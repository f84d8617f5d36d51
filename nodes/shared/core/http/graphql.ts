import type { HttpClient, HttpResponse } from './client';
import { CommerceError } from './errors';

/** One GraphQL call as an operation describes it. */
export interface GraphqlCall {
	query: string;
	variables?: Record<string, unknown>;
	/** Requested cost for cost-based limits (estimated by the caller, ≥ what the server charges). */
	cost?: number;
	/** Makes a mutation safe to retry (the system must honour the key, e.g. Shopify `@idempotent`). */
	idempotencyKey?: string;
	/** The mutation sets absolute values, so sending it twice is harmless. */
	absoluteSet?: boolean;
	/** Path of the GraphQL endpoint relative to the profile base URL (default `graphql.json`). */
	path?: string;
	signal?: AbortSignal;
}

/** A GraphQL success: the `data` member plus the raw response for headers and extensions. */
export interface GraphqlResult<T> {
	data: T;
	extensions?: Record<string, unknown>;
	response: HttpResponse<unknown>;
}

interface GraphqlBody {
	data?: unknown;
	errors?: Array<{ message?: string; path?: unknown[]; extensions?: { code?: string } }>;
	extensions?: Record<string, unknown>;
}

/**
 * Sends a GraphQL query or mutation through the kernel client. Queries are reads, so they are
 * always safe to retry; mutations only with an idempotency key or as absolute sets. Errors the
 * profile did not already classify (throttling) become a validation CommerceError carrying
 * the server's first message and code: a malformed document will not fix itself on retry.
 */
export async function graphqlRequest<T>(client: HttpClient, call: GraphqlCall): Promise<GraphqlResult<T>> {
	const isMutation = /^\s*mutation\b/.test(call.query);
	const response = await client.request<GraphqlBody>({
		method: 'POST',
		path: call.path ?? 'graphql.json',
		body: { query: call.query, variables: call.variables ?? {} },
		cost: call.cost,
		idempotencyKey: call.idempotencyKey,
		// A query changes nothing: repeating it is as safe as a GET.
		absoluteSet: isMutation ? call.absoluteSet : true,
		signal: call.signal,
	});
	const body = response.body ?? {};
	const errors = Array.isArray(body.errors) ? body.errors : [];
	if (errors.length > 0 && (body.data === undefined || body.data === null)) {
		const first = errors[0] ?? {};
		throw new CommerceError({
			kind: 'validation',
			system: client.profile.system,
			status: response.status,
			requestId: response.requestId,
			retryable: false,
			code: first.extensions?.code,
			message: `${client.profile.system} GraphQL error: ${first.message ?? 'unknown error'}${
				errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
			}`,
			body: { errors: errors.slice(0, 5) },
			hint: 'The request was refused as a whole; check the input values and the API version in the credential.',
		});
	}
	return { data: body.data as T, extensions: body.extensions, response };
}
