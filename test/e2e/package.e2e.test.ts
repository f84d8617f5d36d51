import { createHash } from 'node:crypto';

import { canonicalJson } from '../../nodes/shared/core/idempotency/key';
import { startN8n, type N8nInstance } from './harness/n8n';
import { PKG, webhookChain } from './harness/workflow';
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

describe.each(majors())('the package in a real n8n %i.x', (major) => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ major });
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
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
					parameters: { operation: 'idempotencyKey', fields: 'body.sku, body.qty', outputField: 'key' },
				},
			]),
		);
		await n8n.activate(id);
		const res = await n8n.postWebhook<Array<{ key: string }>>(`utilities-${major}`, { sku: 'TEE-S', qty: 3 });
		expect(res.status).toBe(200);
		const expected = createHash('sha256').update(canonicalJson({ 'body.qty': 3, 'body.sku': 'TEE-S' })).digest('hex');
		const rows = Array.isArray(res.body) ? res.body : [res.body];
		expect(rows[0].key).toBe(expected);
		// The run is recorded and readable through the public API.
		let executions: Awaited<ReturnType<N8nInstance['executions']>> = [];
		for (let i = 0; i < 40 && executions.length === 0; i++) {
			executions = await n8n.executions(id);
			if (executions.length === 0) await new Promise((r) => setTimeout(r, 250));
		}
		expect(executions[0]).toMatchObject({ status: 'success' });
	}, 60_000);
});
