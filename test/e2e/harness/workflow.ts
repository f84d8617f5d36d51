/**
 * Small builders for test workflows: a Webhook trigger (answering with the last node's data)
 * followed by a chain of nodes.
 */
import { randomUUID } from 'node:crypto';

import type { WorkflowJson } from './n8n';

export const PKG = 'n8n-nodes-commerce-sync';

export interface NodeSpec {
	name: string;
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

/** Webhook (POST /webhook/<path>, responds with the last node's items) → nodes in a line. */
export function webhookChain(name: string, path: string, chain: NodeSpec[], responseData: 'allEntries' | 'firstEntryJson' = 'allEntries'): WorkflowJson {
	const nodes: Array<Record<string, unknown>> = [
		{
			id: randomUUID(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData, options: {} },
		},
	];
	const connections: Record<string, unknown> = {};
	let previous = 'Webhook';
	chain.forEach((spec, i) => {
		nodes.push({
			id: randomUUID(),
			name: spec.name,
			type: spec.type,
			typeVersion: spec.typeVersion ?? 1,
			position: [220 * (i + 1), 0],
			parameters: spec.parameters ?? {},
			...(spec.credentials ? { credentials: spec.credentials } : {}),
			...(spec.onError ? { onError: spec.onError } : {}),
		});
		connections[previous] = { main: [[{ node: spec.name, type: 'main', index: 0 }]] };
		previous = spec.name;
	});
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}
