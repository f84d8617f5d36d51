import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CommerceError } from '../../../shared/core/http/errors';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { BatchOperation, BatchResult, ItemContext } from '../../../shared/n8n/router';
import { collectionBody, parseCollectionResponse, skuOf, toProductLine, type AkeneoProduct } from '../../mappers/products';
import { COLLECTION_CONTENT_TYPE, COLLECTION_MAX } from '../../transport';
import { akeneoClient } from '../common';

export const description: INodeProperties[] = displayFor('product', 'upsert', [
	{
		displayName: 'Product (JSON)',
		name: 'product',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		description: 'An Akeneo product: {"sku": "TEE-S", "family": "clothing", "categories": [...], "values": {"name": [{"locale": "en_US", "scope": null, "data": "Tee"}]}}. Without "uuid" one is derived from the SKU, so a repeat updates the same product.',
	},
	dryRunField,
	correlationIdField,
]);

interface Planned {
	ctx: ItemContext;
	line: AkeneoProduct;
}

// API: https://api.akeneo.com/api-reference.html#patch_products_uuid
export const operation: BatchOperation = {
	kind: 'batch',
	correlation: true,
	async execute(this: IExecuteFunctions, items): Promise<BatchResult[]> {
		const results: BatchResult[] = [];
		const lastFor = new Map<string, Planned>();
		const planned: Planned[] = [];
		for (const ctx of items) {
			try {
				const line = toProductLine(this.getNodeParameter('product', ctx.index, ctx.item.json));
				const earlier = lastFor.get(line.uuid);
				if (earlier) {
					results.push({ index: earlier.ctx.index, error: new InputError(`Item ${earlier.ctx.index} and item ${ctx.index} both write product ${line.uuid}; only the later one is sent`, 'product', 'Send one item per product') });
				}
				const p = { ctx, line };
				lastFor.set(line.uuid, p);
				planned.push(p);
			} catch (error) {
				results.push({ index: ctx.index, error });
			}
		}
		const ready = planned.filter((p) => lastFor.get(p.line.uuid) === p);
		if (ready.length === 0) return results;
		const batches: Planned[][] = [];
		for (let i = 0; i < ready.length; i += COLLECTION_MAX) batches.push(ready.slice(i, i + COLLECTION_MAX));
		const path = '/api/rest/v1/products-uuid';
		const headers = { 'Content-Type': COLLECTION_CONTENT_TYPE };
		if (this.getNodeParameter('dryRun', 0, false) as boolean) {
			for (const batch of batches) {
				const request = { method: 'PATCH', path, headers, body: collectionBody(batch.map((p) => p.line)) };
				for (const p of batch) results.push({ index: p.ctx.index, json: { uuid: p.line.uuid, sku: skuOf(p.line), status: 'dryRun', request } });
			}
			return results;
		}
		const { client } = await akeneoClient(this);
		const signal = this.getExecutionCancelSignal?.();
		for (const batch of batches) {
			try {
				const correlation = [...new Set(batch.map((p) => p.ctx.correlationId).filter(Boolean))].join(',');
				const response = await client.request<unknown>({
					method: 'PATCH',
					path,
					headers: { ...headers, ...(correlation ? { 'X-Correlation-Id': correlation.slice(0, 1000) } : {}) },
					body: collectionBody(batch.map((p) => p.line)),
					// Every line sets absolute values on a product named by uuid: a repeat changes nothing.
					absoluteSet: true,
					signal,
				});
				const byLine = new Map(parseCollectionResponse(response.body).map((r) => [r.line, r]));
				batch.forEach((p, i) => {
					const r = byLine.get(i + 1);
					const base = { uuid: p.line.uuid, sku: skuOf(p.line) };
					if (r && (r.status_code === 201 || r.status_code === 204)) {
						results.push({ index: p.ctx.index, json: { ...base, status: r.status_code === 201 ? 'created' : 'updated', statusCode: r.status_code } });
						return;
					}
					const detail = r?.errors?.[0] as { attribute?: string; property?: string; message?: string } | undefined;
					results.push({
						index: p.ctx.index,
						error: new CommerceError({
							kind: 'validation',
							system: 'akeneo',
							status: r?.status_code,
							retryable: false,
							body: r ? { ...r } : undefined,
							message: r
								? `Akeneo refused product ${base.sku ?? base.uuid}: ${r.message ?? 'no reason given'}${detail?.message ? ` (${detail.attribute ?? detail.property}: ${detail.message})` : ''}`
								: `Akeneo answered without a line for product ${base.sku ?? base.uuid}`,
							hint: 'Fix the property or value named in the message (the family, categories and attributes must exist in the PIM) and send the item again',
						}),
					});
				});
			} catch (error) {
				for (const p of batch) results.push({ index: p.ctx.index, error });
			}
		}
		return results;
	},
};
