import axios from 'axios';
import { createHmac } from 'node:crypto';
import { verifyStandardWebhook } from '../../nodes/shared/core/webhooks/signatures';
import { ManualClock } from '../../sandbox/clock';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import {
	hubspotV3Signer,
	shopifySigner,
	standardWebhooksSigner,
} from '../../sandbox/webhooks/signers';
import { startReceiver, widgetsSystem } from './fixtures';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('signers (unit)', () => {
	it('HubSpot v3 decodes only the listed percent-encodings of the URI before signing', () => {
		const headers = hubspotV3Signer()({
			body: '[]',
			url: 'http://h.test/hook%3Fa%3Ab%20c',
			method: 'post',
			secret: 's',
			topic: 't',
			eventId: 'e',
			deliveryId: 'd',
			attempt: 1,
			timestampMs: 1000,
			occurredAtMs: 1000,
		});
		expect(headers['X-HubSpot-Signature-v3']).toBe(
			createHmac('sha256', 's').update('POSThttp://h.test/hook?a:b%20c[]1000').digest('base64'),
		);
	});
});

describe('webhook emitter', () => {
	let sandbox: Sandbox;
	let clock: ManualClock;
	let receiver: Awaited<ReturnType<typeof startReceiver>>;

	async function start(
		respond: Parameters<typeof startReceiver>[0],
		opts: Parameters<typeof widgetsSystem>[0] = {},
	) {
		clock = new ManualClock(T0);
		receiver = await startReceiver(respond);
		sandbox = await startSandbox({
			port: 0,
			clock,
			systems: [widgetsSystem(opts)],
			seed: { seed: 'hooks', skus: 4, locations: 1 },
		});
	}
	afterEach(async () => {
		await sandbox.close();
		await receiver.close();
	});

	it('Shopify signer: X-Shopify-Hmac-Sha256 equals an independent base64 HMAC of the raw body', async () => {
		await start(() => 200, {
			signer: shopifySigner({ shopDomain: 'demo.myshopify.com' }),
			secret: 'shpss_test',
		});
		sandbox.webhooks.subscribe('widgets', {
			topic: 'inventory_levels/update',
			address: receiver.url,
		});
		const { eventId } = sandbox.webhooks.emit('widgets', 'inventory_levels/update', {
			inventory_item_id: 1,
			available: 5,
		});
		await sandbox.webhooks.whenIdle();
		const [got] = receiver.received;
		expect(got.body).toBe('{"inventory_item_id":1,"available":5}');
		expect(got.headers['x-shopify-hmac-sha256']).toBe(
			createHmac('sha256', 'shpss_test').update(got.body).digest('base64'),
		);
		expect(got.headers).toMatchObject({
			'x-shopify-topic': 'inventory_levels/update',
			'x-shopify-shop-domain': 'demo.myshopify.com',
			'x-shopify-event-id': eventId,
			'x-shopify-triggered-at': new Date(T0).toISOString(),
			'content-type': 'application/json',
		});
		expect(sandbox.webhooks.deliveries()).toMatchObject([
			{ attempt: 1, status: 200, outcome: 'delivered', eventId },
		]);
	});

	it('HubSpot v3 signer: signature over method + URI + body + timestamp', async () => {
		await start(() => 204, { signer: hubspotV3Signer(), secret: 'hs-client-secret' });
		sandbox.webhooks.subscribe('widgets', { topic: '*', address: receiver.url });
		sandbox.webhooks.emit('widgets', 'contact.creation', [{ eventId: 1, objectId: 42 }]);
		await sandbox.webhooks.whenIdle();
		const [got] = receiver.received;
		const ts = got.headers['x-hubspot-request-timestamp'] as string;
		expect(ts).toBe(String(T0));
		const expected = createHmac('sha256', 'hs-client-secret')
			.update(`POST${receiver.url}${got.body}${ts}`)
			.digest('base64');
		expect(got.headers['x-hubspot-signature-v3']).toBe(expected);
	});

	it('Standard Webhooks signer (ShipBob): verifies independently and with the kernel verifier', async () => {
		const secret = `whsec_${Buffer.from('shipbob-signing-key').toString('base64')}`;
		await start(() => 200, { signer: standardWebhooksSigner(), secret });
		sandbox.webhooks.subscribe('widgets', { topic: 'order.shipped', address: receiver.url });
		sandbox.webhooks.emit('widgets', 'order.shipped', { order_id: 7 }, { eventId: 'msg_1' });
		await sandbox.webhooks.whenIdle();
		const [got] = receiver.received;
		const ts = got.headers['webhook-timestamp'] as string;
		const mac = createHmac('sha256', Buffer.from('shipbob-signing-key'))
			.update(`msg_1.${ts}.${got.body}`)
			.digest('base64');
		expect(got.headers['webhook-signature']).toBe(`v1,${mac}`);
		expect(got.headers['x-webhook-topic']).toBe('order.shipped');
		const verdict = verifyStandardWebhook({
			id: got.headers['webhook-id'] as string,
			timestamp: ts,
			signature: got.headers['webhook-signature'] as string,
			rawBody: got.body,
			secret,
			nowMs: T0,
		});
		expect(verdict).toEqual({ ok: true });
	});

	it('retries after a 500 from the receiver on the retry schedule, recording every attempt', async () => {
		await start((n) => (n === 1 ? 500 : 200));
		sandbox.webhooks.configure('widgets', { retryDelaysMs: [5_000, 60_000] });
		sandbox.webhooks.subscribe('widgets', { topic: 'stock/update', address: receiver.url });
		const sku = sandbox.catalog()!.items[0].sku;
		await axios.post(`${sandbox.urlFor('widgets')}/items/${sku}/adjust`, { delta: 3 });
		await sandbox.webhooks.whenIdle();
		expect(receiver.received).toHaveLength(1);
		expect(sandbox.webhooks.deliveries()).toMatchObject([
			{ attempt: 1, status: 500, outcome: 'failed', nextAttemptAt: T0 + 5_000 },
		]);
		await clock.advance(4_999);
		await sandbox.webhooks.whenIdle();
		expect(receiver.received).toHaveLength(1);
		await clock.advance(1);
		await sandbox.webhooks.whenIdle();
		expect(receiver.received).toHaveLength(2);
		const attempts = sandbox.webhooks.deliveries();
		expect(attempts.map((a) => [a.attempt, a.status, a.outcome, a.time])).toEqual([
			[1, 500, 'failed', T0],
			[2, 200, 'delivered', T0 + 5_000],
		]);
		expect(attempts[0].deliveryId).toBe(attempts[1].deliveryId);
		expect(receiver.received[0].headers['x-signature-sha256']).toBe(
			createHmac('sha256', 'widgets-secret').update(receiver.received[0].body).digest('hex'),
		);
	});

	it('gives up after the schedule, deactivates after repeated failures, and retries timeouts', async () => {
		await start((n) => (n <= 2 ? 'hang' : 503));
		sandbox.webhooks.configure('widgets', {
			retryDelaysMs: [1_000],
			timeoutMs: 100,
			removeAfterFailures: 2,
		});
		const sub = sandbox.webhooks.subscribe('widgets', { topic: 't', address: receiver.url });
		sandbox.webhooks.emit('widgets', 't', { n: 1 });
		await sandbox.webhooks.whenIdle();
		await clock.advance(1_000);
		await sandbox.webhooks.whenIdle();
		const first = sandbox.webhooks.deliveries();
		expect(first.map((a) => [a.attempt, a.outcome])).toEqual([
			[1, 'timeout'],
			[2, 'timeout'],
		]);
		expect(first[1].gaveUp).toBe(true);
		expect(first[0].error).toContain('100 ms');
		sandbox.webhooks.emit('widgets', 't', { n: 2 });
		await sandbox.webhooks.whenIdle();
		await clock.advance(1_000);
		await sandbox.webhooks.whenIdle();
		expect(sandbox.webhooks.list('widgets')).toEqual([
			expect.objectContaining({ id: sub.id, active: false, consecutiveFailures: 2 }),
		]);
		expect(sandbox.webhooks.emit('widgets', 't', {}).subscriptions).toBe(0);
	});

	it('duplicate delivery: same event id twice, with different delivery ids', async () => {
		await start(() => 200, { signer: shopifySigner() });
		sandbox.setFaults('widgets', { webhooks: { duplicateRate: 1 } });
		sandbox.webhooks.subscribe('widgets', { topic: 'orders/create', address: receiver.url });
		const { eventId } = sandbox.webhooks.emit('widgets', 'orders/create', { id: 1 });
		await sandbox.webhooks.whenIdle();
		expect(receiver.received).toHaveLength(2);
		expect(receiver.received.map((r) => r.headers['x-shopify-event-id'])).toEqual([
			eventId,
			eventId,
		]);
		expect(receiver.received[0].headers['x-shopify-webhook-id']).not.toBe(
			receiver.received[1].headers['x-shopify-webhook-id'],
		);
		expect(sandbox.webhooks.deliveries().map((a) => a.faults)).toEqual([[], ['duplicate']]);
	});

	it('out-of-order delivery: a held event arrives after the next one; a lone one after holdMs', async () => {
		await start(() => 200);
		sandbox.setFaults('widgets', { webhooks: { outOfOrderRate: 1, holdMs: 3_000 } });
		sandbox.webhooks.subscribe('widgets', { topic: 'stock', address: receiver.url });
		sandbox.webhooks.emit('widgets', 'stock', { seq: 1 });
		sandbox.webhooks.emit('widgets', 'stock', { seq: 2 });
		await sandbox.webhooks.whenIdle();
		expect(receiver.received.map((r) => JSON.parse(r.body).seq)).toEqual([2, 1]);
		expect(sandbox.webhooks.deliveries().map((a) => a.faults)).toEqual([[], ['out-of-order']]);
		sandbox.webhooks.emit('widgets', 'stock', { seq: 3 });
		await sandbox.webhooks.whenIdle();
		expect(receiver.received).toHaveLength(2);
		await clock.advance(3_000);
		await sandbox.webhooks.whenIdle();
		expect(receiver.received.map((r) => JSON.parse(r.body).seq)).toEqual([2, 1, 3]);
	});

	it('delayed delivery and lost acknowledgements (redelivered on the schedule)', async () => {
		await start(() => 200);
		sandbox.webhooks.configure('widgets', { retryDelaysMs: [2_000] });
		sandbox.setFaults('widgets', { webhooks: { delay: { rate: 1, ms: 10_000 }, lostAckRate: 1 } });
		sandbox.webhooks.subscribe('widgets', { topic: 'x', address: receiver.url });
		sandbox.webhooks.emit('widgets', 'x', {});
		await sandbox.webhooks.whenIdle();
		expect(receiver.received).toHaveLength(0);
		await clock.advance(10_000);
		await sandbox.webhooks.whenIdle();
		expect(receiver.received).toHaveLength(1);
		await clock.advance(2_000);
		await sandbox.webhooks.whenIdle();
		expect(receiver.received).toHaveLength(2);
		expect(
			sandbox.webhooks.deliveries().map((a) => [a.attempt, a.outcome, a.time - T0, a.faults]),
		).toEqual([
			[1, 'lost-ack', 10_000, ['delayed', 'lost-ack']],
			[2, 'delivered', 12_000, ['delayed']],
		]);
	});

	it('control API: subscribe, list without secrets, emit, read deliveries, configure, unsubscribe', async () => {
		await start(() => 200);
		const api = axios.create({
			baseURL: `${sandbox.controlUrl}/webhooks`,
			validateStatus: () => true,
		});
		const created = await api.post('/widgets/subscriptions', {
			topic: 'stock/update',
			address: receiver.url,
			secret: 'own-secret',
		});
		expect(created.status).toBe(201);
		expect(created.data).toMatchObject({ topic: 'stock/update', active: true, hasOwnSecret: true });
		expect(JSON.stringify((await api.get('/widgets/subscriptions')).data)).not.toContain(
			'own-secret',
		);
		const emitted = await api.post('/widgets/emit', {
			topic: 'stock/update',
			payload: { sku: 'A' },
			eventId: 'evt-1',
		});
		expect(emitted.data).toEqual({ eventId: 'evt-1', subscriptions: 1 });
		await sandbox.webhooks.whenIdle();
		expect(receiver.received[0].headers['x-signature-sha256']).toBe(
			createHmac('sha256', 'own-secret').update('{"sku":"A"}').digest('hex'),
		);
		expect(
			(await api.get('/deliveries', { params: { system: 'widgets', eventId: 'evt-1' } })).data
				.deliveries,
		).toHaveLength(1);
		expect((await api.patch('/widgets/config', { retryDelaysMs: [1] })).data).toMatchObject({
			retryDelaysMs: [1],
		});
		const bad = await api.patch('/widgets/config', { retryDelays: [1] });
		expect(bad.status).toBe(400);
		expect(bad.data.error).toContain('unknown field "retryDelays"');
		expect(
			(await api.post('/widgets/subscriptions', { topic: 'x', address: 'not a url' })).data.error,
		).toContain('"address"');
		expect((await api.delete(`/widgets/subscriptions/${created.data.id}`)).status).toBe(200);
		expect((await api.get('/widgets/subscriptions')).data.subscriptions).toEqual([]);
	});
});
