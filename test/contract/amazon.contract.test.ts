import { AmazonSellingPartner } from '../../nodes/AmazonSellingPartner/AmazonSellingPartner.node';
import { AMAZON_SANDBOX_ACCESS_TOKEN, AMAZON_SANDBOX_CLIENT, AMAZON_SANDBOX_SELLER } from '../../sandbox/systems/amazon';
import { describeAdapterContract } from './adapterContract';

// The long-lived sandbox token skips the LWA exchange, so the log holds only SP-API calls; the
// bad credential has no token and a wrong secret, so LWA's 401 is what the node must not retry.
const base = (baseUrl: string) => ({
	...AMAZON_SANDBOX_CLIENT,
	region: 'na',
	sellerId: AMAZON_SANDBOX_SELLER,
	marketplaceIds: 'ATVPDKIKX0DER',
	baseUrl,
	tokenUrl: `${baseUrl}/auth/o2/token`,
});

describeAdapterContract({
	system: 'amazon',
	node: new AmazonSellingPartner(),
	credentialType: 'amazonSpApi',
	credentials: (baseUrl) => ({ ...base(baseUrl), sessionToken: AMAZON_SANDBOX_ACCESS_TOKEN, sessionExpiresAt: '2999-01-01T00:00:00.000Z' }),
	badCredentials: (baseUrl) => ({ ...base(baseUrl), clientSecret: 'not-the-secret', sessionToken: '', sessionExpiresAt: '' }),
	seed: { skus: 60, locations: 2 },
	list: {
		run: (returnAll, limit) => ({ params: { resource: 'listing', operation: 'getMany', marketplaceId: '', pageSize: 20, returnAll, limit } }),
		expectedTotal: () => 60,
		idFields: ['sku', 'locationId', 'asin'],
	},
});
