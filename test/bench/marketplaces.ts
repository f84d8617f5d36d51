/**
 * `npm run bench -- marketplaces [changes] [patchSample]`: pushes quantity changes (default
 * 5,000) to the Amazon sandbox (the node picks PATCH or a JSON listings feed by volume) and to
 * the eBay sandbox (bulkUpdatePriceQuantity, 25 per call), under the vendors' default limits.
 * For Amazon it also times a small PATCH-only run, so the choice can be judged.
 *
 * Prints, per marketplace: time until the last change is visible in the sandbox, the share of
 * the ceiling the limits allow, and the 429s seen.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { AmazonSellingPartner } from '../../nodes/AmazonSellingPartner/AmazonSellingPartner.node';
import { EbaySellInventory } from '../../nodes/Ebay/EbaySellInventory.node';
import { resetSessions } from '../../nodes/shared/n8n/session';
import { resetSystemLimiters } from '../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { AMAZON_SANDBOX_CLIENT, AMAZON_SANDBOX_SELLER } from '../../sandbox/systems/amazon';
import { EBAY_SANDBOX_CLIENT } from '../../sandbox/systems/ebay';
import { fakeExecuteFunctions } from '../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../helpers/n8nHttp';

async function runNode(node: INodeType, type: string, credentials: IDataObject, params: IDataObject, items: IDataObject[]) {
	const creds = { [type]: credentials };
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs: items.map((json) => ({ json })),
		params: { correlationId: '', ...params, sku: (i: number) => items[i].sku, quantity: (i: number) => items[i].target },
		credentials: creds,
		continueOnFail: true,
		helpers: n8nHttpHelpers(creds) as never,
		node: { credentials: { [type]: { id: `bench-${type}`, name: 'bench' } } },
	});
	return ((await node.execute!.call(ctx)) as Array<Array<{ json: IDataObject }>>)[0];
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error('changes did not become visible in time');
		await new Promise((r) => setTimeout(r, 20));
	}
}

function stats(sandbox: Sandbox, system: string, since: number) {
	const log = sandbox.requests({ system, limit: 1_000_000 } as never).filter((r) => r.seq > since);
	return { requests: log.length, throttled: log.filter((r) => r.status === 429).length };
}

export async function run(args: string[] = []): Promise<void> {
	const changes = Number(args[0] ?? 5000);
	const sample = Number(args[1] ?? 100);
	const sandbox = await startSandbox({ systems: ['amazon', 'ebay'], seed: { seed: 'bench-marketplaces', skus: changes, locations: 2 }, logCapacity: 200_000 });
	try {
		const amazonCreds = { ...AMAZON_SANDBOX_CLIENT, region: 'na', sellerId: AMAZON_SANDBOX_SELLER, marketplaceIds: 'ATVPDKIKX0DER', baseUrl: sandbox.urlFor('amazon'), tokenUrl: `${sandbox.urlFor('amazon')}/auth/o2/token` };
		const ebayCreds = { ...EBAY_SANDBOX_CLIENT, environment: 'production', scopes: 'https://api.ebay.com/oauth/api_scope/sell.inventory', baseUrl: sandbox.urlFor('ebay'), tokenUrl: `${sandbox.urlFor('ebay')}/identity/v1/oauth2/token` };
		const amazonState = () => new Map((sandbox.state('amazon') as { listings: Array<{ sku: string; quantity: number }> }).listings.map((l) => [l.sku, l.quantity]));
		const ebayState = () => new Map((sandbox.state('ebay') as { items: Array<{ sku: string; quantity: number }> }).items.map((l) => [l.sku, l.quantity]));
		const targets = [...amazonState().entries()].slice(0, changes).map(([sku, q], i) => ({ sku, target: (q + 1 + (i % 5)) % 1000 }));
		const params = { resource: 'listing', operation: 'updateQuantityPrice', price: '', currency: 'USD', productType: 'PRODUCT', marketplaceId: '', dryRun: false, pollSeconds: 1, timeoutMinutes: 30 };
		const lines: string[] = [];

		// Amazon, PATCH only, on a sample: its ceiling is the patchListingsItem bucket (5/s, burst 5).
		resetSystemLimiters();
		resetSessions();
		let mark = Math.max(0, ...sandbox.requests({ system: 'amazon' }).map((r) => r.seq));
		let started = Date.now();
		const patchItems = targets.slice(0, sample).map((t) => ({ ...t, target: t.target + 1 }));
		const patchOut = await runNode(new AmazonSellingPartner(), 'amazonSpApi', amazonCreds, { ...params, method: 'patch' }, patchItems);
		await until(() => { const s = amazonState(); return patchItems.every((t) => s.get(t.sku) === t.target); }, 120_000);
		let secs = (Date.now() - started) / 1000;
		let st = stats(sandbox, 'amazon', mark);
		// The bucket allows burst + rate × t requests in t seconds.
		const patchCeiling = (sample - 5) / 5;
		lines.push(`amazon patch   ${sample} changes: ${secs.toFixed(1)} s to visible, ${(sample / secs).toFixed(2)}/s = ${((100 * patchCeiling) / secs).toFixed(0)}% of the 5/s ceiling, 429s ${st.throttled}, failed ${patchOut.filter((o) => o.json.error).length}`);
		const patchAt5000 = (changes - 5) / 5;

		// Amazon, Auto: above the threshold the node sends one JSON_LISTINGS_FEED.
		resetSystemLimiters();
		mark = Math.max(0, ...sandbox.requests({ system: 'amazon' }).map((r) => r.seq));
		started = Date.now();
		const autoOut = await runNode(new AmazonSellingPartner(), 'amazonSpApi', amazonCreds, { ...params, method: 'auto', feedThreshold: 1000 }, targets);
		await until(() => { const s = amazonState(); return targets.every((t) => s.get(t.sku) === t.target); }, 600_000);
		secs = (Date.now() - started) / 1000;
		st = stats(sandbox, 'amazon', mark);
		const via = String(autoOut[0]?.json.via);
		lines.push(`amazon auto    ${changes} changes via ${via}: ${secs.toFixed(1)} s to visible (PATCH alone would need ≥ ${patchAt5000.toFixed(0)} s at 5/s → ${(patchAt5000 / secs).toFixed(1)}× faster), ${st.requests} requests, 429s ${st.throttled}, failed ${autoOut.filter((o) => o.json.error).length}`);

		// eBay: 25 SKUs per call; the ceiling is the daily quota (2,000,000 calls), not a rate.
		resetSystemLimiters();
		resetSessions();
		mark = Math.max(0, ...sandbox.requests({ system: 'ebay' }).map((r) => r.seq));
		started = Date.now();
		const ebayTargets = [...ebayState().entries()].slice(0, changes).map(([sku, q], i) => ({ sku, target: (q + 2 + (i % 3)) % 1000 }));
		const ebayOut = await runNode(new EbaySellInventory(), 'ebaySellApi', ebayCreds, { resource: 'inventoryItem', operation: 'bulkUpdatePriceQuantity', price: '', currency: 'USD', offerId: '', dryRun: false }, ebayTargets);
		await until(() => { const s = ebayState(); return ebayTargets.every((t) => s.get(t.sku) === t.target); }, 120_000);
		secs = (Date.now() - started) / 1000;
		st = stats(sandbox, 'ebay', mark);
		const byStatus = new Map<string, number>();
		for (const r of sandbox.requests({ system: 'ebay' }).filter((r) => r.seq > mark)) byStatus.set(`${r.operation} ${r.status}`, (byStatus.get(`${r.operation} ${r.status}`) ?? 0) + 1);
		lines.push(`ebay requests by operation/status: ${[...byStatus].map(([k, v]) => `${k}×${v}`).join(', ')}`);
		const calls = Math.ceil(changes / 25);
		lines.push(`ebay bulk      ${changes} changes: ${secs.toFixed(1)} s to visible, ${st.requests} requests (minimum ${calls} bulk calls + 1 token), ${((100 * calls) / 2_000_000).toFixed(3)}% of the daily quota, 429s ${st.throttled}, failed ${ebayOut.filter((o) => o.json.error).length}`);
		for (const line of lines) console.log(line);
	} finally {
		await sandbox.close();
	}
}
