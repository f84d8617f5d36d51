/**
 * Template 2, workflows/batch-catalog-sync.json, imported as shipped into a real n8n 2.x with
 * sandbox credentials bound by type, run against the Akeneo, Shopify, Amazon and eBay sandboxes.
 * Everything is asserted from the sandboxes' state and request logs.
 *
 * How the scheduled template runs: as real scheduled executions (see support-catalog.ts). The
 * template keeps its Akeneo cursor in workflow static data, which n8n saves only after
 * production runs, so only such runs show that run 2 starts where run 1 stopped. The Schedule
 * Trigger's rule is the one thing changed (every 30 minutes → every 15 seconds).
 */
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { EBAY_SANDBOX_ACCESS_TOKEN } from '../../../sandbox/systems/ebay';
import { startN8n, type N8nInstance } from '../harness/n8n';
import { nodeOutputs } from '../helpers/graph';
import { E2E_TIMEOUT } from '../setup';
import {
	amazonSettled,
	editAkeneo,
	executionError,
	runScheduledOnce,
	sandboxCredentials,
	scheduledTemplate,
	shopifyProductWrites,
	type Execution,
} from './support-catalog';

interface AkeneoProduct {
	uuid: string;
	sku: string;
	values: Record<string, Array<{ locale: string | null; scope: string | null; data: unknown }>>;
}
interface ShopifyProduct {
	id: string;
	handle: string;
	title: string;
	updatedAt: string;
	variants: Array<{ sku: string; price: string }>;
}
interface AmazonListing {
	sku: string;
	price: string;
	quantity: number;
}
interface EbayState {
	items: Array<{ sku: string; quantity: number }>;
	offers: Array<{ offerId: string; sku: string; price: string }>;
}
interface Summary {
	readChangesSince: string;
	productsRead: number;
	productsChanged: number;
	productsUnchanged: number;
	productsToFixInPim: number;
	written: { shopifyProducts: number; amazonListingPrices: number; ebayInventoryItems: number; ebayOfferPrices: number };
	retried: number;
	deadLettered: number;
	confirmed: number;
	productsHeldByAnotherRun: number;
	cursorMoved: boolean;
}

const TEMPLATE = 'batch-catalog-sync.json';
const SKUS = 8;

describe('Batch catalog sync template in a real n8n 2.x', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let workflowId: string;
	let shopifyWrites: Awaited<ReturnType<typeof shopifyProductWrites>>;

	const akeneo = () => (sandbox.state('akeneo') as { products: AkeneoProduct[] }).products;
	const shopify = () => (sandbox.state('shopify') as { products: ShopifyProduct[] }).products;
	const amazon = () => new Map((sandbox.state('amazon') as { listings: AmazonListing[] }).listings.map((l) => [l.sku, l]));
	const ebay = () => sandbox.state('ebay') as EbayState;
	const shopifyBySku = (sku: string) => shopify().filter((p) => p.variants.some((v) => v.sku === sku));
	const ebayTitle = async (sku: string) => {
		const res = await fetch(`${sandbox.urlFor('ebay')}/sell/inventory/v1/inventory_item/${encodeURIComponent(sku)}`, {
			headers: { authorization: `Bearer ${EBAY_SANDBOX_ACCESS_TOKEN}` },
		});
		return ((await res.json()) as { product: { title?: string } }).product.title;
	};
	const lastSeq = () => sandbox.requests().reduce((max, r) => Math.max(max, r.seq), 0);
	const requestsSince = (seq: number, system: string) => sandbox.requests({ system, sinceSeq: seq });
	const summaryOf = (execution: Execution) => nodeOutputs(execution, 'Summary and Save Cursor')[0][0] as unknown as Summary;
	const run = async () => {
		const execution = await runScheduledOnce(n8n, workflowId);
		expect({ status: execution.status, error: executionError(execution) }).toEqual({ status: 'success', error: undefined });
		await sandbox.webhooks.whenIdle();
		await amazonSettled(sandbox);
		return execution;
	};
	const rename = (p: AkeneoProduct, name: string) => ({ uuid: p.uuid, values: { name: [{ locale: 'en_US', scope: null, data: name }] } });
	const reprice = (p: AkeneoProduct, usd: string) => ({ uuid: p.uuid, values: { price: [{ locale: null, scope: null, data: [{ amount: usd, currency: 'USD' }] }] } });

	beforeAll(async () => {
		sandbox = await startSandbox({
			systems: ['akeneo', 'shopify', 'amazon', 'ebay'],
			seed: { seed: 'e2e-catalog-sync', skus: SKUS, locations: 1 },
		});
		shopifyWrites = await shopifyProductWrites(sandbox);
		n8n = await startN8n({ major: 2 });
		const credentials = await sandboxCredentials(n8n, sandbox, ['akeneoApi', 'shopifyAdminGraphqlApi', 'amazonSpApi', 'ebaySellApi']);
		workflowId = await n8n.createWorkflow(scheduledTemplate(TEMPLATE, credentials, 'Every 30 Minutes', 15));
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		await shopifyWrites?.close();
		await sandbox?.close();
	}, 60_000);

	it('run 1 sends the catalog once, with the PIM’s changes, to Shopify, Amazon and eBay', async () => {
		const [a, b] = akeneo();
		await editAkeneo(sandbox, [rename(a, 'Renamed in the PIM'), { ...reprice(a, '77.70') }, reprice(b, '12.30')]);
		const shopifyBefore = shopify();
		const ebayQuantities = new Map(ebay().items.map((i) => [i.sku, i.quantity]));
		const amazonQuantities = new Map([...amazon()].map(([sku, l]) => [sku, l.quantity]));

		const summary = summaryOf(await run());

		expect(summary).toMatchObject({
			readChangesSince: 'the beginning (first run)',
			productsRead: SKUS,
			productsChanged: SKUS,
			productsUnchanged: 0,
			productsToFixInPim: 0,
			written: { shopifyProducts: SKUS, amazonListingPrices: SKUS, ebayInventoryItems: SKUS, ebayOfferPrices: SKUS },
			deadLettered: 0,
			confirmed: SKUS,
			productsHeldByAnotherRun: 0,
			cursorMoved: true,
		});
		// The first run has no cursor: Akeneo is read without an "updated" filter.
		const list = sandbox.requests({ system: 'akeneo' }).filter((r) => r.operation === 'get_products_uuid');
		expect(list.length).toBeGreaterThan(0);
		expect(list.every((r) => !String(r.query.search ?? '').includes('updated'))).toBe(true);

		// Shopify: the existing product holding each SKU was updated in place (no duplicates, same handles).
		expect(shopify()).toHaveLength(shopifyBefore.length);
		for (const before of shopifyBefore) {
			const [now] = shopifyBySku(before.variants[0].sku);
			expect(now).toMatchObject({ id: before.id, handle: before.handle });
		}
		expect(shopifyBySku(a.sku)[0]).toMatchObject({ title: 'Renamed in the PIM', variants: [expect.objectContaining({ sku: a.sku, price: '77.70' })] });
		expect(shopifyBySku(b.sku)[0].variants[0].price).toBe('12.30');

		// Amazon: the listing prices follow the PIM; quantities are left to the stock sync.
		expect(amazon().get(a.sku)?.price).toBe('77.70');
		expect(amazon().get(b.sku)?.price).toBe('12.30');
		for (const [sku, quantity] of amazonQuantities) expect(amazon().get(sku)?.quantity).toBe(quantity);

		// eBay: titles and offer prices follow the PIM; the stock of every item is kept.
		expect(await ebayTitle(a.sku)).toBe('Renamed in the PIM');
		expect(ebay().offers.filter((o) => o.sku === a.sku).map((o) => o.price)).toEqual(['77.70']);
		expect(ebay().offers.filter((o) => o.sku === b.sku).map((o) => o.price)).toEqual(['12.30']);
		for (const [sku, quantity] of ebayQuantities) expect(ebay().items.find((i) => i.sku === sku)?.quantity).toBe(quantity);
	}, 300_000);

	it('run 2, with nothing changed in Akeneo, reads from the cursor and sends nothing', async () => {
		const seq = lastSeq();
		const shopifyWritesBefore = shopifyWrites.writes().length;

		const summary = summaryOf(await run());

		expect(summary.readChangesSince).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		const list = requestsSince(seq, 'akeneo').filter((r) => r.operation === 'get_products_uuid');
		expect(list).toHaveLength(1);
		expect(JSON.parse(String(list[0].query.search))).toMatchObject({ updated: [{ operator: '>' }] });
		// Products edited just before run 1 fall inside the cursor's overlap: read again, found unchanged.
		expect(summary).toMatchObject({ productsChanged: 0, productsUnchanged: summary.productsRead, confirmed: 0 });
		expect(summary.written).toEqual({ shopifyProducts: 0, amazonListingPrices: 0, ebayInventoryItems: 0, ebayOfferPrices: 0 });
		for (const system of ['shopify', 'amazon', 'ebay']) expect(requestsSince(seq, system)).toEqual([]);
		expect(shopifyWrites.writes().length).toBe(shopifyWritesBefore);
	}, 300_000);

	it('run 3 sends only the product changed in Akeneo since, not one merely saved again', async () => {
		const [, , c, d] = akeneo();
		// c changes; d is saved with the same name, so only its "updated" time moves.
		const dName = d.values.name.find((v) => v.locale === 'en_US')!.data as string;
		await editAkeneo(sandbox, [rename(c, 'Only This One Changed'), rename(d, dName)]);
		const seq = lastSeq();
		const shopifyWritesBefore = shopifyWrites.writes().length;

		const summary = summaryOf(await run());

		expect(summary.productsChanged).toBe(1);
		expect(summary.productsRead).toBeGreaterThanOrEqual(2);
		expect(summary.productsUnchanged).toBe(summary.productsRead - 1);
		expect(summary.written).toEqual({ shopifyProducts: 1, amazonListingPrices: 1, ebayInventoryItems: 1, ebayOfferPrices: 1 });
		expect(shopifyWrites.writes().slice(shopifyWritesBefore)).toEqual([{ topic: 'products/update', skus: [c.sku] }]);
		expect(shopifyBySku(c.sku)[0].title).toBe('Only This One Changed');
		const amazonPatches = requestsSince(seq, 'amazon').filter((r) => r.operation === 'patchListingsItem');
		expect(amazonPatches.map((r) => decodeURIComponent(r.path.split('/').pop()!))).toEqual([c.sku]);
		const ebayWrites = requestsSince(seq, 'ebay').filter((r) => r.method !== 'GET' && r.operation !== 'token');
		expect(ebayWrites.map((r) => r.operation).sort()).toEqual(['bulkUpdatePriceQuantity', 'createOrReplaceInventoryItem']);
		expect(ebayWrites.find((r) => r.operation === 'createOrReplaceInventoryItem')!.path).toContain(encodeURIComponent(c.sku));
		expect(await ebayTitle(c.sku)).toBe('Only This One Changed');
		expect(await ebayTitle(d.sku)).toBe(dName);
	}, 300_000);
});
