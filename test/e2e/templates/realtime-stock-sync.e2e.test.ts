/**
 * The "Real-time stock sync" template (workflows/realtime-stock-sync.json) in a real n8n 2.x
 * against the ShipBob, Shopify, Amazon and eBay sandboxes.
 *
 * How it is run: the real file, credentials bound by type, and one setting a person makes in the
 * editor (Inventory Reconcile's location mapping: each Shopify location shows its own ShipBob
 * center). It is then activated through the public API exactly as a user activates it: n8n polls
 * ShipBob once on activation (learning where stock stands) and then every minute, and registers
 * the Shopify inventory webhook with the sandbox, which delivers signed events to n8n. Nothing is
 * called by hand: stock is moved in the ShipBob sandbox, or set in the Shopify sandbox's admin,
 * and the test waits for the channels' own state to change. A poll fires at most a minute after
 * a change, so each wait allows for two and a half minutes.
 */
import { join } from 'node:path';

import type { Sandbox } from '../../../sandbox/server';
import { REPO_ROOT } from '../harness/runtime';
import { startN8n, type N8nInstance } from '../harness/n8n';
import { readWorkflowFile } from '../harness/workflow';
import { E2E_TIMEOUT } from '../setup';
import {
	amazonQuantities,
	atp,
	createStockCredentials,
	ebayQuantities,
	expectedFor,
	merchantSetsShopify,
	moveShipBobStock,
	readTruth,
	sameValues,
	setParameter,
	shopifyLevels,
	shopifyLocationMapping,
	shownFor,
	startStockSandbox,
	waitUntil,
} from './support-stock';

const FILE = join(REPO_ROOT, 'workflows/realtime-stock-sync.json');
const POLL_WAIT = 150_000;

describe('Real-time stock sync template in a real n8n 2.x', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let workflowId: string;
	const truthReads = () => sandbox.requests({ system: 'shipbob' }).filter((r) => r.operation === 'getInventoryLevelsByLocation');
	const skuReads = () => truthReads().filter((r) => r.query.SearchBy !== undefined);

	beforeAll(async () => {
		sandbox = await startStockSandbox({ seed: 'e2e-realtime', skus: 10, locations: 2 });
		n8n = await startN8n({ major: 2 });
		const workflow = readWorkflowFile(FILE, await createStockCredentials(n8n, sandbox));
		setParameter(workflow, 'Inventory Reconcile', 'locationMappingsJson', JSON.stringify(shopifyLocationMapping(sandbox)));
		workflowId = await n8n.createWorkflow(workflow);
		await n8n.activate(workflowId);
		// Activation polls ShipBob once and subscribes to Shopify's inventory webhook.
		await waitUntil(() => truthReads().some((r) => r.status === 200), 120_000, () => `no ShipBob poll after activation\n${n8n.logTail(30)}`);
		await waitUntil(
			() => sandbox.webhooks.list('shopify').some((s) => s.topic === 'inventory_levels/update'),
			120_000,
			() => `no Shopify subscription: ${JSON.stringify(sandbox.webhooks.list('shopify'))}\n${n8n.logTail(30)}`,
		);
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	}, 60_000);

	it(
		'brings every channel to the new available-to-sell after stock moves in ShipBob, touching only the SKUs that moved',
		async () => {
			const { items, locations } = sandbox.catalog()!;
			const [l1, l2] = locations.map((l) => l.id);
			const before = await readTruth(sandbox);
			const [a, c] = [items[0].sku, items[2].sku];
			// A decrease needs stock to take away: the first SKU with at least 5 units free at l2.
			const b = items.slice(1).find((i) => i.sku !== c && atp(before, i.sku, [l2]) >= 5)!.sku;
			const moved = [a, b, c];
			const others = items.map((i) => i.sku).filter((s) => !moved.includes(s));
			const othersBefore = Object.fromEntries(others.map((s) => [s, shownFor(sandbox, s)]));
			const othersShopify = new Map(shopifyLevels(sandbox).filter((l) => others.includes(l.sku)).map((l) => [`${l.sku}@${l.locationId}`, l.updatedAt]));
			const ebayWritesBefore = sandbox.requests({ system: 'ebay' }).filter((r) => r.operation === 'bulkUpdatePriceQuantity').length;

			moveShipBobStock(sandbox, a, l1, 7);
			moveShipBobStock(sandbox, b, l2, -3);
			moveShipBobStock(sandbox, c, l1, 2);
			moveShipBobStock(sandbox, c, l2, 4);
			const truth = await readTruth(sandbox);
			const expected = Object.fromEntries(moved.map((s) => [s, expectedFor(truth, sandbox, s)]));
			expect(expected[a][`shopify@${l1}`]).toBe(atp(before, a, [l1]) + 7);
			expect(expected[b][`shopify@${l2}`]).toBe(atp(before, b, [l2]) - 3);

			await waitUntil(
				() => moved.every((s) => sameValues(shownFor(sandbox, s), expected[s])),
				POLL_WAIT,
				() => `channels still differ: ${JSON.stringify(moved.map((s) => ({ sku: s, expected: expected[s], shown: shownFor(sandbox, s) })))}\n${n8n.logTail(30)}`,
			);
			for (const s of moved) expect(shownFor(sandbox, s)).toEqual(expected[s]);

			// Our own Shopify writes come back as webhooks; they must not cost a ShipBob read each.
			await new Promise((r) => setTimeout(r, 5_000));
			expect(skuReads()).toEqual([]);
			// Nothing else was touched, drift on other SKUs included (that is the nightly job's).
			for (const s of others) expect({ sku: s, shown: shownFor(sandbox, s) }).toEqual({ sku: s, shown: othersBefore[s] });
			for (const level of shopifyLevels(sandbox).filter((l) => others.includes(l.sku))) {
				expect(level.updatedAt).toBe(othersShopify.get(`${level.sku}@${level.locationId}`));
			}
			// All eBay corrections of the poll went in one bulk call.
			const ebayWrites = sandbox.requests({ system: 'ebay' }).filter((r) => r.operation === 'bulkUpdatePriceQuantity').length - ebayWritesBefore;
			expect(ebayWrites).toBeLessThanOrEqual(1);
			const executions = await n8n.executions(workflowId);
			expect(executions.filter((e) => e.status !== 'success').map((e) => e.status)).toEqual([]);
		},
		POLL_WAIT + 120_000,
	);

	it(
		'corrects a manual raise in Shopify at once, and keeps a Shopify decrease ShipBob has not seen yet',
		async () => {
			const { items, locations } = sandbox.catalog()!;
			const l1 = locations[0].id;
			const truth = await readTruth(sandbox);
			const [d, e] = items.slice(3).filter((i) => atp(truth, i.sku, [l1]) >= 3).map((i) => i.sku);
			const readsBefore = skuReads().length;

			await merchantSetsShopify(sandbox, d, `gid://shopify/Location/${l1}`, atp(truth, d, [l1]) + 5);
			await merchantSetsShopify(sandbox, e, `gid://shopify/Location/${l1}`, atp(truth, e, [l1]) - 2);
			const levelOf = (sku: string) => shopifyLevels(sandbox).find((l) => l.sku === sku && l.legacyLocationId === l1)!.quantities.available;

			await waitUntil(
				() => levelOf(d) === atp(truth, d, [l1]),
				60_000,
				() => `Shopify still shows ${levelOf(d)} of ${d} where ShipBob allows ${atp(truth, d, [l1])}\n${n8n.logTail(30)}`,
			);
			// Both changes were checked against fresh ShipBob stock, one read each; the correction's own echo was not.
			await waitUntil(() => skuReads().length - readsBefore >= 2, 30_000, () => `ShipBob reads by SKU: ${skuReads().length - readsBefore}`);
			await waitUntil(async () => (await n8n.executions(workflowId)).every((x) => x.status !== 'running'), 30_000, () => 'executions still running');
			await new Promise((r) => setTimeout(r, 3_000));
			expect(skuReads().slice(readsBefore).map((r) => r.query.SearchBy).sort()).toEqual([d, e].sort());
			expect(levelOf(d)).toBe(atp(truth, d, [l1]));
			expect(levelOf(e)).toBe(atp(truth, e, [l1]) - 2);
			// The other channels of the re-checked SKUs show ShipBob's stock.
			for (const s of [d, e]) expect(ebayQuantities(sandbox).get(s)).toBe(atp(truth, s));
			expect(amazonQuantities(sandbox).get(d)).toBeDefined();
			const executions = await n8n.executions(workflowId);
			expect(executions.filter((x) => x.status !== 'success').map((x) => x.status)).toEqual([]);
		},
		180_000,
	);
	it(
		'checks a busy SKU at once and then once more after the minute, so a raise among many changes is still corrected',
		async () => {
			const { items, locations } = sandbox.catalog()!;
			const l1 = locations[0].id;
			const location = `gid://shopify/Location/${l1}`;
			const truth = await readTruth(sandbox);
			// Not one of the two SKUs the test before re-checked.
			const taken = items.slice(3).filter((i) => atp(truth, i.sku, [l1]) >= 3).slice(0, 2).map((i) => i.sku);
			const g = items.slice(3).reverse().find((i) => !taken.includes(i.sku) && atp(truth, i.sku, [l1]) >= 4)!.sku;
			const allowed = atp(truth, g, [l1]);
			const readsOf = () => skuReads().filter((r) => r.query.SearchBy === g).length;
			const levelOf = () => shopifyLevels(sandbox).find((l) => l.sku === g && l.legacyLocationId === l1)!.quantities.available;
			expect(readsOf()).toBe(0);

			// A sale: checked at once.
			await merchantSetsShopify(sandbox, g, location, allowed - 1);
			await waitUntil(() => readsOf() === 1, 60_000, () => `no ShipBob read of ${g} after its first change\n${n8n.logTail(30)}`);
			// Inside the same minute: another sale, then a merchant's raise above what ShipBob allows.
			const burst = Date.now();
			await merchantSetsShopify(sandbox, g, location, allowed - 2);
			await merchantSetsShopify(sandbox, g, location, allowed + 6);

			await waitUntil(
				() => levelOf() === allowed,
				200_000,
				() => `Shopify still shows ${levelOf()} of ${g} where ShipBob allows ${allowed}; ShipBob reads of it: ${readsOf()}\n${n8n.logTail(30)}`,
			);
			// The raise was corrected by the one re-check the minute's changes waited for, not at once.
			expect(Date.now() - burst).toBeGreaterThanOrEqual(60_000);
			await waitUntil(async () => (await n8n.executions(workflowId)).every((x) => !['running', 'waiting', 'new'].includes(x.status)), 60_000, () => 'executions still running or waiting');
			await new Promise((r) => setTimeout(r, 3_000));
			expect(readsOf()).toBe(2);
			expect(levelOf()).toBe(allowed);
			const executions = await n8n.executions(workflowId);
			expect(executions.filter((x) => x.status !== 'success').map((x) => x.status)).toEqual([]);
		},
		360_000,
	);
});
