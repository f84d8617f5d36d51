import { NetSuite } from '../../nodes/NetSuite/NetSuite.node';
import { NETSUITE_SANDBOX_ACCOUNT } from '../../sandbox/systems/netsuite';
import { describeAdapterContract } from './adapterContract';

describeAdapterContract({
	system: 'netsuite',
	node: new NetSuite(),
	credentialType: 'netSuiteTbaApi',
	credentials: (baseUrl) => ({ ...NETSUITE_SANDBOX_ACCOUNT, concurrency: 5, baseUrl }),
	badCredentials: (baseUrl) => ({
		...NETSUITE_SANDBOX_ACCOUNT,
		tokenSecret: 'not-the-secret',
		concurrency: 5,
		baseUrl,
	}),
	seed: { skus: 60, locations: 2 },
	list: {
		// Offset paging follows NetSuite's own next links, which is what the loop check exercises;
		// keyset paging is covered by the node tests.
		run: (returnAll, limit) => ({
			params: {
				resource: 'suiteql',
				operation: 'query',
				query: "SELECT id, itemid, isinactive FROM item WHERE isinactive = 'F' ORDER BY id",
				paging: 'offset',
				keyColumn: 'id',
				pageSize: 25,
				returnAll,
				limit,
			},
		}),
		expectedTotal: () => 60,
		idFields: ['id'],
	},
});
