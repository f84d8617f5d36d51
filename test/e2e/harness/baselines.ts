/**
 * How users do the work today, measured in a real n8n for the benchmarks: n8n's own nodes
 * (HTTP Request with Retry On Fail at its maximum) instead of ours.
 */
import type { IDataObject } from 'n8n-workflow';

import { startN8n } from './n8n';
import { webhookChain } from './workflow';

const SET_MUTATION = `mutation Set($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) { userErrors { code message } }
}`;

/**
 * One `inventorySetQuantities` per item through n8n's HTTP Request node (Retry On Fail: 5 tries,
 * 5 s apart — the most n8n allows), against the Shopify sandbox at `shopifyBase`.
 * Returns the wall time of the whole run.
 */
export async function runHttpRequestBaseline(
	shopifyBase: string,
	items: IDataObject[],
): Promise<{ items: number; seconds: number }> {
	const n8n = await startN8n({ major: 2 });
	try {
		const id = await n8n.createWorkflow(
			webhookChain('baseline: HTTP Request per item', 'baseline-shopify', [
				{ name: 'Split', type: 'n8n-nodes-base.splitOut', parameters: { fieldToSplitOut: 'body.items', options: {} } },
				{
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: {
						method: 'POST',
						url: `${shopifyBase}/admin/api/2026-01/graphql.json`,
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'X-Shopify-Access-Token', value: 'shpat_sandbox_token' }] },
						sendBody: true,
						specifyBody: 'json',
						jsonBody: `={{ JSON.stringify({ query: ${JSON.stringify(SET_MUTATION)}, variables: { input: { name: 'available', reason: 'correction', ignoreCompareQuantity: true, quantities: [{ inventoryItemId: $json.inventoryItemId, locationId: $json.locationId, quantity: $json.target }] } } }) }}`,
						options: {},
					},
				},
			]),
		);
		const workflow = (await n8n.request<{ nodes: Array<Record<string, unknown>> }>('GET', `/api/v1/workflows/${id}`)).body;
		for (const node of workflow.nodes) {
			if (node.name === 'HTTP Request') Object.assign(node, { retryOnFail: true, maxTries: 5, waitBetweenTries: 5000 });
		}
		await n8n.request('PUT', `/api/v1/workflows/${id}`, {
			name: 'baseline: HTTP Request per item',
			nodes: workflow.nodes,
			connections: (workflow as unknown as { connections: unknown }).connections,
			settings: { executionOrder: 'v1' },
		});
		await n8n.activate(id);
		// Warm up the webhook registration outside the measured run.
		await n8n.postWebhook('baseline-shopify', { items: [] });
		const started = Date.now();
		const res = await n8n.postWebhook('baseline-shopify', { items }, { retry404Ms: 0 });
		const seconds = (Date.now() - started) / 1000;
		if (res.status !== 200) throw new Error(`the baseline workflow answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
		return { items: items.length, seconds };
	} finally {
		await n8n.stop();
	}
}
