import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { createHttpClient, type HttpClient } from '../core/http/client';
import type { SystemProfile } from '../core/http/profile';
import type { FetchPage, PageRequest } from '../core/pagination/types';
import { createRateLimiter, type RateLimitSpec } from '../core/ratelimit/factory';
import type { RateBudgetStore } from '../core/ratelimit/budgetStore';
import type { RateLimiter } from '../core/ratelimit/types';
import { n8nClock } from './clock';
import { createN8nTransport, type RequestContext } from './transport';

/**
 * How one system plugs into the kernel: its credential type, and functions that turn the
 * credential into a profile (base URL, quirks) and a rate-limit spec. This is the whole
 * system-specific surface of the HTTP layer; a system folder writes no HTTP, retry or paging.
 */
export interface SystemDefinition<C extends ICredentialDataDecryptedObject = ICredentialDataDecryptedObject> {
	system: string;
	credentialType: string;
	profile(credentials: C): SystemProfile;
	rateLimit(credentials: C): RateLimitSpec;
}

/** Contexts a system client can be made from (execute, poll, webhook setup, list search). */
export type SystemContext = RequestContext & {
	getCredentials: IExecuteFunctions['getCredentials'];
};

/** A ready client plus what it was built from. */
export interface SystemClient<C> {
	client: HttpClient;
	credentials: C;
	profile: SystemProfile;
	/** A page fetcher over this client, for the kernel paginators. */
	fetchPage: FetchPage;
}

// One limiter per system + credential + base URL in this process, so parallel executions of
// any workflow using the same store share one budget instead of each assuming a full bucket.
const limiters = new Map<string, RateLimiter>();

/** Optional shared budget for queue mode, installed by the state-store bridge when configured. */
let sharedBudget: { store: RateBudgetStore; scope: string } | undefined;

/** Lets the state-store bridge share rate budgets across queue-mode workers. */
export function useSharedRateBudget(store: RateBudgetStore | undefined, scope = 'default'): void {
	sharedBudget = store ? { store, scope } : undefined;
	limiters.clear();
}

/** Forgets every cached limiter (tests, and credential changes). */
export function resetSystemLimiters(): void {
	limiters.clear();
}

/** Builds the kernel client for a system from the node's credential. */
export async function systemClient<C extends ICredentialDataDecryptedObject>(
	ctx: SystemContext,
	definition: SystemDefinition<C>,
): Promise<SystemClient<C>> {
	const credentials = (await ctx.getCredentials(definition.credentialType)) as C;
	const profile = definition.profile(credentials);
	const credentialId = ctx.getNode().credentials?.[definition.credentialType]?.id ?? 'inline';
	const key = `${definition.system}|${credentialId}|${profile.baseUrl}`;
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = createRateLimiter(definition.rateLimit(credentials), {
			clock: n8nClock,
			system: definition.system,
			store: sharedBudget?.store,
			storeKey: sharedBudget ? `${sharedBudget.scope}:${key}` : undefined,
		});
		limiters.set(key, limiter);
	}
	const client = createHttpClient({
		profile,
		transport: createN8nTransport(ctx, definition.credentialType),
		clock: n8nClock,
		limiter,
	});
	return { client, credentials, profile, fetchPage: pageFetcher(client) };
}

/** Adapts the kernel client to the paginators' fetch seam. */
export function pageFetcher(client: HttpClient, extra: { cost?: number; operation?: string } = {}): FetchPage {
	return async (request: PageRequest, signal?: AbortSignal) => {
		const response = await client.request({
			method: request.method ?? 'GET',
			path: request.url ?? request.path ?? '',
			query: request.url ? undefined : request.query,
			body: request.body,
			headers: request.headers,
			signal,
			...extra,
		});
		return { status: response.status, headers: response.headers, body: response.body };
	};
}
