import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { createHttpClient, type HttpClient } from '../core/http/client';
import type { SystemProfile } from '../core/http/profile';
import type { FetchPage, PageRequest } from '../core/pagination/types';
import { createRateLimiter, type RateLimitSpec } from '../core/ratelimit/factory';
import type { RateLimiter } from '../core/ratelimit/types';
import { n8nClock } from './clock';
import { stateStoreFromEnvironment } from './state/environment';
import { createSharedRateLimiter, type SharedBudgetStore } from './state/sharedLimits';
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

// One limiter per system + credential + base URL (+ shared store) in this process, so parallel
// executions of any workflow share one budget instead of each assuming a full bucket.
const limiters = new Map<string, RateLimiter>();

/** A shared budget installed explicitly (tests, benchmarks); wins over the environment's. */
let explicitBudget: { store: SharedBudgetStore; scope: string } | undefined;

/** Scope of the budget keys when the store comes from the environment. */
const ENVIRONMENT_SCOPE = 'default';

// Tells limiters built on different stores apart in the cache key.
const storeIds = new WeakMap<object, number>();
let lastStoreId = 0;

function storeId(store: object): number {
	let id = storeIds.get(store);
	if (id === undefined) {
		id = ++lastStoreId;
		storeIds.set(store, id);
	}
	return id;
}

/**
 * Shares rate budgets through `store` (tests, benchmarks). `undefined` goes back to the default:
 * the store named by COMMERCE_SYNC_STATE_STORE_URL when set (every queue-mode process reads
 * it), otherwise one budget per process.
 */
export function useSharedRateBudget(store: SharedBudgetStore | undefined, scope = 'default'): void {
	explicitBudget = store ? { store, scope } : undefined;
	limiters.clear();
}

/** Forgets every cached limiter (tests, and credential changes). */
export function resetSystemLimiters(): void {
	limiters.clear();
}

async function sharedBudget(): Promise<{ store: SharedBudgetStore; scope: string } | undefined> {
	if (explicitBudget) return explicitBudget;
	const store = await stateStoreFromEnvironment();
	return store ? { store, scope: ENVIRONMENT_SCOPE } : undefined;
}

/** The limiter for a system + credential + host: shared through the store when there is one. */
async function limiterFor(key: string, spec: () => RateLimitSpec, system: string): Promise<RateLimiter> {
	const shared = await sharedBudget();
	const cacheKey = shared ? `${key}|store-${storeId(shared.store)}` : key;
	let limiter = limiters.get(cacheKey);
	if (!limiter) {
		limiter = shared
			? createSharedRateLimiter(spec(), { clock: n8nClock, system, store: shared.store, storeKey: `${shared.scope}:${key}` })
			: createRateLimiter(spec(), { clock: n8nClock, system });
		limiters.set(cacheKey, limiter);
	}
	return limiter;
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
	const limiter = await limiterFor(key, () => definition.rateLimit(credentials), definition.system);
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
