import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { oauth1AuthorizationHeader } from '../nodes/shared/core/auth/oauth1';

/**
 * NetSuite Token-Based Authentication: every request is signed with OAuth 1.0a HMAC-SHA256.
 * The realm is the account id in `123456_SB1` form while the host uses `123456-sb1`; query
 * parameters are part of the signature, the JSON body is not.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941295.html
 */
export class NetSuiteTbaApi implements ICredentialType {
	name = 'netSuiteTbaApi';

	displayName = 'NetSuite Token-Based Authentication API';

	documentationUrl =
		'https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_4247337262.html';

	icon = {
		light: 'file:../nodes/NetSuite/netSuite.svg',
		dark: 'file:../nodes/NetSuite/netSuite.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			placeholder: '1234567 or 1234567_SB1',
			required: true,
			description:
				'Setup → Company → Company Information → Account ID. Sandbox accounts end in _SB1 (either 1234567_SB1 or 1234567-sb1 works).',
		},
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From the integration record (Setup → Integration → Manage Integrations)',
		},
		{
			displayName: 'Consumer Secret',
			name: 'consumerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Token ID',
			name: 'tokenId',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From the access token for the integration, user and role',
		},
		{
			displayName: 'Token Secret',
			name: 'tokenSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Concurrency Slots',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 5,
			description:
				'Requests this credential may have in flight at once. NetSuite caps concurrent requests per account (shared tier 15, Tier 1–5 about 15/25/35/45/55, +10 per SuiteCloud Plus licence) and answers 429 beyond it; set this to the share allocated to this integration.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/netsuite',
			description:
				'Leave empty for https://<account>.suitetalk.api.netsuite.com. Set it to use the local sandbox or a proxy.',
		},
	];

	/** Signs each request; `qs` is signed too because NetSuite includes it in the base string. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const url = absoluteUrl(requestOptions);
		const header = oauth1AuthorizationHeader({
			credentials: {
				accountId: String(credentials.accountId ?? ''),
				consumerKey: String(credentials.consumerKey ?? ''),
				consumerSecret: String(credentials.consumerSecret ?? ''),
				tokenId: String(credentials.tokenId ?? ''),
				tokenSecret: String(credentials.tokenSecret ?? ''),
			},
			method: requestOptions.method ?? 'GET',
			url,
			query: signableQuery(requestOptions.qs),
		});
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers as IDataObject), Authorization: header },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://" + $credentials.accountId.trim().replace(/_/g, "-").toLowerCase() + ".suitetalk.api.netsuite.com" }}',
			url: '/services/rest/record/v1/inventoryItem',
			method: 'GET',
			qs: { limit: 1 },
		},
	};
}

/** The URL n8n will call: `url` alone, or `baseURL` + `url` for the credential test. */
function absoluteUrl(options: IHttpRequestOptions): string {
	if (/^https?:\/\//i.test(options.url)) return options.url;
	const base = options.baseURL?.replace(/\/+$/, '');
	if (!base) {
		throw new Error(
			`NetSuite TBA cannot sign a request to the relative URL "${options.url}" without a base URL`,
		);
	}
	return `${base}/${options.url.replace(/^\/+/, '')}`;
}

function signableQuery(qs: IDataObject | undefined): Record<string, string | string[] | undefined> {
	const out: Record<string, string | string[] | undefined> = {};
	for (const [key, value] of Object.entries(qs ?? {})) {
		if (value === undefined || value === null) continue;
		out[key] = Array.isArray(value) ? value.map((v) => String(v)) : String(value);
	}
	return out;
}
