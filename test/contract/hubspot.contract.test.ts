import { HubSpotCrm } from '../../nodes/HubSpot/HubSpotCrm.node';
import { HUBSPOT_SANDBOX_TOKEN } from '../../sandbox/systems/hubspot';
import { describeAdapterContract } from './adapterContract';

// HubSpot holds no stock, so the stock round-trip does not apply.
describeAdapterContract({
	system: 'hubspot',
	node: new HubSpotCrm(),
	credentialType: 'hubSpotPrivateAppApi',
	credentials: (baseUrl) => ({ accessToken: HUBSPOT_SANDBOX_TOKEN, plan: 'professional', baseUrl }),
	badCredentials: (baseUrl) => ({ accessToken: 'pat-na1-revoked', plan: 'professional', baseUrl }),
	seed: { skus: 150, locations: 1 },
	list: {
		run: (returnAll, limit) => ({ params: { resource: 'contact', operation: 'getMany', properties: '', returnAll, limit } }),
		expectedTotal: (sandbox) => (sandbox.state('hubspot') as { contacts: unknown[] }).contacts.length,
		idFields: ['id'],
	},
});
