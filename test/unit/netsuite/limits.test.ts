import { createHttpClient } from '../../../nodes/shared/core/http/client';
import { createRateLimiter } from '../../../nodes/shared/core/ratelimit/factory';
import { netSuiteDefinition } from '../../../nodes/NetSuite/transport';
import { FakeClock } from '../../helpers/fakeClock';
import { ScriptedTransport } from '../../helpers/scriptedTransport';

const credentials = {
	accountId: '1234567_SB1',
	consumerKey: 'k',
	consumerSecret: 's',
	tokenId: 't',
	tokenSecret: 'x',
	concurrency: 3,
	baseUrl: '',
};
const concurrencyBody = {
	type: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
	title: 'Too Many Requests',
	status: 429,
	'o:errorDetails': [
		{
			detail: 'Concurrent request limit exceeded. Request blocked.',
			'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
		},
	],
};

function client(clock: FakeClock, scripted: ScriptedTransport) {
	return createHttpClient({
		profile: netSuiteDefinition.profile(credentials),
		transport: scripted.transport,
		clock,
		limiter: createRateLimiter(netSuiteDefinition.rateLimit(credentials), {
			clock,
			system: 'netsuite',
		}),
		random: () => 0.5,
	});
}

describe('NetSuite limits through the kernel', () => {
	it('keeps at most the credential’s slots in flight', async () => {
		const clock = new FakeClock();
		const scripted = new ScriptedTransport(clock).reply(
			...Array.from({ length: 8 }, () => ({ status: 200, body: {}, delayMs: 100 })),
		);
		const c = client(clock, scripted);
		await Promise.all(
			Array.from({ length: 8 }, () =>
				c.request({ method: 'GET', path: '/services/rest/record/v1/inventoryItem' }),
			),
		);
		expect(scripted.maxInFlight).toBe(3);
		expect(clock.now()).toBe(300);
	});

	it('retries 429 CONCURRENCY_LIMIT_EXCEEDED (no Retry-After) on backoff, and reports it clearly when it persists', async () => {
		const clock = new FakeClock();
		const scripted = new ScriptedTransport(clock).reply(
			{ status: 429, body: concurrencyBody },
			{ status: 200, body: { ok: true } },
		);
		const res = await client(clock, scripted).request({ method: 'GET', path: '/x' });
		expect(res.attempts).toBe(2);
		expect(clock.sleeps.some((ms) => ms > 0)).toBe(true);

		const always = new ScriptedTransport(clock).reply(
			...Array.from({ length: 5 }, () => ({ status: 429, body: concurrencyBody })),
		);
		await expect(
			client(clock, always).request({ method: 'GET', path: '/x' }),
		).rejects.toMatchObject({
			kind: 'rateLimited',
			code: 'CONCURRENCY_LIMIT_EXCEEDED',
			status: 429,
			hint: expect.stringMatching(/Concurrency Slots/),
		});
		always.assertDone();
	});

	it('never retries a refused TBA signature', async () => {
		const clock = new FakeClock();
		const scripted = new ScriptedTransport(clock).reply({
			status: 401,
			body: {
				status: 401,
				'o:errorDetails': [{ detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN' }],
			},
		});
		await expect(
			client(clock, scripted).request({ method: 'GET', path: '/x' }),
		).rejects.toMatchObject({ kind: 'auth', code: 'INVALID_LOGIN', attempts: 1 });
		scripted.assertDone();
	});
});
