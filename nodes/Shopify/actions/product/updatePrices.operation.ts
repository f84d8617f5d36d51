import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { scopedIdempotencyKey } from '../../../shared/core/idempotency/key';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { BatchOperation, BatchResult, ItemContext } from '../../../shared/n8n/router';
import { PRODUCT_VARIANTS_BULK_UPDATE, VARIANTS_BY_SKU } from '../../graphql/documents';
import { MUTATION_COST, cost } from '../../graphql/cost';
import { chunk, searchValue, shopifyCollect, shopifyGraphql, type UserError } from '../common';

export const description: INodeProperties[] = displayFor('product', 'updatePrices', [
	{ displayName: 'SKU', name: 'sku', type: 'string', default: '={{ $json.sku }}', required: true },
	{ displayName: 'Price', name: 'price', type: 'string', default: '={{ $json.price }}', required: true, description: 'New price as a decimal amount, e.g. 19.99' },
	{
		displayName: 'Compare-at Price',
		name: 'compareAtPrice',
		type: 'string',
		default: '',
		description: 'Optional "was" price; empty leaves it unchanged',
	},
	dryRunField,
	correlationIdField,
]);

interface Planned {
	ctx: ItemContext;
	sku: string;
	price: string;
	compareAtPrice?: string;
	variantId?: string;
	productId?: string;
}

const DECIMAL = /^\d+(\.\d{1,4})?$/;

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/productVariantsBulkUpdate
export const operation: BatchOperation = {
	kind: 'batch',
	correlation: true,
	async execute(this: IExecuteFunctions, items): Promise<BatchResult[]> {
		const results: BatchResult[] = [];
		const planned: Planned[] = [];
		for (const ctx of items) {
			try {
				const sku = String(this.getNodeParameter('sku', ctx.index, '') ?? '').trim();
				if (!sku) throw new InputError('The item has no SKU', 'sku', 'Map "SKU" to a field of the item');
				const price = String(this.getNodeParameter('price', ctx.index, '') ?? '').trim();
				if (!DECIMAL.test(price)) throw new InputError(`Price "${price}" is not a decimal amount`, 'price', 'Use a plain amount like 19.99');
				const compare = String(this.getNodeParameter('compareAtPrice', ctx.index, '') ?? '').trim();
				if (compare && !DECIMAL.test(compare)) throw new InputError(`Compare-at price "${compare}" is not a decimal amount`, 'compareAtPrice', 'Use a plain amount like 24.99, or leave it empty');
				planned.push({ ctx, sku, price, compareAtPrice: compare || undefined });
			} catch (error) {
				results.push({ index: ctx.index, error });
			}
		}
		for (const batch of chunk(planned, 100)) {
			const variants = await shopifyCollect<{ id: string; sku: string | null; product: { id: string } }>(this, {
				query: VARIANTS_BY_SKU,
				variables: { query: batch.map((p) => `sku:${searchValue(p.sku)}`).join(' OR ') },
				connection: 'productVariants',
				pageSize: 250,
				costOf: cost.variantsBySku,
			});
			for (const p of batch) {
				const matches = variants.filter((v) => v.sku === p.sku);
				if (matches.length === 1) {
					p.variantId = matches[0].id;
					p.productId = matches[0].product.id;
				} else {
					results.push({
						index: p.ctx.index,
						error: new InputError(
							matches.length ? `SKU "${p.sku}" is on ${matches.length} variants in Shopify` : `Shopify has no variant with SKU "${p.sku}"`,
							'sku',
							matches.length ? 'Give each variant a unique SKU in Shopify' : 'Check the SKU (it is case-sensitive)',
						),
					});
				}
			}
		}
		const byProduct = new Map<string, Planned[]>();
		for (const p of planned.filter((x) => x.variantId)) byProduct.set(p.productId as string, [...(byProduct.get(p.productId as string) ?? []), p]);
		const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;
		for (const [productId, list] of byProduct) {
			const variants = list.map((p) => ({ id: p.variantId, price: p.price, ...(p.compareAtPrice ? { compareAtPrice: p.compareAtPrice } : {}) }));
			if (dryRun) {
				for (const p of list) results.push({ index: p.ctx.index, json: { ...rowOf(p), status: 'dryRun', request: { mutation: 'productVariantsBulkUpdate', productId, variants } } });
				continue;
			}
			try {
				const data = await shopifyGraphql<{ productVariantsBulkUpdate: { userErrors: UserError[] } }>(this, {
					query: PRODUCT_VARIANTS_BULK_UPDATE,
					variables: { productId, variants },
					cost: MUTATION_COST,
					absoluteSet: true,
					idempotencyKey: scopedIdempotencyKey('shopify:productVariantsBulkUpdate', { productId, variants }),
				});
				const errors = data.productVariantsBulkUpdate.userErrors ?? [];
				// `field` is ["variants", "<index>", ...] for one variant; anything else concerns all.
				const general = errors.find((e) => (e.field ?? [])[0] !== 'variants');
				list.forEach((p, i) => {
					const e = errors.find((x) => (x.field ?? [])[0] === 'variants' && Number((x.field ?? [])[1]) === i) ?? general;
					if (e) results.push({ index: p.ctx.index, error: new InputError(`Shopify refused the price for "${p.sku}"${e.code ? ` (${e.code})` : ''}: ${e.message}`, 'price', 'Fix the value named in the message') });
					else results.push({ index: p.ctx.index, json: { ...rowOf(p), status: 'updated' } });
				});
			} catch (error) {
				for (const p of list) results.push({ index: p.ctx.index, error });
			}
		}
		return results;
	},
};

function rowOf(p: Planned): IDataObject {
	return { sku: p.sku, variantId: p.variantId, productId: p.productId, price: p.price, compareAtPrice: p.compareAtPrice ?? null };
}
