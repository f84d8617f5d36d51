import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toQuantity } from '../../../shared/core/domain/stock';
import { scopedIdempotencyKey } from '../../../shared/core/idempotency/key';
import { correlationIdField, displayFor, dryRunField } from '../../../shared/n8n/descriptions';
import { InputError } from '../../../shared/n8n/errors';
import type { BatchOperation, BatchResult, ItemContext } from '../../../shared/n8n/router';
import { INVENTORY_SET_QUANTITIES, INVENTORY_SET_QUANTITIES_IDEMPOTENT } from '../../graphql/documents';
import { MUTATION_COST } from '../../graphql/cost';
import { supportsChangeFrom } from '../../transport';
import { chunk, shopifyClient, shopifyGraphql, type UserError } from '../common';
import { gidField, stockTargetFields } from '../fields';
import { itemsById, resolveInventoryItemIds } from './levels';

/** Shopify accepts at most 250 quantities per inventorySetQuantities call. */
export const MAX_PER_MUTATION = 250;

const STALE = new Set(['CHANGE_FROM_QUANTITY_STALE', 'COMPARE_QUANTITY_STALE']);

export const description: INodeProperties[] = displayFor('inventory', 'setQuantities', [
	...stockTargetFields,
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'string',
		default: '={{ $json.target }}',
		required: true,
		description: 'The absolute quantity Shopify should show (a whole number, not negative)',
	},
	{
		displayName: 'Quantity Name',
		name: 'quantityName',
		type: 'options',
		options: [
			{ name: 'Available', value: 'available' },
			{ name: 'On Hand', value: 'on_hand' },
		],
		default: 'available',
	},
	{
		displayName: 'Compare and Set',
		name: 'compareAndSet',
		type: 'boolean',
		default: true,
		description:
			'Whether to write only if Shopify still shows the expected current quantity. A stale value is never overwritten: the item comes out with status "conflict" and Shopify’s current value, so a reconcile step can decide.',
	},
	{
		displayName: 'Expected Current Quantity',
		name: 'expectedQuantity',
		type: 'string',
		default: '={{ $json.current }}',
		description: 'What Shopify should show right now (from the read or reconcile step)',
		displayOptions: { show: { compareAndSet: [true] } },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'options',
		options: [
			{ name: 'Correction', value: 'correction' },
			{ name: 'Cycle Count', value: 'cycle_count_available' },
			{ name: 'Damaged', value: 'damaged' },
			{ name: 'Other', value: 'other' },
			{ name: 'Received', value: 'received' },
			{ name: 'Restock', value: 'restock' },
			{ name: 'Shrinkage', value: 'shrinkage' },
		],
		default: 'correction',
	},
	{
		displayName: 'Reference Document URI',
		name: 'referenceDocumentUri',
		type: 'string',
		default: '',
		placeholder: 'e.g. commerce-sync://reconcile/2026-11-27',
		description: 'Free-form URI recorded with the change for audit',
	},
	dryRunField,
	correlationIdField,
]);

interface Planned {
	ctx: ItemContext;
	sku?: string;
	inventoryItemId?: string;
	locationId: string;
	quantity: number;
	expected?: number;
}

// API: https://shopify.dev/docs/api/admin-graphql/latest/mutations/inventorySetQuantities
export const operation: BatchOperation = {
	kind: 'batch',
	correlation: true,
	async execute(this: IExecuteFunctions, items): Promise<BatchResult[]> {
		const results: BatchResult[] = [];
		const planned: Planned[] = [];
		const compare = this.getNodeParameter('compareAndSet', 0, true) as boolean;
		for (const ctx of items) {
			try {
				planned.push(plan(this, ctx, compare));
			} catch (error) {
				results.push({ index: ctx.index, error });
			}
		}
		results.push(...(await resolveInventoryItemIds(this, planned)));
		const ready = dedupe(planned.filter((p) => p.inventoryItemId), results);

		const { credentials } = await shopifyClient(this);
		const version = credentials.apiVersion || '2026-04';
		const name = this.getNodeParameter('quantityName', 0, 'available') as string;
		const reason = this.getNodeParameter('reason', 0, 'correction') as string;
		const referenceDocumentUri = (this.getNodeParameter('referenceDocumentUri', 0, '') as string) || undefined;
		const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;

		for (const batch of chunk(ready, MAX_PER_MUTATION)) {
			let pending = batch;
			// Each round either writes everything left or removes at least one item (stale or invalid).
			for (let round = 0; pending.length > 0 && round <= batch.length; round++) {
				const input = buildInput(pending, { name, reason, referenceDocumentUri, compare, version });
				const idempotent = supportsChangeFrom(version);
				const key = scopedIdempotencyKey('shopify:inventorySetQuantities', input);
				if (dryRun) {
					for (const p of pending) {
						results.push({ index: p.ctx.index, json: { ...row(p, name), status: 'dryRun', request: { mutation: 'inventorySetQuantities', input, idempotencyKey: idempotent ? key : undefined } } });
					}
					break;
				}
				const data = await shopifyGraphql<{
					inventorySetQuantities: {
						inventoryAdjustmentGroup: { changes: Array<{ name: string; delta: number; quantityAfterChange: number | null; item: { id: string }; location: { id: string } }> } | null;
						userErrors: UserError[];
					};
				}>(this, {
					query: idempotent ? INVENTORY_SET_QUANTITIES_IDEMPOTENT : INVENTORY_SET_QUANTITIES,
					variables: idempotent ? { input, idempotencyKey: key } : { input },
					cost: MUTATION_COST,
					idempotencyKey: idempotent ? key : undefined,
					// An absolute set is harmless to repeat; with compare-and-set a repeat is refused as stale.
					absoluteSet: true,
				});
				const payload = data.inventorySetQuantities;
				const errors = payload.userErrors ?? [];
				if (errors.length === 0) {
					for (const p of pending) results.push({ index: p.ctx.index, json: { ...row(p, name), status: 'set', ...changeOf(payload.inventoryAdjustmentGroup?.changes ?? [], p, name) } });
					break;
				}
				const failed = indexedErrors(errors, pending.length);
				if (failed.size === 0) {
					// Not tied to one quantity: the whole call was refused.
					for (const p of pending) results.push({ index: p.ctx.index, error: userErrorFailure(errors[0]) });
					break;
				}
				const stale = [...failed].filter(([, e]) => STALE.has(e.code ?? '')).map(([i]) => pending[i]);
				for (const [i, e] of failed) if (!STALE.has(e.code ?? '')) results.push({ index: pending[i].ctx.index, error: userErrorFailure(e) });
				if (stale.length > 0) results.push(...(await conflicts(this, stale, name)));
				pending = pending.filter((_p, i) => !failed.has(i));
			}
		}
		return results;
	},
};

function plan(ctx: IExecuteFunctions, item: ItemContext, compare: boolean): Planned {
	const i = item.index;
	const rawItemId = ctx.getNodeParameter('inventoryItemId', i, '') as unknown;
	const sku = String(ctx.getNodeParameter('sku', i, '') ?? '').trim() || undefined;
	const inventoryItemId = rawItemId !== '' && rawItemId !== undefined && rawItemId !== null
		? gidField('InventoryItem', rawItemId, 'inventoryItemId')
		: undefined;
	if (!inventoryItemId && !sku) {
		throw new InputError('The item has neither a SKU nor an inventory item ID', 'sku', 'Map "SKU" or "Inventory Item ID" to a field of the item');
	}
	const locationRaw = ctx.getNodeParameter('locationId', i, '') as unknown;
	if (locationRaw === '' || locationRaw === undefined || locationRaw === null) {
		throw new InputError('The item has no location ID', 'locationId', 'Map "Location ID" to the Shopify location of the item');
	}
	const locationId = gidField('Location', locationRaw, 'locationId');
	const quantity = toQuantity(ctx.getNodeParameter('quantity', i, '') as unknown, 'quantity');
	let expected: number | undefined;
	if (compare) {
		const raw = ctx.getNodeParameter('expectedQuantity', i, '') as unknown;
		if (raw === '' || raw === undefined || raw === null) {
			throw new InputError(
				'Compare and Set is on but the item has no expected current quantity',
				'expectedQuantity',
				'Map "Expected Current Quantity" to the value read from Shopify, or turn Compare and Set off',
			);
		}
		expected = toQuantity(raw, 'expectedQuantity', true);
	}
	return { ctx: item, sku, inventoryItemId, locationId, quantity, expected };
}

/** The same item+location twice in one run would be refused as a whole; keep the last. */
function dedupe(planned: Planned[], results: BatchResult[]): Planned[] {
	const last = new Map<string, Planned>();
	for (const p of planned) {
		const key = `${p.inventoryItemId}|${p.locationId}`;
		const earlier = last.get(key);
		if (earlier) {
			results.push({
				index: earlier.ctx.index,
				error: new InputError(
					`Item ${earlier.ctx.index} and item ${p.ctx.index} both set ${p.sku ?? p.inventoryItemId} at ${p.locationId}; only the later one is sent`,
					'locationId',
					'Send one target per SKU and location',
				),
			});
		}
		last.set(key, p);
	}
	return planned.filter((p) => last.get(`${p.inventoryItemId}|${p.locationId}`) === p);
}

function buildInput(
	pending: Planned[],
	o: { name: string; reason: string; referenceDocumentUri?: string; compare: boolean; version: string },
): IDataObject {
	const changeFrom = supportsChangeFrom(o.version);
	const quantities = pending.map((p) => {
		const q: IDataObject = { inventoryItemId: p.inventoryItemId, locationId: p.locationId, quantity: p.quantity };
		if (changeFrom) q.changeFromQuantity = o.compare ? (p.expected as number) : null;
		else if (o.compare) q.compareQuantity = p.expected as number;
		return q;
	});
	const input: IDataObject = { name: o.name, reason: o.reason, quantities };
	if (o.referenceDocumentUri) input.referenceDocumentUri = o.referenceDocumentUri;
	if (!changeFrom && !o.compare) input.ignoreCompareQuantity = true;
	return input;
}

/** userErrors whose field path names one quantity: `["input","quantities","3",...]`. */
function indexedErrors(errors: UserError[], count: number): Map<number, UserError> {
	const out = new Map<number, UserError>();
	for (const e of errors) {
		const field = e.field ?? [];
		const at = field.indexOf('quantities');
		const n = at >= 0 ? Number(field[at + 1]) : NaN;
		if (Number.isInteger(n) && n >= 0 && n < count && !out.has(n)) out.set(n, e);
	}
	return out;
}

function userErrorFailure(e: UserError): InputError {
	return new InputError(
		`Shopify refused the quantity${e.code ? ` (${e.code})` : ''}: ${e.message}`,
		(e.field ?? []).slice(-1)[0] ?? undefined,
		e.code === 'ITEM_NOT_STOCKED_AT_LOCATION'
			? 'Activate the item at that location in Shopify first'
			: 'Fix the value named in the message and run the item again',
	);
}

/** For stale items: read what Shopify shows now, and emit conflicts (or in-sync when equal). */
async function conflicts(ctx: IExecuteFunctions, stale: Planned[], name: string): Promise<BatchResult[]> {
	// 50 locations per item keeps one item well inside Shopify's per-query cost ceiling.
	const items = await itemsById(ctx, stale.map((p) => p.inventoryItemId as string), 50, [name]);
	const current = new Map<string, number | undefined>();
	for (const item of items) {
		for (const level of item.inventoryLevels?.nodes ?? []) {
			const q = level.quantities.find((x) => x.name === name);
			current.set(`${item.id}|${level.location.id}`, q?.quantity);
		}
	}
	return stale.map((p) => {
		const now = current.get(`${p.inventoryItemId}|${p.locationId}`);
		return {
			index: p.ctx.index,
			json: {
				...row(p, name),
				status: now === p.quantity ? 'inSync' : 'conflict',
				expected: p.expected,
				current: now ?? null,
				message:
					now === p.quantity
						? 'Shopify already shows the target quantity'
						: `Shopify shows ${now ?? 'nothing'} where ${p.expected} was expected; not overwritten`,
			},
		};
	});
}

function row(p: Planned, name: string): IDataObject {
	return {
		sku: p.sku,
		inventoryItemId: p.inventoryItemId,
		locationId: p.locationId,
		quantityName: name,
		target: p.quantity,
	};
}

function changeOf(
	changes: Array<{ name: string; delta: number; quantityAfterChange: number | null; item: { id: string }; location: { id: string } }>,
	p: Planned,
	name: string,
): IDataObject {
	const change = changes.find((c) => c.item.id === p.inventoryItemId && c.location.id === p.locationId && c.name === name);
	return { delta: change?.delta ?? 0, quantityAfterChange: change?.quantityAfterChange ?? p.quantity };
}
