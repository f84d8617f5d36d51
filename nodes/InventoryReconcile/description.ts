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
		description: 'How much of the available stock each channel gets, always rounded down (per-channel overrides below; a channel row’s allocation field overrides both, e.g. "share:40", "cap:10", "floor:3" or "all")',
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
			'Which warehouses fill each channel location. A channel with no mapping here uses the default: a channel location with the same ID as a warehouse takes that warehouse’s stock, any other location takes the stock of all warehouses pooled. A channel with at least one mapping uses only its mappings: its unmapped locations are reported as exceptions.',
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
		displayName: 'Location Mapping (JSON)',
		name: 'locationMappingsJson',
		type: 'json',
		default: '[]',
		description:
			'The same mapping as a list, for long tables or an expression: [{"channel": "shopify", "channelLocationId": "gid://shopify/Location/1", "truthLocationIds": ["WH-EAST", "WH-WEST"]}]. Added to the table above.',
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
		description: 'Differences of at most this many units are left alone (a channel row’s tolerance field overrides it)',
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
		description: 'A channel row changed after the truth snapshot when its "changed at" time is later than the oldest snapshot time of the stock it is compared with. A channel row’s conflict policy field overrides this.',
	},
	{
		displayName: 'Refuse Snapshots Older Than (Minutes)',
		name: 'staleAfterMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Stock read longer ago than this is not acted on: those rows are listed as exceptions. Applies to truth rows (a truth row with no snapshot time is refused too while the guard is on) and to channel rows that carry a snapshot time. 0 turns the guard off.',
	},
	{
		displayName: 'Report SKUs No Channel Lists',
		name: 'reportUnlisted',
		type: 'boolean',
		default: true,
		description: 'Whether SKUs in the truth input that no channel row mentions are listed as exceptions',
	},
	{
		displayName: 'Report Title',
		name: 'reportTitle',
		type: 'string',
		default: 'Inventory drift report',
		description: 'Title of the HTML drift report attached to the Summary item (binary property "data")',
	},
	{
		displayName: 'Pass Through Fields (Channel)',
		name: 'passThroughFields',
		type: 'string',
		default: 'inventoryItemId, correlationId, listingId, offerId, itemId',
		description: 'Comma-separated fields of a channel row copied to its adjustment or in-sync item, so the write node that follows has the ids it needs',
	},
	{ displayName: 'SKU Field', name: 'skuField', type: 'string', default: 'sku' },
	{ displayName: 'Location Field', name: 'locationField', type: 'string', default: 'locationId' },
	{ displayName: 'On Hand Field (Truth)', name: 'onHandField', type: 'string', default: 'quantities.onHand', description: 'Dot path; a flat "onHand" field is found too' },
	{ displayName: 'Committed Field (Truth)', name: 'committedField', type: 'string', default: 'quantities.committed' },
	{ displayName: 'Reserved Field (Truth)', name: 'reservedField', type: 'string', default: 'quantities.reserved' },
	{
		displayName: 'Safety Stock Field',
		name: 'safetyStockField',
		type: 'string',
		default: 'safetyStock',
		description: 'On a truth row it sets the SKU’s safety stock; on a channel row, that listing’s',
	},
	{
		displayName: 'Snapshot Time Field',
		name: 'asOfField',
		type: 'string',
		default: 'asOf',
		description: 'When a row was read (ISO date or milliseconds), on either input, for the stale-snapshot guard and the conflict policy',
	},
	{ displayName: 'Channel Field', name: 'channelField', type: 'string', default: 'channel' },
	{ displayName: 'Current Quantity Field (Channel)', name: 'currentField', type: 'string', default: 'quantities.available' },
	{ displayName: 'Changed At Field (Channel)', name: 'updatedAtField', type: 'string', default: 'updatedAt' },
	{ displayName: 'Bundle Components Field (Channel)', name: 'componentsField', type: 'string', default: 'components', description: 'A list like [{"sku": "MUG", "quantity": 2}] on a bundle’s channel row' },
	{ displayName: 'Allocation Field (Channel)', name: 'allocationField', type: 'string', default: 'allocation', description: 'Per-row allocation: "all", "share:40", "40%", "cap:10", "floor:3" or {"mode": "share", "value": 40}' },
	{ displayName: 'Tolerance Field (Channel)', name: 'toleranceField', type: 'string', default: 'tolerance' },
	{ displayName: 'Conflict Policy Field (Channel)', name: 'conflictPolicyField', type: 'string', default: 'conflictPolicy', description: 'Per-row policy: truthWins, lowerWins or skip' },
];
