import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toQuantity } from '../../../shared/core/domain/stock';
import { scopedIdempotencyKey } from '../../../shared/core/idempotency/key';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { BatchOperation, BatchResult, ItemContext } from '../../../shared/n8n/router';
import { INVENTORY_ADJUST_QUANTITIES, INVENTORY_ADJUST_QUANTITIES_IDEMPOTENT } from '../../graphql/documents';
import { MUTATION_COST } from '../../graphql/cost';
import { supportsChangeFrom } from '../../transport';
import { chunk, shopifyClient, shopifyGraphql, type UserError } from '../common';
import { gidField, stockTargetFields } from '../fields';
import { resolveInventoryItemIds } from './levels';

export const description: INodeProperties[] = displayFor('inventory', 'adjustQuantities', [
	...stockTargetFields,
	{
		displayName: 'Delta',
		name: 'delta',
		type: 'string',
		default: '={{ $json.delta }}',
		required: true,
		description: 'Whole number to add (negative to remove)',
	},
	{
		displayName: 'Quantity Name',
		name: 'quantityName',
		type: 'options',
		options: [
			{ name: 'Available', value: 'available' },
			{ name: 'Damaged', value: 'damaged' },
			{ name: 'Incoming', value: 'incoming' },
			{ name: 'Quality Control', value: 'quality_control' },
			{ name: 'Reserved', value: 'reserved' },
			{ name: 'Safety Stock', value: 'safety_stock' },
		],
		default: 'available',
	},
	{
		displayName: 'Ledger Document URI',
		name: 'ledgerDocumentUri',
		type: 'string',
		default: '',
		description: 'Required by Shopify for every name except Available (and forbidden for Available)',
		displayOptions: { hide: { quantityName: ['available'] } },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'options',
		options: [
			{ name: 'Correction', value: 'correction' },
			{ name: 'Damaged', value: 'damaged' },
			{ name: 'Other', value: 'other' },
			{ name: 'Received', value: 'received' },
			{ name: 'Restock', value: 'restock' },
			{ name: 'Shrinkage', value: 'shrinkage' },
		],
		default: 'correction',
	},
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '={{ $json.idempotencyKey }}',
		description:
			'Identifies this adjustment so a retry never applies it twice (2026-01+). Empty: derived from the adjustment’s content, so two identical adjustments in one run count once.',
	},
	dryRunField,
	correlationIdField,
]);

interface Planned {
	ctx: ItemContext;
	sku?: string;
	inventoryItemId?: string;
	locationId: string;
	delta: number;
	key?: string;
}

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/inventoryAdjustQuantities
export const operation: BatchOperation = {
	kind: 'batch',
	correlation: true,
	async execute(this: IExecuteFunctions, items): Promise<BatchResult[]> {
		const results: BatchResult[] = [];
		const name = this.getNodeParameter('quantityName', 0, 'available') as string;
		const reason = this.getNodeParameter('reason', 0, 'correction') as string;
		const ledgerDocumentUri = name === 'available' ? undefined : ((this.getNodeParameter('ledgerDocumentUri', 0, '') as string) || undefined);
		if (name !== 'available' && !ledgerDocumentUri) {
			throw new InputError(`Shopify requires a ledger document URI to adjust "${name}"`, 'ledgerDocumentUri', 'Set "Ledger Document URI", e.g. commerce-sync://adjustment/123');
		}
		const planned: Planned[] = [];
		for (const ctx of items) {
			try {
				const i = ctx.index;
				const rawId = this.getNodeParameter('inventoryItemId', i, '') as unknown;
				const sku = String(this.getNodeParameter('sku', i, '') ?? '').trim() || undefined;
				if ((rawId === '' || rawId == null) && !sku) throw new InputError('The item has neither a SKU nor an inventory item ID', 'sku', 'Map "SKU" or "Inventory Item ID"');
				const delta = toQuantity(this.getNodeParameter('delta', i, '') as unknown, 'delta', true);
				if (delta === 0) throw new InputError('The delta is 0, so there is nothing to adjust', 'delta', 'Filter out zero deltas before this node');
				const key = String(this.getNodeParameter('idempotencyKey', i, '') ?? '').trim() || undefined;
				planned.push({
					ctx,
					sku,
					inventoryItemId: rawId === '' || rawId == null ? undefined : gidField('InventoryItem', rawId, 'inventoryItemId'),
					locationId: gidField('Location', this.getNodeParameter('locationId', i, '') as unknown, 'locationId'),
					delta,
					key,
				});
			} catch (error) {
				results.push({ index: ctx.index, error });
			}
		}
		results.push(...(await resolveInventoryItemIds(this, planned)));
		const ready = planned.filter((p) => p.inventoryItemId);
		const { credentials } = await shopifyClient(this);
		const idempotent = supportsChangeFrom(credentials.apiVersion || '2026-04');
		const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;
		for (const batch of chunk(ready, 250)) {
			const input: IDataObject = {
				name,
				reason,
				changes: batch.map((p) => ({
					inventoryItemId: p.inventoryItemId,
					locationId: p.locationId,
					delta: p.delta,
					...(ledgerDocumentUri ? { ledgerDocumentUri } : {}),
				})),
			};
			const key = scopedIdempotencyKey('shopify:inventoryAdjustQuantities', { input, keys: batch.map((p) => p.key ?? null) });
			if (dryRun) {
				for (const p of batch) results.push({ index: p.ctx.index, json: { ...rowOf(p, name), status: 'dryRun', request: { mutation: 'inventoryAdjustQuantities', input, idempotencyKey: idempotent ? key : undefined } } });
				continue;
			}
			try {
				const data = await shopifyGraphql<{ inventoryAdjustQuantities: { inventoryAdjustmentGroup: { changes: Array<{ delta: number; quantityAfterChange: number | null; item: { id: string }; location: { id: string } }> } | null; userErrors: UserError[] } }>(this, {
					query: idempotent ? INVENTORY_ADJUST_QUANTITIES_IDEMPOTENT : INVENTORY_ADJUST_QUANTITIES,
					variables: idempotent ? { input, idempotencyKey: key } : { input },
					cost: MUTATION_COST,
					// Deltas are only safe to resend when Shopify dedupes them by key.
					idempotencyKey: idempotent ? key : undefined,
				});
				const payload = data.inventoryAdjustQuantities;
				if ((payload.userErrors ?? []).length > 0) {
					const e = payload.userErrors[0];
					for (const p of batch) results.push({ index: p.ctx.index, error: new InputError(`Shopify refused the adjustment${e.code ? ` (${e.code})` : ''}: ${e.message}`, (e.field ?? []).slice(-1)[0], 'Fix the value named in the message and run the items again') });
					continue;
				}
				const changes = payload.inventoryAdjustmentGroup?.changes ?? [];
				for (const p of batch) {
					const c = changes.find((x) => x.item.id === p.inventoryItemId && x.location.id === p.locationId);
					results.push({ index: p.ctx.index, json: { ...rowOf(p, name), status: 'adjusted', quantityAfterChange: c?.quantityAfterChange ?? null } });
				}
			} catch (error) {
				for (const p of batch) results.push({ index: p.ctx.index, error });
			}
		}
		return results;
	},
};

function rowOf(p: Planned, name: string): IDataObject {
	return { sku: p.sku, inventoryItemId: p.inventoryItemId, locationId: p.locationId, quantityName: name, delta: p.delta };
}
