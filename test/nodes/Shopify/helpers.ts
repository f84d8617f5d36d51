import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ShopifyAdmin } from '../../../nodes/Shopify/ShopifyAdmin.node';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

export const node = new ShopifyAdmin();

/** Shopify sandbox level as the state snapshot shows it. */
export interface Level {
	sku: string;
	inventoryItemId: string;
	locationId: string;
	quantities: Record<string, number>;
}

/** A started Shopify sandbox plus a way to run the node against it. */
export async function shopifySandbox(seed = { seed: 'node-tests', skus: 30, locations: 2 }) {
	const sandbox: Sandbox = await startSandbox({ systems: ['shopify'], seed });
	const credentials = (version = '2026-04'): IDataObject => ({
		shopDomain: 'sandbox.myshopify.com',
		accessToken: 'shpat_sandbox_token',
		apiVersion: version,
		appSecret: 'shpss_sandbox_secret',
		plan: 'standard',
		baseUrl: sandbox.urlFor('shopify'),
	});
	const run = async (
		params: Record<string, ParamValue>,
		items: IDataObject[] = [{}],
		options: { version?: string; continueOnFail?: boolean } = {},
	): Promise<INodeExecutionData[]> => {
		const creds = credentials(options.version);
		const ctx = fakeExecuteFunctions({
			description: node.description,
			inputs: items.map((json) => ({ json })),
			params,
			continueOnFail: options.continueOnFail ?? false,
			credentials: { shopifyAdminGraphqlApi: creds },
			helpers: n8nHttpHelpers({ shopifyAdminGraphqlApi: creds }) as never,
			node: { credentials: { shopifyAdminGraphqlApi: { id: 'test', name: 'sandbox' } } },
		});
		return (await node.execute.call(ctx))[0];
	};
	const levels = () => (sandbox.state('shopify') as { levels: Level[] }).levels;
	const level = (sku: string, locationId: string) => levels().find((l) => l.sku === sku && l.locationId === locationId) as Level;
	const mutations = () =>
		sandbox.requests({ system: 'shopify' }).filter((r) => r.method === 'POST');
	return {
		sandbox,
		credentials,
		run,
		levels,
		level,
		mutations,
		reset: () => {
			sandbox.reset('shopify');
			resetSystemLimiters();
		},
		/** Changes stock as a merchant would (no compare-and-set), to make a CAS go stale. */
		async merchantSets(sku: string, locationId: string, quantity: number) {
			const res = await fetch(`${sandbox.urlFor('shopify')}/_control/inventory`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ sku, locationId, name: 'available', quantity }),
			});
			if (!res.ok) throw new Error(`control call failed: ${res.status} ${await res.text()}`);
		},
		close: () => sandbox.close(),
	};
}

/** Parameters of Set Quantities for items carrying sku/locationId/target/current. */
export function setParams(overrides: Record<string, ParamValue> = {}): Record<string, ParamValue> {
	return {
		resource: 'inventory',
		operation: 'setQuantities',
		sku: (_i: number, item: INodeExecutionData) => item.json.sku,
		inventoryItemId: (_i: number, item: INodeExecutionData) => item.json.inventoryItemId ?? '',
		locationId: (_i: number, item: INodeExecutionData) => item.json.locationId,
		quantity: (_i: number, item: INodeExecutionData) => item.json.target,
		expectedQuantity: (_i: number, item: INodeExecutionData) => item.json.current ?? '',
		compareAndSet: true,
		quantityName: 'available',
		reason: 'correction',
		referenceDocumentUri: '',
		dryRun: false,
		correlationId: (_i: number, item: INodeExecutionData) => item.json.correlationId ?? '',
		...overrides,
	};
}
