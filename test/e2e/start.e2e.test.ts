/**
 * `npm start` end to end: the real script as a child process, on free ports, with a temporary
 * n8n home. It must print the editor URL, leave a sandbox credential per declared credential
 * type (each passing n8n's own connection test against the sandbox), import every template with
 * its credential slots bound, survive a restart without duplicates, and stop everything on
 * SIGINT. A taken port must be named, with the flag to choose another, before anything starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SANDBOX_CREDENTIALS, sandboxCredentialName } from '../../scripts/start-credentials';
import { freePort } from './harness/n8n';
import { REPO_ROOT, ensureRuntime } from './harness/runtime';
import { PKG } from './harness/workflow';
import { E2E_TIMEOUT } from './setup';

const PASSWORD = 'Start-E2E-Passw0rd';
const FIXTURE_NAME = 'npm start e2e fixture';

interface Run {
	child: ChildProcess;
	output(): string;
	exited: Promise<number | null>;
}

/** `bash scripts/start.sh …` (dist is built by `npm test` before jest; a build here would delete it under other suites). */
function startScript(args: string[], env: Record<string, string>): Run {
	const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), ...env };
	for (const name of [
		'NODE_OPTIONS',
		'NODE_ENV',
		'JEST_WORKER_ID',
		'N8N_PORT',
		'SANDBOX_PORT',
		'N8N_OWNER_PASSWORD',
	]) {
		if (!(name in env)) delete childEnv[name];
	}
	const child = spawn('bash', ['scripts/start.sh', '--no-build', ...args], {
		cwd: REPO_ROOT,
		env: childEnv,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, output: () => out, exited };
}

async function waitFor(run: Run, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
	const deadline = Date.now() + timeoutMs;
	let done = false;
	void run.exited.then(() => (done = true));
	for (;;) {
		const match = run.output().match(pattern);
		if (match) return match;
		if (done) throw new Error(`npm start exited before printing ${pattern}:\n${run.output()}`);
		if (Date.now() > deadline)
			throw new Error(
				`npm start did not print ${pattern} within ${timeoutMs / 1000} s:\n${run.output()}`,
			);
		await new Promise((r) => setTimeout(r, 250));
	}
}

async function portFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** A logged-in owner session plus a public-API key of its own. */
async function apiClient(baseUrl: string) {
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: 'owner@example.com', password: PASSWORD }),
	});
	expect(login.status).toBe(200);
	const cookie = login.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	const scopes = (
		(await (await fetch(`${baseUrl}/rest/api-keys/scopes`, { headers: { cookie } })).json()) as {
			data: string[];
		}
	).data;
	const created = await fetch(`${baseUrl}/rest/api-keys`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ label: `start-e2e-${Date.now()}`, expiresAt: null, scopes }),
	});
	const key = ((await created.json()) as { data: { rawApiKey: string } }).data.rawApiKey;
	return async <T>(method: string, path: string): Promise<T> => {
		const res = await fetch(`${baseUrl}${path}`, { method, headers: { 'X-N8N-API-KEY': key } });
		expect(res.status).toBe(200);
		return (await res.json()) as T;
	};
}

interface Credential {
	id: string;
	name: string;
	type: string;
}

interface Workflow {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		credentials?: Record<string, { id: string; name: string }>;
	}>;
}

/** The credential types package.json declares that the start script has sandbox values for. */
function expectedCredentials(): Array<{ type: string; name: string }> {
	const pkg = require('../../package.json') as { n8n: { credentials: string[] } };
	return pkg.n8n.credentials.flatMap((file) => {
		const mod = require(`../../${file}`) as Record<string, new () => { name: string }>;
		const className = file
			.split('/')
			.pop()!
			.replace(/\.credentials\.js$/, '');
		const type = new mod[className]().name;
		const entry = SANDBOX_CREDENTIALS[type];
		return entry ? [{ type, name: sandboxCredentialName(entry) }] : [];
	});
}

/** A template with no credential ids: Shopify (slot required), Dedupe on its embedded store (slot hidden), Retry on a credential store (slot shown). */
function fixtureTemplate(): unknown {
	const node = (name: string, type: string, x: number, parameters: Record<string, unknown>) => ({
		id: `00000000-0000-4000-8000-00000000000${x}`,
		name,
		type,
		typeVersion: 1,
		position: [x * 220, 0],
		parameters,
	});
	return {
		name: FIXTURE_NAME,
		nodes: [
			node('Manual', 'n8n-nodes-base.manualTrigger', 0, {}),
			node('Shopify', `${PKG}.shopifyAdmin`, 1, {}),
			node('Dedupe', `${PKG}.commerceSyncDedupe`, 2, { stateStore: 'embedded' }),
			node('Retry', `${PKG}.commerceSyncRetry`, 3, { stateStore: 'credential' }),
		],
		connections: {
			Manual: { main: [[{ node: 'Shopify', type: 'main', index: 0 }]] },
			Shopify: { main: [[{ node: 'Dedupe', type: 'main', index: 0 }]] },
			Dedupe: { main: [[{ node: 'Retry', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

describe('npm start', () => {
	const cleanup: string[] = [];

	beforeAll(() => {
		ensureRuntime(2);
		if (!existsSync(join(REPO_ROOT, 'dist')))
			throw new Error('dist/ is missing: run npm run build before the e2e tests');
	}, E2E_TIMEOUT);

	afterAll(() => {
		for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
	});

	it(
		'starts n8n with sandbox credentials and templates, restarts without duplicates, and stops on SIGINT',
		async () => {
			const home = mkdtempSync(join(tmpdir(), 'start-e2e-home-'));
			const workflows = mkdtempSync(join(tmpdir(), 'start-e2e-workflows-'));
			cleanup.push(home, workflows);
			// The real templates plus one whose slots this test knows.
			const realDir = join(REPO_ROOT, 'workflows');
			const real = existsSync(realDir)
				? readdirSync(realDir).filter((f) => f.endsWith('.json'))
				: [];
			for (const file of real) copyFileSync(join(realDir, file), join(workflows, file));
			writeFileSync(
				join(workflows, 'zz-start-e2e-fixture.json'),
				JSON.stringify(fixtureTemplate()),
			);
			const templateNames = readdirSync(workflows).map(
				(f) => (require(join(workflows, f)) as { name?: string }).name ?? f.replace(/\.json$/, ''),
			);

			const port = await freePort();
			const sandboxPort = await freePort();
			const env = {
				COMMERCE_SYNC_START_HOME: home,
				COMMERCE_SYNC_WORKFLOWS_DIR: workflows,
				N8N_OWNER_PASSWORD: PASSWORD,
			};
			const expected = expectedCredentials();
			expect(expected.map((e) => e.type)).toEqual(
				expect.arrayContaining(['shopifyAdminGraphqlApi', 'commerceSyncStateStoreApi']),
			);

			const seen: Array<{ credentials: Map<string, string>; workflows: Map<string, string> }> = [];
			for (const round of [1, 2]) {
				const run = startScript(
					['--port', String(port), '--sandbox-port', String(sandboxPort)],
					env,
				);
				try {
					const [, editor] = await waitFor(run, /Editor:\s+(http:\/\/\S+)/, 150_000);
					await waitFor(run, /Ctrl-C stops/, 10_000);
					expect(editor).toBe(`http://127.0.0.1:${port}`);
					expect(run.output()).toContain(`http://127.0.0.1:${sandboxPort}/_sandbox`);
					// The password came from N8N_OWNER_PASSWORD and is not echoed.
					expect(run.output()).not.toContain(PASSWORD);
					const api = await apiClient(editor);

					const creds = (await api<{ data: Credential[] }>('GET', '/api/v1/credentials?limit=250'))
						.data;
					const credentialIds = new Map<string, string>();
					for (const { type, name } of expected) {
						const matches = creds.filter((c) => c.type === type && c.name === name);
						expect({ type, count: matches.length }).toEqual({ type, count: 1 });
						credentialIds.set(type, matches[0].id);
						// n8n's own test of the stored credential, against the running sandbox.
						const test = await api<{ status: string; message: string }>(
							'POST',
							`/api/v1/credentials/${matches[0].id}/test`,
						);
						expect({ name, ...test }).toMatchObject({ name, status: 'OK' });
					}

					const list = (await api<{ data: Workflow[] }>('GET', '/api/v1/workflows?limit=250')).data;
					const workflowIds = new Map<string, string>();
					for (const name of templateNames) {
						const matches = list.filter((w) => w.name === name);
						expect({ name, count: matches.length }).toEqual({ name, count: 1 });
						workflowIds.set(name, matches[0].id);
					}
					const fixture = await api<Workflow>(
						'GET',
						`/api/v1/workflows/${workflowIds.get(FIXTURE_NAME)}`,
					);
					const byName = new Map(fixture.nodes.map((n) => [n.name, n]));
					expect(byName.get('Shopify')?.credentials).toEqual({
						shopifyAdminGraphqlApi: {
							id: credentialIds.get('shopifyAdminGraphqlApi'),
							name: 'Shopify (sandbox)',
						},
					});
					expect(byName.get('Retry')?.credentials).toEqual({
						commerceSyncStateStoreApi: {
							id: credentialIds.get('commerceSyncStateStoreApi'),
							name: 'Commerce Sync State Store (sandbox)',
						},
					});
					expect(byName.get('Dedupe')?.credentials ?? {}).toEqual({});
					// Every credential slot of every imported template points at an existing credential.
					for (const name of templateNames) {
						const wf = await api<Workflow>('GET', `/api/v1/workflows/${workflowIds.get(name)}`);
						for (const node of wf.nodes) {
							for (const [type, ref] of Object.entries(node.credentials ?? {})) {
								expect({ workflow: name, node: node.name, type, id: ref.id }).toEqual({
									workflow: name,
									node: node.name,
									type,
									id: credentialIds.get(type) ?? expect.any(String),
								});
							}
						}
					}
					seen.push({ credentials: credentialIds, workflows: workflowIds });
				} finally {
					run.child.kill('SIGINT');
				}
				expect(await run.exited).toBe(0);
				expect(run.output()).toContain('Stopped n8n and the sandbox.');
				expect(await portFree(port)).toBe(true);
				expect(await portFree(sandboxPort)).toBe(true);
				if (round === 2) expect(run.output()).toMatch(/Shopify \(sandbox\)\s+updated/);
			}
			// The restart reused the persistent home: same owner, same credentials, same workflows.
			expect([...seen[1].credentials]).toEqual([...seen[0].credentials]);
			expect([...seen[1].workflows]).toEqual([...seen[0].workflows]);
		},
		E2E_TIMEOUT,
	);

	it('names a taken port and the flag to choose another, and starts nothing', async () => {
		const blocker: Server = createServer();
		const taken = await new Promise<number>((resolve) =>
			blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
		);
		const other = await freePort();
		const home = mkdtempSync(join(tmpdir(), 'start-e2e-home-'));
		cleanup.push(home);
		try {
			const n8nTaken = startScript(['--port', String(taken), '--sandbox-port', String(other)], {
				COMMERCE_SYNC_START_HOME: home,
			});
			expect(await n8nTaken.exited).toBe(1);
			expect(n8nTaken.output()).toContain(`port ${taken}`);
			expect(n8nTaken.output()).toContain('--port <number>');
			expect(n8nTaken.output()).toContain('N8N_PORT=<number>');
			expect(n8nTaken.output()).not.toContain('[1/5]');

			const sandboxTaken = startScript(['--port', String(other), '--sandbox-port', String(taken)], {
				COMMERCE_SYNC_START_HOME: home,
			});
			expect(await sandboxTaken.exited).toBe(1);
			expect(sandboxTaken.output()).toContain(`port ${taken}`);
			expect(sandboxTaken.output()).toContain('--sandbox-port <number>');
			expect(sandboxTaken.output()).toContain('SANDBOX_PORT=<number>');
			// Nothing was started: the other port stayed free and the home untouched.
			expect(await portFree(other)).toBe(true);
			expect(readdirSync(home)).toEqual([]);
		} finally {
			await new Promise((resolve) => blocker.close(resolve));
		}
	}, 60_000);
});
