/**
 * `npm run bench -- reconcile [skus] [locations] [n8n skus]`
 *
 * 1. The reconcile engine on 200,000 SKUs × 5 truth locations against 3 channels (600,000
 *    channel rows), in a child process of its own so its peak memory (maxRSS) is its own:
 *    wall time, CPU time and peak memory of the engine (targets: < 3 s, < 1 GiB).
 * 2. In a real n8n (when its runtime is installed): the Inventory Reconcile node against n8n's
 *    Compare Datasets node on the same 50,000 SKUs × 3 channels, in the same run.
 *    `RECONCILE_N8N=0` skips it.
 */
import { fork } from 'node:child_process';
import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';

import { reconcile, type ChannelRow, type ReconcilePlan, type TruthRow } from '../../nodes/shared/core/reconcile';
import type { NodeSpec } from '../e2e/harness/workflow';

const MB = 1024 * 1024;
const CHANNELS = ['amazon', 'ebay', 'shopify'];

interface EngineFigures {
	truthRows: number;
	channelRows: number;
	adjustments: number;
	inSync: number;
	exceptions: number;
	wallMs: number;
	cpuMs: number;
	rssBeforeMiB: number;
	maxRssBeforeMiB: number;
	maxRssAfterMiB: number;
	heapBeforeMiB: number;
	heapAfterMiB: number;
	node: string;
}

/**
 * Input shaped like our nodes' stock rows; every row its own strings, as items parsed from JSON
 * are. `worst`: nearly every channel row drifts (every row hashed, explained and sorted as an
 * adjustment). `typical`: one SKU in 20 drifts, the rest already show what they should. In both,
 * channels list SKUs in the truth's order, which the engine exploits; `unordered` is `worst`
 * with each channel listing SKUs in its own shuffled order (rows still made in list order, as
 * parsed items are laid out), to show what input without that order costs.
 */
export function generate(skus: number, locations: number, now: number, scenario: Scenario = 'worst'): { truth: TruthRow[]; channels: ChannelRow[] } {
	const truth: TruthRow[] = new Array(skus * locations);
	const asOf = new Date(now - 60_000).toISOString();
	const typical = scenario === 'typical';
	let t = 0;
	for (let s = 0; s < skus; s++) {
		for (let l = 0; l < locations; l++) {
			truth[t] = typical
				? { index: t, sku: `SKU-${s}`, locationId: `WH${l}`, onHand: 20 + (s % 50), committed: 0, reserved: 0, asOf: `${asOf}` }
				: { index: t, sku: `SKU-${s}`, locationId: `WH${l}`, onHand: (s * 7 + l * 13) % 97, committed: (s + l) % 5, reserved: l % 2, asOf: `${asOf}` };
			t++;
		}
	}
	// What BENCH_RULES make each channel show in the typical case (safety stock 2):
	// all warehouses for amazon (40 % share) and ebay (cap 50), WH0–WH2 for shopify.
	const expected = (channel: string, s: number): number => {
		const each = 20 + (s % 50);
		if (channel === 'amazon') return Math.floor(((locations * each - 2) * 40) / 100);
		if (channel === 'ebay') return Math.min(locations * each - 2, 50);
		return Math.min(3, locations) * each - 2;
	};
	const channels: ChannelRow[] = new Array(skus * CHANNELS.length);
	let c = 0;
	let seed = 20_261_127;
	for (const channel of CHANNELS) {
		const locationId = channel === 'shopify' ? 'gid://shopify/Location/1' : 'DEFAULT';
		const order = Array.from({ length: skus }, (_, s) => s);
		if (scenario === 'unordered') {
			// Fisher–Yates with a fixed 32-bit linear congruential sequence: the same order every run.
			for (let i = skus - 1; i > 0; i--) {
				seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
				const j = seed % (i + 1);
				[order[i], order[j]] = [order[j], order[i]];
			}
		}
		for (const s of order) {
			const current = typical ? expected(channel, s) + (s % 20 === 0 ? 7 : 0) : (s * 3) % 400;
			channels[c] = { index: c, channel: `${channel}`, sku: `SKU-${s}`, locationId: `${locationId}`, current, updatedAt: now - 5 * 60_000, passthrough: { inventoryItemId: `item-${s}` } };
			c++;
		}
	}
	return { truth, channels };
}

type Scenario = 'worst' | 'typical' | 'unordered';

export const BENCH_RULES = {
	channelAllocation: { amazon: { mode: 'share' as const, percent: 40 }, ebay: { mode: 'cap' as const, max: 50 } },
	locationMappings: [
		{ channel: 'shopify', channelLocationId: 'gid://shopify/Location/1', truthLocationIds: ['WH0', 'WH1', 'WH2'] },
	],
	tolerance: 1,
	staleAfterMinutes: 60,
	safetyStock: 2,
};

/** Child side: generate, measure one cold engine run, report figures on IPC. */
function child(skus: number, locations: number, scenario: Scenario): void {
	const now = Date.now();
	const { truth, channels } = generate(skus, locations, now, scenario);
	global.gc?.();
	const before = process.memoryUsage();
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	const plan: ReconcilePlan = reconcile(truth, channels, { now, ...BENCH_RULES });
	const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
	const cpu = process.cpuUsage(cpu0);
	const maxRssAfter = process.resourceUsage().maxRSS * 1024;
	const heapAfter = process.memoryUsage().heapUsed;
	const figures: EngineFigures = {
		truthRows: truth.length,
		channelRows: channels.length,
		adjustments: plan.adjustments.length,
		inSync: plan.inSync.length,
		exceptions: plan.exceptions.length,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		rssBeforeMiB: before.rss / MB,
		maxRssBeforeMiB: maxRssBefore / MB,
		maxRssAfterMiB: maxRssAfter / MB,
		heapBeforeMiB: before.heapUsed / MB,
		heapAfterMiB: heapAfter / MB,
		node: process.version,
	};
	(process.send as (m: unknown) => void)(figures);
}

async function engineInChild(skus: number, locations: number, scenario: Scenario): Promise<EngineFigures> {
	return await new Promise((resolve, reject) => {
		const proc = fork(__filename, ['--reconcile-bench-child', String(skus), String(locations), scenario], {
			execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		let figures: EngineFigures | undefined;
		proc.on('message', (m) => (figures = m as EngineFigures));
		proc.on('error', reject);
		proc.on('exit', (code) => (figures ? resolve(figures) : reject(new Error(`the engine bench child exited with ${code}`))));
	});
}

/** One Code node (Run Once for All Items) producing the bench rows inside n8n. */
function codeNode(name: string, js: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: js } };
}

/**
 * Our node against n8n's Compare Datasets on the same items in the same n8n: N truth rows (one
 * warehouse) and N SKUs × 3 channels, made by Code nodes from the size posted to the webhook.
 * A node's time is the difference between a workflow with it and the same workflow without it
 * (execution data is not saved, so reading it back does not dominate).
 *
 * Compare Datasets scans input B once per item of input A (quadratic): at 50,000 × 150,000 that
 * is 7.5 billion comparisons, tens of minutes of one core. On a shared machine it is measured at
 * growing sizes up to `RECONCILE_CD_MAX` SKUs (default 10,000) and its 50,000 figure is
 * extrapolated from the largest measured size; `RECONCILE_N8N_FULL=1` measures it for real.
 */
async function n8nComparison(skus: number): Promise<void> {
	const { runtimeInstalled } = await import('../e2e/harness/runtime');
	if (!runtimeInstalled(2) || process.env.RECONCILE_N8N === '0') {
		console.log('real n8n: not measured (n8n 2.x runtime not installed — scripts/ensure-runtime.sh n8n2 — or RECONCILE_N8N=0)');
		return;
	}
	const { startN8n } = await import('../e2e/harness/n8n');
	const { webhookGraph } = await import('../e2e/helpers/graph');
	const { PKG } = await import('../e2e/harness/workflow');
	const size = 'const n = Number($input.first().json.body.skus); const asOf = new Date().toISOString(); const out = [];';
	const truthJs = `${size}
for (let s = 0; s < n; s++) out.push({ json: { sku: 'SKU-' + s, locationId: 'WH1', quantities: { onHand: (s * 7) % 97, committed: s % 5, reserved: s % 2 }, source: 'bench', asOf } });
return out;`;
	const channelsJs = `${size}
for (const channel of ['amazon', 'ebay', 'shopify']) for (let s = 0; s < n; s++) out.push({ json: { channel, sku: 'SKU-' + s, locationId: 'WH1', quantities: { available: (s * 3) % 100 }, asOf } });
return out;`;
	const gen = [codeNode('Truth', truthJs), codeNode('Channels', channelsJs)];
	const workflow = (name: string, extra: NodeSpec[], respond: 'noData' | 'firstEntryJson') => {
		const wf = webhookGraph(`bench reconcile: ${name}`, `bench-reconcile-${name}`, [...gen, ...extra], [
			{ from: 'Webhook', to: 'Truth' },
			{ from: 'Webhook', to: 'Channels' },
			...extra.flatMap((node) => [
				{ from: 'Truth', to: node.name, input: 0 },
				{ from: 'Channels', to: node.name, input: 1 },
			]),
		]);
		const hook = (wf.nodes as Array<{ name: string; parameters: Record<string, unknown> }>).find((node) => node.name === 'Webhook');
		if (hook) hook.parameters.responseData = respond;
		wf.settings = { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveDataErrorExecution: 'all', saveManualExecutions: false };
		return wf;
	};
	const ours: NodeSpec = { name: 'Inventory Reconcile', type: `${PKG}.inventoryReconcile`, parameters: { reportUnlisted: false } };
	const theirs: NodeSpec = {
		name: 'Compare Datasets',
		type: 'n8n-nodes-base.compareDatasets',
		typeVersion: 2.3,
		parameters: {
			mergeByFields: { values: [{ field1: 'sku', field2: 'sku' }, { field1: 'locationId', field2: 'locationId' }] },
			resolve: 'preferInput2',
			options: { multipleMatches: 'all', skipFields: 'channel,source,asOf' },
		},
	};
	const n8n = await startN8n({ major: 2 });
	try {
		const ids = {
			generate: await n8n.createWorkflow(workflow('generate', [], 'noData')),
			ours: await n8n.createWorkflow(workflow('ours', [ours], 'firstEntryJson')),
			theirs: await n8n.createWorkflow(workflow('theirs', [theirs], 'noData')),
		};
		for (const id of Object.values(ids)) await activate(n8n, id);
		const time = async (name: keyof typeof ids, n: number): Promise<{ seconds: number; body: unknown }> => {
			const started = Date.now();
			const res = await postAndWait(`${n8n.baseUrl}/webhook/bench-reconcile-${name}`, { skus: n });
			const seconds = (Date.now() - started) / 1000;
			if (res.status !== 200) throw new Error(`workflow "${name}" answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}\n${n8n.logTail(20)}`);
			return { seconds, body: res.body };
		};
		// Warm-up (JIT, task runner), not counted; postWebhook also waits out the 404s of webhooks
		// still registering.
		for (const name of Object.keys(ids) as Array<keyof typeof ids>) await n8n.postWebhook(`bench-reconcile-${name}`, { skus: 500 }, { retry404Ms: 10_000 });
		const full = process.env.RECONCILE_N8N_FULL === '1';
		const cdMax = full ? skus : Number(process.env.RECONCILE_CD_MAX ?? 10_000);
		const sizes = [...new Set([2_000, 5_000, 10_000, skus].filter((n) => n <= skus))].sort((a, b) => a - b);
		console.log(`real n8n ${n8n.runtime.version}, N truth rows (one warehouse) against N SKUs × 3 channels; node time = workflow with the node − workflow that only makes the rows:`);
		let largestCd: { n: number; seconds: number } | undefined;
		let ourFull = Number.NaN;
		for (const n of sizes) {
			const base = Math.min((await time('generate', n)).seconds, (await time('generate', n)).seconds);
			const o = await time('ours', n);
			const ourSeconds = Math.max(0, o.seconds - base);
			if (n === skus) ourFull = ourSeconds;
			// Printed before Compare Datasets runs: at full size that takes many minutes.
			console.log(`  N = ${n.toLocaleString('en')} (${(n * 3).toLocaleString('en')} channel rows): making rows ${base.toFixed(1)} s; Inventory Reconcile ${ourSeconds.toFixed(1)} s`);
			if (n === skus) console.log(`    first adjustment: ${JSON.stringify(o.body).slice(0, 200)}…`);
			if (n <= cdMax) {
				const cd = Math.max(0, (await time('theirs', n)).seconds - base);
				largestCd = { n, seconds: cd };
				console.log(`    Compare Datasets ${cd.toFixed(1)} s; ratio ours / Compare Datasets ${(ourSeconds / cd).toFixed(3)}`);
			} else console.log('    Compare Datasets not run at this size (see below)');
		}
		if (largestCd && largestCd.n < skus) {
			const estimate = largestCd.seconds * (skus / largestCd.n) ** 2;
			console.log(
				`  Compare Datasets at N = ${skus.toLocaleString('en')}: NOT measured (quadratic; RECONCILE_N8N_FULL=1 measures it); extrapolated from N = ${largestCd.n.toLocaleString('en')} as ${largestCd.seconds.toFixed(1)} s × ${(skus / largestCd.n) ** 2} ≈ ${estimate >= 120 ? `${(estimate / 60).toFixed(0)} min` : `${estimate.toFixed(1)} s`}; ratio ours / Compare Datasets ≈ ${(ourFull / estimate).toFixed(4)}`,
			);
		}
		console.log('  (Compare Datasets only sorts rows into A only / same / different / B only; Inventory Reconcile also computes available-to-sell, allocation, keys and the report)');
	} finally {
		await n8n.stop();
	}
}

/**
 * POSTs JSON and waits for the answer however long the workflow runs. Not fetch: its client
 * gives up on a response whose headers take more than 300 s, and Compare Datasets at full size
 * takes longer than that before n8n answers.
 */
async function postAndWait(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
	const payload = JSON.stringify(body);
	return await new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('error', reject);
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let parsed: unknown = text;
				try {
					parsed = text ? JSON.parse(text) : undefined;
				} catch {
					// not JSON: keep the text for the error message
				}
				resolve({ status: res.statusCode ?? 0, body: parsed });
			});
		});
		req.on('error', reject);
		req.end(payload);
	});
}

/** Activation registers webhooks; retry a transient failure (the instance just started) twice. */
async function activate(n8n: { activate(id: string): Promise<void> }, id: string): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await n8n.activate(id);
		} catch (error) {
			if (attempt >= 3) throw error;
			console.log(`  (activation attempt ${attempt} failed, retrying: ${(error as Error).message.split('\n')[0].slice(0, 200)})`);
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
}

export async function run(args: string[] = []): Promise<void> {
	const skus = Number(args[0] ?? 200_000);
	const locations = Number(args[1] ?? 5);
	const ok = (good: boolean) => (good ? 'OK' : 'MISSED');
	console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work slows every figure below)`);
	const titles: Record<Scenario, string> = {
		worst: 'worst case (nearly every row drifts)',
		typical: 'typical (1 SKU in 20 drifts)',
		unordered: 'worst case, each channel listing SKUs in its own shuffled order',
	};
	for (const scenario of ['worst', 'typical', 'unordered'] as const) {
		const f = await engineInChild(skus, locations, scenario);
		console.log(`engine, ${titles[scenario]}, ${f.node}: ${f.truthRows.toLocaleString('en')} truth rows (${skus.toLocaleString('en')} SKUs × ${locations}) against ${f.channelRows.toLocaleString('en')} channel rows (${CHANNELS.length} channels)`);
		console.log(`  plan: ${f.adjustments.toLocaleString('en')} adjustments, ${f.inSync.toLocaleString('en')} in sync, ${f.exceptions.toLocaleString('en')} exceptions`);
		console.log(`  time: ${(f.wallMs / 1000).toFixed(2)} s wall, ${(f.cpuMs / 1000).toFixed(2)} s CPU incl. GC threads (target < 3 s) ${ok(f.wallMs < 3000)}`);
		console.log(
			`  memory: peak RSS ${f.maxRssAfterMiB.toFixed(0)} MiB for the whole process, of which the generated input alone ${f.maxRssBeforeMiB.toFixed(0)} MiB (target < 1024) ${ok(f.maxRssAfterMiB < 1024)}; ` +
				`heap ${f.heapBeforeMiB.toFixed(0)} → ${f.heapAfterMiB.toFixed(0)} MiB with the plan held`,
		);
	}
	await n8nComparison(Number(args[2] ?? 50_000));
}

if (process.argv[2] === '--reconcile-bench-child') child(Number(process.argv[3]), Number(process.argv[4]), process.argv[5] as Scenario);
