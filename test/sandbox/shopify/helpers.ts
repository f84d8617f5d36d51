/**
 * Test helpers for the Shopify stand-in: an in-process sandbox on a manual clock and a small
 * GraphQL client over real HTTP.
 */
import axios, { type AxiosResponse } from 'axios';
import * as http from 'node:http';
import { ManualClock } from '../../../sandbox/clock';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { shopifySystem } from '../../../sandbox/systems/shopify';
import type { SeedSpec } from '../../../sandbox/types';

export const TOKEN = 'shpat_sandbox_token';
export const SECRET = 'shpss_sandbox_secret';

const agent = new http.Agent({ keepAlive: false });

/** A GraphQL answer as Shopify sends it. */
export interface GqlBody {
	data?: Record<string, any> | null;
	errors?: any;
	extensions?: { cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } }; search?: any[] };
}

export interface ShopifyHarness {
	sandbox: Sandbox;
	clock: ManualClock;
	url: string;
	gql(query: string, variables?: Record<string, unknown>, options?: { version?: string; token?: string | null }): Promise<AxiosResponse<GqlBody>>;
	control(path: string, body: unknown): Promise<AxiosResponse<any>>;
	state(): any;
	close(): Promise<void>;
}

/** Starts a sandbox running only Shopify. */
export async function startShopify(seed: Partial<SeedSpec> = {}): Promise<ShopifyHarness> {
	const clock = new ManualClock();
	const sandbox = await startSandbox({ port: 0, systems: [shopifySystem], clock, seed: { seed: 'shopify-test', skus: 8, locations: 3, ...seed } });
	const url = sandbox.urlFor('shopify');
	return {
		sandbox,
		clock,
		url,
		gql: (query, variables = {}, options = {}) =>
			axios.post(`${url}/admin/api/${options.version ?? '2026-01'}/graphql.json`, { query, variables }, {
				headers: options.token === null ? {} : { 'X-Shopify-Access-Token': options.token ?? TOKEN },
				validateStatus: () => true,
				httpAgent: agent,
			}),
		control: (path, body) => axios.post(`${url}/_control/${path}`, body, { validateStatus: () => true, httpAgent: agent }),
		state: () => sandbox.state('shopify'),
		close: () => sandbox.close(),
	};
}

/** The first inventory item GID and location GIDs of the seeded shop, via the snapshot. */
export function firstLevel(h: ShopifyHarness): { sku: string; inventoryItemId: string; locationId: string; quantities: Record<string, number> } {
	return h.state().levels[0];
}
