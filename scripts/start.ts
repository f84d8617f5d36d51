/**
 * `npm start`: builds the package, starts the sandbox and a real n8n with the package installed,
 * creates a sandbox credential for every credential type the package declares, imports every
 * template in `workflows/`, prints where to log in, and stays in the foreground until Ctrl-C.
 *
 *   npm start
 *   npm start -- --port 5680 --sandbox-port 8788     # or N8N_PORT / SANDBOX_PORT
 *
 * n8n's user folder (owner, credentials, workflows, executions) persists between starts in
 * `~/.cache/n8n-nodes-commerce-sync/start-home` (COMMERCE_SYNC_START_HOME overrides it); the
 * freshly built package is re-installed into it on every start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

import { OWNER, freePort, packPackage, startN8n, type N8nInstance } from '../test/e2e/harness/n8n';
import { REPO_ROOT, ensureRuntime, runtimeInstalled } from '../test/e2e/harness/runtime';
// The sandbox and the credential table (which imports the sandbox systems) are loaded after the
// port check, so that a taken port is reported in a second, not after transpiling every system.
import type { Sandbox } from '../sandbox/server';
import type { SandboxUrls } from './start-credentials';

const PACKAGE_NAME = 'n8n-nodes-commerce-sync';
const API_KEY_LABEL = 'npm start';

const USAGE = `Usage: npm start -- [--port N] [--sandbox-port N] [--no-build]
  --port          n8n's port on 127.0.0.1 (default $N8N_PORT or 5678; 0 picks a free one)
  --sandbox-port  the sandbox's port on 127.0.0.1 (default $SANDBOX_PORT or 8787; 0 picks a free one)
  --no-build      install dist/ as it is instead of running npm run build first
Environment: N8N_OWNER_PASSWORD (the owner's password), COMMERCE_SYNC_START_HOME (n8n's user folder)`;

interface Args {
	port: number;
	sandboxPort: number;
	build: boolean;
}

/** A user-facing failure: printed without a stack trace. */
class StartError extends Error {}

function parsePort(name: string, value: string | undefined): number {
	const n = Number(value);
	if (value === undefined || value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) {
		throw new StartError(
			`${name} must be a port number from 0 to 65535, got "${value ?? ''}"\n${USAGE}`,
		);
	}
	return n;
}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args {
	const args: Args = {
		port: env.N8N_PORT ? parsePort('N8N_PORT', env.N8N_PORT) : 5678,
		sandboxPort: env.SANDBOX_PORT ? parsePort('SANDBOX_PORT', env.SANDBOX_PORT) : 8787,
		build: true,
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				args.port = parsePort('--port', value());
				break;
			case '--sandbox-port':
				args.sandboxPort = parsePort('--sandbox-port', value());
				break;
			case '--no-build':
				args.build = false;
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				throw new StartError(`unknown option "${argv[i]}"\n${USAGE}`);
		}
	}
	return args;
}

/** Whether nothing listens on the port (we try to listen there ourselves, briefly). */
async function portFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Both ports, checked before anything starts; 0 becomes a free port. */
async function choosePorts(args: Args): Promise<Args> {
	const checks = [
		{ what: 'n8n', port: args.port, flag: '--port', env: 'N8N_PORT' },
		{ what: 'The sandbox', port: args.sandboxPort, flag: '--sandbox-port', env: 'SANDBOX_PORT' },
	];
	if (args.port !== 0 && args.port === args.sandboxPort) {
		throw new StartError(
			`n8n and the sandbox cannot share port ${args.port}: choose another with --sandbox-port <number> or SANDBOX_PORT=<number>.`,
		);
	}
	const problems: string[] = [];
	for (const c of checks) {
		if (c.port !== 0 && !(await portFree(c.port))) {
			problems.push(
				`${c.what === 'n8n' ? 'n8n' : 'the sandbox'} needs port ${c.port} on 127.0.0.1, but it is already in use (another n8n, sandbox or program is listening there). ` +
					`Choose another with ${c.flag} <number> (npm start -- ${c.flag} <number>) or ${c.env}=<number>.`,
			);
		}
	}
	if (problems.length > 0) throw new StartError(problems.join('\n'));
	return {
		...args,
		port: args.port || (await freePort()),
		sandboxPort: args.sandboxPort || (await freePort()),
	};
}

function say(line: string): void {
	process.stdout.write(`${line}\n`);
}

function warn(line: string): void {
	process.stderr.write(`npm start: warning: ${line}\n`);
}

function elapsed(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

interface PackageJson {
	n8n: { credentials: string[]; nodes: string[] };
}

function packageJson(): PackageJson {
	return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
}

interface PropertyLike {
	name: string;
	required?: boolean;
	default?: unknown;
	displayOptions?: unknown;
}

interface CredentialTypeLike {
	name: string;
	displayName?: string;
	properties: PropertyLike[];
}

/** The class instances a built file exports (a credential or node file exports one class). */
function exportedInstances(file: string): unknown[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(file) as Record<string, unknown>;
	const out: unknown[] = [];
	for (const value of Object.values(mod)) {
		// Only classes: calling a helper function could have effects.
		if (typeof value !== 'function' || !/^class\b/.test(Function.prototype.toString.call(value)))
			continue;
		try {
			out.push(new (value as new () => unknown)());
		} catch {
			/* needs constructor arguments: not a node or credential */
		}
	}
	return out;
}

/** Files package.json declares that the build did not produce: n8n would refuse the whole package. */
function missingBuiltFiles(): string[] {
	const { nodes, credentials } = packageJson().n8n;
	return [...credentials, ...nodes].filter((file) => !existsSync(join(REPO_ROOT, file)));
}

/** n8n's reason for not loading the package, from its log (n8n starts anyway without it). */
function packageLoadFailure(log: string): string | undefined {
	const lines = log.split('\n');
	const at = lines.findIndex((l) => l.includes(`Failed to load package "${PACKAGE_NAME}"`));
	return at < 0 ? undefined : lines.slice(at, at + 3).join('\n');
}

/** The credential types package.json declares, read from the built files. */
function declaredCredentialTypes(): CredentialTypeLike[] {
	const types: CredentialTypeLike[] = [];
	for (const file of packageJson().n8n.credentials) {
		const path = join(REPO_ROOT, file);
		if (!existsSync(path)) {
			warn(
				`package.json declares credential file ${file}, which the build did not produce; skipped`,
			);
			continue;
		}
		const found = exportedInstances(path).find(
			(x): x is CredentialTypeLike =>
				typeof (x as CredentialTypeLike).name === 'string' &&
				Array.isArray((x as CredentialTypeLike).properties),
		);
		if (!found) warn(`${file} exports no credential class; skipped`);
		else types.push(found);
	}
	return types;
}

interface CredentialRef {
	id: string;
	name: string;
}

interface ApiCredential {
	id: string;
	name: string;
	type: string;
}

/** Every page of a public-API list. */
async function listAll<T>(n8n: N8nInstance, path: string): Promise<T[]> {
	const out: T[] = [];
	let cursor: string | undefined;
	do {
		const sep = path.includes('?') ? '&' : '?';
		const res = await n8n.request<{ data?: T[]; nextCursor?: string | null }>(
			'GET',
			`${path}${sep}limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
		);
		if (res.status !== 200)
			throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
		out.push(...(res.body.data ?? []));
		cursor = res.body.nextCursor ?? undefined;
	} while (cursor);
	return out;
}

/** The fields the table gives for a type, checked against the type's properties. */
function credentialData(
	type: CredentialTypeLike,
	raw: Record<string, unknown>,
): Record<string, unknown> {
	const known = new Set(type.properties.map((p) => p.name));
	const data: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (known.has(key)) data[key] = value;
		else
			warn(
				`credential type ${type.name} has no field "${key}" any more: left out. Update its entry in scripts/start-credentials.ts.`,
			);
	}
	for (const p of type.properties) {
		if (
			p.required &&
			!p.displayOptions &&
			!(p.name in data) &&
			(p.default === '' || p.default === undefined)
		) {
			warn(
				`credential type ${type.name} requires "${p.name}", which scripts/start-credentials.ts does not set`,
			);
		}
	}
	return data;
}

/**
 * Creates or replaces "<System> (sandbox)" for every declared credential type with sandbox
 * values, and tests each one against the running sandbox. Returns them by type name.
 */
async function syncCredentials(
	n8n: N8nInstance,
	sandbox: SandboxUrls,
): Promise<{ refs: Map<string, CredentialRef>; lines: string[] }> {
	const { SANDBOX_CREDENTIALS, sandboxCredentialName } = await import('./start-credentials');
	const refs = new Map<string, CredentialRef>();
	const lines: string[] = [];
	const existing = await listAll<ApiCredential>(n8n, '/api/v1/credentials');
	for (const type of declaredCredentialTypes()) {
		const entry = SANDBOX_CREDENTIALS[type.name];
		if (!entry) {
			warn(
				`no sandbox values for credential type "${type.name}" (${type.displayName ?? type.name}): ` +
					'add an entry to scripts/start-credentials.ts. No credential created for it.',
			);
			continue;
		}
		const name = sandboxCredentialName(entry);
		const data = credentialData(type, entry.data(sandbox));
		const match = existing.find((c) => c.name === name && c.type === type.name);
		const res = match
			? await n8n.request<{ id: string }>('PATCH', `/api/v1/credentials/${match.id}`, {
					name,
					data,
				})
			: await n8n.request<{ id: string }>('POST', '/api/v1/credentials', {
					name,
					type: type.name,
					data,
				});
		if (res.status >= 300) {
			// The API names fields, never their values: safe to print.
			warn(
				`n8n refused credential "${name}" (${type.name}): ${res.status} ${JSON.stringify(res.body)}`,
			);
			lines.push(`${name.padEnd(40)} FAILED (see the warning above)`);
			continue;
		}
		const id = match ? match.id : res.body.id;
		refs.set(type.name, { id, name });
		const test = await n8n.request<{ status?: string; message?: string }>(
			'POST',
			`/api/v1/credentials/${id}/test`,
		);
		const verdict =
			test.status === 200 && test.body?.status === 'OK'
				? 'connection tested'
				: `connection test: ${test.body?.message ?? `HTTP ${test.status}`}`;
		lines.push(`${name.padEnd(40)} ${match ? 'updated' : 'created'}, ${verdict}`);
	}
	return { refs, lines };
}

interface NodeCredentialSlot {
	name: string;
	required?: boolean;
	displayOptions?: { show?: Record<string, unknown[]>; hide?: Record<string, unknown[]> };
}

interface NodeInfo {
	credentials: NodeCredentialSlot[];
	defaults: Record<string, unknown>;
}

/** Our node types (`n8n-nodes-commerce-sync.<name>`) with their credential slots. */
function packageNodes(): Map<string, NodeInfo> {
	const out = new Map<string, NodeInfo>();
	for (const file of packageJson().n8n.nodes) {
		const path = join(REPO_ROOT, file);
		if (!existsSync(path)) continue;
		for (const instance of exportedInstances(path)) {
			const description = (
				instance as {
					description?: {
						name?: string;
						credentials?: NodeCredentialSlot[];
						properties?: PropertyLike[];
					};
				}
			).description;
			if (!description?.name) continue;
			out.set(`${PACKAGE_NAME}.${description.name}`, {
				credentials: description.credentials ?? [],
				defaults: Object.fromEntries(
					(description.properties ?? []).map((p) => [p.name, p.default]),
				),
			});
		}
	}
	return out;
}

/** A slot's simple `show`/`hide` conditions on the node's parameters (unknown shapes count as shown). */
function slotShown(
	slot: NodeCredentialSlot,
	parameters: Record<string, unknown>,
	defaults: Record<string, unknown>,
): boolean {
	const valueOf = (key: string) => (key in parameters ? parameters[key] : defaults[key]);
	for (const [key, allowed] of Object.entries(slot.displayOptions?.show ?? {})) {
		if (key.startsWith('@') || !Array.isArray(allowed)) continue;
		if (!allowed.includes(valueOf(key) as never)) return false;
	}
	for (const [key, denied] of Object.entries(slot.displayOptions?.hide ?? {})) {
		if (key.startsWith('@') || !Array.isArray(denied)) continue;
		if (denied.includes(valueOf(key) as never)) return false;
	}
	return true;
}

interface TemplateNode {
	name?: string;
	type?: string;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

/**
 * Points every credential slot of a template's nodes at the sandbox credential of that type:
 * slots the template names, and the required slots of our nodes that their parameters show.
 */
export function bindCredentials(
	nodes: TemplateNode[],
	refs: Map<string, CredentialRef>,
	ours: Map<string, NodeInfo>,
): { nodes: TemplateNode[]; missing: string[] } {
	const missing = new Set<string>();
	const bound = nodes.map((node) => {
		const credentials: Record<string, unknown> = { ...(node.credentials ?? {}) };
		const info = node.type ? ours.get(node.type) : undefined;
		for (const slot of info?.credentials ?? []) {
			if (slot.name in credentials) continue;
			if (slot.required && slotShown(slot, node.parameters ?? {}, info?.defaults ?? {}))
				credentials[slot.name] = {};
		}
		for (const type of Object.keys(credentials)) {
			const ref = refs.get(type);
			if (ref) credentials[type] = { id: ref.id, name: ref.name };
			else missing.add(type);
		}
		return Object.keys(credentials).length > 0 ? { ...node, credentials } : node;
	});
	return { nodes: bound, missing: [...missing] };
}

interface ApiWorkflow {
	id: string;
	name: string;
}

/** Imports (or, matched by name, updates) every `workflows/*.json`. */
async function importTemplates(
	n8n: N8nInstance,
	refs: Map<string, CredentialRef>,
): Promise<string[]> {
	// The e2e test points this elsewhere to add its own template to the real ones.
	const dir = process.env.COMMERCE_SYNC_WORKFLOWS_DIR || join(REPO_ROOT, 'workflows');
	const files = existsSync(dir)
		? readdirSync(dir)
				.filter((f) => f.endsWith('.json'))
				.sort()
		: [];
	if (files.length === 0) return [];
	const ours = packageNodes();
	const existing = await listAll<ApiWorkflow>(n8n, '/api/v1/workflows?excludePinnedData=true');
	const lines: string[] = [];
	for (const file of files) {
		let template: Record<string, unknown>;
		try {
			template = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
		} catch (error) {
			warn(`${file} is not valid JSON (${(error as Error).message}); not imported`);
			continue;
		}
		const name =
			typeof template.name === 'string' && template.name.trim()
				? template.name
				: basename(file, '.json');
		if (
			!Array.isArray(template.nodes) ||
			typeof template.connections !== 'object' ||
			template.connections === null
		) {
			warn(`${file} has no "nodes" array or "connections" object; not imported`);
			continue;
		}
		const { nodes, missing } = bindCredentials(template.nodes as TemplateNode[], refs, ours);
		for (const type of missing)
			warn(`${file} uses credential type "${type}", for which there is no sandbox credential`);
		const body: Record<string, unknown> = {
			name,
			nodes,
			connections: template.connections,
			settings: template.settings ?? { executionOrder: 'v1' },
		};
		for (const key of ['description', 'staticData', 'pinData'] as const) {
			if (template[key] !== undefined && template[key] !== null) body[key] = template[key];
		}
		const match = existing.find((w) => w.name === name);
		const res = match
			? await n8n.request<{ id: string }>('PUT', `/api/v1/workflows/${match.id}`, body)
			: await n8n.request<{ id: string }>('POST', '/api/v1/workflows', body);
		if (res.status >= 300) {
			warn(`${file} was refused by n8n (${res.status}): ${JSON.stringify(res.body)}`);
			continue;
		}
		if (!match) existing.push({ id: res.body.id, name });
		lines.push(`${name.padEnd(40)} ${match ? 'updated' : 'imported'} (${file})`);
	}
	return lines;
}

let tarballPacked = false;

/** Removes the `npm pack` output once it is installed (the harness leaves it for reuse in tests). */
function removePackedTarball(): void {
	if (!tarballPacked) return;
	tarballPacked = false;
	try {
		// Within this process packPackage() returns the tarball it already made.
		rmSync(dirname(packPackage()), { recursive: true, force: true });
	} catch {
		/* nothing was packed */
	}
}

function cacheRoot(): string {
	return process.env.COMMERCE_SYNC_CACHE || join(homedir(), '.cache', PACKAGE_NAME);
}

async function main(): Promise<void> {
	const started = Date.now();
	const controller = new AbortController();
	let sandbox: Sandbox | undefined;
	let n8n: N8nInstance | undefined;
	let ready = false;
	let stopping = false;

	// Ctrl-C is how users stop npm start: a clean stop exits 0, whenever it comes.
	const shutdown = async (): Promise<never> => {
		stopping = true;
		await n8n?.stop();
		await sandbox?.close();
		removePackedTarball();
		say('Stopped n8n and the sandbox.');
		process.exit(0);
	};
	const onSignal = (signal: NodeJS.Signals) => {
		if (controller.signal.aborted) {
			// A second Ctrl-C while stopping: do not wait for n8n's graceful shutdown.
			say(`\n${signal} again: killing n8n`);
			if (n8n?.pid) {
				try {
					process.kill(-n8n.pid, 'SIGKILL');
				} catch {
					/* already gone */
				}
			}
			process.exit(130);
		}
		say(`\n${signal}: stopping n8n and the sandbox…`);
		controller.abort();
		if (ready) void shutdown();
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	try {
		const args = await choosePorts(parseArgs(process.argv.slice(2), process.env));
		const home = process.env.COMMERCE_SYNC_START_HOME || join(cacheRoot(), 'start-home');
		const passwordFromEnv = Boolean(process.env.N8N_OWNER_PASSWORD);
		const password = process.env.N8N_OWNER_PASSWORD || OWNER.password;

		let t = Date.now();
		if (args.build) {
			say('[1/5] Building the package (npm run build)…');
			try {
				execFileSync('npm', ['run', 'build', '--silent'], {
					cwd: REPO_ROOT,
					stdio: ['ignore', 'inherit', 'inherit'],
				});
			} catch (error) {
				if ((error as { signal?: string }).signal) throw error;
				throw new StartError('npm run build failed (its errors are above); nothing was started.');
			}
			say(`      built in ${elapsed(t)}`);
		} else {
			if (!existsSync(join(REPO_ROOT, 'dist')))
				throw new StartError('--no-build needs a dist/ folder: run npm run build first.');
			say('[1/5] Build skipped (--no-build): installing dist/ as it is');
		}
		if (controller.signal.aborted) return await shutdown();

		t = Date.now();
		const runtimeCached = runtimeInstalled(2);
		if (!runtimeCached) {
			say(
				`[2/5] First start: installing Node 24 and n8n 2.41.1 into ${cacheRoot()} (about 6–7 minutes on 2 cores; only this once)…`,
			);
		} else say('[2/5] n8n runtime: cached');
		const runtime = ensureRuntime(2);
		if (!runtimeCached) say(`      installed in ${elapsed(t)}`);
		if (controller.signal.aborted) return await shutdown();

		const missing = missingBuiltFiles();
		if (missing.length > 0) {
			throw new StartError(
				`package.json declares files that dist/ does not have, so n8n would not load the package:\n  ${missing.join('\n  ')}\n` +
					(args.build
						? 'Check the build output above.'
						: 'Run without --no-build (or npm run build) first.'),
			);
		}

		say(`[3/5] Starting the sandbox on port ${args.sandboxPort}…`);
		const { startSandbox } = await import('../sandbox/server');
		sandbox = await startSandbox({ port: args.sandboxPort });
		const urls: SandboxUrls = { url: (system) => (sandbox as Sandbox).urlFor(system) };

		say(
			`[4/5] Installing the package and starting n8n ${runtime.version} on port ${args.port} (user folder ${home})…`,
		);
		t = Date.now();
		try {
			tarballPacked = true;
			n8n = await startN8n({
				major: 2,
				port: args.port,
				userFolder: home,
				keep: true,
				owner: { password },
				apiKeyLabel: API_KEY_LABEL,
				signal: controller.signal,
			});
		} catch (error) {
			if (controller.signal.aborted) return await shutdown();
			const message = (error as Error).message.split('\n--- n8n log')[0];
			if (/Could not create or log in the owner/.test(message)) {
				// n8n's own reasons, without its stack traces.
				const reasons = [...message.matchAll(/"message":"([^"]*)"/g)].map((m) => m[1]).join('; ');
				throw new StartError(
					`n8n did not accept the owner login ${OWNER.email} (${reasons || 'no reason given'}).\n` +
						`If ${home} was set up with another password, start with that one (N8N_OWNER_PASSWORD=…) or delete the folder to start afresh. ` +
						`A new password needs 8 to 64 characters with a digit and a capital letter.`,
				);
			}
			throw error;
		}
		say(`      n8n ready in ${elapsed(t)}`);
		removePackedTarball();
		if (controller.signal.aborted) return await shutdown();
		const loadFailure = packageLoadFailure(readFileSync(n8n.logFile, 'utf8'));
		if (loadFailure) {
			throw new StartError(
				`n8n started but could not load the package:\n${loadFailure}\n(full log: ${n8n.logFile})`,
			);
		}

		say('[5/5] Sandbox credentials and workflow templates…');
		const credentials = await syncCredentials(n8n, urls);
		const templates = await importTemplates(n8n, credentials.refs);
		if (controller.signal.aborted) return await shutdown();

		const editor = n8n.baseUrl;
		const out = [
			'',
			`n8n-nodes-commerce-sync is running (started in ${elapsed(started)}).`,
			'',
			`  Editor:      ${editor}`,
			`  Login:       ${OWNER.email} / ${passwordFromEnv ? '(the password in N8N_OWNER_PASSWORD)' : password}`,
			`  Sandbox:     ${sandbox.baseUrl}  (${sandbox.systemNames.join(', ')})`,
			`  Control API: ${sandbox.controlUrl}  (GET it for every endpoint: reset, seed, faults, limits, webhooks)`,
			`  n8n log:     ${n8n.logFile}`,
			'',
			'  Credentials:',
			...(credentials.lines.length ? credentials.lines.map((l) => `    ${l}`) : ['    (none)']),
			'  Workflows:',
			...(templates.length
				? templates.map((l) => `    ${l}`)
				: ['    (no templates in workflows/ yet)']),
			'',
			'Ctrl-C stops n8n and the sandbox.',
		];
		say(out.join('\n'));
		ready = true;

		const exit = await n8n.whenExited();
		if (!stopping) {
			process.stderr.write(
				`npm start: n8n stopped by itself (exit code ${exit.code ?? exit.signal}). Last lines of ${n8n.logFile}:\n${n8n.logTail(30)}\n`,
			);
			await sandbox.close();
			process.exit(1);
		}
	} catch (error) {
		// A Ctrl-C in the terminal also kills a running build or install: let the signal arrive.
		await new Promise((resolve) => setTimeout(resolve, 100));
		if (controller.signal.aborted) return await shutdown();
		if ((error as { name?: string }).name === 'SandboxPortInUseError') {
			// Taken between the port check and the start: name our flag, not the sandbox CLI's.
			process.stderr.write(
				`npm start: ${(error as Error).message.replace(/--port/g, '--sandbox-port')}\n`,
			);
		} else if (error instanceof StartError) {
			process.stderr.write(`npm start: ${error.message}\n`);
		} else {
			process.stderr.write(`npm start: ${(error as Error).stack ?? String(error)}\n`);
		}
		stopping = true;
		await n8n?.stop();
		await sandbox?.close();
		removePackedTarball();
		process.exit(1);
	}
}

void main();
