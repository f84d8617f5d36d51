import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPairedItemData,
} from 'n8n-workflow';

import {
	allocationFrom,
	reconcile,
	renderDriftReport,
	type Allocation,
	type BundleComponent,
	type ChannelRow,
	type LocationMapping,
	type ReconcileRules,
	type TruthRow,
} from '../shared/core/reconcile';
import { properties } from './description';

/**
 * Decides what each sales channel should show from what the source of truth holds: available
 * to sell per channel location, allocation, bundles, tolerance, conflicts and stale snapshots.
 * Outputs the writes to make, what is already right, what needs a person, and a drift report.
 * Like Compare Datasets it takes all items of both inputs at once.
 */
export class InventoryReconcile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Inventory Reconcile',
		name: 'inventoryReconcile',
		icon: { light: 'file:inventoryReconcile.svg', dark: 'file:inventoryReconcile.dark.svg' },
		group: ['transform'],
		version: 1,
		description: 'Compute available-to-sell per channel and plan the stock corrections',
		defaults: { name: 'Inventory Reconcile' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: ['Truth', 'Channels'],
		requiredInputs: 1,
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Adjustments', 'In Sync', 'Exceptions', 'Summary'],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const truthItems = inputItems(this, 0);
		const channelItems = inputItems(this, 1);
		const p = <T>(name: string, fallback: T): T => this.getNodeParameter(name, 0, fallback) as T;
		const f = {
			sku: p('skuField', 'sku'),
			location: p('locationField', 'locationId'),
			onHand: p('onHandField', 'quantities.onHand'),
			committed: p('committedField', 'quantities.committed'),
			reserved: p('reservedField', 'quantities.reserved'),
			asOf: p('asOfField', 'asOf'),
			safety: p('safetyStockField', 'safetyStock'),
			channel: p('channelField', 'channel'),
			current: p('currentField', 'quantities.available'),
			updatedAt: p('updatedAtField', 'updatedAt'),
			components: p('componentsField', 'components'),
			allocation: p('allocationField', 'allocation'),
			tolerance: p('toleranceField', 'tolerance'),
			conflictPolicy: p('conflictPolicyField', 'conflictPolicy'),
		};
		const reader = (path: string) => pathReader(path);
		const r = {
			sku: reader(f.sku),
			location: reader(f.location),
			onHand: quantityReader(f.onHand),
			committed: quantityReader(f.committed),
			reserved: quantityReader(f.reserved),
			asOf: reader(f.asOf),
			safety: reader(f.safety),
			channel: reader(f.channel),
			current: quantityReader(f.current),
			updatedAt: reader(f.updatedAt),
			components: reader(f.components),
			allocation: reader(f.allocation),
			tolerance: reader(f.tolerance),
			conflictPolicy: reader(f.conflictPolicy),
		};
		const truth: TruthRow[] = new Array(truthItems.length);
		for (let index = 0; index < truthItems.length; index++) {
			const json = truthItems[index].json;
			truth[index] = {
				index,
				sku: r.sku(json),
				locationId: r.location(json),
				onHand: r.onHand(json),
				committed: r.committed(json),
				reserved: r.reserved(json),
				safetyStock: r.safety(json),
				asOf: r.asOf(json),
			};
		}
		const passthroughFields = splitList(p('passThroughFields', 'inventoryItemId, correlationId, listingId, offerId, itemId'));
		const channels: ChannelRow[] = new Array(channelItems.length);
		for (let index = 0; index < channelItems.length; index++) {
			const json = channelItems[index].json;
			let passthrough: IDataObject | undefined;
			for (const name of passthroughFields) {
				if (json[name] !== undefined) (passthrough ??= {})[name] = json[name];
			}
			channels[index] = {
				index,
				channel: r.channel(json),
				sku: r.sku(json),
				locationId: r.location(json),
				current: r.current(json),
				updatedAt: r.updatedAt(json),
				asOf: r.asOf(json),
				allocation: r.allocation(json),
				safetyStock: r.safety(json),
				tolerance: r.tolerance(json),
				conflictPolicy: r.conflictPolicy(json),
				components: components(r.components(json)),
				passthrough,
			};
		}
		const now = Date.now();
		const rules: ReconcileRules = {
			now,
			safetyStock: p('safetyStock', 0),
			allocation: allocationParameter(this, 'Allocation', p('allocationMode', 'all'), p('allocationValue', 100)),
			channelAllocation: channelAllocations(this, p('channelAllocations', {} as IDataObject)),
			tolerance: p('tolerance', 0),
			conflictPolicy: p('conflictPolicy', 'truthWins') as ReconcileRules['conflictPolicy'],
			staleAfterMinutes: p('staleAfterMinutes', 0),
			locationMappings: [
				...mappings(p('locationMappings', {} as IDataObject)),
				...mappingsJson(this, p('locationMappingsJson', '[]' as unknown)),
			],
			bundles: bundles(this, p('bundlesJson', '{}' as unknown)),
			reportUnlisted: p('reportUnlisted', true),
		};
		const plan = reconcile(truth, channels, rules);

		const pair = (truthIndexes: readonly number[], channelIndex: number): IPairedItemData[] => {
			const out: IPairedItemData[] = new Array(truthIndexes.length + 1);
			for (let i = 0; i < truthIndexes.length; i++) out[i] = { item: truthIndexes[i], input: 0 };
			out[truthIndexes.length] = { item: channelIndex, input: 1 };
			return out;
		};
		const adjustments: INodeExecutionData[] = plan.adjustments.map((a) => ({
			json: {
				// The item's own ids first, so nothing it carries can overwrite the plan's numbers.
				...(a.passthrough as IDataObject | undefined),
				channel: a.channel,
				sku: a.sku,
				locationId: a.locationId,
				target: a.target,
				current: a.current,
				delta: a.delta,
				reason: a.reason,
				idempotencyKey: a.idempotencyKey,
				atp: a.atp,
				truthLocationIds: a.truthLocationIds as string[],
			},
			pairedItem: pair(a.truthIndexes, a.channelIndex),
		}));
		const inSync: INodeExecutionData[] = plan.inSync.map((s) => ({
			json: { ...(s.passthrough as IDataObject | undefined), channel: s.channel, sku: s.sku, locationId: s.locationId, target: s.target, current: s.current },
			pairedItem: pair(s.truthIndexes, s.channelIndex),
		}));
		const exceptions: INodeExecutionData[] = plan.exceptions.map((e) => ({
			json: { ...e } as unknown as IDataObject,
			pairedItem: { item: e.index, input: e.side === 'truth' ? 0 : 1 },
		}));
		const title = p('reportTitle', 'Inventory drift report');
		const html = renderDriftReport(plan, { generatedAt: new Date(now), title });
		const binary = await this.helpers.prepareBinaryData(Buffer.from(html, 'utf8'), 'drift-report.html', 'text/html');
		// A summary stands for every input item, as n8n's own aggregating nodes do.
		const allPairs: IPairedItemData[] = [];
		for (let item = 0; item < truthItems.length; item++) allPairs.push({ item, input: 0 });
		for (let item = 0; item < channelItems.length; item++) allPairs.push({ item, input: 1 });
		const summary: INodeExecutionData = {
			json: { ...(plan.summary as unknown as IDataObject), generatedAt: new Date(now).toISOString() },
			binary: { data: binary },
			pairedItem: allPairs.length > 0 ? allPairs : { item: 0 },
		};
		return [adjustments, inSync, exceptions, [summary]];
	}
}

/** An input's items; an unconnected or empty input is no items (only the truth input is required). */
function inputItems(ctx: IExecuteFunctions, index: number): INodeExecutionData[] {
	try {
		return ctx.getInputData(index) ?? [];
	} catch {
		return [];
	}
}

/** A reader for a dot path, split once rather than per item. */
function pathReader(path: string): (json: IDataObject) => unknown {
	const parts = (path ?? '').split('.').filter((s) => s !== '');
	if (parts.length === 0) return () => undefined;
	if (parts.length === 1) {
		const [name] = parts;
		return (json) => json[name];
	}
	return (json) => {
		let value: unknown = json;
		for (const part of parts) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as IDataObject)[part];
		}
		return value;
	};
}

/** Like `pathReader`, but `quantities.onHand` also finds a flat `onHand`, for rows from other tools. */
function quantityReader(path: string): (json: IDataObject) => unknown {
	const nested = pathReader(path);
	const last = (path ?? '').split('.').pop() ?? '';
	return (json) => {
		const value = nested(json);
		return value !== undefined ? value : json[last];
	};
}

function splitList(raw: unknown): string[] {
	return String(raw ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

function allocationParameter(ctx: IExecuteFunctions, label: string, mode: string, value: unknown): Allocation {
	const parsed = allocationFrom(mode === 'all' ? 'all' : { mode, value });
	if (typeof parsed === 'string') {
		throw new NodeOperationError(ctx.getNode(), `${label}: ${parsed}`, { description: 'Fix the allocation value in the node parameters' });
	}
	return parsed;
}

function channelAllocations(ctx: IExecuteFunctions, raw: IDataObject): Record<string, Allocation> {
	const out: Record<string, Allocation> = {};
	for (const entry of (raw.channel as IDataObject[] | undefined) ?? []) {
		const name = String(entry.channel ?? '').trim();
		if (!name) throw new NodeOperationError(ctx.getNode(), 'A per-channel allocation has no channel name', { description: 'Fill in the channel as the channel rows name it, e.g. shopify' });
		out[name] = allocationParameter(ctx, `Per-channel allocation for ${name}`, String(entry.mode ?? 'all'), entry.value ?? 100);
	}
	return out;
}

function mappings(raw: IDataObject): LocationMapping[] {
	return ((raw.mapping as IDataObject[] | undefined) ?? []).map((m) => ({
		channel: String(m.channel ?? '').trim(),
		channelLocationId: String(m.channelLocationId ?? '').trim(),
		truthLocationIds: splitList(m.truthLocationIds),
	}));
}

const MAPPING_EXAMPLE = '[{"channel": "shopify", "channelLocationId": "gid://shopify/Location/1", "truthLocationIds": ["WH-EAST", "WH-WEST"]}]';

function mappingsJson(ctx: IExecuteFunctions, raw: unknown): LocationMapping[] {
	const parsed = parseJson(ctx, raw, 'The location mapping JSON is not valid JSON', MAPPING_EXAMPLE);
	if (parsed === undefined) return [];
	if (!Array.isArray(parsed)) throw new NodeOperationError(ctx.getNode(), 'The location mapping JSON must be a list', { description: `Write it like ${MAPPING_EXAMPLE}` });
	return parsed.map((m, i) => {
		const o = (m ?? {}) as IDataObject;
		const ids = Array.isArray(o.truthLocationIds) ? o.truthLocationIds.map((s) => String(s).trim()) : splitList(o.truthLocationIds);
		if (!o.channel || !o.channelLocationId || ids.length === 0) {
			throw new NodeOperationError(ctx.getNode(), `Location mapping ${i} in the JSON needs channel, channelLocationId and truthLocationIds`, { description: `Write it like ${MAPPING_EXAMPLE}` });
		}
		return { channel: String(o.channel).trim(), channelLocationId: String(o.channelLocationId).trim(), truthLocationIds: ids };
	});
}

function components(raw: unknown): BundleComponent[] | undefined {
	if (!Array.isArray(raw)) return undefined;
	return raw.map((c) => ({ sku: String((c as IDataObject)?.sku ?? ''), quantity: Number((c as IDataObject)?.quantity ?? 0) }));
}

const BUNDLE_EXAMPLE = '{"GIFT-SET": [{"sku": "MUG", "quantity": 2}, {"sku": "TEA", "quantity": 1}]}';

function bundles(ctx: IExecuteFunctions, raw: unknown): Record<string, BundleComponent[]> | undefined {
	const parsed = parseJson(ctx, raw, 'The bundle definitions are not valid JSON', BUNDLE_EXAMPLE);
	if (parsed === undefined) return undefined;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), 'The bundle definitions must be an object of bundle SKU → components', { description: `Write them like ${BUNDLE_EXAMPLE}` });
	}
	const out: Record<string, BundleComponent[]> = {};
	for (const [sku, list] of Object.entries(parsed as IDataObject)) {
		const parts = components(list);
		if (!parts) throw new NodeOperationError(ctx.getNode(), `Bundle ${sku} must list its components`, { description: `Write them like ${BUNDLE_EXAMPLE}` });
		out[sku] = parts;
	}
	return out;
}

/** A JSON parameter as n8n gives it (text, or already parsed); undefined when empty. */
function parseJson(ctx: IExecuteFunctions, raw: unknown, invalid: string, example: string): unknown {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw !== 'string') return raw;
	const text = raw.trim();
	if (text === '' || text === '{}' || text === '[]') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw new NodeOperationError(ctx.getNode(), invalid, { description: `Write it like ${example}` });
	}
}
