import { EbaySellInventory } from '../../nodes/Ebay/EbaySellInventory.node';
import { EBAY_SANDBOX_ACCESS_TOKEN, EBAY_SANDBOX_CLIENT } from '../../sandbox/systems/ebay';
import { describeAdapterContract } from './adapterContract';

// The long-lived sandbox token skips the exchange; the bad credential's wrong secret is refused
// by the token endpoint with 401.
const base = (baseUrl: string) => ({
	...EBAY_SANDBOX_CLIENT,
	environment: 'production',
	scopes: 'https://api.ebay.com/oauth/api_scope/sell.inventory',
	baseUrl,
	tokenUrl: `${baseUrl}/identity/v1/oauth2/token`,
});

describeAdapterContract({
	system: 'ebay',
	node: new EbaySellInventory(),
	credentialType: 'ebaySellApi',
	credentials: (baseUrl) => ({ ...base(baseUrl), sessionToken: EBAY_SANDBOX_ACCESS_TOKEN, sessionExpiresAt: '2999-01-01T00:00:00.000Z' }),
	badCredentials: (baseUrl) => ({ ...base(baseUrl), clientSecret: 'not-the-secret', sessionToken: '', sessionExpiresAt: '' }),
	seed: { skus: 60, locations: 2 },
	list: {
		run: (returnAll, limit) => ({ params: { resource: 'inventoryItem', operation: 'getMany', pageSize: 25, returnAll, limit } }),
		expectedTotal: () => 60,
		idFields: ['sku', 'locationId'],
	},
	stock: {
		write: (targets) => ({
			params: { resource: 'inventoryItem', operation: 'bulkUpdatePriceQuantity', sku: (i: number) => targets[i].sku, quantity: (i: number) => targets[i].quantity, price: '', currency: 'USD', offerId: '', dryRun: false, correlationId: '' },
			items: targets.map((t) => ({ ...t })),
		}),
		read: () => ({ params: { resource: 'inventoryItem', operation: 'getMany', pageSize: 100, returnAll: true, limit: 50 } }),
		pick: (sandbox, n) => (sandbox.state('ebay') as { items: Array<{ sku: string }> }).items.slice(0, n).map((i) => ({ sku: i.sku, locationId: 'SHIP_TO' })),
		quantity: 'available',
	},
});
