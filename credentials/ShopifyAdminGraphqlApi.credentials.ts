import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Oldest and newest Admin API versions this package speaks. */
export const SHOPIFY_API_VERSIONS = ['2026-04', '2026-01', '2025-10'] as const;

/**
 * Shopify Admin GraphQL API with an Admin API access token (custom app). Distinct from n8n's
 * built-in Shopify credentials, which the built-in REST node uses.
 */
export class ShopifyAdminGraphqlApi implements ICredentialType {
	name = 'shopifyAdminGraphqlApi';

	displayName = 'Shopify Admin GraphQL API';

	documentationUrl = 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin';

	icon = { light: 'file:../nodes/Shopify/shopify.svg', dark: 'file:../nodes/Shopify/shopify.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Domain',
			name: 'shopDomain',
			type: 'string',
			default: '',
			placeholder: 'my-store.myshopify.com',
			required: true,
			description: 'Your store’s myshopify.com domain (not a custom storefront domain)',
		},
		{
			displayName: 'Admin API Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'From your custom app: Settings → Apps and sales channels → Develop apps. Needs read/write_inventory, read_locations, read/write_products, read_orders, write_fulfillments.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{ name: '2026-04 (Default)', value: '2026-04' },
				{ name: '2026-01', value: '2026-01' },
				{ name: '2025-10', value: '2025-10' },
			],
			default: '2026-04',
			description:
				'Admin API version. 2026-01 and later use changeFromQuantity for compare-and-set and support idempotency keys.',
		},
		{
			displayName: 'Plan',
			name: 'plan',
			type: 'options',
			options: [
				{ name: 'Standard / Basic', value: 'standard' },
				{ name: 'Advanced', value: 'advanced' },
				{ name: 'Shopify Plus', value: 'plus' },
				{ name: 'Enterprise (Commerce Components)', value: 'enterprise' },
			],
			default: 'standard',
			description:
				'Sets the starting rate budget (100, 200, 1,000 or 2,000 points restored per second). The node then follows the budget Shopify reports with each answer.',
		},
		{
			displayName: 'App Secret (for Webhooks)',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The app’s client secret. The trigger uses it to verify that webhook deliveries really come from Shopify.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787/shopify',
			description:
				'Leave empty for Shopify itself. Set it to use the local sandbox or a proxy; requests go to <base URL>/admin/api/<version>/graphql.json.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-Shopify-Access-Token': '={{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://" + $credentials.shopDomain.replace(/^https?:\\/\\//, "").replace(/\\/+$/, "")) + "/admin/api/" + $credentials.apiVersion }}',
			url: '/graphql.json',
			method: 'POST',
			body: { query: '{ shop { name } }' },
			json: true,
		},
	};
}
