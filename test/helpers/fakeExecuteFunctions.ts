import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodeTypeDescription,
} from 'n8n-workflow';

/** A parameter value, or a function of the item index and item (what an expression would give). */
export type ParamValue = unknown | ((index: number, item: INodeExecutionData) => unknown);

export interface FakeContextOptions {
	description: INodeTypeDescription;
	/** Input items per input index (most nodes have one input). */
	inputs: INodeExecutionData[][] | INodeExecutionData[];
	params: Record<string, ParamValue>;
	continueOnFail?: boolean;
	credentials?: Record<string, IDataObject>;
	/** Extra helpers (httpRequestWithAuthentication etc.) a test wires to a real server. */
	helpers?: Partial<IExecuteFunctions['helpers']>;
	node?: Partial<INode>;
}

/**
 * A small IExecuteFunctions implementing only what our nodes call. Parameters a test does not
 * give fall back to the node description's defaults; an expression default (`={{ … }}`) that
 * the test did not resolve throws, so a test cannot silently pass on an unevaluated expression.
 */
export function fakeExecuteFunctions(options: FakeContextOptions): IExecuteFunctions {
	const inputs = (Array.isArray(options.inputs[0]) ? options.inputs : [options.inputs]) as INodeExecutionData[][];
	const node: INode = {
		id: 'node-1',
		name: options.description.defaults.name ?? options.description.displayName,
		type: `n8n-nodes-commerce-sync.${options.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...options.node,
	};
	const defaults = new Map<string, INodeProperties>();
	for (const p of options.description.properties) if (!defaults.has(p.name)) defaults.set(p.name, p);

	const ctx = {
		getInputData: (inputIndex = 0) => inputs[inputIndex] ?? [],
		getNode: () => node,
		continueOnFail: () => options.continueOnFail ?? false,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			if (name in options.params) {
				const value = options.params[name];
				return typeof value === 'function'
					? (value as (i: number, item: INodeExecutionData) => unknown)(itemIndex, inputs[0][itemIndex])
					: value;
			}
			const prop = defaults.get(name);
			if (prop) {
				if (typeof prop.default === 'string' && prop.default.startsWith('=')) {
					throw new Error(`Test did not supply parameter "${name}" (its default is an expression)`);
				}
				return prop.default;
			}
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		getCredentials: async (type: string) => {
			const c = options.credentials?.[type];
			if (!c) throw new Error(`No credentials of type "${type}" in this test`);
			return c;
		},
		getExecutionCancelSignal: () => undefined,
		helpers: {
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			prepareBinaryData: async (buffer: Buffer, fileName?: string, mimeType?: string) => ({
				data: buffer.toString('base64'),
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileSize: String(buffer.length),
			}),
			...options.helpers,
		},
		logger: { debug() {}, info() {}, warn() {}, error() {} },
	};
	return ctx as unknown as IExecuteFunctions;
}
