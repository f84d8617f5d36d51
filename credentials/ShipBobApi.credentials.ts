import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * ShipBob Developer API with a personal access token (PAT). Requests go to
 * `<host>/<API version>/…`; the version is part of every path.
 * API: https://developer.shipbob.com/auth
 */
export class ShipBobApi implements ICredentialType {
	name = 'shipBobApi';

	displayName = 'ShipBob API';

	documentationUrl = 'https://developer.shipbob.com/auth';

	icon = {
		light: 'file:../nodes/ShipBob/shipBob.svg',
		dark: 'file:../nodes/ShipBob/shipBob.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Personal Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'ShipBob dashboard → Integrations → API Tokens. The token does not expire and acts as the account’s root user.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{ name: '2026-01 (Default)', value: '2026-01' },
				{ name: '2025-07', value: '2025-07' },
			],
			default: '2026-01',
			description: 'Dated API version used in every request path',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'ShipBob Sandbox', value: 'sandbox' },
			],
			default: 'production',
			description:
				'ShipBob’s own sandbox (sandbox-api.shipbob.com) has separate data and needs a token made there',
		},
		{
			displayName: 'Channel ID',
			name: 'channelId',
			type: 'string',
			default: '',
			description:
				'Channel that orders are created on (sent as shipbob_channel_id). Leave empty when the token has a single channel with write access.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/shipbob',
			description:
				'Leave empty for ShipBob itself. Set it to use the local sandbox or a proxy; requests go to <base URL>/<API version>/….',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "sandbox" ? "https://sandbox-api.shipbob.com" : "https://api.shipbob.com")) + "/" + $credentials.apiVersion }}',
			url: '/channel',
			method: 'GET',
		},
	};
}
