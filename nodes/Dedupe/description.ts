import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import { stateStoreCredential, stateStoreField } from '../shared/n8n/state/descriptions';

const dedupeOnly = { show: { operation: ['deduplicate'] } };
const scoped = { show: { operation: ['deduplicate', 'count', 'clear'] } };

/** The Dedupe node's UI. */
export const dedupeDescription: INodeTypeDescription = {
	displayName: 'Commerce Sync Dedupe',
	name: 'commerceSyncDedupe',
	icon: { light: 'file:dedupe.svg', dark: 'file:dedupe.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{$parameter["operation"]}}',
	description:
		'Pass each key once, across parallel executions and queue-mode workers; confirm after success or release on failure',
	defaults: { name: 'Dedupe' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
	outputNames: ['New', 'Duplicate'],
	credentials: [{ ...stateStoreCredential, testedBy: 'commerceSyncStateStoreConnection' }],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Clear History',
					value: 'clear',
					description: 'Forget every key of the scope, or only the keys of the input items',
					action: 'Clear dedupe history',
				},
				{
					name: 'Confirm',
					value: 'confirm',
					description: 'Mark reserved keys done after the downstream write succeeded',
					action: 'Confirm reserved keys',
				},
				{
					name: 'Count History',
					value: 'count',
					description: 'How many keys the scope remembers',
					action: 'Count dedupe history',
				},
				{
					name: 'Deduplicate',
					value: 'deduplicate',
					description: 'Send new items to "New" and seen ones to "Duplicate"',
					action: 'Deduplicate items',
				},
				{
					name: 'Release',
					value: 'release',
					description: 'Drop reservations after a failure so a retry of the same items can pass',
					action: 'Release reserved keys',
				},
			],
			default: 'deduplicate',
		},
		stateStoreField,
		{
			displayName: 'Pass Items When',
			name: 'passWhen',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Key Is New', value: 'new', description: 'The key was not seen within the TTL' },
				{
					name: 'Content Changed',
					value: 'changed',
					description:
						'The key is new, or its content hash differs from the last one recorded for it (catalog sync)',
				},
			],
			default: 'new',
			displayOptions: dedupeOnly,
		},
		{
			displayName: 'Record',
			name: 'recordMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'At Once (Check and Record)',
					value: 'immediately',
					description: 'A key is remembered as soon as it passes',
				},
				{
					name: 'After Confirm (Reserve Now, Commit After Success)',
					value: 'afterConfirm',
					description:
						'A passing key is only reserved; a later Dedupe "Confirm" makes it permanent, "Release" (or the lease running out) lets a retry pass',
				},
			],
			default: 'immediately',
			displayOptions: dedupeOnly,
		},
		{
			displayName: 'Key From',
			name: 'keySource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Fields', value: 'fields', description: 'The values of one or more fields' },
				{ name: 'Expression', value: 'expression', description: 'Any value you compute' },
				{
					name: 'Content Hash',
					value: 'hash',
					description: 'A SHA-256 of chosen fields (or the whole item): identical content is a duplicate',
				},
			],
			default: 'fields',
			displayOptions: { show: { operation: ['deduplicate', 'clear'] } },
		},
		{
			displayName: 'Key Fields',
			name: 'keyFields',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. orderId or shop, orderId',
			description: 'Comma-separated fields (dot paths allowed) that identify an item',
			displayOptions: { show: { operation: ['deduplicate'], keySource: ['fields'] } },
		},
		// The same field for clearing only some keys; clearing the whole scope needs no key.
		{
			displayName: 'Key Fields',
			name: 'keyFields',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. orderId or shop, orderId',
			description: 'Comma-separated fields (dot paths allowed) that identify an item',
			displayOptions: { show: { operation: ['clear'], clearWhat: ['items'], keySource: ['fields'] } },
		},
		{
			displayName: 'Key',
			name: 'keyValue',
			type: 'string',
			default: '={{ $json.id }}',
			required: true,
			description: 'An expression giving each item’s key',
			displayOptions: { show: { operation: ['deduplicate', 'clear'], keySource: ['expression'] } },
		},
		{
			displayName: 'Hash Fields',
			name: 'hashFields',
			type: 'string',
			default: '',
			placeholder: 'e.g. sku, price, quantity',
			description: 'Comma-separated fields to hash. Empty means the whole item.',
			displayOptions: { show: { operation: ['deduplicate', 'clear'], keySource: ['hash'] } },
		},
		{
			displayName: 'Compare Fields',
			name: 'compareFields',
			type: 'string',
			default: '',
			placeholder: 'e.g. title, price, quantity',
			description:
				'Comma-separated fields whose content decides "changed". Empty means the whole item.',
			displayOptions: { show: { operation: ['deduplicate'], passWhen: ['changed'] } },
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'This Workflow', value: 'workflow', description: 'Shared by every Dedupe node of this workflow using this scope' },
				{ name: 'This Node', value: 'node', description: 'Only this node (survives renaming it)' },
				{
					name: 'Named Namespace',
					value: 'namespace',
					description: 'Shared by every workflow naming the same namespace',
				},
			],
			default: 'workflow',
			displayOptions: scoped,
		},
		{
			displayName: 'Namespace',
			name: 'namespace',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. orders.shopify',
			description: 'Letters, digits, dots, dashes, underscores or colons',
			displayOptions: { show: { operation: ['deduplicate', 'count', 'clear'], scope: ['namespace'] } },
		},
		{
			displayName: 'Remember For',
			name: 'ttlValue',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'How long a key is remembered once recorded or confirmed',
			displayOptions: dedupeOnly,
		},
		{
			displayName: 'Unit',
			name: 'ttlUnit',
			type: 'options',
			options: [
				{ name: 'Minutes', value: 'minutes' },
				{ name: 'Hours', value: 'hours' },
				{ name: 'Days', value: 'days' },
			],
			default: 'days',
			displayOptions: dedupeOnly,
		},
		{
			displayName: 'Reservation Timeout (Minutes)',
			name: 'leaseMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
			description:
				'How long a reserved key waits for Confirm or Release. After it, the execution is presumed dead and the key may pass again.',
			displayOptions: { show: { operation: ['deduplicate'], recordMode: ['afterConfirm'] } },
		},
		{
			displayName: 'Clear',
			name: 'clearWhat',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Whole Scope', value: 'all', description: 'Forget every key of the scope' },
				{ name: 'Keys of the Input Items', value: 'items', description: 'Forget only these items’ keys' },
			],
			default: 'all',
			displayOptions: { show: { operation: ['clear'] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Metadata Field',
					name: 'metaField',
					type: 'string',
					default: '_dedupe',
					description:
						'Field that carries the key, namespace and reservation token to Confirm and Release',
				},
				{
					displayName: 'Fail If Reservation Lost',
					name: 'failIfLost',
					type: 'boolean',
					default: true,
					description:
						'Whether Confirm fails for an item whose reservation ran out (another execution may have taken the key). Off: the item passes with "confirmed": false.',
				},
			],
		},
	],
};
