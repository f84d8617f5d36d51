import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { verifyHubSpotV3 } from '../shared/core/webhooks/signatures';
import { n8nClock } from '../shared/n8n/clock';
import { verifyWithCredential } from '../shared/n8n/signingCredentials';

const EVENT_TYPES = [
	'contact.creation', 'contact.propertyChange', 'contact.deletion',
	'company.creation', 'company.propertyChange', 'company.deletion',
	'deal.creation', 'deal.propertyChange', 'deal.deletion',
];

/**
 * HubSpot app webhooks (subscriptions are set in the app's settings, pointing at this node's
 * URL). Each delivery is a JSON array of up to 100 events; it is checked against signature v3
 * (HMAC-SHA256 of method, URL, body and timestamp with the app's client secret) and refused when
 * the timestamp is stale, then each event becomes one item. Deliveries are at least once and
 * unordered: dedupe on `eventId` downstream (Commerce Sync Dedupe).
 * API: https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
export class HubSpotTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot CRM (Commerce Sync) Trigger',
		name: 'hubSpotTrigger',
		icon: { light: 'file:hubSpot.svg', dark: 'file:hubSpot.dark.svg' },
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow on signed HubSpot webhook events (contacts, companies, deals)',
		defaults: { name: 'HubSpot CRM Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hubSpotPrivateAppApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_TYPES.map((e) => ({ name: e, value: e })),
				default: [],
				description: 'Only these subscription types start the workflow; none selected takes every event',
			},
			{
				displayName: 'Public URL Override',
				name: 'publicUrl',
				type: 'string',
				default: '',
				description: 'The exact URL HubSpot calls, when a proxy rewrites it on the way to n8n; the signature covers it. Empty uses this node’s webhook URL.',
			},
			{
				displayName: 'Max Age (Minutes)',
				name: 'maxAgeMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: 'Deliveries signed longer ago than this are refused as replays (HubSpot’s guidance: 5)',
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const headers = this.getHeaderData() as IDataObject;
		const override = String(this.getNodeParameter('publicUrl', '') ?? '').trim();
		const query = (req.originalUrl ?? req.url ?? '').split('?')[1];
		const uri = override || `${this.getNodeWebhookUrl('default')}${query ? `?${query}` : ''}`;
		const raw = (req as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.from(JSON.stringify(this.getBodyData()));
		const maxAgeMs = (this.getNodeParameter('maxAgeMinutes', 5) as number) * 60_000;
		const { verdict } = await verifyWithCredential<IDataObject>(this, 'hubSpotPrivateAppApi', (credentials) =>
			verifyHubSpotV3({
				method: req.method ?? 'POST',
				uri,
				rawBody: raw,
				signature: headers['x-hubspot-signature-v3'] as string | undefined,
				timestamp: headers['x-hubspot-request-timestamp'] as string | undefined,
				secret: String(credentials.clientSecret ?? ''),
				nowMs: n8nClock.now(),
				maxAgeMs,
			}),
		);
		if (!verdict.ok) {
			res.status(401).json({ message: verdict.reason });
			return { noWebhookResponse: true };
		}
		let events: unknown;
		try {
			events = JSON.parse(raw.toString('utf8'));
		} catch {
			res.status(400).json({ message: 'The body is not JSON' });
			return { noWebhookResponse: true };
		}
		const list = (Array.isArray(events) ? events : [events]) as IDataObject[];
		const wanted = this.getNodeParameter('events', []) as string[];
		const kept = list.filter((e) => wanted.length === 0 || wanted.includes(String(e.subscriptionType)));
		if (kept.length === 0) return {};
		return { workflowData: [this.helpers.returnJsonArray(kept.map((e) => ({ ...e, objectId: e.objectId === undefined ? undefined : String(e.objectId), eventId: e.eventId === undefined ? undefined : String(e.eventId) })))] };
	}
}
