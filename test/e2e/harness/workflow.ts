/**
 * Small builders for test workflows: a Webhook trigger (answering with the last node's data)
 * followed by a chain of nodes.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { N8nInstance, WorkflowJson } from './n8n';

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

/** A credential to put in a node's slot: `{ id, name }` as n8n stores it in a workflow. */
export type CredentialRef = { id: string; name: string };

/**
 * Reads a workflow file as the editor exports it (one workflow object, or a one-element list
 * from `n8n export:workflow`) into what the public API accepts: only name, nodes, connections
 * and settings; ids, active flags, pin data and tags are dropped.
 * `credentials` (by credential type) replaces every node's reference to that type, so templates
 * can run against credentials the test created.
 */
export function readWorkflowFile(file: string, credentials: Record<string, CredentialRef> = {}): WorkflowJson {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		throw new Error(`Workflow file ${file} is not readable JSON: ${(error as Error).message}`);
	}
	if (Array.isArray(parsed)) {
		if (parsed.length !== 1) throw new Error(`Workflow file ${file} holds ${parsed.length} workflows; import expects exactly one`);
		parsed = parsed[0];
	}
	const wf = parsed as Partial<Omit<WorkflowJson, 'nodes'>> & { nodes?: Array<Record<string, unknown>> };
	if (typeof wf !== 'object' || wf === null || !Array.isArray(wf.nodes) || typeof wf.connections !== 'object' || wf.connections === null) {
		throw new Error(`Workflow file ${file} has no "nodes" array or "connections" object`);
	}
	const nodes = wf.nodes.map((node) => {
		const slots = node.credentials as Record<string, unknown> | undefined;
		if (!slots) return node;
		const bound = Object.fromEntries(Object.entries(slots).map(([type, ref]) => [type, credentials[type] ?? ref]));
		return { ...node, credentials: bound };
	});
	return {
		name: typeof wf.name === 'string' && wf.name.trim() !== '' ? wf.name : file.split('/').pop()!.replace(/\.json$/, ''),
		nodes,
		connections: wf.connections,
		settings: wf.settings ?? { executionOrder: 'v1' },
	};
}

/** Creates a workflow from a file (see `readWorkflowFile`) through the public API; returns its id. */
export async function importWorkflowFile(
	n8n: N8nInstance,
	file: string,
	credentials: Record<string, CredentialRef> = {},
): Promise<string> {
	return await n8n.createWorkflow(readWorkflowFile(file, credentials));
}
