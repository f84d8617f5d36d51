import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { graphqlRequest } from '../shared/core/http/graphql';
import { verifyShopifyWebhook } from '../shared/core/webhooks/signatures';
import { verifyWithCredential } from '../shared/n8n/signingCredentials';
import { systemClient } from '../shared/n8n/system';
import { MUTATION_COST, cost } from './graphql/cost';
import { WEBHOOK_SUBSCRIPTIONS, WEBHOOK_SUBSCRIPTION_CREATE, WEBHOOK_SUBSCRIPTION_DELETE } from './graphql/documents';
import { shopify, type ShopifyCredentials } from './transport';

/** Topics offered, as Shopify's GraphQL enum and as the delivery's X-Shopify-Topic. */
export const TOPICS: Record<string, string> = {
	INVENTORY_LEVELS_UPDATE: 'inventory_levels/update',
	ORDERS_CREATE: 'orders/create',
	ORDERS_UPDATED: 'orders/updated',
	ORDERS_PAID: 'orders/paid',
	PRODUCTS_UPDATE: 'products/update',
	FULFILLMENTS_CREATE: 'fulfillments/create',
};

/**
 * Starts a workflow when Shopify pushes a change. Deliveries are verified against the app
 * secret (constant-time HMAC over the raw body); a forged or unsigned one is answered 401 and
 * starts nothing. Each item carries the event id, so a Dedupe node can drop Shopify's
 * duplicate deliveries, and the trigger time, so ordering can be checked.
 */
export class ShopifyAdminTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Shopify Admin GraphQL Trigger',
		name: 'shopifyAdminTrigger',
		icon: { light: 'file:shopify.svg', dark: 'file:shopify.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["topics"].join(", ")}}',
		description: 'Starts the workflow on Shopify inventory, order, product and fulfilment events',
		defaults: { name: 'Shopify Admin GraphQL Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shopifyAdminGraphqlApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Topics',
				name: 'topics',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Fulfillment Created', value: 'FULFILLMENTS_CREATE' },
					{ name: 'Inventory Level Updated', value: 'INVENTORY_LEVELS_UPDATE' },
					{ name: 'Order Created', value: 'ORDERS_CREATE' },
					{ name: 'Order Paid', value: 'ORDERS_PAID' },
					{ name: 'Order Updated', value: 'ORDERS_UPDATED' },
					{ name: 'Product Updated', value: 'PRODUCTS_UPDATE' },
				],
				default: ['INVENTORY_LEVELS_UPDATE'],
				description: 'Events that start the workflow; one subscription is registered per topic',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') as string;
				const topics = this.getNodeParameter('topics') as string[];
				const existing = await listSubscriptions(this, url);
				const data = this.getWorkflowStaticData('node');
				const ids: IDataObject = {};
				for (const topic of topics) {
					const sub = existing.find((s) => s.topic === topic);
					if (!sub) return false;
					ids[topic] = sub.id;
				}
				data.subscriptions = ids;
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') as string;
				const topics = this.getNodeParameter('topics') as string[];
				const { client } = await systemClient(this, shopify);
				const existing = await listSubscriptions(this, url);
				const ids: IDataObject = {};
				for (const topic of topics) {
					const found = existing.find((s) => s.topic === topic);
					if (found) {
						ids[topic] = found.id;
						continue;
					}
					const { data } = await graphqlRequest<{ webhookSubscriptionCreate: { webhookSubscription: { id: string } | null; userErrors: Array<{ message: string }> } }>(client, {
						query: WEBHOOK_SUBSCRIPTION_CREATE,
						variables: { topic, callbackUrl: url },
						cost: MUTATION_COST,
					});
					const created = data.webhookSubscriptionCreate;
					if (!created.webhookSubscription) {
						throw new NodeOperationError(this.getNode(), `Shopify refused the ${TOPICS[topic] ?? topic} subscription: ${created.userErrors?.[0]?.message ?? 'unknown reason'}`);
					}
					ids[topic] = created.webhookSubscription.id;
				}
				this.getWorkflowStaticData('node').subscriptions = ids;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const ids = Object.values((data.subscriptions as IDataObject | undefined) ?? {}) as string[];
				if (ids.length === 0) return true;
				const { client } = await systemClient(this, shopify);
				for (const id of ids) {
					try {
						await graphqlRequest(client, { query: WEBHOOK_SUBSCRIPTION_DELETE, variables: { id }, cost: MUTATION_COST, absoluteSet: true });
					} catch {
						// Already gone in Shopify (removed by hand or after failures): nothing left to delete.
					}
				}
				delete data.subscriptions;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as { rawBody?: Buffer; body?: unknown };
		const headers = this.getHeaderData() as Record<string, string | undefined>;
		const raw = req.rawBody ?? Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? {}));
		const { verdict } = await verifyWithCredential<ShopifyCredentials>(this, 'shopifyAdminGraphqlApi', (credentials) =>
			verifyShopifyWebhook(raw, headers['x-shopify-hmac-sha256'], credentials.appSecret ?? ''),
		);
		if (!verdict.ok) {
			const res = this.getResponseObject();
			res.status(401).json({ error: 'Webhook signature verification failed', reason: verdict.reason });
			return { noWebhookResponse: true };
		}
		const topic = headers['x-shopify-topic'] ?? '';
		const wanted = (this.getNodeParameter('topics') as string[]).map((t) => TOPICS[t]);
		if (!wanted.includes(topic)) {
			// A signed delivery for a topic this workflow does not listen to: acknowledge, start nothing.
			return { webhookResponse: { received: true, ignored: topic } };
		}
		let payload: unknown;
		try {
			payload = JSON.parse(raw.toString('utf8'));
		} catch {
			const res = this.getResponseObject();
			res.status(400).json({ error: 'The delivery body is not JSON' });
			return { noWebhookResponse: true };
		}
		if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
			// Every Shopify topic delivers one JSON object. A list or a bare value would start a run
			// that fails steps later with an error naming nothing, so it is refused here, where the
			// sender sees it.
			const res = this.getResponseObject();
			res.status(400).json({ error: 'The delivery body is not a JSON object', got: Array.isArray(payload) ? 'a list' : payload === null ? 'null' : typeof payload });
			return { noWebhookResponse: true };
		}
		const wrong = topic.startsWith('inventory_levels/') ? inventoryLevelProblem(payload as IDataObject) : undefined;
		if (wrong) {
			// A level change names the item and the location; without them the run could only fail
			// steps later asking for a node setting, so the sender is told here what is wrong.
			const res = this.getResponseObject();
			res.status(400).json({ error: `The delivery is not a Shopify inventory level: ${wrong}` });
			return { noWebhookResponse: true };
		}
		return {
			workflowData: [
				this.helpers.returnJsonArray({
					topic,
					eventId: headers['x-shopify-event-id'] ?? null,
					webhookId: headers['x-shopify-webhook-id'] ?? null,
					triggeredAt: headers['x-shopify-triggered-at'] ?? null,
					shopDomain: headers['x-shopify-shop-domain'] ?? null,
					apiVersion: headers['x-shopify-api-version'] ?? null,
					payload: payload as IDataObject,
				}),
			],
		};
	}
}

/** What is wrong with an `inventory_levels/*` body (REST shape), or undefined when it is one. */
export function inventoryLevelProblem(payload: IDataObject): string | undefined {
	for (const field of ['inventory_item_id', 'location_id']) {
		const value = payload[field];
		const ok = (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^\s*[1-9]\d*\s*$/.test(value));
		if (!ok) return `"${field}" must be Shopify's numeric id, got ${shown(value)}; a level change always names its inventory item and location`;
	}
	const available = payload.available;
	if (available !== undefined && available !== null && !(typeof available === 'number' && Number.isInteger(available))) {
		return `"available" must be a whole number (negative when oversold) or null, got ${shown(available)}`;
	}
	return undefined;
}

function shown(value: unknown): string {
	if (value === undefined) return 'nothing';
	return JSON.stringify(value)?.slice(0, 60) ?? String(value);
}

async function listSubscriptions(ctx: IHookFunctions, url: string): Promise<Array<{ id: string; topic: string }>> {
	const { client } = await systemClient(ctx, shopify);
	const { data } = await graphqlRequest<{ webhookSubscriptions: { nodes: Array<{ id: string; topic: string; endpoint?: { callbackUrl?: string } }> } }>(client, {
		query: WEBHOOK_SUBSCRIPTIONS,
		variables: { first: 100, callbackUrl: url },
		cost: cost.webhookSubscriptions(100),
	});
	return data.webhookSubscriptions.nodes.filter((n) => !n.endpoint?.callbackUrl || n.endpoint.callbackUrl === url);
}
