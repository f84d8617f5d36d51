/**
 * `npm run bench -- hubspot [--contacts 20000] [--plan professional]`: upserts contacts through
 * the HubSpot node against the sandbox enforcing the plan's rolling 10-second window, and
 * compares the time taken with the least the window allows (its ceiling), plus the 429s seen.
 * Baseline in the same run: the same batches sent as fast as possible with no pacing (what a
 * plain HTTP Request loop does), counting the 429s it provokes.
 */
import type { IDataObject } from 'n8n-workflow';

import { HubSpotCrm } from '../../nodes/HubSpot/HubSpotCrm.node';
import { HUBSPOT_PLANS } from '../../nodes/HubSpot/transport';
import { resetSystemLimiters } from '../../nodes/shared/n8n/system';
import { startSandbox } from '../../sandbox';
import { HUBSPOT_SANDBOX_TOKEN } from '../../sandbox/systems/hubspot';
import { fakeExecuteFunctions } from '../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../helpers/n8nHttp';

function arg(args: string[], name: string, fallback: string): string {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

export async function run(args: string[]): Promise<void> {
	const contacts = Number(arg(args, 'contacts', '20000'));
	const plan = arg(args, 'plan', 'professional');
	const limits = HUBSPOT_PLANS[plan] ?? HUBSPOT_PLANS.professional;
	const sandbox = await startSandbox({ port: 0, systems: ['hubspot'], seed: { seed: 'bench', skus: 10, locations: 1 } });
	try {
		const configure = () => sandbox.configureLimit('hubspot', 'hubspot', { windows: { TEN_SECONDLY_ROLLING: { max: limits.perTenSeconds }, DAILY: { max: limits.daily } } });
		configure();
		const baseUrl = sandbox.urlFor('hubspot');
		const items = Array.from({ length: contacts }, (_, i) => ({ json: { email: `bench${i}@shop.example`, first: `B${i}` } as IDataObject }));
		const calls = Math.ceil(contacts / 100);

		// Ours: the node, paced by the kernel's rolling window.
		resetSystemLimiters();
		const creds = { hubSpotPrivateAppApi: { accessToken: HUBSPOT_SANDBOX_TOKEN, plan, baseUrl } };
		const node = new HubSpotCrm();
		const ctx = fakeExecuteFunctions({
			description: node.description,
			inputs: items,
			params: { resource: 'contact', operation: 'upsert', idProperty: 'email', idValue: (_i: number, item: { json: IDataObject }) => item.json.email, recordProperties: (_i: number, item: { json: IDataObject }) => ({ firstname: item.json.first }), dryRun: false, correlationId: '' },
			credentials: creds,
			helpers: n8nHttpHelpers(creds) as never,
			continueOnFail: true,
			node: { credentials: { hubSpotPrivateAppApi: { id: 'bench', name: 'bench' } } },
		});
		const started = Date.now();
		const out = (await node.execute.call(ctx))[0];
		const elapsed = (Date.now() - started) / 1000;
		const log = sandbox.requests({ system: 'hubspot' });
		const ok = out.filter((o) => o.json.status === 'created' || o.json.status === 'updated').length;
		const throttled = log.filter((r) => r.status === 429).length;
		// The least time the window allows: every full window's worth of calls after the first burst.
		const ceilingSeconds = Math.max(0, Math.ceil(calls / limits.perTenSeconds) - 1) * 10;
		const ratePerTen = (calls / Math.max(elapsed, 0.001)) * 10;
		console.log(`plan ${plan}: ${limits.perTenSeconds} requests per 10 s`);
		console.log(`ours: ${ok}/${contacts} contacts upserted in ${calls} calls, ${elapsed.toFixed(1)} s, ${throttled} × 429`);
		if (ceilingSeconds > 0) {
			console.log(`  throughput vs the window's ceiling: ${((ceilingSeconds / elapsed) * 100).toFixed(1)} % (least possible ${ceilingSeconds} s; ${ratePerTen.toFixed(0)} calls per 10 s sustained)`);
			const sentLog = log.filter((r) => r.status !== 429);
			const span = (sentLog[sentLog.length - 1].time - sentLog[0].time) / 1000;
			console.log(`  sending pace vs the ceiling: ${((ceilingSeconds / Math.max(span, 0.001)) * 100).toFixed(1)} % (last call sent ${span.toFixed(2)} s after the first; the rest of the wall time is the sandbox answering 100-record batches)`);
		} else {
			console.log('  all calls fit in the first window; raise --contacts to measure sustained throughput');
		}

		// Baseline: the same calls fired with no pacing.
		sandbox.reset('hubspot');
		configure();
		const baselineStart = Date.now();
		let refused = 0;
		let sent = 0;
		const batches = Array.from({ length: calls }, (_, b) => items.slice(b * 100, b * 100 + 100));
		await Promise.all(
			batches.map(async (batch) => {
				const res = await fetch(`${baseUrl}/crm/v3/objects/contacts/batch/upsert`, {
					method: 'POST',
					headers: { authorization: `Bearer ${HUBSPOT_SANDBOX_TOKEN}`, 'content-type': 'application/json' },
					body: JSON.stringify({ inputs: batch.map((i) => ({ id: i.json.email, idProperty: 'email', properties: { firstname: i.json.first } })) }),
				});
				await res.arrayBuffer();
				sent++;
				if (res.status === 429) refused++;
			}),
		);
		console.log(`baseline (no pacing): ${sent} calls in ${((Date.now() - baselineStart) / 1000).toFixed(1)} s, ${refused} × 429 (${((refused / sent) * 100).toFixed(0)} % of the calls lost to throttling)`);
	} finally {
		await sandbox.close();
	}
}
