import type { INodeProperties } from 'n8n-workflow';

const allocationModes = [
	{ name: 'All Available', value: 'all', description: 'The channel shows everything available to sell' },
	{ name: 'Cap', value: 'cap', description: 'At most N units' },
	{ name: 'Floor', value: 'floor', description: 'Show 0 once fewer than N units are available (keeps the last units for other channels)' },
	{ name: 'Share (%)', value: 'share', description: 'A percentage, rounded down' },
];

/** Every parameter of the node; defaults read our system nodes' stock rows with no mapping. */
export const properties: INodeProperties[] = [
	{
		displayName:
			'Input 1 (Truth): stock rows from your warehouse or ERP. Input 2 (Channels): what each sales channel shows. Defaults match the stock rows of this package’s nodes.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Safety Stock',
		name: 'safetyStock',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Units held back from every channel location. A truth row’s own "Safety Stock" field overrides it for that SKU.',
	},
	{
		displayName: 'Allocation',
		name: 'allocationMode',
		type: 'options',
		options: allocationModes,
		default: 'all',
		description: 'How much of the available stock each channel gets (per-channel overrides below; a channel row’s "allocation" field overrides both)',
	},
	{
		displayName: 'Allocation Value',
		name: 'allocationValue',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 100,
		description: 'The percentage, cap or floor',
		displayOptions: { hide: { allocationMode: ['all'] } },
	},
	{
		displayName: 'Per-Channel Allocation',
		name: 'channelAllocations',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				displayName: 'Channel',
				name: 'channel',
				values: [
					{ displayName: 'Channel', name: 'channel', type: 'string', default: '', placeholder: 'amazon' },
					{ displayName: 'Allocation', name: 'mode', type: 'options', options: allocationModes, default: 'share' },
					{ displayName: 'Value', name: 'value', type: 'number', default: 100 },
				],
			},
		],
	},
	{
		displayName: 'Location Mapping',
		name: 'locationMappings',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Which warehouses fill each channel location. Without any mapping: a channel location with the same ID as a warehouse takes that warehouse’s stock, otherwise the stock of all warehouses is pooled. With a mapping, an unmapped channel location is reported as an exception.',
		options: [
			{
				displayName: 'Mapping',
				name: 'mapping',
				values: [
					{ displayName: 'Channel', name: 'channel', type: 'string', default: '', placeholder: 'shopify' },
					{ displayName: 'Channel Location ID', name: 'channelLocationId', type: 'string', default: '' },
					{ displayName: 'Truth Location IDs', name: 'truthLocationIds', type: 'string', default: '', placeholder: 'WH-EAST, WH-WEST', description: 'Comma-separated' },
				],
			},
		],
	},
	{
		displayName: 'Bundles (JSON)',
		name: 'bundlesJson',
		type: 'json',
		default: '{}',
		description:
			'Bundle and kit definitions: {"GIFT-SET": [{"sku": "MUG", "quantity": 2}]}. A bundle shows the minimum over its components of ⌊component stock ÷ quantity⌋. A channel row’s own "components" field also works. Bundles of bundles are refused.',
	},
	{
		displayName: 'Tolerance',
		name: 'tolerance',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Differences of at most this many units are left alone',
	},
	{
		displayName: 'When the Channel Changed After the Snapshot',
		name: 'conflictPolicy',
		type: 'options',
		options: [
			{ name: 'Truth Wins', value: 'truthWins' },
			{ name: 'Lower Wins', value: 'lowerWins', description: 'Keep the channel’s value if it is lower (never raises a quantity a person just lowered)' },
			{ name: 'Skip and Report', value: 'skip', description: 'Leave it and list it as an exception' },
		],
		default: 'truthWins',
	},
	{
		displayName: 'Refuse Snapshots Older Than (Minutes)',
		name: 'staleAfterMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Truth rows read longer ago than this are not acted on (listed as exceptions). 0 turns the guard off.',
	},
	{
		displayName: 'Report SKUs No Channel Lists',
		name: 'reportUnlisted',
		type: 'boolean',
		default: true,
		description: 'Whether SKUs in the truth input that no channel row mentions are listed as exceptions',
	},
	{ displayName: 'Report Title', name: 'reportTitle', type: 'string', default: 'Inventory drift report' },
	{ displayName: 'SKU Field', name: 'skuField', type: 'string', default: 'sku' },
	{ displayName: 'Location Field', name: 'locationField', type: 'string', default: 'locationId' },
	{ displayName: 'On Hand Field (Truth)', name: 'onHandField', type: 'string', default: 'quantities.onHand', description: 'Dot path; a flat "onHand" field is found too' },
	{ displayName: 'Committed Field (Truth)', name: 'committedField', type: 'string', default: 'quantities.committed' },
	{ displayName: 'Reserved Field (Truth)', name: 'reservedField', type: 'string', default: 'quantities.reserved' },
	{ displayName: 'Safety Stock Field (Truth)', name: 'safetyStockField', type: 'string', default: 'safetyStock' },
	{ displayName: 'Snapshot Time Field (Truth)', name: 'asOfField', type: 'string', default: 'asOf' },
	{ displayName: 'Channel Field', name: 'channelField', type: 'string', default: 'channel' },
	{ displayName: 'Current Quantity Field (Channel)', name: 'currentField', type: 'string', default: 'quantities.available' },
	{ displayName: 'Changed At Field (Channel)', name: 'updatedAtField', type: 'string', default: 'updatedAt' },
	{ displayName: 'Bundle Components Field (Channel)', name: 'componentsField', type: 'string', default: 'components' },
];
