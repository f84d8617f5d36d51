/**
 * `inventorySetQuantities` and `inventoryAdjustQuantities` with Shopify's per-version
 * compare-and-set rules, userError codes and ledger-document rules (reference/commerce-apis.md
 * §1.3, §1.4). Any userError fails the whole mutation: nothing is applied. Every applied change
 * emits `inventory_levels/update`.
 */
import { gid, iso, levelGid, parseGid, type ExecContext } from './context';
import { compareRemoved, hasChangeFrom } from './schema';
import { levelKey, moveQuantity, ON_HAND_STATES, quantityOf, type LevelRecord, type QuantityName, type StoredState } from './state';
import { itemView, locationView } from './views';

/** Reasons Shopify accepts (§1.4). */
export const REASONS = [
	'correction', 'cycle_count_available', 'damaged', 'movement_created', 'movement_updated', 'movement_received',
	'movement_canceled', 'other', 'promotion', 'quality_control', 'received', 'reservation_created', 'reservation_deleted',
	'reservation_updated', 'restock', 'safety_stock', 'shrinkage',
] as const;

/** Names `inventoryAdjustQuantities` accepts (`committed` and `on_hand` are not adjustable). */
export const ADJUSTABLE_NAMES: readonly StoredState[] = ['available', 'damaged', 'quality_control', 'reserved', 'safety_stock', 'incoming'];

const MAX_SET = 1_000_000_000;
const MAX_ADJUST = 2_000_000_000;

interface UserError {
	code: string;
	field: string[];
	message: string;
}

interface Change {
	level: LevelRecord;
	name: QuantityName;
	delta: number;
	ledgerDocumentUri: string | null;
}

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

function checkReason(input: Record<string, unknown>, errors: UserError[]): void {
	if (!(REASONS as readonly string[]).includes(String(input.reason))) {
		errors.push({ code: 'INVALID_REASON', field: ['input', 'reason'], message: `The reason "${String(input.reason)}" is invalid. Valid reasons: ${REASONS.join(', ')}` });
	}
	const ref = input.referenceDocumentUri;
	if (ref !== undefined && ref !== null && !URI.test(String(ref))) {
		errors.push({ code: 'INVALID_REFERENCE_DOCUMENT', field: ['input', 'referenceDocumentUri'], message: 'The reference document URI is invalid: use a URI such as myapp://po/4471' });
	}
}

/** Resolves item + location of entry `i`; pushes INVALID_* / ITEM_NOT_STOCKED errors. */
function findLevel(ctx: ExecContext, entry: Record<string, unknown>, path: Array<string>, errors: UserError[]): LevelRecord | undefined {
	const itemId = parseGid(entry.inventoryItemId, 'InventoryItem');
	const locationId = parseGid(entry.locationId, 'Location');
	if (itemId === undefined || !ctx.state.items.has(itemId)) {
		errors.push({ code: 'INVALID_INVENTORY_ITEM', field: [...path, 'inventoryItemId'], message: `The specified inventory item could not be found: ${String(entry.inventoryItemId)}` });
		return undefined;
	}
	if (locationId === undefined || !ctx.state.locations.has(locationId)) {
		errors.push({ code: 'INVALID_LOCATION', field: [...path, 'locationId'], message: `The specified location could not be found: ${String(entry.locationId)}` });
		return undefined;
	}
	const level = ctx.state.levels.get(levelKey(itemId, locationId));
	if (!level) {
		errors.push({
			code: 'ITEM_NOT_STOCKED_AT_LOCATION',
			field: [...path, 'locationId'],
			message: `The specified inventory item is not stocked at the location. Activate it there first (inventoryActivate).`,
		});
	}
	return level;
}

function payload(ctx: ExecContext, reason: string, referenceDocumentUri: unknown, changes: Change[], errors: UserError[]): unknown {
	if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };
	if (changes.length === 0) return { inventoryAdjustmentGroup: null, userErrors: [] };
	const groupId = 30_000_000_001 + ctx.state.adjustmentGroups++;
	const applied = apply(ctx, changes);
	return {
		inventoryAdjustmentGroup: {
			__typename: 'InventoryAdjustmentGroup',
			id: gid('InventoryAdjustmentGroup', groupId),
			createdAt: iso(ctx.now),
			reason,
			referenceDocumentUri: referenceDocumentUri ?? null,
			changes: applied,
		},
		userErrors: [],
	};
}

/** Applies changes, returns Shopify's `changes` list (the named change + its on_hand/available companion). */
function apply(ctx: ExecContext, changes: Change[]): unknown[] {
	const out: unknown[] = [];
	const touched = new Set<LevelRecord>();
	for (const c of changes) {
		const { level } = c;
		const item = ctx.state.items.get(level.itemId);
		const loc = ctx.state.locations.get(level.locationId);
		const entry = (name: QuantityName, delta: number) => ({
			__typename: 'InventoryChange',
			name,
			delta,
			quantityAfterChange: quantityOf(level, name),
			ledgerDocumentUri: c.ledgerDocumentUri,
			item: item ? itemView(ctx, item) : null,
			location: loc ? locationView(ctx, loc) : null,
		});
		// Setting on_hand moves available by the same delta (on_hand is derived from it).
		const stored: StoredState = c.name === 'on_hand' ? 'available' : c.name;
		moveQuantity(level, stored, c.delta, ctx.now);
		touched.add(level);
		out.push(entry(c.name, c.delta));
		if (c.name === 'on_hand') out.push(entry('available', c.delta));
		else if (ON_HAND_STATES.includes(stored)) out.push(entry('on_hand', c.delta));
		if (item) item.updatedAt = ctx.now;
	}
	for (const level of touched) emitLevelUpdate(ctx, level);
	return out;
}

/** `inventory_levels/update` with the REST-shaped payload. */
export function emitLevelUpdate(ctx: ExecContext, level: LevelRecord): void {
	ctx.webhooks.emit('inventory_levels/update', {
		inventory_item_id: level.itemId,
		location_id: level.locationId,
		available: quantityOf(level, 'available'),
		updated_at: iso(ctx.now),
		admin_graphql_api_id: levelGid(level.itemId, level.locationId),
	});
}

/** `inventorySetQuantities(input:)`. */
export function inventorySetQuantities(ctx: ExecContext, input: Record<string, unknown>): unknown {
	const errors: UserError[] = [];
	const name = String(input.name);
	if (name !== 'available' && name !== 'on_hand') {
		errors.push({ code: 'INVALID_NAME', field: ['input', 'name'], message: `The quantity name "${name}" can't be set; use "available" or "on_hand"` });
	}
	checkReason(input, errors);
	const quantities = (input.quantities as Array<Record<string, unknown>>) ?? [];
	const seen = new Set<string>();
	const changes: Change[] = [];
	const staleCode = ctx.version === '2026-04' ? 'CHANGE_FROM_QUANTITY_STALE' : 'COMPARE_QUANTITY_STALE';
	quantities.forEach((q, i) => {
		const path = ['input', 'quantities', String(i)];
		const level = findLevel(ctx, q, path, errors);
		const quantity = q.quantity as number;
		if (quantity > MAX_SET) errors.push({ code: 'INVALID_QUANTITY_TOO_HIGH', field: [...path, 'quantity'], message: `The quantity can't be higher than ${MAX_SET}.` });
		else if (quantity < 0) errors.push({ code: 'INVALID_QUANTITY_NEGATIVE', field: [...path, 'quantity'], message: "The quantity can't be negative." });
		const pair = `${String(q.inventoryItemId)}|${String(q.locationId)}`;
		if (seen.has(pair)) {
			errors.push({
				code: 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR',
				field: path,
				message: 'The combination of inventoryItemId and locationId must be unique.',
			});
		}
		seen.add(pair);
		if (!level || (name !== 'available' && name !== 'on_hand')) return;
		const current = quantityOf(level, name);

		// Compare-and-set, by version (§1.3).
		const hasKey = hasChangeFrom(ctx.version) && Object.prototype.hasOwnProperty.call(q, 'changeFromQuantity');
		if (compareRemoved(ctx.version) && !hasKey) {
			errors.push({
				code: 'CHANGE_FROM_QUANTITY_REQUIRED',
				field: [...path, 'changeFromQuantity'],
				message: 'changeFromQuantity is required from API version 2026-04: pass the quantity you expect now, or null to skip the check.',
			});
		} else if (hasKey) {
			const expected = q.changeFromQuantity as number | null;
			if (expected !== null && expected !== current) {
				errors.push({
					code: ctx.version === '2026-04' ? 'CHANGE_FROM_QUANTITY_STALE' : 'COMPARE_QUANTITY_STALE',
					field: [...path, 'changeFromQuantity'],
					message: `The quantity changed since you read it: expected ${expected}, it is ${current} now. Read it again and retry.`,
				});
			}
		} else if (input.ignoreCompareQuantity !== true) {
			const expected = q.compareQuantity as number | null | undefined;
			if (expected === undefined || expected === null) {
				errors.push({
					code: 'COMPARE_QUANTITY_REQUIRED',
					field: [...path, 'compareQuantity'],
					message: 'compareQuantity is required unless ignoreCompareQuantity is true.',
				});
			} else if (expected !== current) {
				errors.push({
					code: staleCode,
					field: [...path, 'compareQuantity'],
					message: `The compareQuantity argument no longer matches the persisted quantity: expected ${expected}, it is ${current} now.`,
				});
			}
		}
		const delta = quantity - current;
		if (delta !== 0) changes.push({ level, name: name as QuantityName, delta, ledgerDocumentUri: null });
	});
	return payload(ctx, String(input.reason), input.referenceDocumentUri, changes, errors);
}

/** `inventoryAdjustQuantities(input:)`. */
export function inventoryAdjustQuantities(ctx: ExecContext, input: Record<string, unknown>): unknown {
	const errors: UserError[] = [];
	const name = String(input.name);
	const adjustable = (ADJUSTABLE_NAMES as readonly string[]).includes(name);
	if (!adjustable) {
		errors.push({ code: 'INVALID_QUANTITY_NAME', field: ['input', 'name'], message: `The quantity name "${name}" can't be adjusted; use one of ${ADJUSTABLE_NAMES.join(', ')}` });
	}
	checkReason(input, errors);
	const list = (input.changes as Array<Record<string, unknown>>) ?? [];
	const ledgers = new Set<string>();
	const changes: Change[] = [];
	// Running values, so two changes to one level in a batch compare against each other's result.
	const running = new Map<LevelRecord, number>();
	list.forEach((c, i) => {
		const path = ['input', 'changes', String(i)];
		const ledger = c.ledgerDocumentUri as string | null | undefined;
		if (name === 'available') {
			if (ledger !== undefined && ledger !== null) {
				errors.push({ code: 'INVALID_AVAILABLE_DOCUMENT', field: [...path, 'ledgerDocumentUri'], message: 'A ledger document URI is not allowed when adjusting available.' });
			}
		} else if (adjustable) {
			if (ledger === undefined || ledger === null) {
				errors.push({ code: 'INVALID_QUANTITY_DOCUMENT', field: [...path, 'ledgerDocumentUri'], message: `A ledger document URI is required when adjusting ${name}.` });
			} else if (ledger.startsWith('gid://shopify/')) {
				errors.push({ code: 'INTERNAL_LEDGER_DOCUMENT', field: [...path, 'ledgerDocumentUri'], message: 'A ledger document URI may not be a Shopify GID.' });
			} else if (!URI.test(ledger)) {
				errors.push({ code: 'INVALID_LEDGER_DOCUMENT', field: [...path, 'ledgerDocumentUri'], message: 'The ledger document URI is invalid.' });
			} else ledgers.add(ledger);
		}
		const level = findLevel(ctx, c, path, errors);
		const delta = c.delta as number;
		if (!level || !adjustable) return;
		const current = running.get(level) ?? quantityOf(level, name as QuantityName);
		if (hasChangeFrom(ctx.version) && c.changeFromQuantity !== undefined && c.changeFromQuantity !== null && c.changeFromQuantity !== current) {
			errors.push({
				code: 'CHANGE_FROM_QUANTITY_STALE',
				field: [...path, 'changeFromQuantity'],
				message: `The quantity changed since you read it: expected ${String(c.changeFromQuantity)}, it is ${current} now.`,
			});
		}
		const after = current + delta;
		if (after > MAX_ADJUST) errors.push({ code: 'INVALID_QUANTITY_TOO_HIGH', field: [...path, 'delta'], message: `The resulting quantity can't be higher than ${MAX_ADJUST}.` });
		if (after < -MAX_ADJUST) errors.push({ code: 'INVALID_QUANTITY_TOO_LOW', field: [...path, 'delta'], message: `The resulting quantity can't be lower than ${-MAX_ADJUST}.` });
		running.set(level, after);
		if (delta !== 0) changes.push({ level, name: name as QuantityName, delta, ledgerDocumentUri: ledger ?? null });
	});
	if (ledgers.size > 1) errors.push({ code: 'MAX_ONE_LEDGER_DOCUMENT', field: ['input', 'changes'], message: 'All changes must use the same ledger document URI.' });
	return payload(ctx, String(input.reason), input.referenceDocumentUri, changes, errors);
}

/** A merchant's change in the admin (control route): no CAS, emits the webhook. */
export function merchantSet(ctx: ExecContext, level: LevelRecord, name: 'available' | 'on_hand', quantity: number): void {
	const delta = quantity - quantityOf(level, name);
	if (delta === 0) return;
	moveQuantity(level, 'available', delta, ctx.now);
	emitLevelUpdate(ctx, level);
}
