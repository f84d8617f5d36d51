/**
 * Correctly signed deliveries whose body cannot be an event: the Shopify and ShipBob triggers
 * answer 400 and start nothing, instead of starting a run that fails (or quietly does nothing)
 * steps later. Found by the bad-input sweep (test/e2e/templates/bad-input.e2e.test.ts).
 */
import { createHmac } from 'node:crypto';

import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { ShipBobTrigger } from '../../nodes/ShipBob/ShipBobTrigger.node';
import { ShopifyAdminTrigger } from '../../nodes/Shopify/ShopifyAdminTrigger.node';

const APP_SECRET = 'shpss_bad_input_test';
const SHIPBOB_SECRET = `whsec_${Buffer.from('bad-input-test-secret-24b').toString('base64')}`;

interface Answer {
	status?: number;
	body?: unknown;
	data: IWebhookResponseData;
}

/** Calls a trigger's webhook with a raw body and headers, as n8n would, and records the answer. */
async function deliver(
	trigger: { webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> },
	raw: string,
	headers: Record<string, string>,
	params: IDataObject,
	bodyData: unknown,
): Promise<Answer> {
	const answer: Partial<Answer> = {};
	const response = {
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: unknown) {
			answer.body = body;
		},
	};
	const ctx = {
		getRequestObject: () => ({ rawBody: Buffer.from(raw, 'utf8'), body: bodyData }),
		getHeaderData: () => headers,
		getBodyData: () => bodyData,
		getResponseObject: () => response,
		getCredentials: async () => ({ appSecret: APP_SECRET }),
		getNode: () => ({ name: 'Trigger', credentials: {} }),
		getWorkflow: () => ({ id: 'test-workflow' }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in params ? params[name] : fallback),
		getWorkflowStaticData: () => ({ secret: SHIPBOB_SECRET }),
		helpers: { returnJsonArray: (rows: IDataObject | IDataObject[]) => (Array.isArray(rows) ? rows : [rows]).map((json) => ({ json })) },
	} as unknown as IWebhookFunctions;
	answer.data = await trigger.webhook.call(ctx);
	return answer as Answer;
}

const shopify = (raw: string, bodyData: unknown = raw) =>
	deliver(
		new ShopifyAdminTrigger(),
		raw,
		{ 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': createHmac('sha256', APP_SECRET).update(raw).digest('base64') },
		{ topics: ['ORDERS_CREATE'] },
		bodyData,
	);

function shipBob(raw: string, bodyData: unknown = raw) {
	const id = 'msg_1';
	const ts = String(Math.floor(Date.now() / 1000));
	const key = Buffer.from(SHIPBOB_SECRET.slice('whsec_'.length), 'base64');
	const signature = `v1,${createHmac('sha256', key).update(`${id}.${ts}.${raw}`).digest('base64')}`;
	return deliver(
		new ShipBobTrigger(),
		raw,
		{ 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature, 'x-webhook-topic': 'order.shipped' },
		{ events: ['order.shipped'] },
		bodyData,
	);
}

describe('Shopify trigger: signed deliveries that are not an event', () => {
	it('refuses a JSON list or a bare value with 400 and starts nothing', async () => {
		for (const raw of ['[{"id": 1}]', '"orders/create"', 'null', '42']) {
			const answer = await shopify(raw, JSON.parse(raw));
			expect({ raw, status: answer.status, body: answer.body }).toMatchObject({ raw, status: 400, body: { error: 'The delivery body is not a JSON object' } });
			expect(answer.data).toEqual({ noWebhookResponse: true });
		}
	});

	it('still starts the workflow with a signed order', async () => {
		const answer = await shopify('{"id": 7, "line_items": []}', { id: 7, line_items: [] });
		expect(answer.status).toBeUndefined();
		expect(answer.data.workflowData?.[0][0].json).toMatchObject({ topic: 'orders/create', payload: { id: 7 } });
	});
});

describe('Shopify trigger: signed inventory level deliveries that name no level', () => {
	// Found by the stock bad-input sweep: such a body started a run of the real-time stock template
	// that failed in a later node asking for its "Inventory Item IDs" setting.
	const level = (body: unknown) => {
		const raw = JSON.stringify(body);
		return deliver(
			new ShopifyAdminTrigger(),
			raw,
			{ 'x-shopify-topic': 'inventory_levels/update', 'x-shopify-hmac-sha256': createHmac('sha256', APP_SECRET).update(raw).digest('base64') },
			{ topics: ['INVENTORY_LEVELS_UPDATE'] },
			body,
		);
	};

	it('refuses a level without its inventory item or location, or with a quantity that is not a whole number, with 400 naming the field', async () => {
		const cases: Array<[unknown, RegExp]> = [
			[{ location_id: 5, available: 3 }, /"inventory_item_id" must be Shopify's numeric id, got nothing/],
			[{ inventory_item_id: 'gid://shopify/InventoryItem/9', location_id: 5, available: 3 }, /"inventory_item_id" must be Shopify's numeric id, got "gid:/],
			[{ inventory_item_id: 9, available: 3 }, /"location_id" must be Shopify's numeric id, got nothing/],
			[{ inventory_item_id: 9, location_id: 5, available: 1.5 }, /"available" must be a whole number \(negative when oversold\) or null, got 1.5/],
			[{ inventory_item_id: 9, location_id: 5, available: '4' }, /"available" must be a whole number .* got "4"/],
		];
		for (const [body, error] of cases) {
			const answer = await level(body);
			expect({ body, status: answer.status, data: answer.data }).toEqual({ body, status: 400, data: { noWebhookResponse: true } });
			expect((answer.body as { error: string }).error).toMatch(/^The delivery is not a Shopify inventory level: /);
			expect((answer.body as { error: string }).error).toMatch(error);
		}
	});

	it('still starts the workflow with a signed level, oversold (negative) or untracked (null) included', async () => {
		for (const available of [4, -2, null]) {
			const answer = await level({ inventory_item_id: 9, location_id: 5, available, updated_at: '2026-01-15T00:00:00Z' });
			expect(answer.status).toBeUndefined();
			expect(answer.data.workflowData?.[0][0].json).toMatchObject({ topic: 'inventory_levels/update', payload: { inventory_item_id: 9, available } });
		}
	});
});

describe('ShipBob trigger: signed deliveries that are not a shipment', () => {
	it('refuses a body that is not JSON (sent as text/plain, so n8n left it a string) with 400', async () => {
		const answer = await shipBob('{"id": 1, "tracking": {');
		expect(answer).toMatchObject({ status: 400, body: { error: 'The delivery body is not JSON' }, data: { noWebhookResponse: true } });
	});

	it('refuses a JSON value that is not an object with 400', async () => {
		const answer = await shipBob('"order.shipped"', 'order.shipped');
		expect(answer).toMatchObject({ status: 400, body: { error: 'The delivery body is not a JSON object' }, data: { noWebhookResponse: true } });
	});

	it('refuses a shipment without its id with 400, naming the field', async () => {
		const raw = JSON.stringify({ reference_id: 'shopify-1', status: 'Completed', tracking: { carrier: 'USPS', tracking_number: '9400' } });
		const answer = await shipBob(raw, JSON.parse(raw));
		expect(answer.status).toBe(400);
		expect((answer.body as { error: string }).error).toMatch(/^The delivery is not a ShipBob shipment: "id" must be a non-empty id/);
		expect(answer.data).toEqual({ noWebhookResponse: true });
	});

	it('still starts the workflow with a signed shipment', async () => {
		const raw = JSON.stringify({ id: 91, reference_id: 'shopify-1', status: 'Completed', tracking: { carrier: 'USPS', tracking_number: '9400' } });
		const answer = await shipBob(raw, JSON.parse(raw));
		expect(answer.status).toBeUndefined();
		expect(answer.data.workflowData?.[0][0].json).toMatchObject({ id: '91', referenceId: 'shopify-1', trackingNumber: '9400', topic: 'order.shipped' });
	});
});
