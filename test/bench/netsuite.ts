/**
 * `npm run bench -- netsuite [--skus=20000] [--locations=5] [--slots=5] [--latency=300]`
 *
 * Reads stock for skus × locations item-locations (default 100,000) through the NetSuite node's
 * Stock → Get Levels operation (SuiteQL, keyset by item per location) against the sandbox with
 * its concurrency cap set to `slots` and `latency` ms added to every request, the credential
 * allowed the same number of slots. The ceiling the cap allows is `slots` requests in flight at
 * the single-request time measured in the same run; throughput is reported against it, with
 * every 429 the sandbox answered. The sandbox runs in its own process, as NetSuite would be
 * remote: sharing one event loop with the client would measure our CPU, not the cap. The
 * default 300 ms per request is at the fast end of what a 1,000-row SuiteQL page takes in
 * NetSuite; with less, this machine's CPU (client parsing and mapping) starts to show.
 */
import type { IDataObject } from 'n8n-workflow';

import { join } from 'node:path';

import type { NetSuite as NetSuiteNode } from '../../nodes/NetSuite/NetSuite.node';
import { resetSystemLimiters } from '../../nodes/shared/n8n/system';
import { spawn, type ChildProcess } from 'node:child_process';
import { NETSUITE_SANDBOX_ACCOUNT } from '../../sandbox/systems/netsuite';
import { fakeExecuteFunctions } from '../helpers/fakeExecuteFunctions';
import { n8nHttpHelpers } from '../helpers/n8nHttp';

function flag(args: string[], name: string, fallback: number): number {
	const found = args.find((a) => a.startsWith(`--${name}=`));
	const value = found ? Number(found.split('=')[1]) : fallback;
	if (!Number.isInteger(value) || value < 0)
		throw new RangeError(`--${name} must be a whole number, got ${found}`);
	return value;
}

export async function run(args: string[]): Promise<void> {
	const skus = flag(args, 'skus', 20_000);
	const locations = flag(args, 'locations', 5);
	const slots = flag(args, 'slots', 5);
	const latency = flag(args, 'latency', 300);
	const { child, baseUrl } = await startSandboxProcess(skus, locations);
	const control = async (method: string, path: string, body?: unknown) => {
		const res = await fetch(`${baseUrl}/_sandbox${path}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!res.ok)
			throw new Error(
				`sandbox control ${method} ${path} answered ${res.status}: ${await res.text()}`,
			);
		return res.status === 204 ? undefined : ((await res.json()) as unknown);
	};
	try {
		await control('PATCH', '/limits/netsuite/concurrency', { max: slots });
		await control('PUT', '/faults/netsuite', { latency: { fixedMs: latency } });
		const catalog = (await control('GET', '/catalog')) as { locations: Array<{ id: string }> };
		const credentials = {
			netSuiteTbaApi: {
				...NETSUITE_SANDBOX_ACCOUNT,
				concurrency: slots,
				baseUrl: `${baseUrl}/netsuite`,
			} as IDataObject,
		};
		// Outside jest, `require('…/NetSuite.node')` finds the codex NetSuite.node.json first.
		const { NetSuite } = require(join(__dirname, '../../nodes/NetSuite/NetSuite.node.ts')) as {
			NetSuite: typeof NetSuiteNode;
		};
		const node = new NetSuite();
		const execute = async (params: Record<string, unknown>) => {
			const ctx = fakeExecuteFunctions({
				description: node.description,
				inputs: [{ json: {} }],
				params,
				credentials,
				helpers: n8nHttpHelpers(credentials) as never,
			});
			return (await node.execute.call(ctx))[0];
		};

		// Single-request time: one full 1,000-row stock page at a time, nothing else in flight.
		const location = catalog.locations[0].id;
		const q = `SELECT item AS id, item, location, quantityonhand, quantityavailable, quantitycommitted, quantityonorder, quantitybackordered FROM inventoryitemlocations WHERE location = ${location} ORDER BY item`;
		const samples: number[] = [];
		for (let i = 0; i < 12; i++) {
			const started = performance.now();
			const out = await execute({
				resource: 'suiteql',
				operation: 'query',
				query: q,
				paging: 'offset',
				returnAll: false,
				limit: 1000,
			});
			samples.push(performance.now() - started);
			if (out.length !== Math.min(1000, skus))
				throw new Error(`calibration read ${out.length} rows`);
		}
		samples.sort((a, b) => a - b);
		const single = samples[Math.floor(samples.length / 2)];

		resetSystemLimiters();
		await control('DELETE', '/requests?system=netsuite');
		const started = performance.now();
		const rows = await execute({
			resource: 'stock',
			operation: 'getLevels',
			locationIds: '',
			skus: '',
		});
		const elapsed = (performance.now() - started) / 1000;
		const log = (
			(await control('GET', '/requests?system=netsuite&limit=100000')) as {
				entries: Array<{ status: number; durationMs: number }>;
			}
		).entries;
		const serverMs = log.reduce((n, r) => n + r.durationMs, 0);
		const requests = log.length;
		const limited = log.filter((r) => r.status === 429).length;
		const ok = log.filter((r) => r.status === 200).length;

		const expected = skus * locations;
		if (rows.length !== expected)
			throw new Error(`read ${rows.length} stock rows, expected ${expected}`);
		const ceilingRps = slots / (single / 1000);
		const achievedRps = ok / elapsed;
		const rowsPerSec = rows.length / elapsed;
		console.log(
			`item-locations read:        ${rows.length.toLocaleString('en-US')} (${skus} SKUs × ${locations} locations)`,
		);
		console.log(
			`concurrency cap:            ${slots} slots (sandbox and credential), +${latency} ms per request`,
		);
		console.log(
			`single-request time:        ${single.toFixed(1)} ms (median of ${samples.length}, 1,000-row page)`,
		);
		console.log(
			`requests:                   ${requests} (${ok} ok, ${limited} × 429 CONCURRENCY_LIMIT_EXCEEDED)`,
		);
		console.log(
			`elapsed:                    ${elapsed.toFixed(2)} s (server busy ${(serverMs / 1000 / slots).toFixed(2)} s per slot, mean ${(serverMs / Math.max(1, requests)).toFixed(1)} ms per request)`,
		);
		console.log(
			`throughput:                 ${Math.round(rowsPerSec).toLocaleString('en-US')} rows/s, ${achievedRps.toFixed(1)} requests/s`,
		);
		console.log(
			`ceiling the cap allows:     ${ceilingRps.toFixed(1)} requests/s (${slots} / ${(single / 1000).toFixed(3)} s)`,
		);
		console.log(
			`throughput vs ceiling:      ${((achievedRps / ceilingRps) * 100).toFixed(1)} % (target ≥ 90 %)`,
		);
	} finally {
		child.kill('SIGTERM');
	}
}

/** `npm run sandbox` in a child process on a free port; resolves once it listens. */
async function startSandboxProcess(
	skus: number,
	locations: number,
): Promise<{ child: ChildProcess; baseUrl: string }> {
	const child = spawn(
		process.execPath,
		[
			'-r',
			'ts-node/register/transpile-only',
			join(__dirname, '../../sandbox/main.ts'),
			'--port',
			'0',
			'--seed',
			'bench',
			'--skus',
			String(skus),
			'--locations',
			String(locations),
			'--systems',
			'netsuite',
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const baseUrl = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const m = /listening on (http:\/\/[^\s]+)/.exec(out);
			if (m) resolve(m[1]);
		});
		child.once('exit', (code) =>
			reject(new Error(`the sandbox exited with code ${code} before listening`)),
		);
	});
	return { child, baseUrl };
}
