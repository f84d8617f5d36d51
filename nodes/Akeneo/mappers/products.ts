/**
 * Akeneo products (UUID endpoints) ↔ our rows: list filters, upsert lines and the per-line
 * answers of a collection PATCH. The only code that knows Akeneo's product field names.
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../shared/n8n/errors';

/** One product value: `values.<attribute>[]`. */
export interface AkeneoValue {
	locale: string | null;
	scope: string | null;
	data: unknown;
	_links?: { download?: { href?: string } };
}

/** A product as `/api/rest/v1/products-uuid` returns it. */
export interface AkeneoProduct {
	uuid: string;
	enabled?: boolean;
	family?: string | null;
	categories?: string[];
	groups?: string[];
	parent?: string | null;
	values?: Record<string, AkeneoValue[]>;
	created?: string;
	updated?: string;
	[key: string]: unknown;
}

/** The SKU of a UUID-era product: the `sku` identifier attribute's value. */
export function skuOf(product: AkeneoProduct): string | undefined {
	const value = product.values?.sku?.find((v) => v.locale === null && v.scope === null) ?? product.values?.sku?.[0];
	return typeof value?.data === 'string' ? value.data : undefined;
}

/** A product as a row: the whole product plus its SKU, ids as strings. */
export function productRow(product: AkeneoProduct): IDataObject {
	const sku = skuOf(product);
	return { ...(product as IDataObject), uuid: String(product.uuid), ...(sku === undefined ? {} : { sku }) };
}

const AKENEO_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * "Updated since" as Akeneo's filter wants it: `YYYY-MM-DD hh:mm:ss` in UTC (SaaS server time).
 * Takes an ISO time, an Akeneo date or epoch milliseconds.
 */
export function toAkeneoDate(value: unknown): string {
	if (typeof value === 'string' && AKENEO_DATE.test(value.trim())) return value.trim();
	const ms = typeof value === 'number' ? value : Date.parse(String(value ?? ''));
	if (!Number.isFinite(ms)) {
		throw new InputError(`"${String(value)}" is not a date`, 'updatedSince', 'Give an ISO time like 2026-01-31T08:00:00Z (or leave it empty for every product)');
	}
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The `search` query of a product list: updated since, enabled, families, categories. */
export function productSearch(input: { updatedSince?: unknown; enabled?: string; families?: string[]; categories?: string[] }): string | undefined {
	const search: Record<string, Array<{ operator: string; value?: unknown }>> = {};
	if (input.updatedSince !== undefined && input.updatedSince !== null && input.updatedSince !== '') {
		search.updated = [{ operator: '>', value: toAkeneoDate(input.updatedSince) }];
	}
	if (input.enabled === 'enabled' || input.enabled === 'disabled') search.enabled = [{ operator: '=', value: input.enabled === 'enabled' }];
	if (input.families?.length) search.family = [{ operator: 'IN', value: input.families }];
	if (input.categories?.length) search.categories = [{ operator: 'IN', value: input.categories }];
	return Object.keys(search).length ? JSON.stringify(search) : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A stable UUID for a SKU (name-based, version 5 layout over SHA-1), so a product created from a
 * SKU without a uuid gets the same uuid on every run and a repeat updates instead of duplicating.
 */
export function uuidForSku(sku: string): string {
	const hash = createHash('sha1').update(`commerce-sync:akeneo:sku:${sku}`).digest();
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One product to upsert, from an item: a product object (Akeneo's own shape) whose uuid is kept,
 * or derived from its SKU. `values` must be Akeneo values (`[{locale, scope, data}]`).
 */
export function toProductLine(input: unknown): AkeneoProduct {
	let source = input;
	if (typeof source === 'string') {
		try {
			source = JSON.parse(source);
		} catch {
			throw new InputError('"Product" is not valid JSON', 'product', 'Give a product object like {"sku": "TEE-S", "family": "clothing", "values": {...}}');
		}
	}
	if (!source || typeof source !== 'object' || Array.isArray(source)) {
		throw new InputError('"Product" must be an object', 'product', 'Map "Product" to an Akeneo product object');
	}
	const { sku: topSku, ...rest } = source as IDataObject;
	const product = { ...rest } as AkeneoProduct;
	const values: Record<string, AkeneoValue[]> = { ...((product.values as Record<string, AkeneoValue[]>) ?? {}) };
	if (typeof product.values !== 'undefined' && (typeof product.values !== 'object' || Array.isArray(product.values))) {
		throw new InputError('"values" must be an object of attribute codes', 'product.values', 'Give values like {"name": [{"locale": "en_US", "scope": null, "data": "Tee"}]}');
	}
	for (const [code, list] of Object.entries(values)) {
		if (!Array.isArray(list) || list.some((v) => !v || typeof v !== 'object' || !('data' in v))) {
			throw new InputError(`values.${code} must be a list of {locale, scope, data}`, `product.values.${code}`, `Give ${code} as [{"locale": null, "scope": null, "data": …}]`);
		}
	}
	if (typeof topSku === 'string' || typeof topSku === 'number') {
		values.sku = [{ locale: null, scope: null, data: String(topSku) }];
	}
	product.values = values;
	const sku = skuOf(product);
	if (product.uuid !== undefined && product.uuid !== null && product.uuid !== '') {
		if (typeof product.uuid !== 'string' || !UUID.test(product.uuid)) {
			throw new InputError(`"${String(product.uuid)}" is not a UUID`, 'product.uuid', 'Leave "uuid" out to derive it from the SKU, or give a UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6');
		}
		product.uuid = product.uuid.toLowerCase();
	} else if (sku) {
		product.uuid = uuidForSku(sku);
	} else {
		throw new InputError('The product has neither a uuid nor a SKU', 'product.sku', 'Give "sku" (or values.sku) so the product can be found again, or its "uuid"');
	}
	return product;
}

/** The newline-delimited body of a collection PATCH. */
export function collectionBody(lines: AkeneoProduct[]): string {
	return lines.map((l) => JSON.stringify(l)).join('\n');
}

/** One line's answer in a collection PATCH. */
export interface LineResult {
	line: number;
	uuid?: string;
	status_code: number;
	message?: string;
	errors?: IDataObject[];
}

/** Parses a collection PATCH answer: one JSON object per line (a parsed array is accepted too). */
export function parseCollectionResponse(body: unknown): LineResult[] {
	if (Array.isArray(body)) return body as LineResult[];
	if (body && typeof body === 'object') return [body as LineResult];
	if (typeof body !== 'string') return [];
	return body
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean)
		.map((l) => JSON.parse(l) as LineResult);
}
