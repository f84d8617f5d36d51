/**
 * `helpers.httpRequest` and `helpers.httpRequestWithAuthentication` for node tests, sending
 * real HTTP (to the sandbox) and applying OUR credential classes the way n8n does: a generic
 * `authenticate` block (headers/qs/body/auth with `{{$credentials.x}}` templates), a function
 * `authenticate`, and `preAuthentication` for session tokens. Only what our nodes use is
 * implemented; anything else throws instead of being silently ignored.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

const CREDENTIALS_DIR = join(__dirname, '../../credentials');
let classes: Map<string, ICredentialType> | undefined;

/** Our credential types by name, loaded from credentials/*.credentials.ts. */
export function credentialTypes(): Map<string, ICredentialType> {
	if (classes) return classes;
	classes = new Map();
	for (const file of readdirSync(CREDENTIALS_DIR).filter((f) => f.endsWith('.credentials.ts'))) {
		const mod = require(join(CREDENTIALS_DIR, file)) as Record<string, new () => ICredentialType>;
		for (const Ctor of Object.values(mod)) {
			if (typeof Ctor !== 'function') continue;
			const instance = new Ctor();
			if (instance && typeof instance.name === 'string' && Array.isArray(instance.properties)) {
				classes.set(instance.name, instance);
			}
		}
	}
	return classes;
}

/** Resolves `={{$credentials.x}}`-style templates; refuses any other expression. */
export function resolveTemplate(value: unknown, credentials: IDataObject): unknown {
	if (typeof value !== 'string') return value;
	if (!value.startsWith('=')) return value;
	const text = value.slice(1);
	const whole = /^\{\{\s*\$credentials\.([A-Za-z0-9_]+)\s*\}\}$/.exec(text);
	if (whole) return credentials[whole[1]];
	const out = text.replace(/\{\{\s*\$credentials\.([A-Za-z0-9_]+)\s*\}\}/g, (_m, key: string) =>
		String(credentials[key] ?? ''),
	);
	if (out.includes('{{')) throw new Error(`The test HTTP helper cannot evaluate the expression ${value}`);
	return out;
}

function withDefaults(type: ICredentialType, data: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const p of type.properties) if (p.default !== undefined) out[p.name] = p.default as IDataObject[string];
	return { ...out, ...data };
}

async function authenticate(
	type: ICredentialType,
	credentials: IDataObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const auth = type.authenticate;
	if (!auth) return options;
	if (typeof auth === 'function') {
		return await auth(credentials as ICredentialDataDecryptedObject, options);
	}
	if (auth.type !== 'generic') throw new Error(`Unsupported authenticate type ${String(auth.type)}`);
	const next: IHttpRequestOptions = { ...options };
	const props = auth.properties as Record<string, IDataObject | undefined>;
	for (const where of ['headers', 'qs', 'body'] as const) {
		const block = props[where];
		if (!block) continue;
		const resolved: IDataObject = {};
		for (const [k, v] of Object.entries(block)) resolved[k] = resolveTemplate(v, credentials) as IDataObject[string];
		if (where === 'body') next.body = { ...(next.body as IDataObject), ...resolved };
		else next[where] = { ...(next[where] as IDataObject), ...resolved };
	}
	if (props.auth) {
		next.auth = {
			username: String(resolveTemplate(props.auth.username, credentials)),
			password: String(resolveTemplate(props.auth.password, credentials)),
		};
	}
	return next;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

/** Sends one request the way n8n's `httpRequest` does, for the options our nodes use. */
export async function sendHttp(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url, options.baseURL ? `${options.baseURL.replace(/\/+$/, '')}/` : undefined);
	if (options.baseURL && !/^https?:/.test(options.url)) {
		url.href = `${options.baseURL.replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}`;
	}
	for (const [k, v] of Object.entries(options.qs ?? {})) {
		if (v === undefined || v === null) continue;
		if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
		else url.searchParams.append(k, String(v));
	}
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(options.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = String(v);
	if (options.auth) {
		headers.authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
	}
	let body: string | Buffer | undefined;
	if (options.body !== undefined && options.method !== 'GET' && options.method !== 'HEAD') {
		if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = options.body as string | Buffer;
		else if (options.body instanceof URLSearchParams) {
			body = options.body.toString();
			headers['content-type'] ??= 'application/x-www-form-urlencoded';
		} else {
			body = JSON.stringify(options.body);
			headers['content-type'] ??= 'application/json';
		}
	}
	if (options.json) headers.accept ??= 'application/json';
	const signals = [options.timeout ? AbortSignal.timeout(options.timeout) : undefined, options.abortSignal as AbortSignal | undefined].filter(
		(s): s is AbortSignal => s !== undefined,
	);
	let response: Response;
	try {
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body,
			signal: signals.length ? AbortSignal.any(signals) : undefined,
			redirect: options.disableFollowRedirect ? 'manual' : 'follow',
		});
	} catch (error) {
		const cause = (error as { cause?: { code?: string } }).cause;
		const name = (error as Error).name;
		const code = cause?.code ?? (name === 'TimeoutError' ? 'ETIMEDOUT' : name === 'AbortError' ? 'ECONNABORTED' : undefined);
		throw Object.assign(new Error((error as Error).message), { code });
	}
	const text = await response.text();
	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((v, k) => (responseHeaders[k] = v));
	let parsed: unknown = text;
	if (text !== '' && (options.json || (responseHeaders['content-type'] ?? '').includes('json'))) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	if (response.status >= 400 && !options.ignoreHttpStatusErrors) {
		throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
			httpCode: String(response.status),
			response: { status: response.status, headers: responseHeaders, body: parsed },
		});
	}
	const full: FullResponse = { statusCode: response.status, headers: responseHeaders, body: parsed };
	return options.returnFullResponse ? full : parsed;
}

/**
 * The two helpers for `fakeExecuteFunctions({ helpers })`, bound to credential data by type.
 * Session tokens from `preAuthentication` are cached per credential object, like n8n does.
 */
export function n8nHttpHelpers(credentialsByType: Record<string, IDataObject>) {
	const cache = new Map<string, IDataObject>();
	const helpers = {
		httpRequest: sendHttp,
		async httpRequestWithAuthentication(this: unknown, credentialType: string, options: IHttpRequestOptions) {
			const type = credentialTypes().get(credentialType);
			if (!type) throw new Error(`No credential class named "${credentialType}" in credentials/`);
			const given = credentialsByType[credentialType];
			if (!given) throw new Error(`Node does not have any credentials set for "${credentialType}"`);
			let data = cache.get(credentialType) ?? withDefaults(type, given);
			if (type.preAuthentication) {
				const expirable = type.properties.find((p) => (p.typeOptions as IDataObject | undefined)?.expirable);
				if (expirable && !data[expirable.name]) {
					const extra = await type.preAuthentication.call(
						{ helpers: { httpRequest: sendHttp } } as never,
						data as ICredentialDataDecryptedObject,
					);
					data = { ...data, ...(extra as IDataObject) };
					cache.set(credentialType, data);
				}
			}
			const authed = await authenticate(type, data, options);
			return await sendHttp(authed);
		},
		/** Drops cached session tokens (to test refresh). */
		forgetSessions() {
			cache.clear();
		},
	};
	return helpers;
}
