/**
 * createOrReplaceInventoryItem replaces the whole item: a catalog sync that sends only a title
 * and a description must not zero the stock or drop identifiers. "Keep Current Stock and
 * Details" reads the item first and keeps what the node does not set.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { EbaySellInventory } from '../../../nodes/Ebay/EbaySellInventory.node';
import { keepCurrentValues } from '../../../nodes/Ebay/mappers';
import { resetSessions } from '../../../nodes/shared/n8n/session';
import { resetSystemLimiters } from '../../../nodes/shared/n8n/system';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { EBAY_SANDBOX_ACCESS_TOKEN, EBAY_SANDBOX_CLIENT } from '../../../sandbox/systems/ebay';
import { fakeExecuteFunctions, type ParamValue } from '../../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

let sandbox: Sandbox;
const node = new EbaySellInventory();

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, systems: ['ebay'], seed: { seed: 'ebay-keep', skus: 4, locations: 1 } });
});
afterAll(async () => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	resetSystemLimiters();
	resetSessions();
});

async function replace(sku: string, extra: Record<string, ParamValue>): Promise<INodeExecutionData[]> {
	const creds = {
		ebaySellApi: {
			...EBAY_SANDBOX_CLIENT,
			environment: 'production',
			scopes: 'https://api.ebay.com/oauth/api_scope/sell.inventory',
			baseUrl: sandbox.urlFor('ebay'),
			tokenUrl: `${sandbox.urlFor('ebay')}/identity/v1/oauth2/token`,
		},
	};
	const ctx = fakeExecuteFunctions({
		description: node.description,
		inputs: [{ json: {} }],
		params: {
			resource: 'inventoryItem',
			operation: 'createOrReplace',
			sku,
			title: 'Title from the PIM',
			quantity: '',
			condition: 'NEW',
			additionalFields: { description: '<p>From the PIM</p>' },
			dryRun: false,
			correlationId: '',
			...extra,
		},
		credentials: creds,
		helpers: n8nHttpHelpers(creds) as never,
	});
	return (await node.execute.call(ctx))[0];
}

async function item(sku: string): Promise<IDataObject> {
	const res = await fetch(`${sandbox.urlFor('ebay')}/sell/inventory/v1/inventory_item/${encodeURIComponent(sku)}`, {
		headers: { authorization: `Bearer ${EBAY_SANDBOX_ACCESS_TOKEN}` },
	});
	return (await res.json()) as IDataObject;
}

const quantityOf = (i: IDataObject) => ((i.availability as IDataObject).shipToLocationAvailability as IDataObject).quantity;

describe('eBay Create or Replace with "Keep Current Stock and Details"', () => {
	it('keeps the stock and the identifiers, and changes what was given', async () => {
		const { sku } = (sandbox.state('ebay') as { items: Array<{ sku: string; quantity: number }> }).items.find((i) => i.quantity > 0)!;
		const before = await item(sku);
		expect(quantityOf(before)).toBeGreaterThan(0);
		const out = await replace(sku, { keepCurrent: true });
		expect(out[0].json).toMatchObject({ sku, status: 'saved' });
		const after = await item(sku);
		expect(quantityOf(after)).toBe(quantityOf(before));
		expect(after.product).toEqual({ ...(before.product as IDataObject), title: 'Title from the PIM', description: '<p>From the PIM</p>' });
	});

	it('off (eBay’s own semantics), the same call wipes the stock and the identifiers', async () => {
		const { sku } = (sandbox.state('ebay') as { items: Array<{ sku: string; quantity: number }> }).items.find((i) => i.quantity > 0)!;
		await replace(sku, { keepCurrent: false });
		const after = await item(sku);
		expect(quantityOf(after)).toBe(0);
		expect(after.product).toEqual({ title: 'Title from the PIM', description: '<p>From the PIM</p>' });
	});

	it('creates an item that does not exist yet', async () => {
		const out = await replace('BRAND-NEW-1', { keepCurrent: true, quantity: '3' });
		expect(out[0].json).toMatchObject({ sku: 'BRAND-NEW-1', status: 'saved' });
		expect(quantityOf(await item('BRAND-NEW-1'))).toBe(3);
	});

	it('a given quantity wins over the current one', async () => {
		const { sku } = (sandbox.state('ebay') as { items: Array<{ sku: string }> }).items[2];
		await replace(sku, { keepCurrent: true, quantity: '7' });
		expect(quantityOf(await item(sku))).toBe(7);
	});
});

describe('keepCurrentValues', () => {
	it('keeps package and condition details, availability and product fields not given', () => {
		const current = {
			sku: 'A',
			locale: 'en_US',
			condition: 'USED_GOOD',
			conditionDescription: 'Scuffed',
			packageWeightAndSize: { weight: { value: 1, unit: 'KILOGRAM' } },
			availability: { shipToLocationAvailability: { quantity: 4 } },
			product: { title: 'Old', upc: ['123'], aspects: { Color: ['Red'] } },
		};
		expect(keepCurrentValues({ condition: 'NEW', product: { title: 'New' } }, current)).toEqual({
			condition: 'NEW',
			conditionDescription: 'Scuffed',
			packageWeightAndSize: { weight: { value: 1, unit: 'KILOGRAM' } },
			availability: { shipToLocationAvailability: { quantity: 4 } },
			product: { title: 'New', upc: ['123'], aspects: { Color: ['Red'] } },
		});
		expect(keepCurrentValues({ condition: 'NEW', product: {} }, undefined)).toEqual({ condition: 'NEW', product: {} });
	});
});
