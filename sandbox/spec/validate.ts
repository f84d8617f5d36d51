/**
 * Checks request and response bodies against an OpenAPI 3.0 or Swagger 2.0 description with
 * ajv, so each system module can prove its sandbox answers in the vendor's documented shape.
 *
 * The document is converted once into plain JSON Schema:
 *  - a `$ref` drops its siblings (OpenAPI 3.0 and Swagger 2 ignore them; JSON Schema would apply
 *    e.g. a sibling `additionalProperties: false`, which the ShipBob spec has next to every ref);
 *  - `nullable: true` (OAS 3) and `x-nullable: true` (Swagger 2) become `anyOf [schema, null]`;
 *  - draft-04 boolean `exclusiveMinimum/Maximum` become draft-07 numbers; Swagger `type: file`
 *    is dropped; formats ajv-formats does not know (`tel`, `currency`...) are accepted as-is.
 * Internal `$ref`s are resolved by ajv against the converted document.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSpecFile } from './load';

/** Outcome of one check. */
export interface SpecCheck {
	valid: boolean;
	/** Readable problems: `/items/0/sku must be string`. */
	errors: string[];
	/** `GET /2026-01/inventory-level` as the spec names it. */
	operation: string;
	/** False when the spec documents the status (or request) without a body schema. */
	schemaFound: boolean;
}

/** Thrown by `assert*` when a body does not conform. */
export class SpecViolation extends Error {
	constructor(
		readonly check: SpecCheck,
		what: string,
	) {
		super(
			`${what} does not match the spec for ${check.operation}:\n  ${check.errors.join('\n  ')}`,
		);
		this.name = 'SpecViolation';
	}
}

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const DOC_ID = 'spec.json';

function isObject(v: unknown): v is Json {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Converts an OAS/Swagger document (deep copy) into something ajv validates correctly. */
function convert(node: unknown, formats: Set<string>): unknown {
	if (Array.isArray(node)) return node.map((n) => convert(n, formats));
	if (!isObject(node)) return node;
	const nullable = node.nullable === true || node['x-nullable'] === true;
	if (typeof node.$ref === 'string') {
		const ref = { $ref: node.$ref.startsWith('#') ? `${DOC_ID}${node.$ref}` : node.$ref };
		return nullable ? { anyOf: [ref, { type: 'null' }] } : ref;
	}
	const out: Json = {};
	for (const [key, value] of Object.entries(node)) {
		if (key === 'nullable' || key === 'x-nullable') continue;
		out[key] = convert(value, formats);
	}
	for (const bound of ['Minimum', 'Maximum'] as const) {
		const flag = out[`exclusive${bound}`];
		const limit = out[bound.toLowerCase()];
		if (typeof flag === 'boolean') {
			if (flag && typeof limit === 'number') {
				out[`exclusive${bound}`] = limit;
				delete out[bound.toLowerCase()];
			} else delete out[`exclusive${bound}`];
		}
	}
	if (out.type === 'file') delete out.type;
	if (typeof out.format === 'string') formats.add(out.format);
	return nullable ? { anyOf: [out, { type: 'null' }] } : out;
}

function unescapePointer(segment: string): string {
	return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function describeError(e: ErrorObject): string {
	const where = e.instancePath || '(root)';
	const params = e.params as Record<string, unknown>;
	if (e.keyword === 'additionalProperties')
		return `${where} has unexpected property "${String(params.additionalProperty)}"`;
	if (e.keyword === 'required')
		return `${where} lacks required property "${String(params.missingProperty)}"`;
	if (e.keyword === 'enum')
		return `${where} ${e.message ?? ''}: ${JSON.stringify(params.allowedValues)}`;
	return `${where} ${e.message ?? 'is invalid'}`;
}

/**
 * Drops the noise the nullable rewrite adds: the "must be null" branch and the anyOf summary
 * when a more specific error at or below the same place explains the failure.
 */
function readableErrors(errors: ErrorObject[]): string[] {
	const kept = errors.filter(
		(e) => !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null'),
	);
	const specific = kept.filter(
		(e) =>
			!(
				e.keyword === 'anyOf' &&
				kept.some(
					(o) => o !== e && o.keyword !== 'anyOf' && o.instancePath.startsWith(e.instancePath),
				)
			),
	);
	return [...new Set(specific.map(describeError))];
}

/** A loaded spec, ready to validate bodies of its operations. */
export class SpecValidator {
	readonly kind: 'openapi3' | 'swagger2';
	/** Path prefix the spec's paths are relative to (`/sell/inventory/v1`), or ''. */
	readonly basePath: string;
	private readonly raw: Json;
	private readonly ajv: Ajv;
	private readonly compiled = new Map<string, ValidateFunction | null>();

	constructor(
		doc: unknown,
		readonly name = 'spec',
	) {
		if (!isObject(doc) || !isObject(doc.paths))
			throw new Error(`${name} is not an OpenAPI/Swagger document (no "paths")`);
		this.raw = doc;
		if (typeof doc.openapi === 'string' && doc.openapi.startsWith('3.')) this.kind = 'openapi3';
		else if (doc.swagger === '2.0') this.kind = 'swagger2';
		else throw new Error(`${name}: only OpenAPI 3.0 and Swagger 2.0 are supported`);
		this.basePath =
			this.kind === 'swagger2' ? String(doc.basePath ?? '').replace(/\/$/, '') : serverPath(doc);
		const formats = new Set<string>();
		const converted = convert(doc, formats) as Json;
		this.ajv = new Ajv({
			strict: false,
			allErrors: true,
			validateSchema: false,
			addUsedSchema: false,
		});
		addFormats(this.ajv);
		for (const f of formats) if (!this.ajv.formats[f]) this.ajv.addFormat(f, true);
		this.ajv.addSchema(converted, DOC_ID);
	}

	/** Loads `relativePath` from the shared specs folder (see load.ts). */
	static load(relativePath: string): SpecValidator {
		return new SpecValidator(loadSpecFile(relativePath), relativePath);
	}

	/**
	 * Finds an operation by method and path. `path` may be the spec's template
	 * (`/inventory_item/{sku}`) or a concrete path (`/inventory_item/ABC-1`), with or without the
	 * spec's base path and query string.
	 */
	operation(method: string, path: string): { template: string; method: string; op: Json } {
		const m = method.toLowerCase();
		const paths = this.raw.paths as Json;
		const bare = path.split('?')[0];
		const candidates = [bare];
		if (this.basePath && bare.startsWith(this.basePath))
			candidates.push(bare.slice(this.basePath.length) || '/');
		for (const candidate of candidates) {
			if (isObject(paths[candidate]) && isObject((paths[candidate] as Json)[m])) {
				return { template: candidate, method: m, op: (paths[candidate] as Json)[m] as Json };
			}
		}
		for (const candidate of candidates) {
			for (const [template, item] of Object.entries(paths)) {
				if (!isObject(item) || !isObject(item[m])) continue;
				// `{name}` matches one segment; everything else is literal.
				const source = template
					.split(/(\{[^}]+\})/)
					.map((part) =>
						part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'),
					)
					.join('');
				if (new RegExp(`^${source}$`).test(candidate))
					return { template, method: m, op: item[m] as Json };
			}
		}
		const known = Object.entries(paths).flatMap(([p, item]) =>
			isObject(item)
				? METHODS.filter((x) => isObject(item[x])).map((x) => `${x.toUpperCase()} ${p}`)
				: [],
		);
		const similar = known
			.filter((k) =>
				k.toLowerCase().includes(bare.split('/').filter(Boolean).pop()?.toLowerCase() ?? '\u0000'),
			)
			.slice(0, 5);
		throw new Error(
			`${this.name} has no operation ${method.toUpperCase()} ${path}${similar.length ? `; similar: ${similar.join(', ')}` : ''}`,
		);
	}

	/** Checks a response body for `method path` answering `status`. */
	validateResponse(method: string, path: string, status: number, body: unknown): SpecCheck {
		const { template, method: m, op } = this.operation(method, path);
		const operation = `${m.toUpperCase()} ${template}`;
		const responses = isObject(op.responses) ? op.responses : {};
		const key = [
			String(status),
			`${String(status)[0]}XX`,
			`${String(status)[0]}xx`,
			'default',
		].find((k) => k in responses);
		if (!key) {
			return {
				valid: false,
				errors: [
					`status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`,
				],
				operation,
				schemaFound: false,
			};
		}
		const pointer = ['paths', template, m, 'responses', key];
		const response = this.deref(responses[key]);
		const schemaPath =
			this.kind === 'swagger2'
				? isObject(response.schema)
					? [...(this.pointerOf(response) ?? pointer), 'schema']
					: undefined
				: this.contentSchemaPath(response, pointer);
		return this.check(schemaPath, body, operation, `${operation} ${key}`);
	}

	/** Checks a request body for `method path`. */
	validateRequest(method: string, path: string, body: unknown): SpecCheck {
		const { template, method: m, op } = this.operation(method, path);
		const operation = `${m.toUpperCase()} ${template}`;
		let schemaPath: string[] | undefined;
		if (this.kind === 'swagger2') {
			const params = Array.isArray(op.parameters) ? op.parameters : [];
			const index = params.findIndex((p) => this.deref(p).in === 'body');
			if (index >= 0) {
				const p = params[index] as Json;
				schemaPath =
					typeof p.$ref === 'string'
						? [...p.$ref.slice(2).split('/').map(unescapePointer), 'schema']
						: ['paths', template, m, 'parameters', String(index), 'schema'];
			}
		} else if (op.requestBody !== undefined) {
			const rb = op.requestBody as Json;
			const base =
				typeof rb.$ref === 'string'
					? rb.$ref.slice(2).split('/').map(unescapePointer)
					: ['paths', template, m, 'requestBody'];
			schemaPath = this.contentSchemaPath(this.deref(rb), base);
		}
		return this.check(schemaPath, body, operation, `${operation} request`);
	}

	/** Like `validateResponse`, but throws a `SpecViolation` listing every problem. */
	assertResponse(method: string, path: string, status: number, body: unknown): void {
		const result = this.validateResponse(method, path, status, body);
		if (!result.valid) throw new SpecViolation(result, `The ${status} response body`);
	}

	/** Like `validateRequest`, but throws a `SpecViolation`. */
	assertRequest(method: string, path: string, body: unknown): void {
		const result = this.validateRequest(method, path, body);
		if (!result.valid) throw new SpecViolation(result, 'The request body');
	}

	private contentSchemaPath(holder: Json, pointer: string[]): string[] | undefined {
		// A $ref'd response/requestBody lives elsewhere in the document.
		const content = holder.content;
		if (!isObject(content)) return undefined;
		const types = Object.keys(content);
		const type =
			types.find((t) => t === 'application/json') ??
			types.find((t) => t.includes('json')) ??
			types.find((t) => t === '*/*');
		if (!type || !isObject(content[type]) || !isObject((content[type] as Json).schema))
			return undefined;
		const base = this.pointerOf(holder) ?? pointer;
		return [...base, 'content', type, 'schema'];
	}

	private check(
		schemaPath: string[] | undefined,
		body: unknown,
		operation: string,
		cacheKey: string,
	): SpecCheck {
		if (!schemaPath) return { valid: true, errors: [], operation, schemaFound: false };
		let validate = this.compiled.get(cacheKey);
		if (validate === undefined) {
			validate = this.ajv.compile({
				$ref: `${DOC_ID}#/${schemaPath.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`,
			});
			this.compiled.set(cacheKey, validate);
		}
		if (!validate) return { valid: true, errors: [], operation, schemaFound: false };
		const valid = validate(body) as boolean;
		return {
			valid,
			errors: valid ? [] : readableErrors(validate.errors ?? []),
			operation,
			schemaFound: true,
		};
	}

	private refPaths = new Map<object, string[]>();

	/** Follows a local `$ref` (responses, parameters, request bodies), remembering where it led. */
	private deref(node: unknown): Json {
		let current = node;
		for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) {
			const path = current.$ref.replace(/^#\//, '').split('/').map(unescapePointer);
			let target: unknown = this.raw;
			for (const seg of path) target = isObject(target) ? target[seg] : undefined;
			if (!isObject(target)) throw new Error(`${this.name}: $ref ${current.$ref} does not resolve`);
			this.refPaths.set(target, path);
			current = target;
		}
		return isObject(current) ? current : {};
	}

	private pointerOf(node: Json): string[] | undefined {
		return this.refPaths.get(node);
	}
}

function serverPath(doc: Json): string {
	const servers = Array.isArray(doc.servers) ? doc.servers : [];
	const first = servers[0] as Json | undefined;
	if (!first || typeof first.url !== 'string') return '';
	// Server variables (`https://api.ebay.com{basePath}`) take their documented defaults.
	const vars = isObject(first.variables) ? first.variables : {};
	const url = first.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
		const v = vars[name];
		return isObject(v) && typeof v.default === 'string' ? v.default : '';
	});
	try {
		return new URL(url).pathname.replace(/\/$/, '');
	} catch {
		return url.startsWith('/') ? url.replace(/\/$/, '') : '';
	}
}
