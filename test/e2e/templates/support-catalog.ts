/**
 * What the catalog-sync and dead-letter-replay template tests share: sandbox credentials by
 * type, running a scheduled template as a real scheduled (production) execution, and reading
 * the Retry queue through the package's own Retry "List" operation.
 *
 * Why scheduled runs and not n8n's manual-run endpoint: the catalog template keeps its cursor in
 * workflow static data, which n8n saves only after production executions. A manual run would
 * neither keep the cursor nor show whether the next run starts from it. So the test swaps the
 * template's Schedule Trigger rule for "every N seconds" (nothing else changes), activates the
 * workflow until one execution has started, deactivates it, and waits for that execution.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { Sandbox } from '../../../sandbox/server';
import { SANDBOX_CREDENTIALS } from '../../../scripts/start-credentials';
import type { N8nInstance, WorkflowJson } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { PKG, readWorkflowFile, webhookChain, type CredentialRef } from '../harness/workflow';

/** A template file in workflows/. */
export const templatePath = (file: string): string => join(REPO_ROOT, 'workflows', file);

/** Creates the sandbox credential of each type (as `npm start` does) and returns them by type. */
export async function sandboxCredentials(
	n8n: N8nInstance,
	sandbox: Sandbox,
	types: string[],
): Promise<Record<string, CredentialRef>> {
	const out: Record<string, CredentialRef> = {};
	for (const type of types) {
		const credential = SANDBOX_CREDENTIALS[type];
		if (!credential) throw new Error(`No sandbox credential for type "${type}"`);
		const name = `${credential.system} (sandbox)`;
		const id = await n8n.createCredential(type, name, credential.data({ url: (system) => sandbox.urlFor(system) }));
		out[type] = { id, name };
	}
	return out;
}

type Node = { name: string; type: string; parameters: Record<string, unknown>; disabled?: boolean };

/**
 * The template as shipped, with credentials bound by type, except that the named Schedule
 * Trigger fires every `seconds` seconds and any other Schedule Trigger is disabled.
 */
export function scheduledTemplate(
	file: string,
	credentials: Record<string, CredentialRef>,
	trigger: string,
	seconds: number,
): WorkflowJson {
	const workflow = readWorkflowFile(templatePath(file), credentials);
	const nodes = workflow.nodes as Node[];
	const schedules = nodes.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	const chosen = schedules.find((n) => n.name === trigger);
	if (!chosen) throw new Error(`${file} has no Schedule Trigger named "${trigger}" (it has: ${schedules.map((n) => n.name).join(', ')})`);
	chosen.parameters = { ...chosen.parameters, rule: { interval: [{ field: 'seconds', secondsInterval: seconds }] } };
	for (const other of schedules) if (other !== chosen) other.disabled = true;
	return workflow;
}

/** One execution as the public API returns it. */
export interface Execution {
	id: string;
	status: string;
	finished?: boolean;
	mode?: string;
	data?: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ids of every execution of a workflow, running ones included (the public API leaves those out). */
async function executionIds(n8n: N8nInstance, workflowId: string): Promise<string[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const res = await n8n.request<{ data?: { results?: Array<{ id: string }> } | Array<{ id: string }> }>(
		'GET',
		`/rest/executions?filter=${filter}&limit=100`,
		undefined,
		'cookie',
	);
	if (res.status !== 200) throw new Error(`Listing executions failed: ${res.status} ${JSON.stringify(res.body)}`);
	const data = res.body.data;
	const list = Array.isArray(data) ? data : (data?.results ?? []);
	return list.map((e) => String(e.id));
}

/**
 * Lets the workflow's schedule fire exactly once: activates it, deactivates it as soon as an
 * execution has started, and returns that execution once finished (with its run data).
 */
export async function runScheduledOnce(n8n: N8nInstance, workflowId: string, timeoutMs = 180_000): Promise<Execution> {
	const before = new Set(await executionIds(n8n, workflowId));
	const deadline = Date.now() + timeoutMs;
	let started: string | undefined;
	await n8n.activate(workflowId);
	try {
		while (!started) {
			if (Date.now() > deadline) throw new Error(`The schedule of workflow ${workflowId} did not fire\n${n8n.logTail()}`);
			await sleep(200);
			started = (await executionIds(n8n, workflowId)).find((id) => !before.has(id));
		}
	} finally {
		await n8n.deactivate(workflowId);
	}
	for (;;) {
		const res = await n8n.request<Execution>('GET', `/api/v1/executions/${started}?includeData=true`);
		const execution = res.body;
		if (res.status === 200 && !['running', 'new', 'waiting'].includes(execution.status)) {
			const fired = (await executionIds(n8n, workflowId)).filter((id) => !before.has(id));
			if (fired.length !== 1) throw new Error(`The schedule fired ${fired.length} times instead of once (${fired.join(', ')})`);
			return execution;
		}
		if (Date.now() > deadline) throw new Error(`Execution ${started} did not finish\n${n8n.logTail()}`);
		await sleep(500);
	}
}

interface RunData {
	resultData?: {
		error?: { message?: string };
		runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
	};
}

/** Items a node sent on one output over all its runs in an execution (retries run a node again). */
export function outputOverRuns(execution: Execution, node: string, output = 0): Array<Record<string, unknown>> {
	const runs = (execution.data as RunData | undefined)?.resultData?.runData?.[node] ?? [];
	return runs.flatMap((run) => (run.data?.main?.[output] ?? []).map((item) => item.json));
}

/** The execution's error, if it failed. */
export function executionError(execution: Execution): string | undefined {
	return (execution.data as RunData | undefined)?.resultData?.error?.message;
}

/** What the Retry node's List operation shows for one queue entry. */
export interface QueueEntry {
	id: string;
	source?: string;
	attempts: number;
	payload: Record<string, unknown>;
	error?: Record<string, unknown>;
}

/**
 * A small workflow in the same n8n reading a Retry queue with the package's own List operation,
 * so the test sees the same embedded store the templates write to.
 */
export async function queueReader(
	n8n: N8nInstance,
	queueName: string,
): Promise<(queue: 'dead' | 'scheduled') => Promise<QueueEntry[]>> {
	const readers: Record<string, string> = {};
	for (const queue of ['dead', 'scheduled'] as const) {
		const path = `queue-${queueName}-${queue}`;
		const workflow = webhookChain(`read ${queue} queue ${queueName}`, path, [
			{
				name: 'List',
				type: `${PKG}.commerceSyncRetry`,
				parameters: { operation: 'list', queueName, queue, limit: 1000 },
			},
		]);
		// An empty queue still answers: one empty item instead of no response data.
		(workflow.nodes as Array<Record<string, unknown>>).find((n) => n.name === 'List')!.alwaysOutputData = true;
		const id = await n8n.createWorkflow(workflow);
		await n8n.activate(id);
		readers[queue] = path;
	}
	return async (queue) => {
		const res = await n8n.postWebhook<Array<QueueEntry | Record<string, never>>>(readers[queue], {});
		if (res.status !== 200) throw new Error(`Reading the ${queue} queue failed: ${res.status} ${JSON.stringify(res.body)}`);
		return (Array.isArray(res.body) ? res.body : [res.body]).filter((e): e is QueueEntry => typeof (e as QueueEntry).id === 'string');
	};
}

/** Edits products in the Akeneo sandbox the way a PIM user would (collection PATCH by uuid). */
export async function editAkeneo(sandbox: Sandbox, lines: Array<Record<string, unknown>>): Promise<void> {
	const { AKENEO_SANDBOX_ACCESS_TOKEN } = await import('../../../sandbox/systems/akeneo');
	const res = await fetch(`${sandbox.urlFor('akeneo')}/api/rest/v1/products-uuid`, {
		method: 'PATCH',
		headers: { authorization: `Bearer ${AKENEO_SANDBOX_ACCESS_TOKEN}`, 'content-type': 'application/vnd.akeneo.collection+json' },
		body: lines.map((l) => JSON.stringify(l)).join('\n'),
	});
	const text = await res.text();
	const failed = text
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as { status_code: number })
		.filter((l) => l.status_code >= 300);
	if (res.status !== 200 || failed.length > 0) throw new Error(`Editing Akeneo failed: ${res.status} ${text}`);
}

/** Records Shopify's products/update and products/create webhooks: one per product write. */
export async function shopifyProductWrites(sandbox: Sandbox): Promise<{ writes: () => Array<{ topic: string; skus: string[] }>; close: () => Promise<void> }> {
	const received: Array<{ topic: string; skus: string[] }> = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		req.on('end', () => {
			const payload = JSON.parse(body || '{}') as { variants?: Array<{ sku?: string }> };
			received.push({ topic: String(req.headers['x-shopify-topic'] ?? ''), skus: (payload.variants ?? []).map((v) => String(v.sku)) });
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	for (const topic of ['products/update', 'products/create']) sandbox.webhooks.subscribe('shopify', { topic, address });
	return {
		writes: () => [...received],
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** Amazon applies an accepted listing PATCH a moment later, as the real API does: waits for that. */
export async function amazonSettled(sandbox: Sandbox, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while ((sandbox.state('amazon') as { pendingPatches: number }).pendingPatches > 0) {
		if (Date.now() > deadline) throw new Error('Amazon still has listing changes pending');
		await sleep(200);
	}
}
