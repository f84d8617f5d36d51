import type { IHttpRequestOptions } from 'n8n-workflow';

import { createN8nTransport, type RequestContext } from '../../../nodes/shared/n8n/transport';

function contextAnswering(answer: (options: IHttpRequestOptions) => Promise<unknown>) {
	const calls: Array<{ credentialType: string; options: IHttpRequestOptions }> = [];
	const ctx = {
		getNode: () => ({ name: 'x' }),
		helpers: {
			httpRequestWithAuthentication: async (credentialType: string, options: IHttpRequestOptions) => {
				calls.push({ credentialType, options });
				return await answer(options);
			},
		},
	} as unknown as RequestContext;
	return { ctx, calls };
}

describe('createN8nTransport', () => {
	it('asks n8n for the full response and every status as data', async () => {
		const { ctx, calls } = contextAnswering(async () => ({
			statusCode: 429,
			headers: { 'Retry-After': '2', 'X-Request-Id': 'r1' },
			body: '{"errors":"Throttled"}',
		}));
		const transport = createN8nTransport(ctx, 'shopifyAdminApi');
		const response = await transport({ method: 'POST', url: 'https://x/graphql.json', body: { query: '{shop{name}}' } });
		expect(calls[0].credentialType).toBe('shopifyAdminApi');
		expect(calls[0].options).toMatchObject({
			method: 'POST',
			url: 'https://x/graphql.json',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: true,
		});
		expect(response).toEqual({
			status: 429,
			headers: { 'retry-after': '2', 'x-request-id': 'r1' },
			body: { errors: 'Throttled' },
		});
	});

	it('keeps a network error code for the kernel, and passes other errors through', async () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const t1 = createN8nTransport(contextAnswering(async () => Promise.reject(reset)).ctx, 'c');
		await expect(t1({ method: 'GET', url: 'https://x' })).rejects.toMatchObject({ code: 'ECONNRESET' });
		const noCreds = new Error('Node does not have any credentials set');
		const t2 = createN8nTransport(contextAnswering(async () => Promise.reject(noCreds)).ctx, 'c');
		await expect(t2({ method: 'GET', url: 'https://x' })).rejects.toBe(noCreds);
	});

	it('leaves non-JSON text bodies as text and empty bodies undefined', async () => {
		const t = createN8nTransport(contextAnswering(async () => ({ statusCode: 502, headers: {}, body: '<html>bad gateway</html>' })).ctx, 'c');
		await expect(t({ method: 'GET', url: 'https://x' })).resolves.toMatchObject({ body: '<html>bad gateway</html>' });
		const e = createN8nTransport(contextAnswering(async () => ({ statusCode: 204, headers: {}, body: '' })).ctx, 'c');
		await expect(e({ method: 'DELETE', url: 'https://x' })).resolves.toMatchObject({ status: 204, body: undefined });
	});
});
