/**
 * The channel-neutral stock model every mapper converts to and from. Ids are always strings:
 * Shopify, NetSuite and Amazon ids exceed 2^53 or carry prefixes, and a number that silently
 * rounds is a stock update sent to the wrong item.
 */

/** A stock-keeping unit code, as the merchant writes it (case and spacing preserved). */
export type Sku = string;

/** Named stock quantities; not every system reports every one. */
export const QUANTITY_NAMES = ['onHand', 'available', 'committed', 'reserved', 'incoming'] as const;

/** One of the named quantity states. */
export type QuantityName = (typeof QUANTITY_NAMES)[number];

/** A place stock lives or is sold from, in one system. */
export interface Location {
	/** The system's own id, as a string. */
	id: string;
	/** The system that owns this id ('shopify', 'netsuite', 'shipbob', ...). */
	system: string;
	name?: string;
}

/** Stock of one SKU at one location, at one moment, as one system reported it. */
export interface StockLevel {
	sku: Sku;
	locationId: string;
	/** Integer quantities by name; absent means the system did not report it. */
	quantities: Partial<Record<QuantityName, number>>;
	/** The system the numbers came from. */
	source: string;
	/** When the system reported these numbers (ms since epoch). */
	asOf: number;
	/** The system's id of the stocked item (inventory item id, internal id...), when known. */
	itemId?: string;
}

/** A set of stock levels read from one system at one time. */
export interface Snapshot {
	source: string;
	/** When the read started (ms since epoch): anything changed after this may be missing. */
	takenAt: number;
	levels: StockLevel[];
}

/** Why a raw quantity was refused. */
export class QuantityError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		message: string,
	) {
		super(message);
		this.name = 'QuantityError';
	}
}

/**
 * Turns a raw quantity (number or numeric string, as vendors send them) into an integer.
 *
 * @param allowNegative on-hand may legitimately go negative in some ERPs (oversold); a target
 *   quantity for a channel may not
 * @throws QuantityError naming the field and the fix when the value is not a whole number
 */
export function toQuantity(value: unknown, field: string, allowNegative = false): number {
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
	else {
		throw new QuantityError(
			field,
			value,
			`"${field}" must be a whole number, got ${describe(value)}: send an integer such as 12`,
		);
	}
	if (!Number.isFinite(n) || !Number.isInteger(n)) {
		throw new QuantityError(
			field,
			value,
			`"${field}" must be a whole number, got ${describe(value)}: stock is counted in units, round it first`,
		);
	}
	if (!allowNegative && n < 0) {
		throw new QuantityError(
			field,
			value,
			`"${field}" must not be negative, got ${n}: check the source system's count`,
		);
	}
	return n === 0 ? 0 : n; // normalise -0
}

/**
 * Normalises an id from a vendor payload into a string. Numbers are accepted only while they
 * are safe integers; a larger number has already lost digits and is refused.
 *
 * @throws TypeError naming the field when the id is missing, not a string/number, or unsafe
 */
export function toId(value: unknown, field: string): string {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'number') {
		throw new TypeError(
			`"${field}" is a number too large to be exact (${value}): send ids as strings`,
		);
	}
	throw new TypeError(`"${field}" must be a non-empty id, got ${describe(value)}`);
}

/** A short description of a bad value for error messages. */
export function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
	if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
	return String(value);
}

/** The stable key of a SKU at a location, used to join levels across systems. */
export function levelKey(sku: Sku, locationId: string): string {
	return `${sku}\u0000${locationId}`;
}
