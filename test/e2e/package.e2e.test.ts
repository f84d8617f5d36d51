import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startN8n, type N8nInstance } from './harness/n8n';
import { PKG, importWorkflowFile, webhookChain } from './harness/workflow';
import { E2E_TIMEOUT, majors } from './setup';

/** Every node the package declares, by its description name (from the built files). */
function ourNodes(): string[] {
	const pkg = require('../../package.json') as { n8n: { nodes: string[] } };
	return pkg.n8n.nodes.map((file) => {
		const mod = require(`../../${file}`) as Record<string, new () => { description: { name: string } }>;
		const className = file.split('/').pop()!.replace(/\.node\.js$/, '');
		return new mod[className]().description.name;
	});
}

/**
 * The documented key, written out here rather than imported from the package, so a change in
 * the package's encoding fails this test: SHA-256 hex of JSON with every object's keys sorted
 * (recursively) and no whitespace.
 */
function expectedKey(value: unknown): string {
	const canonical = (v: unknown): string => {
		if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
		if (v !== null && typeof v === 'object') {
			const o = v as Record<string, unknown>;
			return `{${Object.keys(o)
				.sort()
				.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
				.join(',')}}`;
		}
		return JSON.stringify(v);
	};
	return createHash('sha256').update(canonical(value), 'utf8').digest('hex');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(majors())('the package in a real n8n %i.x', (major) => {
	let n8n: N8nInstance;
	let scratch: string;

	beforeAll(async () => {
		scratch = mkdtempSync(join(tmpdir(), 'commerce-sync-e2e-files-'));
		n8n = await startN8n({ major });
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		if (scratch) rmSync(scratch, { recursive: true, force: true });
	}, 60_000);

	it('loads: our node types are listed under the package name', async () => {
		const types = await n8n.nodeTypes();
		const expected = ourNodes();
		expect(expected.length).toBeGreaterThanOrEqual(5);
		for (const node of expected) expect(types).toContain(`${PKG}.${node}`);
	});

	it('runs a webhook-started workflow using our node and returns its data', async () => {
		const id = await n8n.createWorkflow(
			webhookChain(`utilities ${major}`, `utilities-${major}`, [
				{
					name: 'Key',
					type: `${PKG}.commerceSyncUtilities`,
					parameters: { operation: 'idempotencyKey', fields: 'body.sku, body.meta, body.qty', outputField: 'key' },
				},
			]),
		);
		await n8n.activate(id);
		const meta = { warehouse: 'EU-1', lines: [{ qty: 1, sku: 'A' }, { sku: 'B', qty: 2 }] };
		const res = await n8n.postWebhook<Array<{ key: string }>>(`utilities-${major}`, { sku: 'TEE-S', qty: 3, meta });
		expect(res.status).toBe(200);
		const rows = Array.isArray(res.body) ? res.body : [res.body];
		expect(rows[0].key).toMatch(/^[0-9a-f]{64}$/);
		expect(rows[0].key).toBe(expectedKey({ 'body.sku': 'TEE-S', 'body.meta': meta, 'body.qty': 3 }));

		// The same content in another key order gets the same key; other content another key.
		const reordered = await n8n.postWebhook<Array<{ key: string }>>(`utilities-${major}`, {
			meta: { lines: [{ sku: 'A', qty: 1 }, { qty: 2, sku: 'B' }], warehouse: 'EU-1' },
			qty: 3,
			sku: 'TEE-S',
		});
		expect(reordered.body[0].key).toBe(rows[0].key);
		const other = await n8n.postWebhook<Array<{ key: string }>>(`utilities-${major}`, { sku: 'TEE-S', qty: 4, meta });
		expect(other.body[0].key).not.toBe(rows[0].key);

		// The runs are recorded and readable through the public API.
		let executions: Awaited<ReturnType<N8nInstance['executions']>> = [];
		for (let i = 0; i < 40 && executions.length < 3; i++) {
			executions = await n8n.executions(id);
			if (executions.length < 3) await new Promise((r) => setTimeout(r, 250));
		}
		expect(executions).toHaveLength(3);
		for (const execution of executions) expect(execution).toMatchObject({ status: 'success', finished: true });
	}, 60_000);

	it('runs a workflow imported from a file: correlation IDs are kept, or created when missing', async () => {
		const path = `correlation-${major}`;
		const file = join(scratch, `${path}.json`);
		const workflow = webhookChain(`correlation ${major}`, path, [
			{
				name: 'Correlate',
				type: `${PKG}.commerceSyncUtilities`,
				parameters: { operation: 'correlationId', correlationId: '={{ $json.body.correlationId }}', outputField: 'cid' },
			},
		]);
		// As the editor exports it: with an id and an active flag the public API would refuse.
		writeFileSync(file, JSON.stringify({ id: 'exported0001', active: true, pinData: {}, ...workflow }, null, 2));
		const id = await importWorkflowFile(n8n, file);
		await n8n.activate(id);

		const kept = await n8n.postWebhook<Array<{ cid: string }>>(path, { correlationId: 'order-1001' });
		expect(kept.status).toBe(200);
		expect(kept.body[0].cid).toBe('order-1001');

		const first = await n8n.postWebhook<Array<{ cid: string }>>(path, { sku: 'TEE-S' });
		const second = await n8n.postWebhook<Array<{ cid: string }>>(path, { correlationId: '   ' });
		expect(first.body[0].cid).toMatch(UUID);
		expect(second.body[0].cid).toMatch(UUID);
		expect(second.body[0].cid).not.toBe(first.body[0].cid);
	}, 60_000);
});
