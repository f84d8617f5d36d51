import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import { stateStoreCredential, stateStoreField } from '../shared/n8n/state/descriptions';

const routeOnly = { show: { operation: ['route'] } };

/** The Retry node's UI. */
export const retryDescription: INodeTypeDescription = {
	displayName: 'Commerce Sync Retry',
	name: 'commerceSyncRetry',
	icon: { light: 'file:retry.svg', dark: 'file:retry.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{$parameter["operation"]}}',
	description:
		'Retry failed items with exponential backoff and Retry-After, park long waits and dead letters durably, replay them later',
	defaults: { name: 'Retry' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
	outputNames: ['Retry', 'Dead Letter'],
	credentials: [stateStoreCredential],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Classify and Route',
					value: 'route',
					description: 'Wait and send retryable items to "Retry"; permanent or exhausted ones to "Dead Letter"',
					action: 'Classify and route failed items',
				},
				{
					name: 'List',
					value: 'list',
					description: 'Show parked retries or dead letters',
					action: 'List queued items',
				},
				{
					name: 'Purge',
					value: 'purge',
					description: 'Delete parked retries or dead letters',
					action: 'Purge queued items',
				},
				{
					name: 'Replay Due',
					value: 'replay',
					description:
						'Send parked items whose wait is over (or dead letters) to "Retry" again. Each carries _retry.source, the node it failed in, so a Switch can send it back there.',
					action: 'Replay due items',
				},
			],
			default: 'route',
		},
		stateStoreField,
		{
			displayName: 'Queue Name',
			name: 'queueName',
			type: 'string',
			default: 'default',
			description:
				'Parked items and dead letters are kept per queue name; the Replay, List and Purge operations read the same name',
		},
		{
			displayName: 'Queue',
			name: 'queue',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Parked Retries', value: 'scheduled', description: 'Items waiting out a long backoff' },
				{ name: 'Dead Letters', value: 'dead', description: 'Items given up on (permanent error or attempts exhausted)' },
			],
			default: 'scheduled',
			displayOptions: { show: { operation: ['replay', 'list', 'purge'] } },
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5,
			description: 'Retries before an item goes to "Dead Letter" (the attempt count travels with the item)',
			displayOptions: routeOnly,
		},
		{
			displayName: 'Base Wait (Ms)',
			name: 'baseMs',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1000,
			description: 'Ceiling of the first wait; each retry doubles it (full jitter: the wait is random below it)',
			displayOptions: routeOnly,
		},
		{
			displayName: 'Max Wait (Ms)',
			name: 'capMs',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300000,
			description: 'Largest backoff wait. A longer Retry-After from the server is still honoured.',
			displayOptions: routeOnly,
		},
		{
			displayName: 'Hold Execution Up To (Seconds)',
			name: 'maxHoldSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'Waits up to this long happen inside the execution. Longer waits park the item in the durable queue with a due time; a scheduled workflow with "Replay Due" sends it on.',
			displayOptions: routeOnly,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { operation: ['replay', 'list'] } },
		},
		{
			displayName: 'Lease (Seconds)',
			name: 'leaseSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description:
				'While an execution replays an entry no other execution gets it; if the execution dies, the entry is due again after the lease',
			displayOptions: { show: { operation: ['replay'] } },
		},
		{
			displayName: 'Purge',
			name: 'purgeWhat',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Everything in the Queue', value: 'all' },
				{ name: 'Entries by ID', value: 'ids' },
			],
			default: 'all',
			displayOptions: { show: { operation: ['purge'] } },
		},
		{
			displayName: 'Entry IDs',
			name: 'ids',
			type: 'string',
			default: '',
			placeholder: 'e.g. 12, 13',
			description: 'Comma-separated IDs as shown by List',
			displayOptions: { show: { operation: ['purge'], purgeWhat: ['ids'] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: routeOnly,
			options: [
				{
					displayName: 'Honour Retry-After',
					name: 'honourRetryAfter',
					type: 'boolean',
					default: true,
					description: 'Whether to wait at least as long as the server asked (Retry-After header or our errors’ retryAfterMs)',
				},
				{
					displayName: 'Unknown Errors Are Retryable',
					name: 'unknownRetryable',
					type: 'boolean',
					default: false,
					description: 'Whether errors with no status, network code or known message are retried (default: dead letter)',
				},
				{
					displayName: 'Keep Dead Letters',
					name: 'keepDeadLetters',
					type: 'boolean',
					default: true,
					description: 'Whether items sent to "Dead Letter" are also stored in the durable queue for List and Replay',
				},
			],
		},
	],
};
