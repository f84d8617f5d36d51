import { randomBytes } from 'node:crypto';

import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { verifyStandardWebhook } from '../shared/core/webhooks/signatures';
import { systemClient } from '../shared/n8n/system';
import { shipmentFromShipBob } from './mappers';
import { shipBobDefinition } from './transport';

/** Shipment topics ShipBob can push (2026-01). */
export const SHIPMENT_TOPICS = [
	'order.shipped',
	'order.shipment.delivered',
	'order.shipment.exception',
	'order.shipment.on_hold',
	'order.shipment.cancelled',
] as const;

/**
 * Starts a workflow on ShipBob shipment events. Activation subscribes this workflow's URL with a
 * signing secret of its own; every delivery's Standard Webhooks signature is checked against it
 * and anything unsigned, tampered or stale is refused with 401.
 * API: https://developer.shipbob.com/webhooks
 */
export class ShipBobTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ShipBob 3PL (Commerce Sync) Trigger',
		name: 'shipBobTrigger',
		icon: { light: 'file:shipBob.svg', dark: 'file:shipBob.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when ShipBob ships, delivers or holds a shipment',
		defaults: { name: 'ShipBob 3PL Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shipBobApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Shipment Cancelled', value: 'order.shipment.cancelled' },
					{ name: 'Shipment Delivered', value: 'order.shipment.delivered' },
					{ name: 'Shipment Exception', value: 'order.shipment.exception' },
					{ name: 'Shipment On Hold', value: 'order.shipment.on_hold' },
					{ name: 'Shipped', value: 'order.shipped' },
				],
				default: ['order.shipped'],
				required: true,
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				if (typeof data.webhookId !== 'string') return false;
				const { client } = await systemClient(this, shipBobDefinition);
				const list = await client.request<{ items?: IDataObject[] }>({
					method: 'GET',
					path: '/webhook',
				});
				const found = (list.body.items ?? []).some(
					(w) => String(w.id) === data.webhookId && w.url === this.getNodeWebhookUrl('default'),
				);
				if (!found) {
					delete data.webhookId;
					delete data.secret;
				}
				return found;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const topics = this.getNodeParameter('events', []) as string[];
				// Our own secret, so it is known even if the answer were lost: whsec_ + 32 base64 characters.
				const secret = `whsec_${randomBytes(24).toString('base64')}`;
				const { client } = await systemClient(this, shipBobDefinition);
				const response = await client.request<IDataObject>({
					method: 'POST',
					path: '/webhook',
					body: {
						topics,
						url: this.getNodeWebhookUrl('default'),
						secret,
						description: `n8n workflow ${this.getWorkflow().id ?? ''}`.trim(),
					},
				});
				const data = this.getWorkflowStaticData('node');
				data.webhookId = String(response.body.id);
				data.secret = typeof response.body.secret === 'string' ? response.body.secret : secret;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				if (typeof data.webhookId === 'string') {
					const { client } = await systemClient(this, shipBobDefinition);
					try {
						await client.request({
							method: 'DELETE',
							path: `/webhook/${encodeURIComponent(data.webhookId)}`,
						});
					} catch (error) {
						if ((error as { status?: number }).status !== 404) throw error;
					}
				}
				delete data.webhookId;
				delete data.secret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const headers = this.getHeaderData() as Record<string, string | undefined>;
		const request = this.getRequestObject() as unknown as { rawBody?: Buffer | string };
		const rawBody = request.rawBody ?? JSON.stringify(this.getBodyData());
		const secret = this.getWorkflowStaticData('node').secret;
		const check = verifyStandardWebhook({
			id: headers['webhook-id'],
			timestamp: headers['webhook-timestamp'],
			signature: headers['webhook-signature'],
			rawBody,
			secret: typeof secret === 'string' ? secret : '',
			nowMs: Date.now(),
		});
		if (!check.ok) {
			this.getResponseObject()
				.status(401)
				.json({ error: 'invalid signature', reason: check.reason });
			return { noWebhookResponse: true };
		}
		const topic = headers['x-webhook-topic'] ?? '';
		const events = this.getNodeParameter('events', []) as string[];
		if (topic && !events.includes(topic)) return {};
		// Parsed from the signed bytes, not from n8n's body: n8n leaves a text/plain body a string
		// and an unknown content type {}, and either would start a run with no shipment in it.
		let body: IDataObject;
		try {
			body = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8')) as IDataObject;
		} catch {
			return refuse(this, 'The delivery body is not JSON');
		}
		if (body === null || typeof body !== 'object' || Array.isArray(body)) {
			return refuse(this, 'The delivery body is not a JSON object');
		}
		let shipment: IDataObject;
		try {
			shipment = shipmentFromShipBob(body);
		} catch (error) {
			// Every topic offered is a shipment event; one without a usable shipment id would pass
			// every later step as "not a Shopify order" and vanish, so the sender hears of it.
			return refuse(this, `The delivery is not a ShipBob shipment: ${(error as Error).message}`);
		}
		return {
			workflowData: [
				this.helpers.returnJsonArray([
					{ topic, eventId: headers['webhook-id'], ...shipment, payload: body },
				]),
			],
		};
	}
}

/** Answers a signed delivery that cannot be a shipment event with 400, starting nothing. */
function refuse(ctx: IWebhookFunctions, error: string): IWebhookResponseData {
	ctx.getResponseObject().status(400).json({ error });
	return { noWebhookResponse: true };
}
