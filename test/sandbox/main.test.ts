import axios from 'axios';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { SandboxPortInUseError, startSandbox } from '../../sandbox/server';

const root = join(__dirname, '..', '..');

/** Runs `npm run sandbox`'s command line (ts-node, transpile only) with arguments. */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
	const child = spawn(
		process.execPath,
		[require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'sandbox/main.ts', ...args],
		{
			cwd: root,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, exited, out: () => stdout, err: () => stderr };
}

async function occupiedPort(): Promise<{ port: number; close: () => Promise<void> }> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		close: () => new Promise((r) => server.close(() => r())),
	};
}

describe('starting the sandbox', () => {
	it('startSandbox rejects a taken port with a message naming it and how to choose another', async () => {
		const taken = await occupiedPort();
		try {
			const attempt = startSandbox({ port: taken.port, systems: [] });
			await expect(attempt).rejects.toBeInstanceOf(SandboxPortInUseError);
			await expect(startSandbox({ port: taken.port, systems: [] })).rejects.toThrow(
				`Port ${taken.port} on 127.0.0.1 is already in use (another sandbox or program is listening there). Choose another port with --port <number> or SANDBOX_PORT=<number>, or use --port 0 to pick a free one.`,
			);
		} finally {
			await taken.close();
		}
	});

	it('refuses unknown systems and malformed system names', async () => {
		await expect(startSandbox({ systems: ['nope'] })).rejects.toThrow(
			'No system "nope" in this sandbox',
		);
		await expect(
			startSandbox({
				systems: [
					{
						name: 'Bad Name',
						description: '',
						create: () => {
							throw new Error('unreachable');
						},
					},
				],
			}),
		).rejects.toThrow('not usable as a URL prefix');
	});

	it('the CLI exits 1 with the port in the message when the port is taken', async () => {
		const taken = await occupiedPort();
		try {
			const cli = runCli([], { SANDBOX_PORT: String(taken.port) });
			expect(await cli.exited).toBe(1);
			expect(cli.err()).toContain(`Port ${taken.port} on 127.0.0.1 is already in use`);
			expect(cli.err()).toContain('--port');
		} finally {
			await taken.close();
		}
	}, 30_000);

	it('the CLI listens on the given port, serves the control API, and closes cleanly on SIGTERM', async () => {
		const cli = runCli(['--port', '0', '--seed', 'cli', '--skus', '5', '--locations', '2']);
		const deadline = Date.now() + 25_000;
		while (!/listening on (http:\/\/\S+)/.test(cli.out()) && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 50));
		const base = /listening on (http:\/\/\S+)/.exec(cli.out())?.[1];
		expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const index = await axios.get(`${base}/_sandbox`);
		expect(index.data.seed).toEqual({ seed: 'cli', skus: 5, locations: 2 });
		cli.child.kill('SIGTERM');
		expect(await cli.exited).toBe(0);
		expect(cli.out()).toContain('SIGTERM, closing');
	}, 30_000);

	it('the CLI rejects bad arguments with usage', async () => {
		const cli = runCli(['--skus', 'many']);
		expect(await cli.exited).toBe(2);
		expect(cli.err()).toContain('--skus must be a whole number from 0 to 100000, got "many"');
		expect(cli.err()).toContain('Usage: npm run sandbox');
	}, 30_000);
});
