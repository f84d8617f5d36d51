import { createHash } from 'node:crypto';

import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { owedResends, type Owed } from '../shared/core/resilience/resend';
import { systemClient } from '../shared/n8n/system';
import { pagedItems } from './actions/common';
import { stockRowsFromInventoryLevel, type ShipBobStockRow } from './mappers';
import { fulfillmentCenterLocator, searchFulfillmentCenters } from './methods';
import { shipBobDefinition } from './transport';

/** A short fingerprint of the quantities of one SKU at one centre. */
function fingerprint(row: ShipBobStockRow): string {
	const q = row.quantities;
	return createHash('sha1')
		.update(`${q.onHand}|${q.committed}|${q.available}|${q.incoming}|${row.internalTransfer}`)
		.digest('base64')
		.slice(0, 10);
}

/**
 * Polls ShipBob inventory per fulfillment center and emits the stock rows that changed since
 * the last poll (ShipBob has no inventory webhook). The last seen quantities are kept as short
 * fingerprints in the workflow's static data, with the re-sends still owed for recent changes.
 * API: https://developer.shipbob.com/2026-01/api/inventory/get-inventory-levels-by-location
 */
export class ShipBobInventoryTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ShipBob 3PL Inventory (Commerce Sync) Trigger',
		name: 'shipBobInventoryTrigger',
		icon: { light: 'file:shipBob.svg', dark: 'file:shipBob.dark.svg' },
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow when stock changes at a ShipBob fulfillment center',
		defaults: { name: 'ShipBob 3PL Inventory Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shipBobApi', required: true }],
		properties: [
			fulfillmentCenterLocator('locationId', 'Only watch this center. Empty watches every center.'),
			{
				displayName: 'Emit',
				name: 'emit',
				type: 'options',
				options: [
					{
						name: 'Changed Rows',
						value: 'rows',
						description: 'Only the SKU-and-center pairs whose stock changed',
					},
					{
						name: 'Every Center of a Changed SKU',
						value: 'sku',
						description:
							'All watched centers of each SKU whose stock changed anywhere: the SKU’s whole stock, which Inventory Reconcile needs for channels that sell from several centers',
					},
				],
				default: 'rows',
			},
			{
				displayName: 'Send Changes Again',
				name: 'resend',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				description:
					'A change is sent again on later polls, so a run that died before it finished (a worker restarted, n8n stopped) loses nothing. Downstream writes only what still differs.',
				options: [
					{
						displayName: 'Times',
						name: 'times',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 10 },
						default: 2,
						description: 'How many more times each change is sent. 0 sends it once only.',
					},
					{
						displayName: 'First After (Minutes)',
						name: 'afterMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 2,
						description: 'When the first re-send goes out; each later one waits twice as long',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchFulfillmentCenters } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const picked = this.getNodeParameter('locationId', '', { extractValue: true }) as unknown;
		const locationId = String(picked ?? '').trim();
		const { fetchPage, profile } = await systemClient(this, shipBobDefinition);
		const items = await pagedItems(
			fetchPage,
			profile.baseUrl,
			'/inventory-level/locations',
			{ PageSize: '250', LocationId: locationId || undefined },
			undefined,
		);
		const asOf = new Date().toISOString();
		const rows = items
			.flatMap((item) => stockRowsFromInventoryLevel(item, asOf))
			.filter((r) => !locationId || r.locationId === locationId);
		const data = this.getWorkflowStaticData('node');
		const manual = this.getMode() === 'manual';
		const scope = `${profile.baseUrl}|${locationId}`;
		const previous =
			data.scope === scope && data.levels && typeof data.levels === 'object'
				? (data.levels as Record<string, string>)
				: undefined;
		const next: Record<string, string> = {};
		const changed: ShipBobStockRow[] = [];
		const rowKey = (row: ShipBobStockRow) => `${row.inventoryId}@${row.locationId}`;
		for (const row of rows) {
			const key = rowKey(row);
			next[key] = fingerprint(row);
			if (previous && previous[key] !== next[key]) changed.push(row);
		}
		const bySku = this.getNodeParameter('emit', 'rows') === 'sku';
		// A channel fed by several centers is computed from all of them, not from the one that moved.
		const keyOf = bySku ? (row: ShipBobStockRow) => row.inventoryId : rowKey;
		if (!previous) {
			if (!manual) Object.assign(data, { scope, levels: next, owed: {} });
			// The first poll only learns where stock stands; a manual run shows a sample of it.
			return manual && rows.length ? [this.helpers.returnJsonArray(rows.slice(0, 10) as unknown as IDataObject[])] : null;
		}
		const sent = new Set(changed.map(keyOf));
		const resend = this.getNodeParameter('resend', {}) as { times?: number; afterMinutes?: number };
		const times = Math.max(0, Math.floor(resend.times ?? 2));
		const afterMs = Math.max(1, resend.afterMinutes ?? 2) * 60_000;
		const owed = data.owed && typeof data.owed === 'object' && !manual ? (data.owed as Record<string, Owed>) : {};
		const now = Date.now();
		for (const key of owedResends(owed, now, sent)) sent.add(key);
		if (times > 0) for (const row of changed) owed[keyOf(row)] = [now + afterMs, times, afterMs];
		if (!manual) Object.assign(data, { scope, levels: next, owed });
		const out = rows.filter((r) => sent.has(keyOf(r)));
		return out.length ? [this.helpers.returnJsonArray(out as unknown as IDataObject[])] : null;
	}
}
