import { createHmac } from 'node:crypto';

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { HubSpotTrigger } from '../../../nodes/HubSpot/HubSpotTrigger.node';

const SECRET = 'client-secret-for-test';
const URL = 'https://n8n.example.com/webhook/abc/webhook';

/** Signs the way HubSpot documents it, written out here rather than reusing the node's check. */
function sign(method: string, uri: string, body: string, ts: string, secret = SECRET): string {
	return createHmac('sha256', secret).update(`${method}${uri}${body}${ts}`).digest('base64');
}

function call(body: string, headers: Record<string, string>, params: IDataObject = {}, url = '/webhook/abc/webhook') {
	const response = { statusCode: 200, payload: undefined as unknown };
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(payload: unknown) {
			response.payload = payload;
			return res;
		},
	};
	const ctx = {
		getRequestObject: () => ({ method: 'POST', originalUrl: url, rawBody: Buffer.from(body) }),
		getResponseObject: () => res,
		getHeaderData: () => headers,
		getBodyData: () => JSON.parse(body),
		getCredentials: async () => ({ clientSecret: SECRET }),
		getNode: () => ({ name: 'Trigger', credentials: {} }),
		getWorkflow: () => ({ id: 'test-workflow' }),
		getNodeWebhookUrl: () => URL,
		getNodeParameter: (name: string, fallback: unknown) => (name in params ? params[name] : fallback),
		helpers: { returnJsonArray: (rows: IDataObject[]) => rows.map((json) => ({ json })) },
	} as unknown as IWebhookFunctions;
	return { result: new HubSpotTrigger().webhook.call(ctx), response };
}

const events = JSON.stringify([
	{ eventId: 11, subscriptionType: 'contact.creation', objectId: 1201, portalId: 62515, occurredAt: 1 },
	{ eventId: 12, subscriptionType: 'deal.propertyChange', objectId: 1301, propertyName: 'amount', propertyValue: '9' },
]);

describe('HubSpot trigger', () => {
	it('accepts a valid v3 signature and emits one item per event, ids as strings', async () => {
		const ts = String(Date.now());
		const { result } = call(events, { 'x-hubspot-signature-v3': sign('POST', URL, events, ts), 'x-hubspot-request-timestamp': ts });
		const out = await result;
		expect(out.workflowData?.[0].map((i) => i.json)).toEqual([
			expect.objectContaining({ eventId: '11', objectId: '1201', subscriptionType: 'contact.creation' }),
			expect.objectContaining({ eventId: '12', objectId: '1301', propertyName: 'amount' }),
		]);
	});

	it('covers the query string in the signed URL and filters by event type', async () => {
		const ts = String(Date.now());
		const uri = `${URL}?src=hs`;
		const { result } = call(events, { 'x-hubspot-signature-v3': sign('POST', uri, events, ts), 'x-hubspot-request-timestamp': ts }, { events: ['deal.propertyChange'] }, '/webhook/abc/webhook?src=hs');
		const out = await result;
		expect(out.workflowData?.[0].map((i) => i.json.eventId)).toEqual(['12']);
	});

	it.each([
		['a wrong secret', () => ({ ts: String(Date.now()), sig: (ts: string) => sign('POST', URL, events, ts, 'other') }), /does not match/],
		['a stale timestamp', () => ({ ts: String(Date.now() - 6 * 60_000), sig: (ts: string) => sign('POST', URL, events, ts) }), /stale or replayed/],
		['a tampered body', () => ({ ts: String(Date.now()), sig: (ts: string) => sign('POST', URL, events.replace('9', '10'), ts) }), /does not match/],
	])('refuses %s with 401 and starts nothing', async (_what, make, reason) => {
		const { ts, sig } = make();
		const { result, response } = call(events, { 'x-hubspot-signature-v3': sig(ts), 'x-hubspot-request-timestamp': ts });
		expect(await result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
		expect((response.payload as { message: string }).message).toMatch(reason);
	});
});
