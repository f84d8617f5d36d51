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
		const truthItems = this.getInputData(0) ?? [];
		const channelItems = this.getInputData(1) ?? [];
		const p = (name: string, fallback: unknown) => this.getNodeParameter(name, 0, fallback);
		const f = {
			sku: p('skuField', 'sku') as string,
			location: p('locationField', 'locationId') as string,
			onHand: p('onHandField', 'quantities.onHand') as string,
			committed: p('committedField', 'quantities.committed') as string,
			reserved: p('reservedField', 'quantities.reserved') as string,
			asOf: p('asOfField', 'asOf') as string,
			safety: p('safetyStockField', 'safetyStock') as string,
			channel: p('channelField', 'channel') as string,
			current: p('currentField', 'quantities.available') as string,
			updatedAt: p('updatedAtField', 'updatedAt') as string,
			components: p('componentsField', 'components') as string,
		};
		const truth: TruthRow[] = truthItems.map((item, index) => ({
			index,
			sku: read(item.json, f.sku),
			locationId: read(item.json, f.location),
			onHand: readQuantity(item.json, f.onHand),
			committed: readQuantity(item.json, f.committed),
			reserved: readQuantity(item.json, f.reserved),
			safetyStock: read(item.json, f.safety),
			asOf: time(read(item.json, f.asOf)),
		}));
		const passthroughFields = ['inventoryItemId', 'correlationId', 'listingId', 'offerId'];
		const channels: ChannelRow[] = channelItems.map((item, index) => {
			const json = item.json;
			const passthrough: IDataObject = {};
			for (const name of passthroughFields) if (json[name] !== undefined) passthrough[name] = json[name];
			return {
				index,
				channel: read(json, f.channel),
				sku: read(json, f.sku),
				locationId: read(json, f.location),
				current: readQuantity(json, f.current),
				updatedAt: time(read(json, f.updatedAt)),
				allocation: rowAllocation(json.allocation),
				components: components(read(json, f.components)),
				passthrough,
			};
		});
		const rules: ReconcileRules = {
			now: Date.now(),
			safetyStock: p('safetyStock', 0) as number,
			allocation: allocationOf(p('allocationMode', 'all') as string, p('allocationValue', 100) as number),
			channelAllocation: channelAllocations(this, p('channelAllocations', {}) as IDataObject),
			tolerance: p('tolerance', 0) as number,
			conflictPolicy: p('conflictPolicy', 'truthWins') as ReconcileRules['conflictPolicy'],
			staleAfterMinutes: p('staleAfterMinutes', 0) as number,
			locationMappings: mappings(p('locationMappings', {}) as IDataObject),
			bundles: bundles(this, p('bundlesJson', '') as string),
			reportUnlisted: p('reportUnlisted', true) as boolean,
		};
		const plan = reconcile(truth, channels, rules);
		const pair = (truthIndexes: number[], channelIndex: number): IPairedItemData[] => [
			...truthIndexes.map((item) => ({ item, input: 0 })),
			{ item: channelIndex, input: 1 },
		];
		const adjustments = plan.adjustments.map((a) => ({
			json: {
				channel: a.channel,
				sku: a.sku,
				locationId: a.locationId,
				target: a.target,
				current: a.current,
				delta: a.delta,
				reason: a.reason,
				idempotencyKey: a.idempotencyKey,
				atp: a.atp,
				truthLocationIds: a.truthLocationIds,
				...(a.passthrough as IDataObject),
			},
			pairedItem: pair(a.truthIndexes, a.channelIndex),
		}));
		const inSync = plan.inSync.map((s) => ({
			json: { channel: s.channel, sku: s.sku, locationId: s.locationId, target: s.target, current: s.current },
			pairedItem: pair(s.truthIndexes, s.channelIndex),
		}));
		const exceptions = plan.exceptions.map((e) => ({
			json: { ...e } as unknown as IDataObject,
			pairedItem: { item: e.index, input: e.side === 'truth' ? 0 : 1 },
		}));
		const html = renderDriftReport(plan, { generatedAt: new Date(rules.now), title: p('reportTitle', 'Inventory drift report') as string });
		const binary = await this.helpers.prepareBinaryData(Buffer.from(html, 'utf8'), 'drift-report.html', 'text/html');
		const allPairs: IPairedItemData[] = [
			...truthItems.map((_i, item) => ({ item, input: 0 })),
			...channelItems.map((_i, item) => ({ item, input: 1 })),
		];
		const summary: INodeExecutionData = {
			json: { ...(plan.summary as unknown as IDataObject), generatedAt: new Date(rules.now).toISOString() },
			binary: { report: binary },
			pairedItem: allPairs.length > 0 ? allPairs : { item: 0 },
		};
		return [adjustments, inSync, exceptions, [summary]];
	}
}

/** Reads a dot path; `quantities.onHand` also finds a flat `onHand` for rows from other tools. */
function read(json: IDataObject, path: string): unknown {
	if (!path) return undefined;
	let value: unknown = json;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[part];
	}
	return value;
}

function readQuantity(json: IDataObject, path: string): unknown {
	const value = read(json, path);
	if (value !== undefined) return value;
	const last = path.split('.').pop() as string;
	return json[last];
}

function time(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') {
		const t = Date.parse(value);
		return Number.isNaN(t) ? undefined : t;
	}
	return undefined;
}

function allocationOf(mode: string, value: number): Allocation {
	switch (mode) {
		case 'share':
			return { mode: 'share', percent: value };
		case 'cap':
			return { mode: 'cap', max: value };
		case 'floor':
			return { mode: 'floor', min: value };
		default:
			return { mode: 'all' };
	}
}

/** A per-row override: `{ "mode": "share", "value": 50 }` or "all". */
function rowAllocation(raw: unknown): Allocation | undefined {
	if (raw === 'all') return { mode: 'all' };
	if (!raw || typeof raw !== 'object') return undefined;
	const r = raw as IDataObject;
	if (typeof r.mode !== 'string') return undefined;
	return allocationOf(r.mode, Number(r.value ?? r.percent ?? r.max ?? r.min ?? 0));
}

function channelAllocations(ctx: IExecuteFunctions, raw: IDataObject): Record<string, Allocation> {
	const out: Record<string, Allocation> = {};
	for (const entry of (raw.channel as IDataObject[] | undefined) ?? []) {
		const name = String(entry.channel ?? '').trim();
		if (!name) throw new NodeOperationError(ctx.getNode(), 'A channel allocation has no channel name', { description: 'Fill in the channel, e.g. shopify' });
		out[name] = allocationOf(String(entry.mode ?? 'all'), Number(entry.value ?? 100));
	}
	return out;
}

function mappings(raw: IDataObject): LocationMapping[] {
	return ((raw.mapping as IDataObject[] | undefined) ?? []).map((m) => ({
		channel: String(m.channel ?? '').trim(),
		channelLocationId: String(m.channelLocationId ?? '').trim(),
		truthLocationIds: String(m.truthLocationIds ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter((s) => s),
	}));
}

function components(raw: unknown): BundleComponent[] | undefined {
	if (!Array.isArray(raw)) return undefined;
	return raw.map((c) => ({ sku: String((c as IDataObject)?.sku ?? ''), quantity: Number((c as IDataObject)?.quantity ?? 0) }));
}

function bundles(ctx: IExecuteFunctions, raw: string): Record<string, BundleComponent[]> | undefined {
	if (!raw || raw.trim() === '' || raw.trim() === '{}') return undefined;
	let parsed: unknown;
	try {
		parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
	} catch {
		throw new NodeOperationError(ctx.getNode(), 'The bundle definitions are not valid JSON', {
			description: 'Write them like {"GIFT-SET": [{"sku": "MUG", "quantity": 2}, {"sku": "TEA", "quantity": 1}]}',
		});
	}
	const out: Record<string, BundleComponent[]> = {};
	for (const [sku, list] of Object.entries(parsed as IDataObject)) out[sku] = components(list) ?? [];
	return out;
}
