/**
 * Product upsert with "Find Existing Product By: Variant SKU": a catalog synced from a PIM does not
 * know the handles Shopify products were created with, only their SKUs.
 */
import type { IDataObject } from 'n8n-workflow';

import { shopifySandbox } from './helpers';

interface Product {
	id: string;
	handle: string;
	title: string;
	variants: Array<{ id: string; sku: string; price: string }>;
}

describe('Shopify product upsert matched by variant SKU', () => {
	let s: Awaited<ReturnType<typeof shopifySandbox>>;
	const products = () => (s.sandbox.state('shopify') as { products: Product[] }).products;
	const withSku = (sku: string) => products().filter((p) => p.variants.some((v) => v.sku === sku));

	beforeAll(async () => {
		s = await shopifySandbox({ seed: 'match-by-sku', skus: 6, locations: 1 });
	});
	afterAll(async () => {
		await s.close();
	});
	beforeEach(() => s.reset());

	const field = (name: string) => (_i: number, item: { json: IDataObject }) => item.json[name];
	const upsert = (json: IDataObject, matchBy: 'handle' | 'sku') =>
		s.run(
			{
				resource: 'product',
				operation: 'upsert',
				handle: field('handle'),
				matchBy,
				title: field('title'),
				descriptionHtml: '',
				vendor: '',
				productType: '',
				status: 'ACTIVE',
				variants: field('variants'),
				optionName: 'Title',
				allowDeletingVariants: false,
				dryRun: false,
				correlationId: '',
			},
			[json],
			{ continueOnFail: true },
		);

	it('updates the product that holds the SKU in place, keeping its handle', async () => {
		const [seeded] = products();
		const sku = seeded.variants[0].sku;
		const out = await upsert({ handle: sku.toLowerCase(), title: 'Renamed in the PIM', variants: [{ sku, price: '42.00' }] }, 'sku');
		expect(out[0].json).toMatchObject({ status: 'updated', handle: seeded.handle, title: 'Renamed in the PIM' });
		const now = withSku(sku);
		expect(now).toHaveLength(1);
		expect(now[0]).toMatchObject({ id: seeded.id, handle: seeded.handle, title: 'Renamed in the PIM' });
		expect(now[0].variants).toEqual([expect.objectContaining({ id: seeded.variants[0].id, sku, price: '42.00' })]);
	});

	it('by handle, the same item creates a second product with that SKU (why SKU matching exists)', async () => {
		const [seeded] = products();
		const sku = seeded.variants[0].sku;
		const out = await upsert({ handle: sku.toLowerCase(), title: 'Renamed in the PIM', variants: [{ sku, price: '42.00' }] }, 'handle');
		expect(out[0].json).toMatchObject({ status: 'created', handle: sku.toLowerCase() });
		expect(withSku(sku)).toHaveLength(2);
	});

	it('creates a product under the given handle when no product holds the SKU', async () => {
		const out = await upsert({ handle: 'brand-new', title: 'Brand New', variants: [{ sku: 'NEW-SKU-1', price: '5.00' }] }, 'sku');
		expect(out[0].json).toMatchObject({ status: 'created', handle: 'brand-new' });
		expect(withSku('NEW-SKU-1').map((p) => p.handle)).toEqual(['brand-new']);
	});

	it('refuses variants whose SKUs sit on different products, naming them', async () => {
		const [a, b] = products();
		const before = products().length;
		const out = await upsert(
			{ handle: 'merged', title: 'Merged', variants: [{ sku: a.variants[0].sku, price: '1.00', option: 'A' }, { sku: b.variants[0].sku, price: '1.00', option: 'B' }] },
			'sku',
		);
		expect(out[0].json.error).toMatchObject({ field: 'variants', message: expect.stringContaining(a.handle) });
		expect(products()).toHaveLength(before);
	});
});
