import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * Shows a set of properties only for the given resource and operation(s), the way n8n's own
 * v2 nodes scope operation fields.
 */
export function displayFor(
	resource: string | undefined,
	operation: string | string[],
	properties: INodeProperties[],
): INodeProperties[] {
	const show: IDisplayOptions['show'] = {
		operation: Array.isArray(operation) ? operation : [operation],
	};
	if (resource !== undefined) show.resource = [resource];
	return properties.map((p) => ({
		...p,
		displayOptions: {
			...p.displayOptions,
			show: { ...(p.displayOptions?.show ?? {}), ...show },
		},
	}));
}

/** "Return All" + "Limit", the pair every list operation offers. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The dry-run toggle every write operation carries, for shadow runs beside a legacy flow. */
export const dryRunField: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description:
		'Whether to only compute and output exactly what would be sent, without writing anything. Use it to run this workflow in shadow beside an existing integration and compare.',
};

/** Correlation id: carried from the input item (or created) into requests and outputs. */
export const correlationIdField: INodeProperties = {
	displayName: 'Correlation ID',
	name: 'correlationId',
	type: 'string',
	default: '={{ $json.correlationId }}',
	description:
		'Ties one order or stock change together across every system it touches. Left empty, a new ID is created for each item.',
};

/** Reads the `returnAllOrLimit` pair for an item: undefined means all, else the limit. */
export function readLimit(ctx: IExecuteFunctions, index: number): number | undefined {
	const returnAll = ctx.getNodeParameter('returnAll', index, false) as boolean;
	return returnAll ? undefined : (ctx.getNodeParameter('limit', index, 50) as number);
}
