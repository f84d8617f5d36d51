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

/** Login with Amazon's token endpoint (all regions). */
export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

/**
 * Amazon Selling Partner API through Login with Amazon (LWA): the refresh token is exchanged for
 * an access token (about an hour), stored in the hidden `sessionToken` field and renewed shortly
 * before it expires. Every call sends it as `x-amz-access-token`; AWS SigV4 is no longer needed.
 * API: https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api
 */
export class AmazonSpApi implements ICredentialType {
	name = 'amazonSpApi';

	displayName = 'Amazon Selling Partner API';

	documentationUrl = 'https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api';

	icon = {
		light: 'file:../nodes/AmazonSellingPartner/amazonSpApi.svg',
		dark: 'file:../nodes/AmazonSellingPartner/amazonSpApi.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'LWA Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'amzn1.application-oa2-client.…',
			description: 'From Seller Central → Apps and Services → Develop Apps → your app → LWA credentials',
		},
		{
			displayName: 'LWA Client Secret',
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
			placeholder: 'Atzr|…',
			description: 'The refresh token from authorizing the app for this selling account',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'North America', value: 'na' },
				{ name: 'Europe', value: 'eu' },
				{ name: 'Far East', value: 'fe' },
			],
			default: 'na',
			description: 'Selects https://sellingpartnerapi-<region>.amazon.com',
		},
		{
			displayName: 'Seller ID',
			name: 'sellerId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'A2EXAMPLE1SELLER',
			description: 'Your merchant token (Seller Central → Settings → Account Info → Merchant Token)',
		},
		{
			displayName: 'Marketplace IDs',
			name: 'marketplaceIds',
			type: 'string',
			default: 'ATVPDKIKX0DER',
			description: 'Comma-separated marketplace IDs the listings live in (ATVPDKIKX0DER is amazon.com)',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/amazon',
			description: 'Leave empty for Amazon itself. Set it to use the local sandbox or a proxy.',
		},
		{
			displayName: 'Token URL Override',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/amazon/auth/o2/token',
			description: 'Leave empty for Login with Amazon (https://api.amazon.com/auth/o2/token)',
		},
		...SESSION_TOKEN_PROPERTIES,
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const url = String(credentials.tokenUrl ?? '').trim() || LWA_TOKEN_URL;
		const form = new URLSearchParams({
			grant_type: 'refresh_token',
			refresh_token: String(credentials.refreshToken ?? ''),
			client_id: String(credentials.clientId ?? ''),
			client_secret: String(credentials.clientSecret ?? ''),
		});
		let response: { access_token?: string; expires_in?: number };
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url,
				body: form.toString(),
				headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
				json: true,
			})) as typeof response;
		} catch (error) {
			throw tokenError('Login with Amazon', error);
		}
		if (!response?.access_token) throw new Error('Login with Amazon answered without an access token');
		const seconds = Number(response.expires_in) > 0 ? Number(response.expires_in) : 3600;
		return {
			sessionToken: response.access_token,
			sessionExpiresAt: new Date(Date.now() + seconds * 1000).toISOString(),
		};
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'x-amz-access-token': '={{$credentials.sessionToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://sellingpartnerapi-" + $credentials.region + ".amazon.com" }}',
			url: '={{ "/listings/2021-08-01/items/" + encodeURIComponent($credentials.sellerId) }}',
			qs: { marketplaceIds: '={{ $credentials.marketplaceIds.split(",")[0].trim() }}', pageSize: 1 },
			method: 'GET',
		},
	};
}

/** The token endpoint's refusal, with its OAuth error code but never the secrets sent. */
function tokenError(who: string, error: unknown): Error {
	const e = error as {
		httpCode?: string;
		response?: { status?: number; body?: { error?: string; error_description?: string } };
		message?: string;
	};
	const status = e?.httpCode ?? (e?.response?.status === undefined ? undefined : String(e.response.status));
	const body = e?.response?.body;
	const reason = body?.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}` : e?.message;
	return Object.assign(new Error(`${who} refused the refresh token (${reason ?? 'no reason given'})`), {
		httpCode: status,
	});
}
