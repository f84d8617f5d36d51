import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * HubSpot private app (or a single-account app's static auth token): a bearer token, the
 * account's API plan (it decides the rolling 10-second and daily limits) and, for the trigger,
 * the app's client secret that signs webhook deliveries (signature v3).
 * API: https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview
 */
export class HubSpotPrivateAppApi implements ICredentialType {
	name = 'hubSpotPrivateAppApi';

	displayName = 'HubSpot Private App (Commerce Sync) API';

	documentationUrl = 'https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview';

	icon = {
		light: 'file:../nodes/HubSpot/hubSpot.svg',
		dark: 'file:../nodes/HubSpot/hubSpot.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'pat-na1-…',
			description: 'Settings → Integrations → Private Apps → your app → Auth → Access token',
		},
		{
			displayName: 'API Plan',
			name: 'plan',
			type: 'options',
			options: [
				{ name: 'API Limit Increase Pack (200 per 10 s, +1,000,000 a Day)', value: 'limitIncrease' },
				{ name: 'Custom', value: 'custom' },
				{ name: 'Enterprise (190 per 10 s, 1,000,000 a Day)', value: 'enterprise' },
				{ name: 'Free / Starter (100 per 10 s, 250,000 a Day)', value: 'starter' },
				{ name: 'Professional (190 per 10 s, 625,000 a Day)', value: 'professional' },
			],
			default: 'starter',
			description: 'The HubSpot subscription of the account: the node paces its calls to stay under its limits',
		},
		{
			displayName: 'Requests per 10 Seconds',
			name: 'perTenSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			displayOptions: { show: { plan: ['custom'] } },
		},
		{
			displayName: 'Requests per Day',
			name: 'daily',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 250000,
			displayOptions: { show: { plan: ['custom'] } },
		},
		{
			displayName: 'App Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for the trigger: the secret HubSpot signs webhook deliveries with (X-HubSpot-Signature-v3)',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/hubspot',
			description: 'Leave empty for https://api.hubapi.com. Set it to use the local sandbox or a proxy.',
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
			baseURL: '={{ $credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://api.hubapi.com" }}',
			url: '/crm/v3/objects/contacts',
			qs: { limit: 1 },
			method: 'GET',
		},
	};
}
