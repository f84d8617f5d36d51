/**
 * Workflows that are not a straight line (a Webhook feeding two branches that meet at a
 * two-input node), and reading one node's outputs back from a recorded execution.
 */
import { randomUUID } from 'node:crypto';

import type { N8nInstance, WorkflowJson } from '../harness/n8n';
import type { NodeSpec } from '../harness/workflow';

/** An edge `from` (output `output`, default 0) → `to` (input `input`, default 0). */
export interface Edge {
	from: string;
	to: string;
	output?: number;
	input?: number;
}

/**
 * A workflow started by a POST webhook at `path`, answering with the last node's first output,
 * with the given nodes and edges (the Webhook node is called "Webhook").
 */
export function webhookGraph(
	name: string,
	path: string,
	specs: NodeSpec[],
	edges: Edge[],
): WorkflowJson {
	const nodes: Array<Record<string, unknown>> = [
		{
			id: randomUUID(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: {
				httpMethod: 'POST',
				path,
				responseMode: 'lastNode',
				responseData: 'allEntries',
				options: {},
			},
		},
		...specs.map((spec, i) => ({
			id: randomUUID(),
			name: spec.name,
			type: spec.type,
			typeVersion: spec.typeVersion ?? 1,
			position: [220 * (i + 1), 0],
			parameters: spec.parameters ?? {},
			...(spec.credentials ? { credentials: spec.credentials } : {}),
			...(spec.onError ? { onError: spec.onError } : {}),
		})),
	];
	const known = new Set(nodes.map((n) => n.name as string));
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	> = {};
	for (const edge of edges) {
		for (const end of [edge.from, edge.to]) {
			if (!known.has(end))
				throw new Error(`Edge ${edge.from} → ${edge.to}: no node named "${end}"`);
		}
		const main = (connections[edge.from] ??= { main: [] }).main;
		const output = edge.output ?? 0;
		while (main.length <= output) main.push([]);
		main[output].push({ node: edge.to, type: 'main', index: edge.input ?? 0 });
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

interface RunData {
	resultData?: {
		error?: { message?: string };
		runData?: Record<
			string,
			Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
		>;
	};
}

/**
 * The recorded executions of a workflow once at least `count` have finished, newest first.
 * Throws with the n8n log when they do not appear.
 */
export async function finishedExecutions(
	n8n: N8nInstance,
	workflowId: string,
	count: number,
	timeoutMs = 30_000,
): Promise<Array<{ id: string; status: string; data?: unknown }>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = await n8n.executions(workflowId);
		const done = executions.filter(
			(e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting',
		);
		if (done.length >= count) return done;
		if (Date.now() > deadline) {
			throw new Error(
				`Workflow ${workflowId} has ${done.length} finished executions, expected ${count}\n${n8n.logTail()}`,
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Each output of a node's first run in an execution, as lists of item JSON. */
export function nodeOutputs(
	execution: { data?: unknown },
	node: string,
): Array<Array<Record<string, unknown>>> {
	const data = execution.data as RunData | undefined;
	const runs = data?.resultData?.runData?.[node];
	if (!runs?.length) {
		throw new Error(
			`Node "${node}" did not run in this execution${data?.resultData?.error?.message ? `: ${data.resultData.error.message}` : ''}`,
		);
	}
	return (runs[0].data?.main ?? []).map((items) => (items ?? []).map((item) => item.json));
}
