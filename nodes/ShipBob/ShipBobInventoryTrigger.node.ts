import { createHash } from 'node:crypto';

import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

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
 * fingerprints in the workflow's static data.
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
		for (const row of rows) {
			const key = `${row.inventoryId}@${row.locationId}`;
			next[key] = fingerprint(row);
			if (previous && previous[key] !== next[key]) changed.push(row);
		}
		if (!manual) {
			data.scope = scope;
			data.levels = next;
		}
		const bySku = this.getNodeParameter('emit', 'rows') === 'sku';
		let out: ShipBobStockRow[];
		if (previous) {
			// A channel fed by several centers is computed from all of them, not from the one that moved.
			const skus = bySku ? new Set(changed.map((r) => r.inventoryId)) : undefined;
			out = skus ? rows.filter((r) => skus.has(r.inventoryId)) : changed;
		} else {
			// The first poll only learns where stock stands; a manual run shows a sample of it.
			out = manual ? rows.slice(0, 10) : [];
		}
		return out.length ? [this.helpers.returnJsonArray(out as IDataObject[])] : null;
	}
}
