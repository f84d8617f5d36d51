/**
 * The "Nightly inventory reconciliation" template (workflows/nightly-reconciliation.json) in a
 * real n8n 2.x against the ShipBob, Shopify, Amazon and eBay sandboxes.
 *
 * How it is run: the template starts from a Schedule Trigger at 2:00, which no test can wait
 * for. Each run here goes through n8n's own "Execute workflow" path (the internal manual-run
 * endpoint, called with the owner's session), starting from that very trigger, so every node of
 * the real file runs as it would at night. The file is imported with credentials bound by type;
 * what a person sets in the editor is set the same way here: the location mapping in Inventory
 * Reconcile and the fields of the Settings node (report folder, delivery, the apply switch).
 * n8n is started with N8N_RESTRICT_FILE_ACCESS_TO pointing at the report folder, as an operator
 * of n8n 2 must; e-mail goes to a small SMTP server the test runs on loopback.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Sandbox } from '../../../sandbox/server';
import { nodeOutputs } from '../helpers/graph';
import { startN8n, type N8nInstance } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { readWorkflowFile, type CredentialRef } from '../harness/workflow';
import { E2E_TIMEOUT } from '../setup';
import {
	amazonQuantities,
	createStockCredentials,
	ebayQuantities,
	expectedFor,
	finishedExecution,
	merchantSetsShopify,
	moveShipBobStock,
	readTruth,
	runManually,
	sameValues,
	setAssignment,
	setDisabled,
	setParameter,
	shopifyLevels,
	shopifyLocationMapping,
	shownFor,
	startSmtpSink,
	startStockSandbox,
	waitUntil,
} from './support-stock';

const FILE = join(REPO_ROOT, 'workflows/nightly-reconciliation.json');
const TRIGGER = 'Every Night at 2:00';

describe('Nightly reconciliation template in a real n8n 2.x', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
	let credentials: Record<string, CredentialRef>;
	const reportDir = mkdtempSync(join(tmpdir(), 'nightly-reports-'));
	const writes = () => ({
		ebay: sandbox.requests({ system: 'ebay' }).filter((r) => r.method !== 'GET' && r.operation !== 'token').length,
		amazon: sandbox.requests({ system: 'amazon' }).filter((r) => r.method !== 'GET' && r.operation !== 'lwaToken').length,
	});
	const channelState = () => ({
		shopify: shopifyLevels(sandbox).map((l) => [l.sku, l.locationId, l.quantities.available, l.updatedAt]),
		amazon: [...amazonQuantities(sandbox)],
		ebay: [...ebayQuantities(sandbox)],
	});
	const skus = () => sandbox.catalog()!.items.map((i) => i.sku);

	async function runTemplate(settings: Record<string, unknown>, email = false): Promise<{ id: string; status: string; data?: unknown }> {
		const workflow = readWorkflowFile(FILE, credentials);
		setParameter(workflow, 'Inventory Reconcile', 'locationMappingsJson', JSON.stringify(shopifyLocationMapping(sandbox)));
		setAssignment(workflow, 'Settings', 'reportFolder', reportDir);
		for (const [name, value] of Object.entries(settings)) setAssignment(workflow, 'Settings', name, value);
		// E-mail instead of a file, the way the template's note says: activate one, deactivate the other.
		setDisabled(workflow, 'E-mail the Report', !email);
		setDisabled(workflow, 'Save the Report File', email);
		const id = await n8n.createWorkflow({ ...workflow, name: `${workflow.name} ${Date.now()}` });
		const execution = await finishedExecution(n8n, await runManually(n8n, id, TRIGGER), 240_000);
		expect({ status: execution.status, error: (execution.data as { resultData?: { error?: unknown } })?.resultData?.error }).toEqual({ status: 'success', error: undefined });
		return execution;
	}

	beforeAll(async () => {
		sandbox = await startStockSandbox({ seed: 'e2e-nightly', skus: 14, locations: 2 });
		smtp = await startSmtpSink();
		n8n = await startN8n({ major: 2, env: { N8N_RESTRICT_FILE_ACCESS_TO: reportDir } });
		credentials = await createStockCredentials(n8n, sandbox);
		const smtpName = 'Mail sink';
		credentials.smtp = {
			id: await n8n.createCredential('smtp', smtpName, { user: '', password: '', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true }),
			name: smtpName,
		};
		// Drift of every kind on top of the seeded marketplace drift: stock moved in the warehouse,
		// Shopify set by hand above and below what the warehouse holds.
		const { items, locations } = sandbox.catalog()!;
		moveShipBobStock(sandbox, items[0].sku, locations[0].id, 9);
		moveShipBobStock(sandbox, items[1].sku, locations[1].id, 4);
		await merchantSetsShopify(sandbox, items[2].sku, `gid://shopify/Location/${locations[0].id}`, 250);
		await merchantSetsShopify(sandbox, items[3].sku, `gid://shopify/Location/${locations[1].id}`, 0);
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		await smtp?.close();
		await sandbox?.close();
		rmSync(reportDir, { recursive: true, force: true });
	}, 60_000);

	it('can be activated once only the system credentials are chosen (the e-mail step is off until wanted)', async () => {
		const { smtp: _unused, ...systems } = credentials;
		const id = await n8n.createWorkflow(readWorkflowFile(FILE, systems));
		await n8n.activate(id);
		await n8n.deactivate(id);
	}, 60_000);

	it('in dry run changes nothing, says exactly what it would write, and saves the drift report', async () => {
		const truth = await readTruth(sandbox);
		const before = channelState();
		const writesBefore = writes();
		const drifted = skus().filter((s) => !sameValues(shownFor(sandbox, s), expectedFor(truth, sandbox, s)));
		expect(drifted.length).toBeGreaterThan(3);

		const execution = await runTemplate({});

		expect(channelState()).toEqual(before);
		expect(writes()).toEqual(writesBefore);
		// Each write node lists the corrections it would have sent: one per drifted channel level.
		const would = [
			...nodeOutputs(execution, 'Set Shopify Stock')[0],
			...nodeOutputs(execution, 'Set eBay Quantity')[0],
			...nodeOutputs(execution, 'Set Amazon Quantity')[0],
		] as Array<{ status: string; sku: string; target: number; locationId?: string }>;
		expect(new Set(would.map((w) => w.status))).toEqual(new Set(['dryRun']));
		const expectedCorrections = skus().flatMap((s) => {
			const want = expectedFor(truth, sandbox, s);
			const shown = shownFor(sandbox, s);
			return Object.keys(want).filter((k) => shown[k] !== want[k]).map((k) => `${k.split('@')[0]}:${s}:${want[k]}`);
		});
		const got = [
			...nodeOutputs(execution, 'Set Shopify Stock')[0].map((w) => `shopify:${w.sku}:${w.target}`),
			...nodeOutputs(execution, 'Set eBay Quantity')[0].map((w) => `ebay:${w.sku}:${w.target}`),
			...nodeOutputs(execution, 'Set Amazon Quantity')[0].map((w) => `amazon:${w.sku}:${w.target}`),
		];
		expect(got.sort()).toEqual(expectedCorrections.sort());

		const files = readdirSync(reportDir).filter((f) => /^drift-report-\d{4}-\d{2}-\d{2}\.html$/.test(f));
		expect(files).toHaveLength(1);
		const html = readFileSync(join(reportDir, files[0]), 'utf8');
		expect(html).toContain('Nightly inventory drift report (dry run: nothing was changed)');
		for (const s of drifted) expect(html).toContain(s);
		const [summary] = nodeOutputs(execution, 'Inventory Reconcile')[3] as Array<{ adjustments: number }>;
		expect(summary.adjustments).toBe(expectedCorrections.length);
		expect(smtp.messages).toHaveLength(0);
	}, 300_000);

	it('with the switch on corrects every channel, e-mails the report, and a second night finds nothing to do', async () => {
		const truth = await readTruth(sandbox);
		await runTemplate({ applyCorrections: true, emailTo: 'ops@shop.example' }, true);

		// Amazon applies accepted listing changes a moment after answering.
		await waitUntil(
			() => skus().every((s) => sameValues(shownFor(sandbox, s), expectedFor(truth, sandbox, s))),
			30_000,
			() => JSON.stringify(skus().map((s) => ({ s, want: expectedFor(truth, sandbox, s), shown: shownFor(sandbox, s) })).filter((x) => !sameValues(x.shown, x.want))),
		);
		for (const s of skus()) expect({ sku: s, shown: shownFor(sandbox, s) }).toEqual({ sku: s, shown: expectedFor(truth, sandbox, s) });

		expect(smtp.messages).toHaveLength(1);
		const [mail] = smtp.messages;
		expect(mail.to).toEqual(['ops@shop.example']);
		expect(mail.data).toMatch(/Subject: Inventory drift: \d+ corrections/);
		expect(mail.data).toContain('Corrections were applied.');
		expect(mail.data).toMatch(/filename="?drift-report\.html"?/);

		const again = await runTemplate({ applyCorrections: true, emailTo: 'ops@shop.example' }, true);
		const [summary] = nodeOutputs(again, 'Inventory Reconcile')[3] as Array<{ adjustments: number; inSync: number }>;
		expect(summary.adjustments).toBe(0);
		expect(summary.inSync).toBe(skus().length * (2 + sandbox.catalog()!.locations.length));
	}, 400_000);
});
