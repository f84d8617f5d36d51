import { createHttpClient } from '../../../nodes/shared/core/http/client';
import { createRateLimiter } from '../../../nodes/shared/core/ratelimit/factory';
import { shipBobDefinition } from '../../../nodes/ShipBob/transport';
import { FakeClock } from '../../helpers/fakeClock';
import { ScriptedTransport } from '../../helpers/scriptedTransport';

const credentials = {
	accessToken: 't',
	apiVersion: '2026-01',
	environment: 'production',
	channelId: '',
	baseUrl: '',
};

function client(clock: FakeClock, scripted: ScriptedTransport) {
	return createHttpClient({
		profile: shipBobDefinition.profile(credentials),
		transport: scripted.transport,
		clock,
		limiter: createRateLimiter(shipBobDefinition.rateLimit(credentials), {
			clock,
			system: 'shipbob',
		}),
		random: () => 0.5,
	});
}

describe('ShipBob limits through the kernel', () => {
	it('sends at most 150 requests in a rolling minute, then waits for the window', async () => {
		const clock = new FakeClock(1_000_000);
		const scripted = new ScriptedTransport(clock).reply(
			...Array.from({ length: 152 }, () => ({ status: 200, body: [] })),
		);
		const c = client(clock, scripted);
		await Promise.all(
			Array.from({ length: 152 }, () => c.request({ method: 'GET', path: '/fulfillment-center' })),
		);
		const late = scripted.sent.filter((r) => r.at > 1_000_000);
		expect(late).toHaveLength(2);
		expect(late[0].at - 1_000_000).toBeGreaterThanOrEqual(60_000);
		expect(scripted.sent[0].url).toBe('https://api.shipbob.com/2026-01/fulfillment-center');
	});

	it('slows down when x-remaining-calls says another client used the budget', async () => {
		const clock = new FakeClock(0);
		const scripted = new ScriptedTransport(clock).reply(
			{ status: 200, body: [], headers: { 'x-remaining-calls': '0' } },
			{ status: 200, body: [] },
		);
		const c = client(clock, scripted);
		await c.request({ method: 'GET', path: '/a' });
		await c.request({ method: 'GET', path: '/b' });
		expect(scripted.sent[1].at).toBeGreaterThanOrEqual(60_000);
	});

	it('waits x-retry-after seconds after a 429, then succeeds', async () => {
		const clock = new FakeClock(0);
		const scripted = new ScriptedTransport(clock).reply(
			{
				status: 429,
				headers: { 'x-retry-after': '25' },
				body: { statusCode: 429, message: 'Rate limit is exceeded. Try again in 25 seconds.' },
			},
			{ status: 200, body: [] },
		);
		const res = await client(clock, scripted).request({ method: 'GET', path: '/order' });
		expect(res.attempts).toBe(2);
		expect(scripted.sent[1].at - scripted.sent[0].at).toBeGreaterThanOrEqual(25_000);
	});

	it('does not retry a create without its key, and retries it with one', async () => {
		const clock = new FakeClock(0);
		const failing = new ScriptedTransport(clock).reply({
			status: 503,
			body: { title: 'Service Unavailable', status: 503 },
		});
		await expect(
			client(clock, failing).request({ method: 'POST', path: '/order', body: {} }),
		).rejects.toMatchObject({ kind: 'transient', attempts: 1 });
		const keyed = new ScriptedTransport(clock).reply(
			{ status: 503, body: {} },
			{ status: 201, body: { id: 1 } },
		);
		const res = await client(clock, keyed).request({
			method: 'POST',
			path: '/order',
			body: {},
			idempotencyKey: 'ref-1',
		});
		expect(res.status).toBe(201);
	});
});
