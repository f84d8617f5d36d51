/**
 * Akeneo product → a channel-neutral product (title, description, prices by currency, images,
 * attributes) for a storefront or marketplace, with the locale and channel (scope) to read.
 * Shaped so the Shopify product upsert takes it as is (`handle`, `title`, `description`,
 * `variants[{sku, price}]`), which is why catalog sync needs no Code node.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../shared/n8n/errors';
import { skuOf, type AkeneoProduct, type AkeneoValue } from './products';

/** How to read a product. */
export interface MappingOptions {
	locale: string;
	/** Channel code (Akeneo "scope"), e.g. `ecommerce`. */
	channel: string;
	/** Locale tried when a localizable value has none in `locale`. */
	fallbackLocale?: string;
	titleAttribute: string;
	descriptionAttribute: string;
	priceAttribute: string;
	/** Media attributes, in image order. */
	imageAttributes: string[];
	/** Currencies to keep; empty keeps all. The first one is the variant price. */
	currencies: string[];
	/** `all` other attributes, or only `include`, or `none`. */
	attributes: 'all' | 'include' | 'none';
	include?: string[];
	/** Base URL for media files without a download link in the value. */
	host?: string;
}

/** The channel-neutral product. */
export interface NeutralProduct extends IDataObject {
	sku: string;
	uuid: string;
	handle: string;
	title: string;
	description: string;
	prices: Record<string, string>;
	price: string | null;
	currency: string | null;
	images: string[];
	attributes: IDataObject;
	variants: IDataObject[];
	family: string | null;
	categories: string[];
	enabled: boolean;
	updatedAt: string | null;
	source: 'akeneo';
}

/**
 * The value Akeneo would show for a locale and channel: exact match first, then the
 * non-localizable or non-scopable value, then the fallback locale.
 */
export function pickValue(values: AkeneoValue[] | undefined, locale: string, channel: string, fallbackLocale?: string): AkeneoValue | undefined {
	if (!values?.length) return undefined;
	const order: Array<[string | null, string | null]> = [
		[locale, channel],
		[locale, null],
		[null, channel],
		[null, null],
	];
	if (fallbackLocale) order.push([fallbackLocale, channel], [fallbackLocale, null]);
	for (const [l, s] of order) {
		const found = values.find((v) => (v.locale ?? null) === l && (v.scope ?? null) === s);
		if (found) return found;
	}
	return undefined;
}

/** `[{amount, currency}]` → `{EUR: "15.50"}`, amounts as strings with two decimals. */
export function pricesOf(data: unknown, currencies: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	if (!Array.isArray(data)) return out;
	for (const entry of data as Array<{ amount?: unknown; currency?: unknown }>) {
		const currency = typeof entry?.currency === 'string' ? entry.currency : undefined;
		if (!currency || entry.amount === null || entry.amount === undefined || entry.amount === '') continue;
		if (currencies.length && !currencies.includes(currency)) continue;
		const amount = Number(entry.amount);
		if (!Number.isFinite(amount)) continue;
		out[currency] = amount.toFixed(2);
	}
	return out;
}

function imageUrl(value: AkeneoValue, host?: string): string | undefined {
	const link = value._links?.download?.href;
	if (typeof link === 'string' && link) return link;
	if (typeof value.data !== 'string' || !value.data) return undefined;
	return host ? `${host.replace(/\/+$/, '')}/api/rest/v1/media-files/${value.data}/download` : value.data;
}

function slug(text: string): string {
	return text
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

function plain(data: unknown): unknown {
	if (data === null || typeof data !== 'object') return data;
	if (Array.isArray(data) && data.every((d) => d && typeof d === 'object' && 'amount' in d && 'currency' in d)) {
		return pricesOf(data, []);
	}
	if (!Array.isArray(data) && 'amount' in (data as IDataObject) && 'unit' in (data as IDataObject)) {
		const metric = data as { amount: unknown; unit: unknown };
		return { amount: metric.amount, unit: metric.unit };
	}
	return data;
}

/** Checks the options once per run, naming the field to fix. */
export function checkMappingOptions(options: MappingOptions): MappingOptions {
	if (!options.locale.trim()) throw new InputError('No locale is set', 'locale', 'Set "Locale" to a PIM locale such as en_US');
	if (!options.channel.trim()) throw new InputError('No channel is set', 'channel', 'Set "Channel" to a PIM channel code such as ecommerce');
	if (!options.titleAttribute.trim()) throw new InputError('No title attribute is set', 'titleAttribute', 'Set "Title Attribute" (usually name)');
	return options;
}

/** Maps one Akeneo product. A product without a SKU or title fails, naming what is missing. */
export function toNeutralProduct(product: AkeneoProduct, options: MappingOptions): NeutralProduct {
	const { locale, channel, fallbackLocale } = options;
	const sku = skuOf(product);
	if (!sku) throw new InputError(`Product ${String(product.uuid ?? '(no uuid)')} has no SKU`, 'values.sku', 'Give the product an sku value in the PIM, or map products that have one');
	const values = product.values ?? {};
	const text = (code: string): string | undefined => {
		const v = pickValue(values[code], locale, channel, fallbackLocale)?.data;
		return v === undefined || v === null ? undefined : String(v);
	};
	const title = text(options.titleAttribute);
	if (!title) {
		throw new InputError(`Product ${sku} has no ${options.titleAttribute} for locale ${locale} and channel ${channel}`, 'titleAttribute', `Fill "${options.titleAttribute}" in the PIM, pick another title attribute, or set a fallback locale`);
	}
	const prices = pricesOf(pickValue(values[options.priceAttribute], locale, channel, fallbackLocale)?.data, options.currencies);
	const currency = options.currencies.find((c) => prices[c] !== undefined) ?? Object.keys(prices)[0] ?? null;
	const price = currency ? prices[currency] : null;
	const images: string[] = [];
	for (const code of options.imageAttributes) {
		const value = pickValue(values[code], locale, channel, fallbackLocale);
		const url = value ? imageUrl(value, options.host) : undefined;
		if (url) images.push(url);
	}
	const taken = new Set(['sku', options.titleAttribute, options.descriptionAttribute, options.priceAttribute, ...options.imageAttributes]);
	const attributes: IDataObject = {};
	if (options.attributes !== 'none') {
		const codes = options.attributes === 'include' ? (options.include ?? []) : Object.keys(values);
		for (const code of codes) {
			if (taken.has(code)) continue;
			const value = pickValue(values[code], locale, channel, fallbackLocale);
			if (value !== undefined) attributes[code] = plain(value.data) as IDataObject[string];
		}
	}
	const variant: IDataObject = { sku };
	if (price !== null) variant.price = price;
	return {
		sku,
		uuid: String(product.uuid),
		handle: slug(sku),
		title,
		description: text(options.descriptionAttribute) ?? '',
		prices,
		price,
		currency,
		images,
		attributes,
		variants: [variant],
		family: product.family ?? null,
		categories: product.categories ?? [],
		enabled: product.enabled !== false,
		updatedAt: product.updated ?? null,
		source: 'akeneo',
	};
}
