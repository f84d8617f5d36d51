import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { amazon } from '../../../nodes/AmazonSellingPartner/transport';
import { isCommerceError } from '../../../nodes/shared/core/http/errors';
import { resetSessions, withSession } from '../../../nodes/shared/n8n/session';
import { FakeClock } from '../../helpers/fakeClock';

/** What n8n does: preAuthentication when the expirable field is empty, persisted into the data. */
function fakeN8n(stored: IDataObject, exchange: () => IDataObject) {
	const calls: Array<{ forced: boolean; token: unknown }> = [];
	const ctx = {
		getNode: () => ({ credentials: { amazonSpApi: { id: 'c1', name: 'c' } } }),
		getCredentials: async () => ({ ...stored }),
		helpers: {
			async httpRequestWithAuthentication(_type: string, _options: IDataObject, extra?: { credentialsDecrypted?: { data: IDataObject } }) {
				const data = extra?.credentialsDecrypted?.data ?? { ...stored };
				if (!data.sessionToken) {
					const fresh = exchange();
					Object.assign(data, fresh);
					Object.assign(stored, fresh);
				}
				calls.push({ forced: Boolean(extra), token: data.sessionToken });
				return { statusCode: 200, headers: {}, body: {} };
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, calls };
}

describe('session tokens (preAuthentication + expirable field)', () => {
	beforeEach(() => resetSessions());

	it('renews a token shortly before it expires, then reuses the stored one', async () => {
		const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
		const stored: IDataObject = { sessionToken: 'old', sessionExpiresAt: '2026-01-01T00:03:00Z' };
		let n = 0;
		const { ctx, calls } = fakeN8n(stored, () => ({ sessionToken: `new-${++n}`, sessionExpiresAt: '2026-01-01T01:00:00Z' }));
		const session = withSession(ctx, amazon, { token: 'sessionToken', expiresAt: 'sessionExpiresAt' }, clock);
		const send = (session.ctx.helpers as unknown as { httpRequestWithAuthentication(t: string, o: IDataObject): Promise<unknown> }).httpRequestWithAuthentication;
		await send('amazonSpApi', {});
		await send('amazonSpApi', {});
		expect(calls).toEqual([
			{ forced: true, token: 'new-1' },
			{ forced: false, token: 'new-1' },
		]);
	});

	it('keeps a token that is far from expiry and refreshes after the profile reports a refusal', async () => {
		const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
		const stored: IDataObject = { sessionToken: 'good', sessionExpiresAt: '2026-01-01T00:50:00Z' };
		const { ctx, calls } = fakeN8n(stored, () => ({ sessionToken: 'renewed', sessionExpiresAt: '2026-01-01T01:00:00Z' }));
		const session = withSession(ctx, amazon, { token: 'sessionToken', expiresAt: 'sessionExpiresAt' }, clock);
		const send = (session.ctx.helpers as unknown as { httpRequestWithAuthentication(t: string, o: IDataObject): Promise<unknown> }).httpRequestWithAuthentication;
		await send('amazonSpApi', {});
		const profile = session.definition.profile({ baseUrl: 'https://x.example' } as never);
		await profile.refreshAuth?.();
		await send('amazonSpApi', {});
		expect(calls.map((c) => c.token)).toEqual(['good', 'renewed']);
		expect(calls[1].forced).toBe(true);
	});

	it('turns a refused exchange into an auth error with the token endpoint status', async () => {
		const clock = new FakeClock(0);
		const ctx = {
			getNode: () => ({ credentials: {} }),
			getCredentials: async () => ({ sessionToken: '' }),
			helpers: {
				httpRequestWithAuthentication: async () => {
					throw Object.assign(new Error('Login with Amazon refused the refresh token (invalid_grant)'), { httpCode: '400' });
				},
			},
		} as unknown as IExecuteFunctions;
		const session = withSession(ctx, amazon, { token: 'sessionToken', expiresAt: 'sessionExpiresAt' }, clock);
		const send = (session.ctx.helpers as unknown as { httpRequestWithAuthentication(t: string, o: IDataObject): Promise<unknown> }).httpRequestWithAuthentication;
		const error = await send('amazonSpApi', {}).catch((e: unknown) => e);
		expect(isCommerceError(error)).toBe(true);
		expect(error).toMatchObject({ kind: 'auth', status: 400, retryable: false, system: 'amazon' });
	});
});
