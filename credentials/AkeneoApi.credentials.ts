import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { SESSION_TOKEN_PROPERTIES } from '../nodes/shared/n8n/sessionFields';

/**
 * Akeneo PIM connection (Connect → Connection settings): client id and secret plus the
 * connection user's username and password, exchanged for an access token (an hour) by the
 * password grant. n8n keeps the token in the hidden `sessionToken` field; the node renews it
 * shortly before it expires (with the refresh token, falling back to the password grant) and
 * after Akeneo refuses it.
 * API: https://api.akeneo.com/documentation/authentication.html
 */
export class AkeneoApi implements ICredentialType {
	name = 'akeneoApi';

	displayName = 'Akeneo PIM (Commerce Sync) API';

	documentationUrl = 'https://api.akeneo.com/documentation/authentication.html';

	icon = {
		light: 'file:../nodes/Akeneo/akeneo.svg',
		dark: 'file:../nodes/Akeneo/akeneo.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://my-pim.cloud.akeneo.com',
			description: 'The PIM address, without /api. For the local sandbox: http://127.0.0.1:8787/akeneo.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'The connection’s API user (shown with the connection’s credentials)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Concurrent Calls per Connection',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 4,
			description: 'Akeneo SaaS allows 4 calls at once per connection and 10 per PIM; lower it when other tools share the PIM',
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			description: 'Akeneo SaaS allows 100 per second per PIM',
		},
		...SESSION_TOKEN_PROPERTIES,
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const url = `${String(credentials.host ?? '').trim().replace(/\/+$/, '')}/api/oauth/v1/token`;
		const basic = Buffer.from(`${String(credentials.clientId ?? '')}:${String(credentials.clientSecret ?? '')}`).toString('base64');
		const exchange = async (body: IDataObject) =>
			(await this.helpers.httpRequest({
				method: 'POST',
				url,
				body,
				headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
				json: true,
			})) as { access_token?: string; expires_in?: number; refresh_token?: string };
		let response: Awaited<ReturnType<typeof exchange>> | undefined;
		const refreshToken = String(credentials.refreshToken ?? '');
		if (refreshToken) {
			// A refresh token that expired or was revoked is no reason to fail: the password grant follows.
			response = await exchange({ grant_type: 'refresh_token', refresh_token: refreshToken }).catch(() => undefined);
		}
		if (!response?.access_token) {
			try {
				response = await exchange({
					grant_type: 'password',
					username: String(credentials.username ?? ''),
					password: String(credentials.password ?? ''),
				});
			} catch (error) {
				throw tokenError(error);
			}
		}
		if (!response?.access_token) throw new Error('Akeneo answered the token request without an access token');
		const seconds = Number(response.expires_in) > 0 ? Number(response.expires_in) : 3600;
		return {
			sessionToken: response.access_token,
			sessionExpiresAt: new Date(Date.now() + seconds * 1000).toISOString(),
			refreshToken: response.refresh_token ?? '',
		};
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.sessionToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.host.replace(/\\/+$/, "") }}',
			url: '/api/rest/v1/families',
			qs: { limit: 1 },
			method: 'GET',
		},
	};
}

/** Akeneo's refusal of the password grant, with its message but never the secrets sent. */
function tokenError(error: unknown): Error {
	const e = error as {
		httpCode?: string;
		response?: { status?: number; body?: { message?: string; error?: string; error_description?: string } };
		message?: string;
	};
	const status = e?.httpCode ?? (e?.response?.status === undefined ? undefined : String(e.response.status));
	const body = e?.response?.body;
	const reason = body?.message ?? body?.error_description ?? body?.error ?? e?.message;
	return Object.assign(new Error(`Akeneo refused the connection's credentials (${reason ?? 'no reason given'})`), { httpCode: status });
}
