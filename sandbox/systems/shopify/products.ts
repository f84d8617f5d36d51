/**
 * Catalog writes (reference/commerce-apis.md §1.6): `productSet` (declarative upsert; list fields
 * replace-all, so variants left out are DELETED with their inventory) and
 * `productVariantsBulkUpdate` (partial update of some variants of one product).
 */
import { gid, iso, parseGid, type ExecContext } from './context';
import { levelKey, newLevel, nextId, quantityOf, slug, type ProductRecord, type VariantRecord } from './state';
import { productView, variantView } from './views';

interface UserError {
	code: string;
	field: string[];
	message: string;
}

type Input = Record<string, unknown>;

const MAX_VARIANTS = 2048;
const MAX_OPTIONS = 3;
const MONEY = /^-?\d+(\.\d{1,2})?$/;

function moneyError(value: unknown, field: string[], code = 'INVALID_VARIANT'): UserError | undefined {
	if (value === undefined || value === null) return undefined;
	const s = String(value);
	if (!MONEY.test(s)) return { code, field, message: `"${s}" is not a valid amount; use a decimal such as "24.90"` };
	if (Number(s) < 0) return { code, field, message: 'Price must be greater than or equal to 0' };
	return undefined;
}

function money(value: unknown): string {
	return Number(value).toFixed(2);
}

function comboKey(values: Array<{ optionName: string; name: string }>): string {
	return values.map((v) => `${v.optionName}\u0000${v.name}`).sort().join('\u0001');
}

/** REST-shaped product for `products/*` webhooks. */
export function productPayload(ctx: ExecContext, p: ProductRecord): unknown {
	return {
		id: p.id,
		admin_graphql_api_id: gid('Product', p.id),
		title: p.title,
		handle: p.handle,
		status: p.status.toLowerCase(),
		vendor: p.vendor,
		product_type: p.productType,
		created_at: iso(p.createdAt),
		updated_at: iso(p.updatedAt),
		variants: p.variantIds
			.map((id) => ctx.state.variants.get(id))
			.filter((v): v is VariantRecord => v !== undefined)
			.map((v) => ({
				id: v.id,
				admin_graphql_api_id: gid('ProductVariant', v.id),
				product_id: p.id,
				sku: v.sku,
				price: v.price,
				compare_at_price: v.compareAtPrice,
				barcode: v.barcode,
				inventory_item_id: v.inventoryItemId,
				inventory_quantity: [...ctx.state.levels.values()].filter((l) => l.itemId === v.inventoryItemId).reduce((n, l) => n + quantityOf(l, 'available'), 0),
				updated_at: iso(v.updatedAt),
			})),
	};
}

function deleteVariant(ctx: ExecContext, v: VariantRecord): void {
	ctx.state.variants.delete(v.id);
	ctx.state.items.delete(v.inventoryItemId);
	for (const [key, level] of ctx.state.levels) if (level.itemId === v.inventoryItemId) ctx.state.levels.delete(key);
}

/** `productSet(input:, synchronous:)`. */
export function productSet(ctx: ExecContext, input: Input): unknown {
	const s = ctx.state;
	const errors: UserError[] = [];
	const fail = () => ({ product: null, userErrors: errors });

	// Which product: by id, else by handle (upsert), else a new one.
	let product: ProductRecord | undefined;
	if (input.id !== undefined && input.id !== null) {
		product = s.products.get(parseGid(input.id, 'Product') ?? -1);
		if (!product) {
			errors.push({ code: 'PRODUCT_DOES_NOT_EXIST', field: ['input', 'id'], message: `Product does not exist: ${String(input.id)}` });
			return fail();
		}
	} else if (typeof input.handle === 'string') {
		product = [...s.products.values()].find((p) => p.handle === input.handle);
	}
	const creating = !product;
	if (creating && (typeof input.title !== 'string' || input.title.trim() === '')) {
		errors.push({ code: 'INVALID_PRODUCT', field: ['input', 'title'], message: "Title can't be blank when creating a product" });
	}
	const handle = typeof input.handle === 'string' ? input.handle : creating ? slug(String(input.title ?? '')) : product!.handle;
	const clash = [...s.products.values()].find((p) => p.handle === handle && p !== product);
	if (clash) errors.push({ code: 'HANDLE_NOT_UNIQUE', field: ['input', 'handle'], message: `Handle "${handle}" is already in use by ${gid('Product', clash.id)}` });

	const variantsIn = input.variants as Input[] | undefined | null;
	const optionsIn = input.productOptions as Input[] | undefined | null;
	if (variantsIn && !optionsIn) {
		errors.push({ code: 'PRODUCT_OPTIONS_INPUT_MISSING', field: ['input', 'productOptions'], message: 'productOptions must be given with variants' });
	}
	if (optionsIn && !variantsIn) errors.push({ code: 'VARIANTS_INPUT_MISSING', field: ['input', 'variants'], message: 'variants must be given with productOptions' });
	if (errors.length > 0) return fail();

	let options = product?.options ?? [{ name: 'Title', values: ['Default Title'] }];
	if (optionsIn) {
		if (optionsIn.length > MAX_OPTIONS) {
			errors.push({ code: 'OPTIONS_OVER_LIMIT', field: ['input', 'productOptions'], message: `A product can have at most ${MAX_OPTIONS} options` });
		}
		const names = new Set<string>();
		options = optionsIn.map((o, i) => {
			const name = String(o.name ?? '');
			if (names.has(name)) errors.push({ code: 'DUPLICATED_OPTION_NAME', field: ['input', 'productOptions', String(i), 'name'], message: `Duplicated option name "${name}"` });
			names.add(name);
			const values = ((o.values as Input[] | undefined) ?? []).map((v) => String(v.name ?? ''));
			if (new Set(values).size !== values.length) {
				errors.push({ code: 'DUPLICATED_OPTION_VALUE', field: ['input', 'productOptions', String(i), 'values'], message: `Duplicated value in option "${name}"` });
			}
			return { name, values };
		});
	}

	// Variants: validate all first, then replace the list.
	type Planned = { input: Input; existing?: VariantRecord; optionValues: Array<{ optionName: string; name: string }> };
	const planned: Planned[] = [];
	if (variantsIn) {
		if (variantsIn.length > MAX_VARIANTS) errors.push({ code: 'VARIANTS_OVER_LIMIT', field: ['input', 'variants'], message: `A product can have at most ${MAX_VARIANTS} variants` });
		const current = (product?.variantIds ?? []).map((id) => s.variants.get(id)).filter((v): v is VariantRecord => v !== undefined);
		const combos = new Set<string>();
		variantsIn.forEach((v, i) => {
			const path = ['input', 'variants', String(i)];
			const ov = ((v.optionValues as Input[]) ?? []).map((x) => ({ optionName: String(x.optionName ?? ''), name: String(x.name ?? '') }));
			for (const [j, x] of ov.entries()) {
				const option = options.find((o) => o.name === x.optionName);
				if (!option) errors.push({ code: 'OPTION_DOES_NOT_EXIST', field: [...path, 'optionValues', String(j)], message: `Option "${x.optionName}" does not exist` });
				else if (!option.values.includes(x.name)) {
					errors.push({ code: 'OPTION_VALUE_DOES_NOT_EXIST', field: [...path, 'optionValues', String(j)], message: `Option value "${x.name}" does not exist on "${x.optionName}"` });
				}
			}
			if (options.some((o) => !ov.some((x) => x.optionName === o.name))) {
				errors.push({ code: 'OPTION_VALUES_MISSING', field: [...path, 'optionValues'], message: `Each variant needs a value for every option: ${options.map((o) => o.name).join(', ')}` });
			}
			const key = comboKey(ov);
			if (combos.has(key)) errors.push({ code: 'INVALID_VARIANT', field: [...path, 'optionValues'], message: `The variant "${ov.map((x) => x.name).join(' / ')}" already exists` });
			combos.add(key);
			for (const [field, value] of [['price', v.price], ['compareAtPrice', v.compareAtPrice]] as const) {
				const e = moneyError(value, [...path, field]);
				if (e) errors.push(e);
			}
			let existing: VariantRecord | undefined;
			if (v.id !== undefined && v.id !== null) {
				existing = current.find((c) => c.id === parseGid(v.id, 'ProductVariant'));
				if (!existing) errors.push({ code: 'PRODUCT_VARIANT_DOES_NOT_EXIST', field: [...path, 'id'], message: `Variant ${String(v.id)} does not exist on this product` });
			} else {
				// Without an id, an existing variant with the same option values is updated, not recreated.
				existing = current.find((c) => comboKey(c.optionValues) === key && !planned.some((p) => p.existing === c));
			}
			planned.push({ input: v, existing, optionValues: ov });
		});
	}
	if (errors.length > 0) return fail();

	// Apply.
	const now = ctx.now;
	if (!product) {
		const id = nextId(s, 'product');
		product = { id, handle, title: String(input.title), status: 'ACTIVE', vendor: '', productType: '', createdAt: now, updatedAt: now, options, variantIds: [] };
		s.products.set(id, product);
	}
	product.handle = handle;
	if (typeof input.title === 'string') product.title = input.title;
	if (typeof input.status === 'string') product.status = input.status as ProductRecord['status'];
	if (typeof input.vendor === 'string') product.vendor = input.vendor;
	if (typeof input.productType === 'string') product.productType = input.productType;
	product.options = options;
	product.updatedAt = now;

	if (variantsIn) {
		const keep = new Set(planned.map((p) => p.existing).filter((v): v is VariantRecord => v !== undefined));
		for (const id of product.variantIds) {
			const v = s.variants.get(id);
			if (v && !keep.has(v)) deleteVariant(ctx, v);
		}
		product.variantIds = planned.map((p, i) => {
			const v = p.input;
			const item = v.inventoryItem as Input | undefined;
			const sku = typeof v.sku === 'string' ? v.sku : typeof item?.sku === 'string' ? item.sku : (p.existing?.sku ?? '');
			const title = p.optionValues.map((x) => x.name).join(' / ') || 'Default Title';
			if (p.existing) {
				const e = p.existing;
				e.sku = sku;
				e.title = title;
				e.position = i + 1;
				e.optionValues = p.optionValues;
				if (v.price !== undefined && v.price !== null) e.price = money(v.price);
				if (v.compareAtPrice !== undefined) e.compareAtPrice = v.compareAtPrice === null ? null : money(v.compareAtPrice);
				if (v.barcode !== undefined) e.barcode = (v.barcode as string | null) ?? null;
				e.updatedAt = now;
				const inv = s.items.get(e.inventoryItemId);
				if (inv) {
					inv.sku = sku;
					if (typeof item?.tracked === 'boolean') inv.tracked = item.tracked;
					if (item?.cost !== undefined && item.cost !== null) inv.cost = money(item.cost);
					inv.updatedAt = now;
				}
				return e.id;
			}
			const variantId = nextId(s, 'variant');
			const itemId = nextId(s, 'item');
			s.variants.set(variantId, {
				id: variantId,
				productId: product!.id,
				sku,
				title,
				price: v.price === undefined || v.price === null ? '0.00' : money(v.price),
				compareAtPrice: v.compareAtPrice === undefined || v.compareAtPrice === null ? null : money(v.compareAtPrice),
				barcode: (v.barcode as string | null | undefined) ?? null,
				inventoryItemId: itemId,
				position: i + 1,
				optionValues: p.optionValues,
				updatedAt: now,
			});
			s.items.set(itemId, { id: itemId, sku, tracked: item?.tracked !== false, cost: item?.cost ? money(item.cost) : '0.00', variantId, createdAt: now, updatedAt: now });
			// Quantities are honoured only on create; without them the item is stocked at the primary location.
			const quantities = (v.inventoryQuantities as Input[] | undefined) ?? [];
			const primary = [...s.locations.keys()][0];
			if (quantities.length === 0 && primary !== undefined) s.levels.set(levelKey(itemId, primary), newLevel(itemId, primary, now));
			for (const q of quantities) {
				const locationId = parseGid(q.locationId, 'Location');
				if (locationId === undefined || !s.locations.has(locationId)) continue;
				const level = s.levels.get(levelKey(itemId, locationId)) ?? newLevel(itemId, locationId, now);
				level.quantities.available = Number(q.quantity);
				s.levels.set(levelKey(itemId, locationId), level);
			}
			return variantId;
		});
	}
	ctx.webhooks.emit(creating ? 'products/create' : 'products/update', productPayload(ctx, product));
	return { product: productView(ctx, product), userErrors: [] };
}

/** `productVariantsBulkUpdate(productId:, variants:, allowPartialUpdates:)`. */
export function productVariantsBulkUpdate(ctx: ExecContext, args: Input): unknown {
	const s = ctx.state;
	const product = s.products.get(parseGid(args.productId, 'Product') ?? -1);
	if (!product) {
		return { product: null, productVariants: null, userErrors: [{ code: 'PRODUCT_DOES_NOT_EXIST', field: ['productId'], message: 'Product does not exist' }] };
	}
	const errors: UserError[] = [];
	const ok: Array<{ variant: VariantRecord; input: Input }> = [];
	((args.variants as Input[]) ?? []).forEach((v, i) => {
		const path = ['variants', String(i)];
		const before = errors.length;
		if (v.id === undefined || v.id === null) {
			errors.push({ code: 'PRODUCT_VARIANT_ID_MISSING', field: [...path, 'id'], message: 'Product variant id is missing' });
			return;
		}
		const variant = s.variants.get(parseGid(v.id, 'ProductVariant') ?? -1);
		if (!variant) errors.push({ code: 'PRODUCT_VARIANT_DOES_NOT_EXIST', field: [...path, 'id'], message: `Product variant does not exist: ${String(v.id)}` });
		else if (variant.productId !== product.id) errors.push({ code: 'MUST_BE_FOR_THIS_PRODUCT', field: [...path, 'id'], message: 'The variant belongs to another product' });
		if (v.inventoryQuantities !== undefined && v.inventoryQuantities !== null) {
			errors.push({
				code: 'NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE',
				field: [...path, 'inventoryQuantities'],
				message: 'Inventory quantities can only be provided during create. To update inventory for existing variants, use inventoryAdjustQuantities.',
			});
		}
		for (const [field, value] of [['price', v.price], ['compareAtPrice', v.compareAtPrice]] as const) {
			const e = moneyError(value, [...path, field], Number(value) < 0 ? 'NEGATIVE_PRICE_VALUE' : 'INVALID_INPUT');
			if (e) errors.push(e);
		}
		if (errors.length === before && variant) ok.push({ variant, input: v });
	});
	if (errors.length > 0 && args.allowPartialUpdates !== true) return { product: productView(ctx, product), productVariants: null, userErrors: errors };
	const now = ctx.now;
	for (const { variant, input } of ok) {
		if (input.price !== undefined && input.price !== null) variant.price = money(input.price);
		if (input.compareAtPrice !== undefined) variant.compareAtPrice = input.compareAtPrice === null ? null : money(input.compareAtPrice);
		if (input.barcode !== undefined) variant.barcode = (input.barcode as string | null) ?? null;
		const item = input.inventoryItem as Input | undefined;
		const inv = s.items.get(variant.inventoryItemId);
		if (item && inv) {
			if (typeof item.sku === 'string') {
				inv.sku = item.sku;
				variant.sku = item.sku;
			}
			if (typeof item.tracked === 'boolean') inv.tracked = item.tracked;
			if (item.cost !== undefined && item.cost !== null) inv.cost = money(item.cost);
			inv.updatedAt = now;
		}
		variant.updatedAt = now;
	}
	if (ok.length > 0) {
		product.updatedAt = now;
		ctx.webhooks.emit('products/update', productPayload(ctx, product));
	}
	return { product: productView(ctx, product), productVariants: ok.map((o) => variantView(ctx, o.variant)), userErrors: errors };
}
