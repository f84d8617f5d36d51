/**
 * A deterministic product catalog every system module fills its state from, so that the same
 * SKUs, prices and stock show up in Shopify, NetSuite, ShipBob... and a reconcile run across the
 * sandboxes has something real to compare. Same seed and sizes, byte-identical catalog.
 */
import { createRng, type Rng, type Seed } from './rng';

/** What to generate. */
export interface CatalogSpec {
	seed: Seed;
	/** Number of SKUs (0..100,000). */
	skus: number;
	/** Number of stock locations / warehouses (1..100). */
	locations: number;
}

/** A stock location (warehouse, store, fulfilment centre). */
export interface CatalogLocation {
	/** Numeric-looking id as a string (systems map it to their own id form). */
	id: string;
	/** Short code, e.g. `WH-01`. */
	code: string;
	name: string;
	city: string;
	country: string;
}

/** Stock of one SKU at one location. All quantities are non-negative integers. */
export interface CatalogStock {
	locationId: string;
	/** Physically present. */
	onHand: number;
	/** Allocated to open orders. */
	committed: number;
	/** Held back (damaged, quality check, safety). */
	reserved: number;
	/** On its way (purchase orders, transfers). */
	incoming: number;
	/** onHand − committed − reserved, never below 0. */
	available: number;
}

/** One sellable item. */
export interface CatalogItem {
	sku: string;
	name: string;
	/** Decimal string with exactly two places, e.g. `"24.90"`. */
	price: string;
	/** Decimal string with two places, or null when the item is not on sale. */
	compareAtPrice: string | null;
	/** Cost price, decimal string with two places. */
	cost: string;
	currency: 'USD';
	/** A valid GTIN-13 (check digit correct). */
	barcode: string;
	weightGrams: number;
	/** One entry per location, in location order. */
	stock: CatalogStock[];
}

/** The generated catalog. */
export interface Catalog {
	spec: { seed: string; skus: number; locations: number };
	locations: CatalogLocation[];
	items: CatalogItem[];
}

const ADJECTIVES = [
	'Classic',
	'Everyday',
	'Trail',
	'Urban',
	'Coastal',
	'Alpine',
	'Studio',
	'Heritage',
	'Nomad',
	'Summit',
	'Harbor',
	'Meadow',
];
const COLORS = [
	'Black',
	'White',
	'Navy',
	'Olive',
	'Sand',
	'Rust',
	'Slate',
	'Forest',
	'Berry',
	'Stone',
];
const PRODUCTS: Array<{
	name: string;
	code: string;
	base: [number, number];
	grams: [number, number];
}> = [
	{ name: 'Tee', code: 'TEE', base: [14, 35], grams: [150, 250] },
	{ name: 'Hoodie', code: 'HOD', base: [39, 89], grams: [450, 800] },
	{ name: 'Cap', code: 'CAP', base: [15, 32], grams: [80, 140] },
	{ name: 'Backpack', code: 'BPK', base: [49, 159], grams: [600, 1400] },
	{ name: 'Water Bottle', code: 'BTL', base: [12, 39], grams: [200, 450] },
	{ name: 'Socks 3-Pack', code: 'SCK', base: [9, 24], grams: [90, 160] },
	{ name: 'Jacket', code: 'JKT', base: [79, 249], grams: [500, 1200] },
	{ name: 'Beanie', code: 'BNE', base: [14, 29], grams: [60, 120] },
	{ name: 'Tote Bag', code: 'TOT', base: [12, 34], grams: [120, 300] },
	{ name: 'Mug', code: 'MUG', base: [9, 22], grams: [280, 420] },
];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'OS'];
const CITIES: Array<[string, string]> = [
	['Reno', 'US'],
	['Columbus', 'US'],
	['Dallas', 'US'],
	['Atlanta', 'US'],
	['Toronto', 'CA'],
	['Rotterdam', 'NL'],
	['Leeds', 'GB'],
	['Melbourne', 'AU'],
	['Phoenix', 'US'],
	['Chicago', 'US'],
];

function money(cents: number): string {
	return (cents / 100).toFixed(2);
}

function gtin13(rng: Rng): string {
	let digits = '20'; // GS1 prefix range 20–29 is reserved for in-store use: never a real product.
	for (let i = 0; i < 10; i++) digits += String(rng.int(0, 9));
	let sum = 0;
	for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
	return digits + String((10 - (sum % 10)) % 10);
}

function checkSpec(spec: CatalogSpec): void {
	const bad = (field: string, fix: string) => {
		throw new RangeError(`Catalog spec: "${field}" ${fix}`);
	};
	if (spec.seed === undefined || spec.seed === null || String(spec.seed) === '')
		bad('seed', 'is required: give any number or string');
	if (!Number.isInteger(spec.skus) || spec.skus < 0 || spec.skus > 100_000)
		bad('skus', `must be an integer from 0 to 100000, got ${String(spec.skus)}`);
	if (!Number.isInteger(spec.locations) || spec.locations < 1 || spec.locations > 100)
		bad('locations', `must be an integer from 1 to 100, got ${String(spec.locations)}`);
}

/**
 * Generates `skus` items stocked at `locations` locations. Pure and deterministic: the output
 * depends only on the spec. Roughly one stock entry in eight is zero on hand (sold out at that
 * location) so reconcile and "out of stock" paths get exercised.
 */
export function generateCatalog(spec: CatalogSpec): Catalog {
	checkSpec(spec);
	const rng = createRng(spec.seed, 'catalog');
	const locRng = rng.fork('locations');
	const locations: CatalogLocation[] = [];
	const firstId = locRng.int(60_000, 89_000);
	for (let i = 0; i < spec.locations; i++) {
		const [city, country] = CITIES[(i + locRng.int(0, CITIES.length - 1)) % CITIES.length];
		locations.push({
			id: String(firstId + i * locRng.int(1, 97)),
			code: `WH-${String(i + 1).padStart(2, '0')}`,
			name: `${city} Warehouse ${i + 1}`,
			city,
			country,
		});
	}
	// Ids built from a random stride could collide for large location counts; make them unique.
	const seen = new Set<string>();
	for (const loc of locations) {
		while (seen.has(loc.id)) loc.id = String(Number(loc.id) + 1);
		seen.add(loc.id);
	}

	const itemRng = rng.fork('items');
	const items: CatalogItem[] = [];
	for (let n = 0; n < spec.skus; n++) {
		const product = itemRng.pick(PRODUCTS);
		const color = itemRng.pick(COLORS);
		const adjective = itemRng.pick(ADJECTIVES);
		const size = itemRng.pick(SIZES);
		// The running number keeps SKUs unique whatever the random parts are.
		const sku = `${product.code}-${color.slice(0, 3).toUpperCase()}-${size}-${String(n + 1).padStart(5, '0')}`;
		const priceCents =
			itemRng.int(product.base[0], product.base[1]) * 100 + itemRng.pick([0, 50, 90, 95, 99]);
		const onSale = itemRng.chance(0.2);
		const compareAt = onSale
			? money(Math.round(priceCents * (1.15 + itemRng.next() * 0.35)))
			: null;
		const cost = money(Math.round(priceCents * (0.3 + itemRng.next() * 0.25)));
		const stock: CatalogStock[] = locations.map((loc) => {
			const soldOut = itemRng.chance(0.125);
			const onHand = soldOut ? 0 : itemRng.int(1, 250);
			const committed = onHand === 0 ? 0 : itemRng.int(0, Math.floor(onHand / 4));
			const reserved = onHand === 0 ? 0 : itemRng.int(0, Math.floor((onHand - committed) / 10));
			const incoming = itemRng.chance(0.3) ? itemRng.int(1, 120) : 0;
			return {
				locationId: loc.id,
				onHand,
				committed,
				reserved,
				incoming,
				available: Math.max(0, onHand - committed - reserved),
			};
		});
		items.push({
			sku,
			name: `${adjective} ${color} ${product.name}${size === 'OS' ? '' : ` (${size})`}`,
			price: money(priceCents),
			compareAtPrice: compareAt,
			cost,
			currency: 'USD',
			barcode: gtin13(itemRng),
			weightGrams: itemRng.int(product.grams[0], product.grams[1]),
			stock,
		});
	}
	return {
		spec: { seed: String(spec.seed), skus: spec.skus, locations: spec.locations },
		locations,
		items,
	};
}
