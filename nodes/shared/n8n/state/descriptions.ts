import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { STATE_STORE_CREDENTIAL } from './factory';

/** The "State Store" choice Dedupe and Retry share: embedded by default, or a credential. */
export const stateStoreField: INodeProperties = {
	displayName: 'State Store',
	name: 'stateStore',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Embedded (This N8n Instance)',
			value: 'embedded',
			description: 'A file in the n8n user folder. Right for one n8n process; not for queue mode.',
		},
		{
			name: 'From Credential (Embedded, Postgres or Redis)',
			value: 'credential',
			description: 'Use a Commerce Sync State Store credential; Postgres or Redis for queue mode',
		},
	],
	default: 'embedded',
	description: 'Where keys and dead letters are kept. Dedupe and Retry nodes using the same store share state.',
};

/** The credential slot, shown when the store comes from a credential. */
export const stateStoreCredential: INodeCredentialDescription = {
	name: STATE_STORE_CREDENTIAL,
	required: true,
	displayOptions: { show: { stateStore: ['credential'] } },
};
