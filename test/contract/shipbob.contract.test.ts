import { ShipBob } from '../../nodes/ShipBob/ShipBob.node';
import { generateCatalog } from '../../sandbox/catalog';
import { SHIPBOB_SANDBOX_TOKEN } from '../../sandbox/systems/shipbob';
import { describeAdapterContract } from './adapterContract';

// The contract seeds `contract-shipbob` with 60 SKUs at 2 locations: read one centre, so one row per inventory item.
const centre = generateCatalog({ seed: 'contract-shipbob', skus: 60, locations: 2 }).locations[0]
	.id;

describeAdapterContract({
	system: 'shipbob',
	node: new ShipBob(),
	credentialType: 'shipBobApi',
	credentials: (baseUrl) => ({
		accessToken: SHIPBOB_SANDBOX_TOKEN,
		apiVersion: '2026-01',
		environment: 'production',
		channelId: '',
		baseUrl,
	}),
	badCredentials: (baseUrl) => ({
		accessToken: 'not-the-token',
		apiVersion: '2026-01',
		environment: 'production',
		channelId: '',
		baseUrl,
	}),
	seed: { skus: 60, locations: 2 },
	list: {
		run: (returnAll, limit) => ({
			params: {
				resource: 'inventory',
				operation: 'getMany',
				locationId: centre,
				search: '',
				pageSize: 25,
				returnAll,
				limit,
			},
		}),
		expectedTotal: () => 60,
		idFields: ['locationId', 'inventoryId'],
	},
});
