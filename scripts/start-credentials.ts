/**
 * `npm start`: the sandbox values of every credential type the package declares, keyed by the
 * credential type name. Secrets come from the sandbox systems' own exports wherever they exist,
 * so the credentials `npm start` creates always match what the running sandbox accepts.
 *
 * Adding a system: one entry here with its credential type name, the label users see in the
 * credential name ("<system> (sandbox)") and the field values for a sandbox at `url(system)`.
 */
import { AKENEO_SANDBOX_CONNECTION } from '../sandbox/systems/akeneo';
import {
	AMAZON_SANDBOX_CLIENT,
	AMAZON_SANDBOX_MARKETPLACE,
	AMAZON_SANDBOX_SELLER,
} from '../sandbox/systems/amazon';
import { EBAY_SANDBOX_CLIENT } from '../sandbox/systems/ebay';
import { HUBSPOT_SANDBOX_CLIENT_SECRET, HUBSPOT_SANDBOX_TOKEN } from '../sandbox/systems/hubspot';
import { NETSUITE_SANDBOX_ACCOUNT } from '../sandbox/systems/netsuite';
import { SHIPBOB_SANDBOX_TOKEN } from '../sandbox/systems/shipbob';
import { DEFAULTS as SHOPIFY_DEFAULTS } from '../sandbox/systems/shopify/state';

/** Where the running sandbox answers. */
export interface SandboxUrls {
	/** `http://127.0.0.1:<port>/<system>`: a credential's base-URL override. */
	url(system: string): string;
}

/** One credential type's sandbox credential. */
export interface SandboxCredential {
	/** Shown in the credential name: "<system> (sandbox)". */
	system: string;
	/** The credential's fields, pointing at the sandbox. */
	data(sandbox: SandboxUrls): Record<string, unknown>;
}

/** The credential type names are those of the classes in `credentials/*.credentials.ts`. */
export const SANDBOX_CREDENTIALS: Readonly<Record<string, SandboxCredential>> = {
	shopifyAdminGraphqlApi: {
		system: 'Shopify',
		data: (sandbox) => ({
			shopDomain: SHOPIFY_DEFAULTS.shopDomain,
			accessToken: SHOPIFY_DEFAULTS.accessToken,
			apiVersion: '2026-04',
			appSecret: SHOPIFY_DEFAULTS.appSecret,
			plan: 'standard',
			baseUrl: sandbox.url('shopify'),
		}),
	},
	netSuiteTbaApi: {
		system: 'NetSuite',
		data: (sandbox) => ({
			accountId: NETSUITE_SANDBOX_ACCOUNT.accountId,
			consumerKey: NETSUITE_SANDBOX_ACCOUNT.consumerKey,
			consumerSecret: NETSUITE_SANDBOX_ACCOUNT.consumerSecret,
			tokenId: NETSUITE_SANDBOX_ACCOUNT.tokenId,
			tokenSecret: NETSUITE_SANDBOX_ACCOUNT.tokenSecret,
			concurrency: 5,
			baseUrl: sandbox.url('netsuite'),
		}),
	},
	shipBobApi: {
		system: 'ShipBob',
		data: (sandbox) => ({
			accessToken: SHIPBOB_SANDBOX_TOKEN,
			apiVersion: '2026-01',
			environment: 'production',
			channelId: '',
			baseUrl: sandbox.url('shipbob'),
		}),
	},
	amazonSpApi: {
		system: 'Amazon',
		data: (sandbox) => ({
			clientId: AMAZON_SANDBOX_CLIENT.clientId,
			clientSecret: AMAZON_SANDBOX_CLIENT.clientSecret,
			refreshToken: AMAZON_SANDBOX_CLIENT.refreshToken,
			region: 'na',
			sellerId: AMAZON_SANDBOX_SELLER,
			marketplaceIds: AMAZON_SANDBOX_MARKETPLACE,
			baseUrl: sandbox.url('amazon'),
			tokenUrl: `${sandbox.url('amazon')}/auth/o2/token`,
		}),
	},
	ebaySellApi: {
		system: 'eBay',
		data: (sandbox) => ({
			environment: 'production',
			clientId: EBAY_SANDBOX_CLIENT.clientId,
			clientSecret: EBAY_SANDBOX_CLIENT.clientSecret,
			refreshToken: EBAY_SANDBOX_CLIENT.refreshToken,
			scopes: 'https://api.ebay.com/oauth/api_scope/sell.inventory',
			baseUrl: sandbox.url('ebay'),
			tokenUrl: `${sandbox.url('ebay')}/identity/v1/oauth2/token`,
		}),
	},
	hubSpotPrivateAppApi: {
		system: 'HubSpot',
		data: (sandbox) => ({
			accessToken: HUBSPOT_SANDBOX_TOKEN,
			plan: 'starter',
			clientSecret: HUBSPOT_SANDBOX_CLIENT_SECRET,
			baseUrl: sandbox.url('hubspot'),
		}),
	},
	akeneoApi: {
		system: 'Akeneo',
		data: (sandbox) => ({
			host: sandbox.url('akeneo'),
			clientId: AKENEO_SANDBOX_CONNECTION.clientId,
			clientSecret: AKENEO_SANDBOX_CONNECTION.clientSecret,
			username: AKENEO_SANDBOX_CONNECTION.username,
			password: AKENEO_SANDBOX_CONNECTION.password,
			concurrency: 4,
			requestsPerSecond: 100,
		}),
	},
	commerceSyncStateStoreApi: {
		system: 'Commerce Sync State Store',
		// Embedded: a file inside the n8n user folder, nothing else to run.
		data: () => ({ backend: 'embedded', directory: '' }),
	},
};

/** The name `npm start` gives a credential type's sandbox credential. */
export function sandboxCredentialName(entry: SandboxCredential): string {
	return `${entry.system} (sandbox)`;
}
