import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Where Dedupe keys, dead letters and shared rate budgets are kept. Not an HTTP credential:
 * the Dedupe node's `methods.credentialTest.commerceSyncStateStoreConnection` tests it by
 * opening the store and running a reserve/release round trip.
 */
export class CommerceSyncStateStoreApi implements ICredentialType {
	name = 'commerceSyncStateStoreApi';

	// The name users look for in the credential list; it holds a connection, not an API key.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'Commerce Sync State Store';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-commerce-sync#state-store';

	properties: INodeProperties[] = [
		{
			displayName: 'Backend',
			name: 'backend',
			type: 'options',
			options: [
				{
					name: 'Embedded (This N8n Instance)',
					value: 'embedded',
					description: 'A file in the n8n folder. One n8n process only: not for queue mode.',
				},
				{
					name: 'Postgres',
					value: 'postgres',
					description: 'Shared by every worker in queue mode',
				},
				{
					name: 'Redis',
					value: 'redis',
					description: 'Shared by every worker in queue mode',
				},
			],
			default: 'embedded',
		},
		{
			displayName: 'Directory',
			name: 'directory',
			type: 'string',
			default: '',
			placeholder: '~/.n8n/storage/n8n-nodes-commerce-sync',
			description:
				'Folder for the state file. Empty means the package folder next to n8n’s node storage (inside the n8n user folder, so the standard Docker volume keeps it).',
			displayOptions: { show: { backend: ['embedded'] } },
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			displayOptions: { show: { backend: ['postgres', 'redis'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 5432,
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'n8n',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: 'postgres',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'public',
			description: 'Schema for the three commerce_sync_* tables, created on first use',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable' },
				{ name: 'Require (Do Not Verify Certificate)', value: 'require' },
				{ name: 'Verify Certificate', value: 'verify' },
			],
			default: 'disable',
			displayOptions: { show: { backend: ['postgres', 'redis'] } },
		},
		{
			displayName: 'Port',
			name: 'redisPort',
			type: 'number',
			default: 6379,
			displayOptions: { show: { backend: ['redis'] } },
		},
		{
			displayName: 'Database Number',
			name: 'redisDatabase',
			type: 'number',
			default: 0,
			displayOptions: { show: { backend: ['redis'] } },
		},
		{
			displayName: 'User',
			name: 'redisUser',
			type: 'string',
			default: '',
			description: 'ACL user name; empty for the default user',
			displayOptions: { show: { backend: ['redis'] } },
		},
		{
			displayName: 'Password',
			name: 'redisPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { backend: ['redis'] } },
		},
		{
			displayName: 'Key Prefix',
			name: 'redisPrefix',
			type: 'string',
			default: 'cs:',
			description: 'Prefix of every key this package writes',
			displayOptions: { show: { backend: ['redis'] } },
		},
	];
}
