/**
 * What the order-sync and fulfilment back-sync template tests share: a sandbox plus a real n8n
 * with the sandbox credentials `npm start` would create, templates imported from workflows/
 * with their credential slots bound by type, and waiting for what the sandbox and n8n report.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SANDBOX_CREDENTIALS, sandboxCredentialName } from '../../../scripts/start-credentials';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import type { SeedSpec } from '../../../sandbox/types';
import { startN8n, type N8nInstance } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { readWorkflowFile, type CredentialRef } from '../harness/workflow';

export interface TemplateEnv {
	sandbox: Sandbox;
	n8n: N8nInstance;
	/** Credential type → the credential created for it. */
	credentials: Record<string, CredentialRef>;
	close(): Promise<void>;
}

/** Starts the sandbox and n8n 2.x and creates one sandbox credential per type asked for. */
export async function startTemplateEnv(options: {
	systems: string[];
	seed: SeedSpec;
	credentialTypes: string[];
}): Promise<TemplateEnv> {
	const sandbox = await startSandbox({ systems: options.systems, seed: options.seed });
	let n8n: N8nInstance | undefined;
	try {
		n8n = await startN8n({ major: 2 });
		const credentials: Record<string, CredentialRef> = {};
		for (const type of options.credentialTypes) {
			const entry = SANDBOX_CREDENTIALS[type];
			if (!entry) throw new Error(`No sandbox credential for type ${type}`);
			const name = sandboxCredentialName(entry);
			const id = await n8n.createCredential(type, name, entry.data({ url: (s) => sandbox.urlFor(s) }));
			credentials[type] = { id, name };
		}
		const started = n8n;
		return {
			sandbox,
			n8n: started,
			credentials,
			async close() {
				await started.stop();
				await sandbox.close();
			},
		};
	} catch (error) {
		await n8n?.stop();
		await sandbox.close();
		throw error;
	}
}

export const templatePath = (file: string) => join(REPO_ROOT, 'workflows', file);

/** The template exactly as shipped (for reading its settings in assertions). */
export function templateJson(file: string): { nodes: Array<Record<string, unknown>> } {
	return JSON.parse(readFileSync(templatePath(file), 'utf8')) as { nodes: Array<Record<string, unknown>> };
}

/** A value the template's "Settings" node assigns. */
export function templateSetting(file: string, name: string): unknown {
	const settings = templateJson(file).nodes.find((n) => n.name === 'Settings');
	const list = ((settings?.parameters as { assignments?: { assignments?: Array<{ name: string; value: unknown }> } })?.assignments?.assignments ?? []);
	const found = list.find((a) => a.name === name);
	if (!found) throw new Error(`The template ${file} has no setting "${name}"`);
	return found.value;
}

/**
 * Imports a template through the public API with the test's credentials bound by type; with
 * `copy`, as a second workflow (new name and webhook ids, as the editor's Duplicate does).
 * Returns the workflow id and the trigger's webhook id.
 */
export async function importTemplate(
	env: TemplateEnv,
	file: string,
	options: { copy?: boolean } = {},
): Promise<{ id: string; webhookId: string }> {
	const workflow = readWorkflowFile(templatePath(file), env.credentials);
	let nodes = workflow.nodes as Array<Record<string, unknown>>;
	if (options.copy) {
		workflow.name = `${workflow.name} (copy)`;
		nodes = nodes.map((n) => (n.webhookId ? { ...n, webhookId: randomUUID() } : n));
		workflow.nodes = nodes;
	}
	const trigger = nodes.find((n) => typeof n.webhookId === 'string');
	if (!trigger) throw new Error(`${file} has no trigger with a webhook id`);
	const id = await env.n8n.createWorkflow(workflow);
	return { id, webhookId: trigger.webhookId as string };
}

/** Polls until `probe` returns something other than undefined, or fails with `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Waits until the sandbox lists a webhook subscription of `system` pointing at this trigger. */
export async function waitForSubscription(env: TemplateEnv, system: string, webhookId: string): Promise<string> {
	return await waitFor(`the ${system} subscription of trigger ${webhookId}`, () =>
		env.sandbox.webhooks.list(system).find((s) => s.address.includes(webhookId) && s.active)?.address,
	);
}

type Execution = Awaited<ReturnType<N8nInstance['executions']>>[number];

/**
 * The executions of a workflow once exactly `count` have finished and none is running, after a
 * quiet spell of `settleMs` (so a late duplicate would have shown up). Newest first.
 */
export async function settledExecutions(
	env: TemplateEnv,
	workflowId: string,
	count: number,
	options: { timeoutMs?: number; settleMs?: number } = {},
): Promise<Execution[]> {
	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	let stableSince = 0;
	let last = -1;
	for (;;) {
		const all = await env.n8n.executions(workflowId);
		const running = all.some((e) => ['running', 'new', 'waiting'].includes(e.status));
		if (all.length > count) throw new Error(`Workflow ${workflowId} ran ${all.length} times, expected ${count}`);
		if (!running && all.length === count) {
			if (last !== count) stableSince = Date.now();
			if (Date.now() - stableSince >= (options.settleMs ?? 1500)) return all;
		}
		last = running ? -1 : all.length;
		if (Date.now() > deadline) {
			throw new Error(`Workflow ${workflowId}: ${all.length} executions (${all.map((e) => e.status).join(', ')}), expected ${count} finished\n${env.n8n.logTail()}`);
		}
		await new Promise((r) => setTimeout(r, 300));
	}
}

/** The names of the nodes that ran in an execution. */
export function nodesRun(execution: { data?: unknown }): string[] {
	const runData = (execution.data as { resultData?: { runData?: Record<string, unknown> } } | undefined)?.resultData?.runData ?? {};
	return Object.keys(runData);
}

/** Every output item of every run of a node, as JSON (all outputs flattened). */
export function allItems(execution: { data?: unknown }, node: string): Array<Record<string, unknown>> {
	const runs =
		(execution.data as {
			resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> };
		})?.resultData?.runData?.[node] ?? [];
	return runs.flatMap((r) => (r.data?.main ?? []).flatMap((items) => (items ?? []).map((i) => i.json)));
}

/** Places an order in the Shopify sandbox as a shopper would; Shopify then emits orders/create. */
export async function placeShopifyOrder(
	env: TemplateEnv,
	body: { lineItems: Array<{ sku: string; quantity: number }>; email?: string },
): Promise<{ id: string; name: string; numericId: string }> {
	const res = await fetch(`${env.sandbox.urlFor('shopify')}/_control/orders`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (res.status !== 201) throw new Error(`Placing a Shopify order failed: ${res.status} ${await res.text()}`);
	const created = (await res.json()) as { id: string; name: string };
	return { ...created, numericId: created.id.split('/').pop() as string };
}

/**
 * The parts of each system's state an order touches, for before/after comparisons. NetSuite
 * stamps a record's last-modified time on every write, even one that changes no field (the
 * sales orders' stamps are not in the snapshot at all), so the customers' stamps are left out:
 * what is compared is every record and every field value.
 */
export function orderFootprint(sandbox: Sandbox): unknown {
	const ns = sandbox.state('netsuite') as { transactions: unknown[]; customers: Array<Record<string, unknown>> };
	const sb = sandbox.state('shipbob') as { orders: unknown[]; shipments: unknown[] };
	const hs = sandbox.state('hubspot') as { contacts: unknown[]; deals: unknown[]; associations: unknown[] };
	const shop = sandbox.state('shopify') as { orders: unknown[]; fulfillments: unknown[]; fulfillmentOrders: unknown[] };
	return {
		netsuite: {
			transactions: ns.transactions,
			customers: ns.customers.map(({ lastModified: _stamp, ...fields }) => fields),
		},
		shipbob: { orders: sb.orders, shipments: sb.shipments },
		hubspot: { contacts: hs.contacts, deals: hs.deals, associations: hs.associations },
		shopify: { orders: shop.orders, fulfillments: shop.fulfillments, fulfillmentOrders: shop.fulfillmentOrders },
	};
}

/** The paths where two JSON values differ, as "path: before → after" lines (empty when equal). */
export function jsonDiff(before: unknown, after: unknown, path = ''): string[] {
	if (JSON.stringify(before) === JSON.stringify(after)) return [];
	if (before && after && typeof before === 'object' && typeof after === 'object') {
		const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
		return [...keys].flatMap((k) =>
			jsonDiff((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], `${path}/${k}`),
		);
	}
	return [`${path}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`];
}

/**
 * Runs a workflow from one of its triggers as the editor's "Execute workflow" button does (n8n's
 * internal manual-run endpoint with the owner's session) and waits for that execution to end.
 */
export async function runFromTrigger(env: TemplateEnv, workflowId: string, trigger: string, timeoutMs = 180_000): Promise<Execution> {
	const res = await env.n8n.request<{ data?: { executionId?: string }; executionId?: string }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{ triggerToStartFrom: { name: trigger } },
		'cookie',
	);
	const id = res.body?.data?.executionId ?? res.body?.executionId;
	if (res.status >= 300 || !id) throw new Error(`Running ${workflowId} from "${trigger}" failed: ${res.status} ${JSON.stringify(res.body)}`);
	return await waitFor(
		`execution ${id} to finish`,
		async () => {
			const got = await env.n8n.request<Execution>('GET', `/api/v1/executions/${id}?includeData=true`);
			return got.status === 200 && !['running', 'new', 'waiting'].includes(got.body.status) ? got.body : undefined;
		},
		timeoutMs,
	);
}
