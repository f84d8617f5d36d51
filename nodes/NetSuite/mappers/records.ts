/**
 * NetSuite REST record bodies ↔ our input and output items, for inventory items, sales orders
 * and inventory adjustments. Record field names are camelCase in REST; references are
 * `{ id }` objects; sublists are `{ items: [...] }`.
 * API: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141395.html
 */
import type { IDataObject } from 'n8n-workflow';

import { toId, toQuantity } from '../../shared/core/domain/stock';
import { InputError } from '../../shared/n8n/errors';

type Json = IDataObject;

/** NetSuite external ids: up to 255 characters, no spaces at the ends, no slash (it is a path segment). */
export function checkExternalId(value: unknown, field = 'externalId'): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new InputError(
			`"${field}" is required`,
			field,
			'Give the record’s external ID, e.g. the Shopify order name SHOP-1001; it makes the write retry-safe.',
		);
	}
	const text = String(value).trim();
	if (text === '' || text.length > 255 || /[/?#\\]/.test(text)) {
		throw new InputError(
			`"${field}" must be 1–255 characters without / ? # or \\, got "${text.slice(0, 60)}"`,
			field,
			'Use a plain identifier such as SHOP-1001.',
		);
	}
	return text;
}

function ref(value: unknown, field: string): { id: string } {
	try {
		const id = toId(value, field);
		if (!/^\d+$/.test(id)) throw new TypeError(`"${field}" must be digits`);
		return { id };
	} catch {
		throw new InputError(
			`"${field}" must be a NetSuite internal ID (digits), got ${JSON.stringify(value) ?? 'nothing'}`,
			field,
			'Use the internal ID of the record (shown as id= in its NetSuite URL).',
		);
	}
}

function optionalRef(value: unknown, field: string): { id: string } | undefined {
	return value === undefined || value === null || value === '' ? undefined : ref(value, field);
}

function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

function prune<T extends Json>(obj: T): T {
	for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
	return obj;
}

function money(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(n) || n < 0) {
		throw new InputError(
			`"${field}" must be a non-negative number, got ${JSON.stringify(value)}`,
			field,
			'Send a price such as 19.99.',
		);
	}
	return n;
}

// ------------------------------------------------------------------------------------------
// Inventory items

/** What the item upsert takes. */
export interface ItemInput {
	sku: unknown;
	displayName?: unknown;
	upcCode?: unknown;
	salesDescription?: unknown;
	isInactive?: unknown;
	additionalFields?: Json;
}

/** The `inventoryItem` body for `PUT /inventoryItem/eid:…`. */
export function itemBody(input: ItemInput): Json {
	const sku = optionalText(input.sku);
	if (!sku) {
		throw new InputError(
			'"sku" is required',
			'sku',
			'Map the item’s SKU; NetSuite stores it as Item Name/Number (itemId).',
		);
	}
	if (sku.length > 60) {
		throw new InputError(
			`"sku" must be at most 60 characters for NetSuite, got ${sku.length}`,
			'sku',
			'Shorten the SKU.',
		);
	}
	return prune({
		...(input.additionalFields ?? {}),
		itemId: sku,
		displayName: optionalText(input.displayName),
		upcCode: optionalText(input.upcCode),
		salesDescription: optionalText(input.salesDescription),
		isInactive:
			input.isInactive === undefined
				? undefined
				: input.isInactive === true || input.isInactive === 'true',
	});
}

/** An `inventoryItem` record → our item. */
export function itemFromRecord(record: Json): Json {
	return prune({
		id: toId(record.id, 'id'),
		sku: optionalText(record.itemId),
		externalId: optionalText(record.externalId),
		displayName: optionalText(record.displayName),
		upcCode: optionalText(record.upcCode),
		salesDescription: optionalText(record.salesDescription),
		isInactive: record.isInactive === true,
		lastModifiedDate: optionalText(record.lastModifiedDate),
		source: 'netsuite',
	});
}

/** A SuiteQL `item` row → our item. */
export function itemFromSuiteql(row: Json): Json {
	return prune({
		id: toId(row.id, 'id'),
		sku: optionalText(row.itemid),
		externalId: optionalText(row.externalid),
		displayName: optionalText(row.displayname),
		itemType: optionalText(row.itemtype),
		upcCode: optionalText(row.upccode),
		isInactive: row.isinactive === 'T',
		lastModified: optionalText(row.lastmodified),
		source: 'netsuite',
	});
}

// ------------------------------------------------------------------------------------------
// Sales orders

/** One order line as the node takes it: the item by internal ID, or by SKU (looked up). */
export interface OrderLineInput {
	itemId?: unknown;
	item?: unknown;
	sku?: unknown;
	quantity?: unknown;
	rate?: unknown;
}

/** What the sales order upsert takes. */
export interface SalesOrderInput {
	externalId: unknown;
	customerId: unknown;
	subsidiaryId?: unknown;
	locationId?: unknown;
	tranDate?: unknown;
	otherRefNum?: unknown;
	memo?: unknown;
	lines: unknown;
}

function lines(value: unknown, field: string): OrderLineInput[] {
	const list =
		typeof value === 'string' && value.trim().startsWith('[') ? safeParse(value, field) : value;
	if (!Array.isArray(list) || list.length === 0) {
		throw new InputError(
			`"${field}" must be a non-empty list of lines`,
			field,
			'Send lines such as [{"itemId": "42", "quantity": 2, "rate": 19.99}].',
		);
	}
	return list.map((line, index) => {
		if (!line || typeof line !== 'object') {
			throw new InputError(
				`"${field}[${index}]" must be an object`,
				`${field}[${index}]`,
				'Each line needs itemId and quantity.',
			);
		}
		return line as OrderLineInput;
	});
}

/** The order lines as a list of objects (a JSON string is parsed); throws naming the bad line. */
export function orderLines(value: unknown, field = 'lines'): OrderLineInput[] {
	const list = lines(value, field);
	list.forEach((line, index) => {
		// A line naming no item at all (a storefront's custom line has no SKU) would otherwise fail
		// later as a bad itemId, which sends the reader looking for an ID that was never there.
		if ([line.itemId, line.item, line.sku].every((v) => v === undefined || v === null || String(v).trim() === '')) {
			throw new InputError(
				`"${field}[${index}]" names no item: it has no sku and no itemId`,
				`${field}[${index}].sku`,
				'Give the line the SKU of a NetSuite item (its Item Name/Number) or the item’s internal ID as itemId; a storefront line sold without a SKU needs one before it can be ordered in NetSuite.',
			);
		}
	});
	return list;
}

/** SKUs of the lines that name their item only by SKU, once each, in order. */
export function skusToResolve(list: readonly OrderLineInput[]): string[] {
	const skus = new Set<string>();
	for (const line of list) {
		if (line.itemId !== undefined && line.itemId !== null && line.itemId !== '') continue;
		if (line.item !== undefined && line.item !== null && line.item !== '') continue;
		const sku = optionalText(line.sku);
		if (sku) skus.add(sku);
	}
	return [...skus];
}

/**
 * The lines with every SKU replaced by its item's internal ID. SKUs NetSuite does not know are
 * named together, so one fix covers them all.
 */
export function withItemIds(
	list: readonly OrderLineInput[],
	idsBySku: ReadonlyMap<string, string>,
	field = 'lines',
): OrderLineInput[] {
	const unknown: string[] = [];
	const out = list.map((line) => {
		if (skusToResolve([line]).length === 0) return line;
		const sku = optionalText(line.sku) as string;
		const id = idsBySku.get(sku);
		if (id === undefined) unknown.push(sku);
		return { ...line, itemId: id };
	});
	if (unknown.length > 0) {
		throw new InputError(
			`No NetSuite item has the SKU ${unknown.map((s) => `"${s}"`).join(', ')}`,
			field,
			'Check the SKUs match NetSuite’s Item Name/Number, or give each line the item’s internal ID as itemId.',
		);
	}
	return out;
}

function safeParse(value: string, field: string): unknown {
	try {
		return JSON.parse(value);
	} catch {
		throw new InputError(`"${field}" is not valid JSON`, field, 'Send a JSON array of lines.');
	}
}

function positiveQuantity(value: unknown, field: string): number {
	const n = toQuantity(value, field);
	if (n === 0) {
		throw new InputError(
			`"${field}" must be at least 1, got 0`,
			field,
			'Leave the line out instead of ordering zero.',
		);
	}
	return n;
}

function checkDate(value: unknown, field: string): string | undefined {
	const text = optionalText(value);
	if (text === undefined) return undefined;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
		throw new InputError(
			`"${field}" must be a date like 2026-01-15, got "${text}"`,
			field,
			'Format the date as YYYY-MM-DD.',
		);
	}
	return text;
}

/** The `salesOrder` body for `PUT /salesOrder/eid:…` (external id is in the path). */
export function salesOrderBody(input: SalesOrderInput): Json {
	return prune({
		entity: ref(input.customerId, 'customerId'),
		subsidiary: optionalRef(input.subsidiaryId, 'subsidiaryId'),
		location: optionalRef(input.locationId, 'locationId'),
		tranDate: checkDate(input.tranDate, 'tranDate'),
		otherRefNum: optionalText(input.otherRefNum),
		memo: optionalText(input.memo),
		item: {
			items: lines(input.lines, 'lines').map((line, index) =>
				prune({
					item: ref(line.itemId ?? line.item, `lines[${index}].itemId`),
					quantity: positiveQuantity(line.quantity, `lines[${index}].quantity`),
					rate: money(line.rate, `lines[${index}].rate`),
				}),
			),
		},
	});
}

function refName(value: unknown): string | undefined {
	if (value && typeof value === 'object')
		return optionalText((value as Json).refName) ?? optionalText((value as Json).id);
	return optionalText(value);
}

/** A `salesOrder` record → order status. */
export function orderStatusFromRecord(record: Json): Json {
	const status = record.status as Json | string | undefined;
	return prune({
		id: toId(record.id, 'id'),
		tranId: optionalText(record.tranId),
		externalId: optionalText(record.externalId),
		status: refName(status),
		statusCode:
			status && typeof status === 'object' ? optionalText((status as Json).id) : undefined,
		customerId:
			record.entity && typeof record.entity === 'object'
				? optionalText((record.entity as Json).id)
				: undefined,
		tranDate: optionalText(record.tranDate),
		memo: optionalText(record.memo),
		lastModifiedDate: optionalText(record.lastModifiedDate),
		source: 'netsuite',
	});
}

/** A `salesOrder` record → the fields the fulfil operation reports about the order. */
export function orderStatusFields(record: Json): Json {
	const order = orderStatusFromRecord(record);
	return prune({
		salesOrderId: order.id,
		salesOrderExternalId: order.externalId,
		orderStatus: order.status,
		orderStatusCode: order.statusCode,
	});
}

/** Item fulfilment ship statuses (Pick, Pack and Ship): code → name. */
export const SHIP_STATUSES: Readonly<Record<string, string>> = Object.freeze({
	A: 'Picked',
	B: 'Packed',
	C: 'Shipped',
});

/** What the fulfil operation takes. */
export interface FulfilmentInput {
	externalId: unknown;
	shipStatus?: unknown;
	trackingNumbers?: unknown;
	carrier?: unknown;
	memo?: unknown;
}

/**
 * The body of `POST /salesOrder/{id}/!transform/itemFulfillment`: the external id (which makes a
 * repeat refused), ship status and one package per tracking number. Lines are left to the
 * transform, which takes every line still to fulfil.
 */
export function fulfilmentBody(input: FulfilmentInput): Json {
	const externalId = checkExternalId(input.externalId, 'fulfilmentExternalId');
	const shipStatus = optionalText(input.shipStatus) ?? 'C';
	if (!SHIP_STATUSES[shipStatus]) {
		throw new InputError(
			`"shipStatus" must be one of ${Object.keys(SHIP_STATUSES).join(', ')}, got "${shipStatus}"`,
			'shipStatus',
			'Use C (Shipped) for a parcel that has left the warehouse.',
		);
	}
	const list = Array.isArray(input.trackingNumbers)
		? input.trackingNumbers
		: String(input.trackingNumbers ?? '').split(',');
	const numbers = [...new Set(list.map((n) => String(n ?? '').trim()).filter((n) => n !== ''))];
	const carrier = optionalText(input.carrier);
	return prune({
		externalId,
		shipStatus: { id: shipStatus },
		memo: optionalText(input.memo),
		package:
			numbers.length > 0
				? {
						items: numbers.map((n) =>
							prune({ packageTrackingNumber: n, packageDescr: carrier }),
						),
					}
				: undefined,
	});
}

/** An `itemFulfillment` record → our fulfilment. */
export function fulfilmentFromRecord(record: Json): Json {
	const status = record.shipStatus as Json | string | undefined;
	const packages = ((record.package as Json | undefined)?.items ?? []) as Json[];
	return prune({
		id: toId(record.id, 'id'),
		tranId: optionalText(record.tranId),
		externalId: optionalText(record.externalId),
		createdFromId:
			record.createdFrom && typeof record.createdFrom === 'object'
				? optionalText((record.createdFrom as Json).id)
				: undefined,
		shipStatus: refName(status),
		trackingNumbers: Array.isArray(packages)
			? packages.map((p) => optionalText(p.packageTrackingNumber)).filter((n) => n !== undefined)
			: undefined,
	});
}

// ------------------------------------------------------------------------------------------
// Customers

/** What the customer upsert takes. */
export interface CustomerInput {
	email?: unknown;
	firstName?: unknown;
	lastName?: unknown;
	companyName?: unknown;
	phone?: unknown;
	subsidiaryId?: unknown;
}

/**
 * The `customer` body for `PUT /customer/eid:…`: a company when a company name is given, else
 * a person, who needs a first and a last name.
 */
export function customerBody(input: CustomerInput): Json {
	const companyName = optionalText(input.companyName);
	const firstName = optionalText(input.firstName);
	const lastName = optionalText(input.lastName);
	const email = optionalText(input.email);
	if (!companyName && (!firstName || !lastName)) {
		const field = !firstName ? 'firstName' : 'lastName';
		throw new InputError(
			`"${field}" is required for a person customer`,
			field,
			'Map the customer’s first and last name, or give a company name to create a company customer.',
		);
	}
	if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
		throw new InputError(
			`"email" is not an email address: "${email.slice(0, 60)}"`,
			'email',
			'Map the customer’s email, or leave it empty.',
		);
	}
	return prune({
		isPerson: !companyName,
		companyName,
		firstName,
		lastName,
		email,
		phone: optionalText(input.phone),
		subsidiary: optionalRef(input.subsidiaryId, 'subsidiaryId'),
	});
}

/** A SuiteQL fulfilment row → our fulfilment. */
export function fulfilmentFromSuiteql(row: Json): Json {
	return prune({
		id: toId(row.id, 'id'),
		tranId: optionalText(row.tranid),
		status: optionalText(row.status),
		tranDate: optionalText(row.trandate),
	});
}

// ------------------------------------------------------------------------------------------
// Inventory adjustments

/** One adjustment line. */
export interface AdjustmentLineInput {
	itemId?: unknown;
	locationId?: unknown;
	adjustQtyBy?: unknown;
}

/** What the inventory adjustment takes. */
export interface AdjustmentInput {
	subsidiaryId: unknown;
	accountId: unknown;
	locationId?: unknown;
	memo?: unknown;
	tranDate?: unknown;
	lines: unknown;
}

/** The `inventoryAdjustment` body (the external id goes into the path). */
export function adjustmentBody(input: AdjustmentInput): Json {
	const list = lines(input.lines, 'lines') as AdjustmentLineInput[];
	return prune({
		subsidiary: ref(input.subsidiaryId, 'subsidiaryId'),
		account: ref(input.accountId, 'accountId'),
		adjLocation: optionalRef(input.locationId, 'locationId'),
		tranDate: checkDate(input.tranDate, 'tranDate'),
		memo: optionalText(input.memo),
		inventory: {
			items: list.map((line, index) => {
				const by = toQuantity(line.adjustQtyBy, `lines[${index}].adjustQtyBy`, true);
				if (by === 0) {
					throw new InputError(
						`"lines[${index}].adjustQtyBy" must not be 0`,
						`lines[${index}].adjustQtyBy`,
						'Leave out lines that do not change stock.',
					);
				}
				return {
					item: ref(line.itemId, `lines[${index}].itemId`),
					location: ref(line.locationId ?? input.locationId, `lines[${index}].locationId`),
					adjustQtyBy: by,
				};
			}),
		},
	});
}

/** The internal id from a `Location` header of a 204 create/upsert answer. */
export function idFromLocation(location: string | undefined): string | undefined {
	if (!location) return undefined;
	const match = /\/(\d+)\/?(?:\?.*)?$/.exec(location);
	return match?.[1];
}
