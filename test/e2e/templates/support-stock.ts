/**
 * Shared by the stock templates' e2e tests and the real-time benchmark: the four sandboxes a
 * stock sync touches (ShipBob as the truth; Shopify, Amazon, eBay as channels), credentials made
 * from `scripts/start-credentials.ts`, the available-to-sell the templates must end up showing,
 * and what each channel shows — all read from the sandbox, never from n8n.
 */
import { createServer, type AddressInfo } from 'node:net';

import { SANDBOX_CREDENTIALS } from '../../../scripts/start-credentials';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import type { SeedSpec } from '../../../sandbox/types';
import { SHIPBOB_SANDBOX_TOKEN } from '../../../sandbox/systems/shipbob';
import type { N8nInstance, WorkflowJson } from '../harness/n8n';
import type { CredentialRef } from '../harness/workflow';

export const STOCK_SYSTEMS = ['shipbob', 'shopify', 'amazon', 'ebay'] as const;
export const STOCK_CREDENTIAL_TYPES = ['shipBobApi', 'shopifyAdminGraphqlApi', 'amazonSpApi', 'ebaySellApi'] as const;

export async function startStockSandbox(seed: SeedSpec): Promise<Sandbox> {
	return await startSandbox({ systems: [...STOCK_SYSTEMS], seed });
}

/** Creates one sandbox credential per type in n8n; returns them by type, as `readWorkflowFile` binds them. */
export async function createStockCredentials(n8n: N8nInstance, sandbox: Sandbox): Promise<Record<string, CredentialRef>> {
	const refs: Record<string, CredentialRef> = {};
	for (const type of STOCK_CREDENTIAL_TYPES) {
		const entry = SANDBOX_CREDENTIALS[type];
		const name = `${entry.system} (sandbox)`;
		refs[type] = { id: await n8n.createCredential(type, name, entry.data({ url: (s) => sandbox.urlFor(s) })), name };
	}
	return refs;
}

/** One mapping per Shopify location to the ShipBob center of the same catalog location. */
export function shopifyLocationMapping(sandbox: Sandbox): Array<{ channel: string; channelLocationId: string; truthLocationIds: string[] }> {
	return sandbox.catalog()!.locations.map((l) => ({ channel: 'shopify', channelLocationId: `gid://shopify/Location/${l.id}`, truthLocationIds: [l.id] }));
}

/** Sets a node parameter of a workflow read from a file, as a person would in the editor. */
export function setParameter(workflow: WorkflowJson, node: string, name: string, value: unknown): void {
	const found = (workflow.nodes as Array<{ name: string; parameters: Record<string, unknown> }>).find((n) => n.name === node);
	if (!found) throw new Error(`The template has no node "${node}"`);
	found.parameters[name] = value;
}

/** Activates or deactivates a node of a workflow read from a file (the editor's right-click → Activate). */
export function setDisabled(workflow: WorkflowJson, node: string, disabled: boolean): void {
	const found = (workflow.nodes as Array<{ name: string; disabled?: boolean }>).find((n) => n.name === node);
	if (!found) throw new Error(`The template has no node "${node}"`);
	if (disabled) found.disabled = true;
	else delete found.disabled;
}

/** ShipBob stock per SKU and center: what the source of truth holds right now. */
export type Truth = Map<string, Map<string, { onHand: number; committed: number }>>;

/** Reads every ShipBob level over HTTP (one call per 250 SKUs, so it hardly touches the 150/min budget). */
export async function readTruth(sandbox: Sandbox): Promise<Truth> {
	const truth: Truth = new Map();
	let url: string | undefined = `${sandbox.urlFor('shipbob')}/2026-01/inventory-level/locations?PageSize=250`;
	while (url) {
		const res = await fetch(url, { headers: { authorization: `Bearer ${SHIPBOB_SANDBOX_TOKEN}` } });
		if (res.status !== 200) throw new Error(`Reading ShipBob stock failed: ${res.status} ${await res.text()}`);
		const body = (await res.json()) as {
			items: Array<{ sku: string; locations: Array<{ location_id: number; on_hand_quantity: number; committed_quantity: number }> }>;
			next?: string | null;
		};
		for (const item of body.items) {
			const at = new Map<string, { onHand: number; committed: number }>();
			for (const l of item.locations) at.set(String(l.location_id), { onHand: l.on_hand_quantity, committed: l.committed_quantity });
			truth.set(item.sku, at);
		}
		url = body.next ?? undefined;
	}
	return truth;
}

/** Available to sell from some centers (all of them when none named): on hand − committed, never below 0. */
export function atp(truth: Truth, sku: string, centers?: string[]): number {
	const at = truth.get(sku);
	if (!at) throw new Error(`ShipBob has no SKU ${sku}`);
	let net = 0;
	for (const [center, q] of at) if (!centers || centers.includes(center)) net += q.onHand - q.committed;
	return Math.max(0, net);
}

/** What one SKU should show everywhere: each Shopify location its own center, Amazon and eBay the pool. */
export function expectedFor(truth: Truth, sandbox: Sandbox, sku: string): Record<string, number> {
	const out: Record<string, number> = { amazon: atp(truth, sku), ebay: atp(truth, sku) };
	for (const l of sandbox.catalog()!.locations) out[`shopify@${l.id}`] = atp(truth, sku, [l.id]);
	return out;
}

/** What one SKU shows on every channel, from the sandboxes' state. */
export function shownFor(sandbox: Sandbox, sku: string): Record<string, number | undefined> {
	const out: Record<string, number | undefined> = {
		amazon: amazonQuantities(sandbox).get(sku),
		ebay: ebayQuantities(sandbox).get(sku),
	};
	for (const level of shopifyLevels(sandbox)) if (level.sku === sku) out[`shopify@${level.legacyLocationId}`] = level.quantities.available;
	return out;
}

/** The same channels showing the same quantities. */
export function sameValues(shown: Record<string, number | undefined>, expected: Record<string, number>): boolean {
	const keys = new Set([...Object.keys(shown), ...Object.keys(expected)]);
	return [...keys].every((k) => shown[k] === expected[k]);
}

export interface ShopifyLevel {
	sku: string;
	inventoryItemId: string;
	locationId: string;
	legacyLocationId: string;
	quantities: Record<string, number>;
	updatedAt: string;
}

export const shopifyLevels = (sandbox: Sandbox) => (sandbox.state('shopify') as { levels: ShopifyLevel[] }).levels;
export const amazonQuantities = (sandbox: Sandbox) =>
	new Map((sandbox.state('amazon') as { listings: Array<{ sku: string; quantity: number }> }).listings.map((l) => [l.sku, l.quantity]));
export const ebayQuantities = (sandbox: Sandbox) =>
	new Map((sandbox.state('ebay') as { items: Array<{ sku: string; quantity: number }> }).items.map((i) => [i.sku, i.quantity]));

/** Moves stock at a ShipBob center as receiving (or, negative, a count correction) does. */
export function moveShipBobStock(sandbox: Sandbox, sku: string, center: string, quantity: number): void {
	(sandbox.system('shipbob') as unknown as { receive(sku: string, loc: string, qty: number): void }).receive(sku, center, quantity);
}

/** Sets a Shopify level as a merchant would in the admin (Shopify then sends its inventory webhook). */
export async function merchantSetsShopify(sandbox: Sandbox, sku: string, locationId: string, quantity: number): Promise<void> {
	const res = await fetch(`${sandbox.urlFor('shopify')}/_control/inventory`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ sku, locationId, name: 'available', quantity }),
	});
	if (!res.ok) throw new Error(`Shopify control call failed: ${res.status} ${await res.text()}`);
}

/** Polls `check` until it returns true; throws with `describe()` when time runs out. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string, everyMs = 250): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s: ${describe()}`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}

/**
 * Runs a workflow from one of its triggers the way the editor's "Execute workflow" button does
 * (n8n's internal manual-run endpoint, with the owner's session), and returns the execution id.
 */
export async function runManually(n8n: N8nInstance, workflowId: string, trigger: string): Promise<string> {
	const res = await n8n.request<{ data?: { executionId?: string }; executionId?: string }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{ triggerToStartFrom: { name: trigger } },
		'cookie',
	);
	const id = res.body?.data?.executionId ?? res.body?.executionId;
	if (res.status >= 300 || !id) throw new Error(`Manual run of ${workflowId} failed: ${res.status} ${JSON.stringify(res.body)}`);
	return String(id);
}

/** One execution with its data, once it has finished. */
export async function finishedExecution(n8n: N8nInstance, executionId: string, timeoutMs = 180_000): Promise<{ id: string; status: string; mode?: string; data?: unknown }> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await n8n.request<{ id: string; status: string; mode?: string; finished?: boolean; data?: unknown }>('GET', `/api/v1/executions/${executionId}?includeData=true`);
		if (res.status === 200 && res.body && !['running', 'new', 'waiting'].includes(res.body.status)) return res.body;
		if (Date.now() > deadline) throw new Error(`Execution ${executionId} did not finish in ${timeoutMs / 1000} s (${res.status} ${JSON.stringify(res.body).slice(0, 300)})\n${n8n.logTail()}`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** Sets one field of a Set ("Edit Fields") node such as a template's Settings, as a person would. */
export function setAssignment(workflow: WorkflowJson, node: string, name: string, value: unknown): void {
	const found = (workflow.nodes as Array<{ name: string; parameters: { assignments?: { assignments?: Array<{ name: string; value: unknown }> } } }>).find((n) => n.name === node);
	const field = found?.parameters.assignments?.assignments?.find((a) => a.name === name);
	if (!field) throw new Error(`The template has no field "${name}" in "${node}"`);
	field.value = value;
}

export interface SmtpMessage {
	from: string;
	to: string[];
	data: string;
}

/**
 * A minimal SMTP server on loopback that accepts every message (no TLS, no auth), so an
 * "E-mail" step can be checked end to end without a mail provider.
 */
export async function startSmtpSink(): Promise<{ port: number; messages: SmtpMessage[]; close(): Promise<void> }> {
	const messages: SmtpMessage[] = [];
	const server = createServer((socket) => {
		let buffer = '';
		let inData = false;
		let current: SmtpMessage = { from: '', to: [], data: '' };
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 sink.local ESMTP test sink');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					current.data = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
					buffer = buffer.slice(end + 5);
					inData = false;
					messages.push(current);
					current = { from: '', to: [], data: '' };
					reply('250 OK: queued');
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol < 0) return;
				const line = buffer.slice(0, eol);
				buffer = buffer.slice(eol + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') reply('250-sink.local\r\n250 8BITMIME');
				else if (verb === 'HELO') reply('250 sink.local');
				else if (verb === 'MAIL') {
					current.from = line.slice(10).replace(/[<>]/g, '').split(' ')[0];
					reply('250 OK');
				} else if (verb === 'RCPT') {
					current.to.push(line.slice(8).replace(/[<>]/g, '').split(' ')[0]);
					reply('250 OK');
				} else if (verb === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					reply('221 Bye');
					socket.end();
					return;
				} else reply('250 OK');
			}
		});
		socket.on('error', () => undefined);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		port: (server.address() as AddressInfo).port,
		messages,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
