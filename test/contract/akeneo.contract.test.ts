import { AkeneoPim } from '../../nodes/Akeneo/AkeneoPim.node';
import { AKENEO_SANDBOX_ACCESS_TOKEN, AKENEO_SANDBOX_CONNECTION } from '../../sandbox/systems/akeneo';
import { describeAdapterContract } from './adapterContract';

// The long-lived sandbox token skips the exchange; the bad credential's wrong client secret is
// refused by the token endpoint with 401. Akeneo holds no stock, so no stock round-trip.
describeAdapterContract({
	system: 'akeneo',
	node: new AkeneoPim(),
	credentialType: 'akeneoApi',
	credentials: (host) => ({ ...AKENEO_SANDBOX_CONNECTION, host, sessionToken: AKENEO_SANDBOX_ACCESS_TOKEN, sessionExpiresAt: '2999-01-01T00:00:00.000Z' }),
	badCredentials: (host) => ({ ...AKENEO_SANDBOX_CONNECTION, host, clientSecret: 'not-the-secret', sessionToken: '', sessionExpiresAt: '' }),
	seed: { skus: 150, locations: 1 },
	list: {
		run: (returnAll, limit) => ({ params: { resource: 'product', operation: 'getMany', updatedSince: '', enabled: 'any', families: '', categories: '', returnAll, limit } }),
		expectedTotal: (sandbox) => (sandbox.state('akeneo') as { products: unknown[] }).products.length,
		idFields: ['uuid', 'sku'],
	},
});
