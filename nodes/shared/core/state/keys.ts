import { canonicalJson, idempotencyKey } from '../idempotency/key';

/**
 * Namespaces and keys for the state store. A namespace decides who shares history: one
 * workflow, one node of it, or every workflow naming the same namespace. Keys longer than a
 * backend wants to index are replaced by their hash, so any key fits every backend.
 */

/** Who shares a Dedupe history. */
export type DedupeScope = 'workflow' | 'node' | 'namespace';

/** Longest key stored verbatim; longer keys are stored as their SHA-256. */
export const MAX_RAW_KEY_LENGTH = 200;

/** Letters, digits and `. _ - :`, 1–100 characters: safe in SQL identifiers' data and Redis keys. */
const NAME_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/** A bad key, field or namespace, with the field it came from and how to fix it. */
export class StateKeyError extends Error {
	constructor(
		message: string,
		readonly field?: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'StateKeyError';
	}
}

/** Checks a user-chosen namespace name; throws a StateKeyError saying what is allowed. */
export function checkNamespaceName(name: string): string {
	const trimmed = name.trim();
	if (!NAME_PATTERN.test(trimmed)) {
		throw new StateKeyError(
			`The namespace "${name}" is not valid`,
			'namespace',
			'Use 1–100 letters, digits, dots, dashes, underscores or colons, e.g. "orders.shopify"',
		);
	}
	return trimmed;
}

/**
 * The namespace for a Dedupe history.
 *
 * @param ids the workflow and node ids n8n gives; `name` for the shared-namespace scope
 */
export function dedupeNamespace(
	scope: DedupeScope,
	ids: { workflowId?: string; nodeId?: string; name?: string },
): string {
	switch (scope) {
		case 'workflow':
			return `dd:wf:${requireId(ids.workflowId, 'workflow')}`;
		case 'node':
			return `dd:wf:${requireId(ids.workflowId, 'workflow')}:n:${requireId(ids.nodeId, 'node')}`;
		case 'namespace':
			return `dd:ns:${checkNamespaceName(ids.name ?? '')}`;
	}
}

/** The dead-letter namespaces of a Retry queue name: one for parked retries, one for given-up items. */
export function retryQueueNamespaces(name: string): { scheduled: string; dead: string } {
	const checked = checkNamespaceName(name);
	return { scheduled: `rq:${checked}`, dead: `rq:${checked}:dead` };
}

function requireId(id: string | undefined, what: string): string {
	if (id === undefined || id === '') {
		throw new StateKeyError(
			`The ${what} has no id, so a ${what}-scoped history cannot be kept`,
			'scope',
			what === 'workflow'
				? 'Save the workflow first, or use the "Namespace" scope with a name'
				: 'Use the "Workflow" or "Namespace" scope',
		);
	}
	return id;
}

/**
 * Makes a key storable: strings up to {@link MAX_RAW_KEY_LENGTH} stay as they are, longer ones
 * become `sha256:<hex>` (collisions are not a practical concern at 256 bits).
 */
export function storableKey(raw: string): string {
	return raw.length <= MAX_RAW_KEY_LENGTH ? raw : `sha256:${idempotencyKey(raw)}`;
}

/**
 * A key from an expression's value: strings and numbers as text, objects and arrays as
 * canonical JSON (field order does not matter). Empty values are refused — an empty key would
 * make every such item a duplicate of the first.
 */
export function keyFromValue(value: unknown, field = 'key'): string {
	if (value === undefined || value === null || value === '') {
		throw new StateKeyError(
			'The key is empty',
			field,
			'Make the key expression return a non-empty value for every item, e.g. {{ $json.id }}',
		);
	}
	if (typeof value === 'string') return storableKey(value);
	if (typeof value === 'number' || typeof value === 'boolean') return storableKey(String(value));
	return storableKey(canonicalOrThrow(value, field));
}

/**
 * A key from the values of named fields (dot paths allowed), in the order given. A missing
 * field is an error naming the field, not a silent `null` that would merge unrelated items.
 */
export function keyFromFields(json: Record<string, unknown>, fields: string[]): string {
	if (fields.length === 0) {
		throw new StateKeyError('No fields to build the key from', 'fields', 'List at least one field, e.g. "orderId"');
	}
	const values = fields.map((field) => pickField(json, field));
	if (values.length === 1 && (typeof values[0] === 'string' || typeof values[0] === 'number')) {
		return keyFromValue(values[0], fields[0]);
	}
	return storableKey(canonicalOrThrow(values, fields.join(',')));
}

/**
 * SHA-256 (hex) of the canonical JSON of the chosen fields, or of the whole item when no field
 * is named. The same content gives the same hash whatever the order its fields arrived in.
 */
export function contentHash(json: Record<string, unknown>, fields: string[] = []): string {
	const content: Record<string, unknown> = {};
	if (fields.length === 0) return hashOrThrow(json, 'fields');
	for (const field of fields) content[field] = pickField(json, field);
	return hashOrThrow(content, fields.join(','));
}

/** Reads a dot-path field; throws a StateKeyError naming it when absent. */
export function pickField(json: Record<string, unknown>, field: string): unknown {
	let value: unknown = json;
	for (const part of field.split('.')) {
		value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
	}
	if (value === undefined) {
		throw new StateKeyError(
			`The item has no field "${field}"`,
			field,
			'Check the field name (dot paths like "customer.email" are allowed), or remove it from the list',
		);
	}
	return value;
}

/** Splits a comma-separated field list, dropping blanks. */
export function splitFieldList(raw: string): string[] {
	return raw
		.split(',')
		.map((f) => f.trim())
		.filter((f) => f !== '');
}

function canonicalOrThrow(value: unknown, field: string): string {
	try {
		return canonicalJson(value);
	} catch (error) {
		throw new StateKeyError((error as Error).message, field);
	}
}

function hashOrThrow(value: unknown, field: string): string {
	try {
		return idempotencyKey(value);
	} catch (error) {
		throw new StateKeyError((error as Error).message, field);
	}
}
