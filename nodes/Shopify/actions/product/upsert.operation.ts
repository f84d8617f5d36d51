import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { scopedIdempotencyKey } from '../../../shared/core/idempotency/key';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { ItemOperation } from '../../../shared/n8n/router';
import { PRODUCT_BY_HANDLE, PRODUCT_SET, VARIANTS_BY_SKU } from '../../graphql/documents';
import { MUTATION_COST, cost } from '../../graphql/cost';
import { productToRow, type ShopifyProduct } from '../../mappers/product';
import { searchValue, shopifyCollect, shopifyGraphql, type UserError } from '../common';

const VARIANTS = 250;

export const description: INodeProperties[] = displayFor('product', 'upsert', [
	{
		displayName: 'Handle',
		name: 'handle',
		type: 'string',
		default: '={{ $json.handle }}',
		required: true,
		description: 'The product’s URL handle: the product with this handle is updated, or created if none exists',
	},
	{
		displayName: 'Find Existing Product By',
		name: 'matchBy',
		type: 'options',
		options: [
			{ name: 'Handle', value: 'handle', description: 'The product with this handle is updated' },
			{
				name: 'Variant SKU',
				value: 'sku',
				description:
					'The product that already holds one of the variants’ SKUs is updated and keeps its own handle; the handle above is only used to create a product',
			},
		],
		default: 'handle',
		description:
			'How to recognise a product that exists already. Choose Variant SKU when the products were not created with these handles (for example a catalog synced from a PIM).',
	},
	{ displayName: 'Title', name: 'title', type: 'string', default: '={{ $json.title }}', required: true },
	{ displayName: 'Description (HTML)', name: 'descriptionHtml', type: 'string', default: '={{ $json.description ?? "" }}' },
	{ displayName: 'Vendor', name: 'vendor', type: 'string', default: '' },
	{ displayName: 'Product Type', name: 'productType', type: 'string', default: '' },
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Active', value: 'ACTIVE' },
			{ name: 'Archived', value: 'ARCHIVED' },
			{ name: 'Draft', value: 'DRAFT' },
		],
		default: 'ACTIVE',
	},
	{
		displayName: 'Variants (JSON)',
		name: 'variants',
		type: 'json',
		default: '={{ $json.variants }}',
		description:
			'A list of variants: [{"sku": "TEE-S", "price": "19.99", "option": "S"}]. CAREFUL: Shopify replaces the whole list, so variants left out are DELETED from the product. Guarded by "Allow Deleting Variants".',
	},
	{ displayName: 'Option Name', name: 'optionName', type: 'string', default: 'Title', description: 'Name of the option the variants differ by (e.g. Size)' },
	{
		displayName: 'Allow Deleting Variants',
		name: 'allowDeletingVariants',
		type: 'boolean',
		default: false,
		description:
			'Whether variants that exist in Shopify but are missing from the list may be deleted. Off: such an item fails instead, naming the SKUs that would be lost.',
	},
	dryRunField,
	correlationIdField,
]);

interface VariantIn {
	sku: string;
	price?: string;
	compareAtPrice?: string | null;
	barcode?: string;
	option?: string;
}

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/productSet
export const operation: ItemOperation = {
	correlation: true,
	async execute(this: IExecuteFunctions, { index }) {
		const handle = String(this.getNodeParameter('handle', index, '') ?? '').trim();
		if (!handle) throw new InputError('The item has no product handle', 'handle', 'Map "Handle" to the product’s handle');
		const title = String(this.getNodeParameter('title', index, '') ?? '').trim();
		if (!title) throw new InputError('The item has no product title', 'title', 'Map "Title" to a field of the item');
		const variants = readVariants(this.getNodeParameter('variants', index, []) as unknown);
		const optionName = (this.getNodeParameter('optionName', index, 'Title') as string) || 'Title';
		const matchBy = this.getNodeParameter('matchBy', index, 'handle') as 'handle' | 'sku';
		// A product found by SKU keeps its handle: renaming it would break its storefront URL.
		const target = matchBy === 'sku' ? ((await handleOfSkus(this, variants.map((v) => v.sku))) ?? handle) : handle;
		const existing = (
			await shopifyGraphql<{ productByHandle: ShopifyProduct | null }>(this, {
				query: PRODUCT_BY_HANDLE,
				variables: { handle: target, variants: VARIANTS },
				cost: cost.productByHandle(VARIANTS),
			})
		).productByHandle;
		const existingSkus = (existing?.variants?.nodes ?? []).map((v) => v.sku ?? '').filter((s) => s);
		const lost = existingSkus.filter((s) => !variants.some((v) => v.sku === s));
		if (existing && lost.length > 0 && !this.getNodeParameter('allowDeletingVariants', index, false)) {
			throw new InputError(
				`Upserting "${target}" would delete ${lost.length} variant(s) that are not in the list: ${lost.slice(0, 10).join(', ')}`,
				'variants',
				'Include every variant, or turn on "Allow Deleting Variants" if removing them is intended',
			);
		}
		const input: IDataObject = {
			handle: target,
			title,
			descriptionHtml: (this.getNodeParameter('descriptionHtml', index, '') as string) || undefined,
			vendor: (this.getNodeParameter('vendor', index, '') as string) || undefined,
			productType: (this.getNodeParameter('productType', index, '') as string) || undefined,
			status: this.getNodeParameter('status', index, 'ACTIVE'),
			productOptions: [{ name: optionName, values: variants.map((v, i) => ({ name: v.option ?? (variants.length === 1 ? 'Default Title' : v.sku ?? String(i)) })) }],
			variants: variants.map((v, i) => {
				const existingVariant = existing?.variants?.nodes.find((e) => e.sku === v.sku);
				return {
					...(existingVariant ? { id: existingVariant.id } : {}),
					sku: v.sku,
					price: v.price,
					compareAtPrice: v.compareAtPrice ?? null,
					barcode: v.barcode,
					optionValues: [{ optionName, name: v.option ?? (variants.length === 1 ? 'Default Title' : v.sku ?? String(i)) }],
				};
			}),
		};
		if (existing) input.id = existing.id;
		for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
		if (this.getNodeParameter('dryRun', index, false)) {
			return { status: 'dryRun', handle: target, action: existing ? 'update' : 'create', request: { mutation: 'productSet', input }, variantsDeleted: lost };
		}
		const data = await shopifyGraphql<{ productSet: { product: ShopifyProduct | null; userErrors: UserError[] } }>(this, {
			query: PRODUCT_SET,
			variables: { input, variants: VARIANTS },
			cost: MUTATION_COST,
			// productSet declares the whole product: sending it twice yields the same product.
			absoluteSet: true,
			idempotencyKey: scopedIdempotencyKey('shopify:productSet', input),
		});
		const errors = data.productSet.userErrors ?? [];
		if (errors.length > 0 || !data.productSet.product) {
			const e = errors[0];
			throw new InputError(`Shopify refused the product "${target}"${e?.code ? ` (${e.code})` : ''}: ${e?.message ?? 'no product returned'}`, (e?.field ?? []).join('.'), 'Fix the field named in the message');
		}
		return { status: existing ? 'updated' : 'created', ...productToRow(data.productSet.product), variantsDeleted: lost };
	},
};

/**
 * The handle of the one product holding any of these SKUs, or undefined when none does. SKUs
 * spread over several products cannot be upserted as one product, so that fails naming them.
 */
async function handleOfSkus(ctx: IExecuteFunctions, skus: string[]): Promise<string | undefined> {
	const wanted = new Set(skus);
	const found = await shopifyCollect<{ sku: string | null; product: { id: string; handle: string } }>(ctx, {
		query: VARIANTS_BY_SKU,
		variables: { query: skus.map((sku) => `sku:${searchValue(sku)}`).join(' OR ') },
		connection: 'productVariants',
		// The limiter charges the requested cost up front: a page sized for the SKUs asked for
		// (plus a few loose search matches) keeps one upsert from holding most of the bucket.
		pageSize: Math.min(250, skus.length + 10),
		costOf: cost.variantsBySku,
	});
	// Shopify's search also matches prefixes and words: only exact SKUs count.
	const handles = [...new Set(found.filter((v) => v.sku !== null && wanted.has(v.sku)).map((v) => v.product.handle))];
	if (handles.length > 1) {
		throw new InputError(
			`The SKUs ${skus.slice(0, 10).join(', ')} are spread over ${handles.length} Shopify products (${handles.slice(0, 5).join(', ')})`,
			'variants',
			'Send one item per Shopify product, or merge the products in Shopify first',
		);
	}
	return handles[0];
}

function readVariants(raw: unknown): VariantIn[] {
	let value = raw;
	if (typeof value === 'string') {
		try {
			value = value.trim() === '' ? [] : JSON.parse(value);
		} catch {
			throw new InputError('"Variants" is not valid JSON', 'variants', 'Give a list like [{"sku": "TEE-S", "price": "19.99"}]');
		}
	}
	if (!Array.isArray(value) || value.length === 0) {
		throw new InputError('"Variants" must be a non-empty list', 'variants', 'Give at least one variant with a SKU and a price');
	}
	const skus = new Set<string>();
	return value.map((v, i) => {
		const row = v as IDataObject;
		const sku = typeof row.sku === 'string' ? row.sku.trim() : '';
		if (!sku) throw new InputError(`Variant ${i} has no SKU`, `variants[${i}].sku`, 'Give every variant a SKU');
		if (skus.has(sku)) throw new InputError(`SKU "${sku}" appears twice in the variants`, `variants[${i}].sku`, 'Give each variant its own SKU');
		skus.add(sku);
		const price = row.price === undefined || row.price === null ? undefined : String(row.price);
		if (price !== undefined && !/^\d+(\.\d{1,4})?$/.test(price)) {
			throw new InputError(`Variant "${sku}" has price ${JSON.stringify(row.price)}, which is not a decimal amount`, `variants[${i}].price`, 'Use a plain amount like 19.99');
		}
		return {
			sku,
			price,
			compareAtPrice: row.compareAtPrice === undefined || row.compareAtPrice === null ? null : String(row.compareAtPrice),
			barcode: typeof row.barcode === 'string' ? row.barcode : undefined,
			option: typeof row.option === 'string' && row.option.trim() ? row.option.trim() : undefined,
		};
	});
}
