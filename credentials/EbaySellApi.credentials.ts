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
 * eBay Sell APIs with an OAuth user token: the long-lived refresh token (about 18 months) is
 * exchanged for a user access token (about 2 hours), kept in the hidden `sessionToken` field and
 * renewed shortly before it expires. Calls send it as `Authorization: Bearer …`.
 * API: https://developer.ebay.com/api-docs/static/oauth-refresh-token-request.html
 */
export class EbaySellApi implements ICredentialType {
	name = 'ebaySellApi';

	displayName = 'eBay Sell OAuth User Token API';

	documentationUrl = 'https://developer.ebay.com/api-docs/static/oauth-refresh-token-request.html';

	icon = { light: 'file:../nodes/Ebay/ebay.svg', dark: 'file:../nodes/Ebay/ebay.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'eBay Sandbox', value: 'sandbox' },
			],
			default: 'production',
			description: 'eBay’s own sandbox (api.sandbox.ebay.com) needs keys and a token made there',
		},
		{
			displayName: 'Client ID (App ID)',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret (Cert ID)',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From the authorization-code grant (user consent with your RuName)',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'string',
			default: 'https://api.ebay.com/oauth/api_scope/sell.inventory',
			description: 'Space-separated; must be a subset of those the refresh token was granted',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/ebay',
			description:
				'Leave empty for eBay itself. Set it to use the local sandbox or a proxy; requests go to <base URL>/sell/inventory/v1/….',
		},
		{
			displayName: 'Token URL Override',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/ebay/identity/v1/oauth2/token',
			description: 'Leave empty for eBay’s identity endpoint of the chosen environment',
		},
		...SESSION_TOKEN_PROPERTIES,
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const host = credentials.environment === 'sandbox' ? 'https://api.sandbox.ebay.com' : 'https://api.ebay.com';
		const url = String(credentials.tokenUrl ?? '').trim() || `${host}/identity/v1/oauth2/token`;
		const form = new URLSearchParams({
			grant_type: 'refresh_token',
			refresh_token: String(credentials.refreshToken ?? ''),
			scope: String(credentials.scopes ?? '').trim(),
		});
		let response: { access_token?: string; expires_in?: number };
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url,
				body: form.toString(),
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				auth: { username: String(credentials.clientId ?? ''), password: String(credentials.clientSecret ?? '') },
				json: true,
			})) as typeof response;
		} catch (error) {
			const e = error as {
				httpCode?: string;
				response?: { status?: number; body?: { error?: string; error_description?: string } };
				message?: string;
			};
			const body = e?.response?.body;
			const reason = body?.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}` : e?.message;
			throw Object.assign(new Error(`eBay refused the refresh token (${reason ?? 'no reason given'})`), {
				httpCode: e?.httpCode ?? (e?.response?.status === undefined ? undefined : String(e.response.status)),
			});
		}
		if (!response?.access_token) throw new Error('eBay answered without an access token');
		const seconds = Number(response.expires_in) > 0 ? Number(response.expires_in) : 7200;
		return {
			sessionToken: response.access_token,
			sessionExpiresAt: new Date(Date.now() + seconds * 1000).toISOString(),
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
			baseURL:
				'={{ ($credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "sandbox" ? "https://api.sandbox.ebay.com" : "https://api.ebay.com")) + "/sell/inventory/v1" }}',
			url: '/inventory_item',
			qs: { limit: 1 },
			method: 'GET',
		},
	};
}
