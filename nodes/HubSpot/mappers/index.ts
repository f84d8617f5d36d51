/**
 * HubSpot CRM v3 records ↔ our rows. The only code that knows HubSpot's field names: batch
 * upsert inputs and results, search bodies, association paths.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../shared/n8n/errors';

/** The CRM objects the node writes. */
export type CrmObject = 'contacts' | 'companies' | 'deals';

/** Resource name in the node → HubSpot object type. */
export const OBJECT_OF: Readonly<Record<string, CrmObject>> = Object.freeze({
	contact: 'contacts',
	company: 'companies',
	deal: 'deals',
});

/**
 * The unique property each object is upserted by unless the user picks another: email for
 * contacts, and custom unique properties for companies and deals (HubSpot requires an idProperty
 * with unique values; create it under Settings → Properties with "unique values" on).
 */
export const DEFAULT_ID_PROPERTY: Readonly<Record<CrmObject, string>> = Object.freeze({
	contacts: 'email',
	companies: 'external_id',
	deals: 'order_id',
});

/** One batch upsert input, as HubSpot takes it. */
export interface UpsertInput {
	id: string;
	idProperty: string;
	properties: Record<string, string>;
	objectWriteTraceId?: string;
}

/** One input's outcome in a batch upsert. */
export type UpsertOutcome =
	| { ok: true; id: string; created: boolean; properties: IDataObject; createdAt?: string; updatedAt?: string }
	| { ok: false; message: string; category?: string; status?: string; body: IDataObject };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks and normalises one item into an upsert input; bad input names the field and the fix. */
export function toUpsertInput(input: {
	objectType: CrmObject;
	idProperty: unknown;
	idValue: unknown;
	properties: unknown;
	traceId?: string;
}): UpsertInput {
	const idProperty = String(input.idProperty ?? '').trim();
	if (!idProperty) {
		throw new InputError('No unique property is set to upsert by', 'idProperty', `Set "Unique Property" (e.g. ${DEFAULT_ID_PROPERTY[input.objectType]})`);
	}
	if (input.idValue === undefined || input.idValue === null || (typeof input.idValue !== 'string' && typeof input.idValue !== 'number')) {
		throw new InputError(`The unique value (${idProperty}) is missing`, 'idValue', `Map "Unique Value" to the item's ${idProperty}`);
	}
	let id = String(input.idValue).trim();
	if (id === '') throw new InputError(`The unique value (${idProperty}) is empty`, 'idValue', `Map "Unique Value" to the item's ${idProperty}`);
	if (idProperty === 'email') {
		id = id.toLowerCase();
		if (!EMAIL.test(id)) throw new InputError(`"${id}" is not an email address`, 'idValue', 'Map "Unique Value" to a valid email, like jo@example.com');
	}
	const properties = toProperties(input.properties);
	const out: UpsertInput = { id, idProperty, properties };
	if (input.traceId) out.objectWriteTraceId = input.traceId;
	return out;
}

/**
 * HubSpot stores every property as a string: numbers and booleans become strings, null clears
 * a value (sent as ''); nested objects are refused because no CRM property holds one.
 */
export function toProperties(value: unknown): Record<string, string> {
	let source = value;
	if (typeof source === 'string') {
		const text = source.trim();
		if (text === '') return {};
		try {
			source = JSON.parse(text);
		} catch {
			throw new InputError('"Properties" is not valid JSON', 'properties', 'Give an object like {"firstname": "Jo", "lastname": "Doe"}');
		}
	}
	if (source === undefined || source === null) return {};
	if (typeof source !== 'object' || Array.isArray(source)) {
		throw new InputError('"Properties" must be an object of property names and values', 'properties', 'Give an object like {"firstname": "Jo"}');
	}
	const out: Record<string, string> = {};
	for (const [name, v] of Object.entries(source as Record<string, unknown>)) {
		if (v === null || v === undefined) out[name] = '';
		else if (typeof v === 'string') out[name] = v;
		else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
		else {
			throw new InputError(`Property "${name}" holds ${Array.isArray(v) ? 'a list' : 'an object'}; HubSpot properties hold text, numbers or booleans`, 'properties', `Give "${name}" a plain value (join lists with ";" for multi-select properties)`);
		}
	}
	return out;
}

/** The batch upsert body. */
export function upsertBody(inputs: UpsertInput[]): { inputs: UpsertInput[] } {
	return { inputs };
}

function sameId(a: unknown, b: string, idProperty: string): boolean {
	if (typeof a !== 'string' && typeof a !== 'number') return false;
	return idProperty === 'email' ? String(a).toLowerCase() === b.toLowerCase() : String(a) === b;
}

/**
 * Maps a batch upsert response (200, or 207 with `errors[]`) back onto the inputs. Results come
 * in no particular order, so they are matched by the unique value; errors by the ids in their
 * context, or by the input's trace id when that is unique in the batch.
 */
export function matchUpsertResults(body: unknown, inputs: UpsertInput[]): UpsertOutcome[] {
	const b = (body ?? {}) as { results?: IDataObject[]; errors?: IDataObject[] };
	const results = Array.isArray(b.results) ? b.results : [];
	const errors = Array.isArray(b.errors) ? b.errors : [];
	const traceCount = new Map<string, number>();
	for (const input of inputs) if (input.objectWriteTraceId) traceCount.set(input.objectWriteTraceId, (traceCount.get(input.objectWriteTraceId) ?? 0) + 1);
	const used = new Set<IDataObject>();
	return inputs.map((input) => {
		const result = results.find((r) => !used.has(r) && sameId((r.properties as IDataObject | undefined)?.[input.idProperty], input.id, input.idProperty));
		if (result) {
			used.add(result);
			return {
				ok: true,
				id: String(result.id),
				created: result.new === true,
				properties: (result.properties as IDataObject) ?? {},
				createdAt: result.createdAt as string | undefined,
				updatedAt: result.updatedAt as string | undefined,
			};
		}
		const error = errors.find((e) => {
			const context = (e.context ?? {}) as Record<string, unknown>;
			const ids = Object.values(context).flatMap((v) => (Array.isArray(v) ? v : [v]));
			if (ids.some((v) => sameId(v, input.id, input.idProperty))) return true;
			const trace = input.objectWriteTraceId;
			return trace !== undefined && traceCount.get(trace) === 1 && (e.objectWriteTraceId === trace || ids.includes(trace));
		});
		if (error) {
			return { ok: false, message: String(error.message ?? 'HubSpot refused this record'), category: error.category as string | undefined, status: error.status as string | undefined, body: error };
		}
		return { ok: false, message: 'HubSpot answered the batch without a result or an error for this record', body: {} };
	});
}

/** A CRM record as a row: ids as strings, HubSpot's properties kept under `properties`. */
export function recordRow(objectType: CrmObject, record: IDataObject): IDataObject {
	const row: IDataObject = {
		objectType,
		id: String(record.id),
		properties: (record.properties as IDataObject) ?? {},
		createdAt: record.createdAt,
		updatedAt: record.updatedAt,
		archived: record.archived === true,
	};
	if (record.associations) row.associations = record.associations as IDataObject;
	return row;
}

/** Search operators HubSpot accepts. */
export const SEARCH_OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const;

/** One search filter as the node's fields give it. */
export interface FilterInput {
	propertyName: string;
	operator: string;
	value?: string;
	highValue?: string;
}

/**
 * A search body: filters in one group (AND), sorted, with the properties to return. HubSpot's
 * own caps (10 filters per group) are checked here so the user gets the reason before a 400.
 */
export function searchBody(input: { filters: FilterInput[]; properties: string[]; sortBy?: string; direction?: string; query?: string }): IDataObject {
	if (input.filters.length > 10) throw new InputError(`${input.filters.length} filters given; HubSpot allows 10 in a group`, 'filters', 'Remove filters or split the search');
	const filters = input.filters.map((f, i) => {
		const propertyName = String(f.propertyName ?? '').trim();
		if (!propertyName) throw new InputError(`Filter ${i + 1} has no property`, 'filters', 'Set the property name of every filter');
		const operator = String(f.operator ?? '').toUpperCase();
		if (!(SEARCH_OPERATORS as readonly string[]).includes(operator)) {
			throw new InputError(`Filter ${i + 1} has an unknown operator "${f.operator}"`, 'filters', `Use one of ${SEARCH_OPERATORS.join(', ')}`);
		}
		const out: IDataObject = { propertyName, operator };
		if (operator === 'IN' || operator === 'NOT_IN') out.values = String(f.value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
		else if (operator !== 'HAS_PROPERTY' && operator !== 'NOT_HAS_PROPERTY') out.value = String(f.value ?? '');
		if (operator === 'BETWEEN') out.highValue = String(f.highValue ?? '');
		return out;
	});
	const body: IDataObject = { filterGroups: filters.length ? [{ filters }] : [], properties: input.properties };
	if (input.sortBy) body.sorts = [{ propertyName: input.sortBy, direction: input.direction === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING' }];
	if (input.query) body.query = input.query;
	return body;
}

/** Splits a comma-separated list of property names. */
export function propertyList(value: unknown): string[] {
	return String(value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** The v4 "default association" path between two records (deal ↔ contact ↔ company). */
export function associationPath(from: CrmObject, fromId: string, to: CrmObject, toId: string): string {
	return `/crm/v4/objects/${from}/${encodeURIComponent(fromId)}/associations/default/${to}/${encodeURIComponent(toId)}`;
}
