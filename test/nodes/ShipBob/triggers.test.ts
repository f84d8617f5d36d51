import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	IDataObject,
	IHookFunctions,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { ShipBobInventoryTrigger } from '../../../nodes/ShipBob/ShipBobInventoryTrigger.node';
import { ShipBobTrigger } from '../../../nodes/ShipBob/ShipBobTrigger.node';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { SHIPBOB_SANDBOX_TOKEN } from '../../../sandbox/systems/shipbob';
import { n8nHttpHelpers, sendHttp } from '../../helpers/n8nHttp';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		port: 0,
		systems: ['shipbob'],
		seed: { seed: 'sb-trigger', skus: 8, locations: 2 },
	});
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
});

const credentials = () => ({
	shipBobApi: {
		accessToken: SHIPBOB_SANDBOX_TOKEN,
		apiVersion: '2026-01',
		environment: 'production',
		channelId: '',
		baseUrl: sandbox.urlFor('shipbob'),
	},
});
const node = {
	id: 't-1',
	name: 'ShipBob Trigger',
	type: 'shipBobTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function base(params: IDataObject, staticData: IDataObject) {
	const creds = credentials();
	return {
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in params ? params[name] : fallback,
		getWorkflowStaticData: () => staticData,
		getNode: () => node,
		getWorkflow: () => ({ id: 'wf-1', name: 'wf', active: true }),
		getCredentials: async () => creds.shipBobApi,
		helpers: {
			...n8nHttpHelpers(creds),
			returnJsonArray: (rows: IDataObject[]) => rows.map((json) => ({ json })),
		},
	};
}

const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
	sendHttp({
		method,
		url: `${sandbox.urlFor('shipbob')}${path}`,
		headers: { Authorization: `Bearer ${SHIPBOB_SANDBOX_TOKEN}` },
		body: body as never,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	}) as Promise<{ statusCode: number; body: any }>;

describe('ShipBob webhook trigger', () => {
	it('subscribes with its own secret, runs on signed shipment events and refuses tampered ones', async () => {
		const trigger = new ShipBobTrigger();
		const staticData: IDataObject = {};
		const results: Array<{ status: number; data?: IWebhookResponseData }> = [];
		let tamper = false;
		const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', async () => {
				let raw = Buffer.concat(chunks);
				if (tamper) raw = Buffer.from(raw.toString().replace('"Completed"', '"Cancelled"'));
				let status = 200;
				const response = {
					status(code: number) {
						status = code;
						return response;
					},
					json(body: unknown) {
						res.statusCode = status;
						res.end(JSON.stringify(body));
					},
				};
				const ctx = {
					...base({ events: ['order.shipped'] }, staticData),
					getHeaderData: () => req.headers,
					getRequestObject: () => ({ rawBody: raw }),
					getResponseObject: () => response,
					getBodyData: () => JSON.parse(raw.toString()),
				} as unknown as IWebhookFunctions;
				const data = await trigger.webhook.call(ctx);
				results.push({ status, data });
				if (!data.noWebhookResponse) {
					res.statusCode = 200;
					res.end();
				}
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		try {
			const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
			const hook = {
				...base({ events: ['order.shipped'] }, staticData),
				getNodeWebhookUrl: () => url,
			} as unknown as IHookFunctions;
			expect(await trigger.webhookMethods.default.checkExists.call(hook)).toBe(false);
			expect(await trigger.webhookMethods.default.create.call(hook)).toBe(true);
			expect(staticData.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
			expect(await trigger.webhookMethods.default.checkExists.call(hook)).toBe(true);

			const sku = sandbox.catalog()!.items[0].sku;
			const order = await call('POST', '/2026-01/order', {
				reference_id: 'SHOP-W1',
				shipping_method: 'Standard',
				type: 'DTC',
				recipient: { name: 'A', address: { address1: '1 Main', city: 'Reno', country: 'US' } },
				products: [{ reference_id: sku, name: sku, quantity: 1 }],
			});
			const shipmentId = order.body.shipments[0].id;
			await call('POST', '/2026-01/simulate/shipment', {
				shipment_id: shipmentId,
				action: 'ShipOrder',
			});
			await sandbox.webhooks.whenIdle();
			expect(results).toHaveLength(1);
			const [item] = (results[0].data?.workflowData ?? [[]])[0];
			expect(item.json).toMatchObject({
				topic: 'order.shipped',
				id: String(shipmentId),
				status: 'Completed',
				carrier: 'USPS',
				eventId: expect.any(String),
			});

			tamper = true;
			await call('POST', '/2026-01/simulate/shipment', {
				shipment_id: shipmentId,
				action: 'DeliverOrder',
			});
			const second = await call('POST', '/2026-01/order', {
				reference_id: 'SHOP-W2',
				shipping_method: 'Standard',
				type: 'DTC',
				recipient: { name: 'A', address: { address1: '1 Main', city: 'Reno', country: 'US' } },
				products: [{ reference_id: sku, name: sku, quantity: 1 }],
			});
			await call('POST', '/2026-01/simulate/shipment', {
				shipment_id: second.body.shipments[0].id,
				action: 'ShipOrder',
			});
			await sandbox.webhooks.whenIdle();
			expect(results[1]).toMatchObject({ status: 401, data: { noWebhookResponse: true } });

			expect(await trigger.webhookMethods.default.delete.call(hook)).toBe(true);
			expect((await call('GET', '/2026-01/webhook')).body.items).toEqual([]);
		} finally {
			await new Promise<void>((r) => server.close(() => r()));
		}
	});
});

describe('ShipBob inventory trigger', () => {
	it('learns stock on the first poll, then emits only the rows that changed', async () => {
		const trigger = new ShipBobInventoryTrigger();
		const staticData: IDataObject = {};
		const ctx = {
			...base({ locationId: '' }, staticData),
			getMode: () => 'trigger',
		} as unknown as IPollFunctions;
		expect(await trigger.poll.call(ctx)).toBeNull();
		expect(await trigger.poll.call(ctx)).toBeNull();
		const item = sandbox.catalog()!.items[2];
		const location = sandbox.catalog()!.locations[1].id;
		(
			sandbox.system('shipbob') as unknown as {
				receive(sku: string, loc: string, qty: number): void;
			}
		).receive(item.sku, location, 4);
		const out = await trigger.poll.call(ctx);
		expect(out?.[0].map((i) => [i.json.sku, i.json.locationId])).toEqual([[item.sku, location]]);
		expect(await trigger.poll.call(ctx)).toBeNull();
	});
});
