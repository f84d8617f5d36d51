/**
 * Runs the built package inside a real, unmodified n8n and drives it through its server:
 * readiness, owner, API key, workflows through the public API, webhooks, executions.
 * The package is installed the way users get it (npm-installed into `~/.n8n/nodes`), so node
 * types are `n8n-nodes-commerce-sync.<node>` exactly as in the templates.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO_ROOT, ensureRuntime, type Runtime } from './runtime';

export const OWNER = { email: 'owner@example.com', password: 'CommerceSync-E2E-1', firstName: 'Ops', lastName: 'Owner' };

export interface StartOptions {
	major?: 1 | 2;
	port?: number;
	/** Extra environment for n8n (queue mode, state store...). */
	env?: Record<string, string>;
	/** Keep the user folder after stop (also KEEP_N8N=1). */
	keep?: boolean;
	/** Reuse an existing user folder (npm start). */
	userFolder?: string;
	/** Owner login to create or log in with (default `OWNER`). */
	owner?: { email?: string; password?: string };
	/**
	 * Label of the API key to create. When given, older keys with the same label are deleted first,
	 * so a reused user folder does not collect one key per start.
	 */
	apiKeyLabel?: string;
	/** Aborting while n8n starts stops it and rejects (Ctrl-C during `npm start`). */
	signal?: AbortSignal;
	/**
	 * Which n8n process to run (default `start`, the main server). `worker` and `webhook` are
	 * queue-mode processes: no owner, no API key (`apiKey` is ''); a worker is ready when its
	 * health check answers (QUEUE_HEALTH_CHECK_PORT, a free port unless `env` sets one).
	 */
	command?: 'start' | 'worker' | 'webhook';
	/** Extra command-line arguments, e.g. `--concurrency=5` for a worker. */
	args?: string[];
	/** Install the package into the user folder first (default true; false when a shared folder has it already). */
	install?: boolean;
}

export interface N8nInstance {
	baseUrl: string;
	port: number;
	/** The n8n process id, also its process group id. */
	pid?: number;
	runtime: Runtime;
	userFolder: string;
	apiKey: string;
	logFile: string;
	/** The n8n command this process runs (`start` unless StartOptions.command said otherwise). */
	command?: 'start' | 'worker' | 'webhook';
	/** Where readiness was polled (a worker's health-check port, else the server's). */
	readinessUrl?: string;
	request<T = unknown>(method: string, path: string, body?: unknown, auth?: 'key' | 'cookie'): Promise<{ status: number; body: T }>;
	createWorkflow(workflow: WorkflowJson): Promise<string>;
	activate(id: string): Promise<void>;
	deactivate(id: string): Promise<void>;
	postWebhook<T = unknown>(path: string, body: unknown, options?: { retry404Ms?: number; headers?: Record<string, string> }): Promise<{ status: number; body: T }>;
	/** Every execution of a workflow, newest first; `includeData: false` leaves out their data (big runs). */
	executions(workflowId: string, options?: { includeData?: boolean }): Promise<Array<{ id: string; status: string; finished: boolean; mode?: string; startedAt?: string; stoppedAt?: string | null; data?: unknown }>>;
	nodeTypes(): Promise<string[]>;
	createCredential(type: string, name: string, data: Record<string, unknown>): Promise<string>;
	logTail(lines?: number): string;
	/** Resolves when the n8n process exits, however it ends. */
	whenExited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	stop(): Promise<void>;
}

export interface WorkflowJson {
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

let packed: string | undefined;

/** `npm pack` of the built package (dist must exist), once per process. */
export function packPackage(): string {
	if (packed) return packed;
	const dir = mkdtempSync(join(tmpdir(), 'commerce-sync-pack-'));
	const out = execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
	packed = join(dir, out.trim().split('\n').pop() as string);
	return packed;
}

/** Installs the packed package into `<userFolder>/.n8n/nodes` as n8n's community-node install does. */
export function installPackage(userFolder: string): void {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	// Peer n8n-workflow must come from the host n8n, never a second copy: --legacy-peer-deps.
	execFileSync('npm', ['install', packPackage(), '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
		cwd: nodesDir,
		stdio: ['ignore', 'ignore', 'inherit'],
		timeout: 5 * 60_000,
	});
}

/** Starts n8n with the package installed; resolves once it is ready and has an API key. */
export async function startN8n(options: StartOptions = {}): Promise<N8nInstance> {
	const major = options.major ?? 2;
	const runtime = ensureRuntime(major);
	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const command = options.command ?? 'start';
	const healthPort = command === 'worker' ? Number(options.env?.QUEUE_HEALTH_CHECK_PORT ?? (await freePort())) : undefined;
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), `n8n-e2e-${major}-`));
	mkdirSync(userFolder, { recursive: true });
	if (options.install !== false) installPackage(userFolder);
	// Queue-mode processes share the main's user folder (its encryption key): one log each.
	const logFile = join(userFolder, command === 'start' ? 'n8n.log' : `n8n-${command}-${port}.log`);
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		PATH: runtime.nodeBin ? `${runtime.nodeBin}:${process.env.PATH}` : (process.env.PATH as string),
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		GENERIC_TIMEZONE: 'UTC',
		N8N_PAYLOAD_SIZE_MAX: '64',
		...(major === 1 ? { N8N_RUNNERS_ENABLED: 'true', N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		...(healthPort ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) } : {}),
		...options.env,
	};
	// jest sets NODE_ENV=test, with which n8n exits silently at start; it is not n8n's business.
	for (const name of ['NODE_OPTIONS', 'NODE_ENV', 'JEST_WORKER_ID', 'TS_NODE_PREFER_TS_EXTS']) delete env[name];
	const log = createWriteStream(logFile);
	const child: ChildProcess = spawn(runtime.nodeBin ? join(runtime.nodeBin, 'node') : process.execPath, [runtime.n8nBin, command, ...(options.args ?? [])], {
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);
	const baseUrl = `http://127.0.0.1:${port}`;
	const readinessUrl = healthPort ? `http://127.0.0.1:${healthPort}/healthz/readiness` : `${baseUrl}/healthz/readiness`;
	let exited = false;
	const exitInfo = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('exit', (code, signal) => {
			exited = true;
			resolve({ code, signal });
		}),
	);
	const owner = { ...OWNER, ...options.owner };

	const logTail = (lines = 40) => {
		try {
			return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '';
		}
	};
	const stop = async () => {
		if (!exited && child.pid) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				/* already gone */
			}
			const deadline = Date.now() + 20_000;
			while (!exited && Date.now() < deadline) await sleep(200);
			if (!exited) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					/* already gone */
				}
			}
		}
		log.end();
		if (!options.keep && !options.userFolder && process.env.KEEP_N8N !== '1') rmSync(userFolder, { recursive: true, force: true });
	};

	try {
		await waitReady(readinessUrl, () => exited, 180_000, options.signal);
		// Workers and webhook processors have no owner or public API of their own.
		const cookie = command === 'start' ? await ownerCookie(baseUrl, owner) : '';
		const apiKey = command === 'start' ? await createApiKey(baseUrl, cookie, options.apiKeyLabel) : '';
		const instance: N8nInstance = {
			baseUrl,
			port,
			command,
			readinessUrl,
			pid: child.pid,
			runtime,
			userFolder,
			apiKey,
			logFile,
			logTail,
			whenExited: () => exitInfo,
			stop,
			async request<T>(method: string, path: string, body?: unknown, auth: 'key' | 'cookie' = 'key') {
				const res = await fetch(`${baseUrl}${path}`, {
					method,
					headers: {
						'content-type': 'application/json',
						...(auth === 'key' ? { 'X-N8N-API-KEY': apiKey } : { cookie }),
					},
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				const text = await res.text();
				let parsed: unknown = text;
				try {
					parsed = text ? JSON.parse(text) : undefined;
				} catch {
					/* keep text */
				}
				return { status: res.status, body: parsed as T };
			},
			async createWorkflow(workflow) {
				const res = await instance.request<{ id: string; message?: string }>('POST', '/api/v1/workflows', {
					name: workflow.name,
					nodes: workflow.nodes,
					connections: workflow.connections,
					settings: workflow.settings ?? { executionOrder: 'v1' },
				});
				if (res.status >= 300) throw new Error(`Creating workflow "${workflow.name}" failed: ${res.status} ${JSON.stringify(res.body)}`);
				return res.body.id;
			},
			async activate(id) {
				const res = await instance.request('POST', `/api/v1/workflows/${id}/activate`);
				if (res.status >= 300) throw new Error(`Activating workflow ${id} failed: ${res.status} ${JSON.stringify(res.body)}\n${logTail()}`);
				await publicationSettled(instance, id, logTail);
			},
			async deactivate(id) {
				await instance.request('POST', `/api/v1/workflows/${id}/deactivate`);
				await publicationSettled(instance, id, logTail);
			},
			async postWebhook<T>(path: string, body: unknown, opts: { retry404Ms?: number; headers?: Record<string, string> } = {}) {
				const deadline = Date.now() + (opts.retry404Ms ?? 10_000);
				for (;;) {
					const res = await fetch(`${baseUrl}/webhook/${path}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', ...opts.headers },
						body: typeof body === 'string' ? body : JSON.stringify(body),
					});
					const text = await res.text();
					let parsed: unknown = text;
					try {
						parsed = text ? JSON.parse(text) : undefined;
					} catch {
						/* keep text */
					}
					// Activation registers webhooks a moment after the API answers.
					if (res.status === 404 && Date.now() < deadline) {
						await sleep(250);
						continue;
					}
					return { status: res.status, body: parsed as T };
				}
			},
			async executions(workflowId, options = {}) {
				// The public API answers at most 250 a page; a test that counts runs needs all of them.
				const out: Awaited<ReturnType<N8nInstance['executions']>> = [];
				let cursor: string | undefined;
				for (;;) {
					const res = await instance.request<{ data?: typeof out; nextCursor?: string | null }>(
						'GET',
						`/api/v1/executions?workflowId=${workflowId}&includeData=${options.includeData !== false}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
					);
					if (res.status !== 200) throw new Error(`Listing executions failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
					out.push(...(res.body.data ?? []));
					if (!res.body.nextCursor) return out;
					cursor = res.body.nextCursor;
				}
			},
			async nodeTypes() {
				const res = await instance.request<Array<{ name: string }> | { data: Array<{ name: string }> }>('GET', '/types/nodes.json', undefined, 'cookie');
				const list = Array.isArray(res.body) ? res.body : (res.body.data ?? []);
				return list.map((n) => n.name);
			},
			async createCredential(type, name, data) {
				const res = await instance.request<{ id: string }>('POST', '/api/v1/credentials', { name, type, data });
				if (res.status >= 300) throw new Error(`Creating credential ${type} failed: ${res.status} ${JSON.stringify(res.body)}`);
				return res.body.id;
			},
		};
		return instance;
	} catch (error) {
		const tail = logTail(60);
		await stop();
		throw new Error(`${(error as Error).message}\n--- n8n log (last lines) ---\n${tail}`);
	}
}

/**
 * n8n 2.41 publishes and unpublishes through an outbox drained in the background
 * (N8N_USE_WORKFLOW_PUBLICATION_SERVICE, on by default), so the API answers while the status
 * still says "in_progress", before the triggers are set up or torn down: a webhook
 * subscription may still be live after "deactivate" returned, and be removed later, after the
 * workflow was activated again. Waits until nothing is in flight. n8n 1.x, and 2.x with the
 * outbox turned off, do it all inside the request and answer 404 here.
 */
async function publicationSettled(instance: N8nInstance, id: string, logTail: (lines?: number) => string): Promise<void> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const res = await instance.request<{ data?: { status?: string } }>('GET', `/rest/workflows/${id}/publication-status`, undefined, 'cookie');
		if (res.status === 404) return;
		if (res.status >= 300) throw new Error(`Publication status of workflow ${id}: ${res.status} ${JSON.stringify(res.body)}`);
		if (res.body.data?.status !== 'in_progress') return;
		if (Date.now() > deadline) throw new Error(`Workflow ${id} was still being published or unpublished after 120 s\n${logTail()}`);
		await sleep(250);
	}
}

async function waitReady(readinessUrl: string, exited: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (signal?.aborted) throw new Error('n8n start was interrupted');
		if (exited()) throw new Error('n8n exited before it was ready');
		try {
			const res = await fetch(readinessUrl);
			if (res.status === 200) return;
		} catch {
			/* not listening yet */
		}
		await sleep(500);
	}
	throw new Error(`n8n was not ready within ${timeoutMs / 1000} s`);
}

async function ownerCookie(baseUrl: string, owner: typeof OWNER): Promise<string> {
	// n8n 1.x reports ready while its REST routes are still being mounted: retry their 404.
	let setup: Response;
	const deadline = Date.now() + 120_000;
	for (;;) {
		setup = await fetch(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (setup.status !== 404 || Date.now() > deadline) break;
		await sleep(500);
	}
	let cookie = cookieOf(setup);
	if (setup.status >= 300 || !cookie) {
		// The owner exists already (a reused user folder): log in instead.
		const login = await fetch(`${baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }),
		});
		cookie = cookieOf(login);
		if (!cookie) throw new Error(`Could not create or log in the owner: ${setup.status} ${await setup.text()} / ${login.status} ${await login.text()}`);
	}
	return cookie;
}

function cookieOf(res: Response): string {
	const all = (res.headers as unknown as { getSetCookie?: () => string[] }).getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''];
	return all
		.filter((c) => c)
		.map((c) => c.split(';')[0])
		.join('; ');
}

async function createApiKey(baseUrl: string, cookie: string, label?: string): Promise<string> {
	if (label) {
		const list = await fetch(`${baseUrl}/rest/api-keys`, { headers: { cookie } });
		if (list.ok) {
			// 1.x answers {data: [...]}, 2.x {data: {items: [...], counts...}}.
			type Key = { id: string; label: string };
			const body = (await list.json()) as { data?: Key[] | { items?: Key[] } };
			const keys = Array.isArray(body.data) ? body.data : (body.data?.items ?? []);
			for (const key of keys) {
				if (key.label === label) await fetch(`${baseUrl}/rest/api-keys/${key.id}`, { method: 'DELETE', headers: { cookie } });
			}
		}
	}
	const scopesRes = await fetch(`${baseUrl}/rest/api-keys/scopes`, { headers: { cookie } });
	let scopes: string[] = [];
	if (scopesRes.ok) {
		const body = (await scopesRes.json()) as { data?: string[] };
		scopes = body.data ?? [];
	}
	const res = await fetch(`${baseUrl}/rest/api-keys`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ label: label ?? `e2e-${Date.now()}`, expiresAt: null, scopes }),
	});
	const body = (await res.json()) as { data?: { rawApiKey?: string; apiKey?: string } };
	const key = body.data?.rawApiKey ?? body.data?.apiKey;
	if (!key) throw new Error(`Could not create an API key: ${res.status} ${JSON.stringify(body)}`);
	return key;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
