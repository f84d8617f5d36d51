/**
 * Issue 8 in a real n8n 2.x against the sandbox: Akeneo products changed since a cursor are
 * mapped to channel products and upserted into Shopify (and only those), and an order upserts
 * one HubSpot contact and one deal, linked, however often its workflow runs.
 */
import { randomUUID } from 'node:crypto';

import { SANDBOX_CREDENTIALS } from '../../scripts/start-credentials';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { AKENEO_SANDBOX_ACCESS_TOKEN } from '../../sandbox/systems/akeneo';
import { startN8n, type N8nInstance } from './harness/n8n';
import { PKG, webhookChain } from './harness/workflow';
import { finishedExecutions, nodeOutputs } from './helpers/graph';
import { E2E_TIMEOUT } from './setup';

interface AkeneoValue {
	locale: string | null;
	scope: string | null;
	data: unknown;
}

interface AkeneoProduct {
	uuid: string;
	sku: string;
	values: Record<string, AkeneoValue[]>;
	/** Sandbox clock, ms. */
	updated: number;
}

interface ShopifyProduct {
	id: string;
	handle: string;
	title: string;
	status: string;
	variants: Array<{ id: string; sku: string; price: string }>;
}

interface HubSpotRecord {
	id: string;
	properties: Record<string, string>;
}

interface HubSpotState {
	contacts: HubSpotRecord[];
	deals: HubSpotRecord[];
	associations: string[];
	upsertCalls: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Shopify's handle for a SKU, written out here rather than taken from the mapper under test. */
const handleOf = (sku: string) =>
	sku
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');

describe('HubSpot and Akeneo in a real n8n 2.x against the sandbox', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	const creds: Record<string, Record<string, { id: string; name: string }>> = {};

	const akeneoProducts = () =>
		(sandbox.state('akeneo') as { products: AkeneoProduct[] }).products;
	const shopifyProducts = () =>
		(sandbox.state('shopify') as { products: ShopifyProduct[] }).products;
	const hubspot = () => sandbox.state('hubspot') as HubSpotState;

	beforeAll(async () => {
		sandbox = await startSandbox({
			systems: ['akeneo', 'shopify', 'hubspot'],
			seed: { seed: 'e2e-hubspot-akeneo', skus: 12, locations: 2 },
		});
		n8n = await startN8n({ major: 2 });
		for (const type of ['akeneoApi', 'shopifyAdminGraphqlApi', 'hubSpotPrivateAppApi']) {
			const entry = SANDBOX_CREDENTIALS[type];
			const name = `${entry.system} sandbox`;
			const data = entry.data({ url: (system) => sandbox.urlFor(system) });
			creds[type] = { [type]: { id: await n8n.createCredential(type, name, data), name } };
		}
	}, E2E_TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	}, 60_000);

	/** Changes products the way a PIM user would: through Akeneo's own collection PATCH. */
	const editInAkeneo = async (lines: Array<Record<string, unknown>>) => {
		const res = await fetch(`${sandbox.urlFor('akeneo')}/api/rest/v1/products-uuid`, {
			method: 'PATCH',
			headers: {
				authorization: `Bearer ${AKENEO_SANDBOX_ACCESS_TOKEN}`,
				'content-type': 'application/vnd.akeneo.collection+json',
				accept: 'application/json',
			},
			body: lines.map((l) => JSON.stringify(l)).join('\n'),
		});
		expect(res.status).toBe(200);
		const statuses = (await res.text())
			.split('\n')
			.filter((l) => l.trim())
			.map((l) => (JSON.parse(l) as { status_code: number }).status_code);
		expect(statuses).toEqual(lines.map(() => 204));
	};
	const renamed = (p: AkeneoProduct, name: string, usd: string) => ({
		uuid: p.uuid,
		values: {
			name: [{ locale: 'en_US', scope: null, data: name }],
			price: [
				{
					locale: null,
					scope: null,
					data: [
						{ amount: usd, currency: 'USD' },
						{ amount: '1.00', currency: 'EUR' },
					],
				},
			],
		},
	});
	/** What the mapping must produce, read straight from the PIM's values. */
	const expected = (p: AkeneoProduct) => {
		const title = p.values.name.find((v) => v.locale === 'en_US')!.data as string;
		const prices = p.values.price[0].data as Array<{ amount: string; currency: string }>;
		const usd = prices.find((x) => x.currency === 'USD')!.amount;
		return { handle: handleOf(p.sku), title, price: Number(usd).toFixed(2) };
	};

	it('Akeneo products updated since a cursor flow into a Shopify product upsert', async () => {
		// Seeded products were last updated one per hour back from the seed time; the cursor falls
		// between the newest and the second newest, so exactly one seeded product is after it.
		const byRecency = [...akeneoProducts()].sort((a, b) => b.updated - a.updated);
		const [newest, second] = byRecency;
		const cursor = new Date(second.updated + 30 * 60_000).toISOString();
		// Two older products are edited in the PIM now, after the cursor.
		const edited = [byRecency[4], byRecency[8]];
		await editInAkeneo([
			renamed(edited[0], 'Harbor Rain Shell (2026 edition)', '129.5'),
			renamed(edited[1], 'Summit Wool Beanie – refreshed', '24'),
		]);
		const selected = [newest, ...edited].map((p) => p.uuid);
		const pim = () => akeneoProducts().filter((p) => selected.includes(p.uuid));
		const leftOut = akeneoProducts().filter((p) => !selected.includes(p.uuid));
		expect(leftOut).toHaveLength(9);
		for (const p of leftOut) expect(p.updated).toBeLessThan(Date.parse(cursor));

		const shopifyBefore = shopifyProducts().length;
		const shopifySeq = sandbox.requests({ system: 'shopify' }).at(-1)?.seq ?? 0;
		const akeneoSeq = sandbox.requests({ system: 'akeneo' }).at(-1)?.seq ?? 0;

		const id = await n8n.createWorkflow(
			webhookChain('akeneo → shopify catalog', 'akeneo-shopify-catalog', [
				{
					name: 'Akeneo',
					type: `${PKG}.akeneoPim`,
					credentials: creds.akeneoApi,
					parameters: {
						resource: 'product',
						operation: 'getMany',
						updatedSince: '={{ $json.body.since }}',
						returnAll: true,
					},
				},
				{
					name: 'Map',
					type: `${PKG}.akeneoPim`,
					credentials: creds.akeneoApi,
					parameters: {
						resource: 'product',
						operation: 'map',
						locale: 'en_US',
						channel: 'ecommerce',
						currencies: 'USD',
					},
				},
				// Handle, title, description and variants are the upsert's defaults: the mapped
				// product goes in as it is, with no Code node in between.
				{
					name: 'Shopify',
					type: `${PKG}.shopifyAdmin`,
					credentials: creds.shopifyAdminGraphqlApi,
					parameters: { resource: 'product', operation: 'upsert' },
				},
			]),
		);
		await n8n.activate(id);

		type Upserted = {
			status: string;
			handle: string;
			title: string;
			variants: Array<{ sku: string; price: string }>;
		};
		const run1 = await n8n.postWebhook<Upserted[]>('akeneo-shopify-catalog', { since: cursor });
		expect(run1.status).toBe(200);
		const [execution1] = await finishedExecutions(n8n, id, 1);
		expect(execution1.status).toBe('success');

		// Akeneo was asked once, with the cursor as its "updated >" filter, and answered the three.
		const lists = sandbox
			.requests({ system: 'akeneo', sinceSeq: akeneoSeq })
			.filter((r) => r.operation === 'get_products_uuid');
		expect(lists).toHaveLength(1);
		expect(JSON.parse(String(lists[0].query.search))).toEqual({
			updated: [{ operator: '>', value: cursor.slice(0, 19).replace('T', ' ') }],
		});
		const [read] = nodeOutputs(execution1, 'Akeneo');
		expect(read.map((p) => p.uuid).sort()).toEqual([...selected].sort());

		// Exactly those three now exist in Shopify, created under the SKU's handle with the PIM's
		// en_US name and USD price; nothing else was added.
		const want = pim().map(expected);
		expect(run1.body.map((r) => r.status)).toEqual(['created', 'created', 'created']);
		expect(shopifyProducts()).toHaveLength(shopifyBefore + 3);
		for (const [i, p] of pim().entries()) {
			const found = shopifyProducts().filter((s) => s.handle === want[i].handle);
			expect(found).toHaveLength(1);
			expect(found[0]).toMatchObject({
				title: want[i].title,
				status: 'ACTIVE',
				variants: [{ sku: p.sku, price: want[i].price }],
			});
		}
		expect(want.map((w) => w.title)).toEqual(
			expect.arrayContaining([
				'Harbor Rain Shell (2026 edition)',
				'Summit Wool Beanie – refreshed',
			]),
		);
		expect(want.map((w) => w.price)).toEqual(expect.arrayContaining(['129.50', '24.00']));
		for (const p of leftOut) {
			expect(shopifyProducts().filter((s) => s.handle === handleOf(p.sku))).toEqual([]);
		}
		// Two GraphQL calls per product (read by handle, productSet), none for the left-out ones.
		expect(sandbox.requests({ system: 'shopify', sinceSeq: shopifySeq })).toHaveLength(6);

		// The next run starts from the newest `updated` the last one saw: only a product edited
		// after it is sent, and as an update of the Shopify product the first run created.
		const nextCursor = read
			.map((p) => String(p.updated))
			.sort()
			.at(-1)!;
		// Akeneo compares whole seconds: an edit in the cursor's own second is not "after" it.
		await sleep(1_100);
		const again = pim().find((p) => p.uuid === edited[1].uuid)!;
		await editInAkeneo([renamed(again, 'Summit Wool Beanie – refreshed', '26.9')]);
		const shopifyAfterRun1 = shopifyProducts().length;
		const run2 = await n8n.postWebhook<Upserted[]>('akeneo-shopify-catalog', {
			since: nextCursor,
		});
		expect(run2.status).toBe(200);
		const executions = await finishedExecutions(n8n, id, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		expect(run2.body).toHaveLength(1);
		expect(run2.body[0]).toMatchObject({
			status: 'updated',
			handle: handleOf(again.sku),
			variants: [{ sku: again.sku, price: '26.90' }],
		});
		expect(shopifyProducts()).toHaveLength(shopifyAfterRun1);
		expect(shopifyProducts().find((s) => s.handle === handleOf(again.sku))?.variants).toEqual([
			expect.objectContaining({ sku: again.sku, price: '26.90' }),
		]);
	}, 240_000);

	it('An order upserts a HubSpot contact and deal exactly once when run twice', async () => {
		const orderId = `e2e-order-${randomUUID()}`;
		// Mixed case on purpose: HubSpot matches contacts by email case-insensitively.
		const email = `Ada.Buyer+${randomUUID().slice(0, 8)}@Example.com`;
		const order = { orderId, email, firstName: 'Ada', lastName: 'Buyer', total: '149.90' };
		const webhook = "$('Webhook').item.json.body";
		const id = await n8n.createWorkflow(
			webhookChain(
				'order → hubspot contact and deal',
				'order-hubspot',
				[
					{
						name: 'Contact',
						type: `${PKG}.hubSpotCrm`,
						credentials: creds.hubSpotPrivateAppApi,
						parameters: {
							resource: 'contact',
							operation: 'upsert',
							idProperty: 'email',
							idValue: '={{ $json.body.email }}',
							recordProperties: [
								'={{ { firstname: $json.body.firstName, lastname: $json.body.lastName,',
								'lifecyclestage: "customer" } }}',
							].join(' '),
						},
					},
					{
						name: 'Deal',
						type: `${PKG}.hubSpotCrm`,
						credentials: creds.hubSpotPrivateAppApi,
						parameters: {
							resource: 'deal',
							operation: 'upsert',
							idProperty: 'order_id',
							idValue: `={{ ${webhook}.orderId }}`,
							recordProperties: [
								`={{ { dealname: "Order " + ${webhook}.orderId, amount: ${webhook}.total,`,
								'dealstage: "closedwon", pipeline: "default" } }}',
							].join(' '),
						},
					},
					{
						name: 'Link',
						type: `${PKG}.hubSpotCrm`,
						credentials: creds.hubSpotPrivateAppApi,
						parameters: {
							resource: 'deal',
							operation: 'associate',
							fromId: '={{ $json.id }}',
							toObject: 'contacts',
							toId: "={{ $('Contact').item.json.id }}",
						},
					},
				],
				'firstEntryJson',
			),
		);
		await n8n.activate(id);
		const contactsFor = () =>
			hubspot().contacts.filter((c) => c.properties.email === email.toLowerCase());
		const dealsFor = () => hubspot().deals.filter((d) => d.properties.order_id === orderId);
		const upsertsBefore = hubspot().upsertCalls;

		type Linked = { status: string; from: { id: string }; to: { id: string } };
		const run1 = await n8n.postWebhook<Linked>('order-hubspot', order);
		expect(run1.status).toBe(200);
		expect(run1.body.status).toBe('associated');
		const [first] = await finishedExecutions(n8n, id, 1);
		expect(first.status).toBe('success');
		for (const node of ['Contact', 'Deal']) {
			expect(nodeOutputs(first, node)[0]).toEqual([
				expect.objectContaining({ status: 'created' }),
			]);
		}

		const run2 = await n8n.postWebhook<Linked>('order-hubspot', order);
		expect(run2.status).toBe(200);
		expect(run2.body.status).toBe('associated');
		const executions = await finishedExecutions(n8n, id, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		// Newest first: the second run found both records and updated them.
		const second = executions[0];
		expect(second.id).not.toBe(first.id);
		const [contactRun2] = nodeOutputs(second, 'Contact');
		const [dealRun2] = nodeOutputs(second, 'Deal');
		expect(contactRun2).toEqual([expect.objectContaining({ status: 'updated' })]);
		expect(dealRun2).toEqual([expect.objectContaining({ status: 'updated' })]);

		const contacts = contactsFor();
		const deals = dealsFor();
		expect(contacts).toHaveLength(1);
		expect(deals).toHaveLength(1);
		expect(contacts[0].properties).toMatchObject({
			firstname: 'Ada',
			lastname: 'Buyer',
			lifecyclestage: 'customer',
		});
		expect(deals[0].properties).toMatchObject({
			dealname: `Order ${orderId}`,
			amount: '149.90',
			dealstage: 'closedwon',
		});
		// Both runs point at the same two records, linked once in each direction.
		for (const run of [run1, run2]) {
			expect(run.body.from.id).toBe(deals[0].id);
			expect(run.body.to.id).toBe(contacts[0].id);
		}
		expect(String(contactRun2[0].id)).toBe(contacts[0].id);
		expect(String(dealRun2[0].id)).toBe(deals[0].id);
		const links = hubspot().associations.filter(
			(a) => a.includes(`deals:${deals[0].id}>`) || a.includes(`>deals:${deals[0].id}`),
		);
		expect(links.sort()).toEqual([
			`contacts:${contacts[0].id}>deals:${deals[0].id}`,
			`deals:${deals[0].id}>contacts:${contacts[0].id}`,
		]);
		// One batch upsert per object per run.
		expect(hubspot().upsertCalls - upsertsBefore).toBe(4);
	}, 120_000);
});
