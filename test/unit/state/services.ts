import { spawnSync } from 'node:child_process';

/**
 * Whether a local service answers on its TCP port. Checked synchronously (in a child process)
 * so a test file can choose `describe` or `describe.skip` while jest collects tests.
 * Unreachable in CI is a failure, not a skip: CI starts both servers.
 */
export function serviceReachable(name: string, port: number, host = '127.0.0.1'): boolean {
	const probe = spawnSync(
		process.execPath,
		[
			'-e',
			`const s=require('net').connect(${port},'${host}');s.setTimeout(2000);` +
				`s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1));`,
		],
		{ timeout: 5000 },
	);
	const up = probe.status === 0;
	if (!up) {
		if (process.env.CI === 'true') {
			throw new Error(`${name} is not reachable on ${host}:${port}, and CI must run its tests`);
		}
		console.warn(
			`\n!!! ${name} is not reachable on ${host}:${port}: its state-store tests are SKIPPED. ` +
				'Start it to run them (CI fails instead of skipping).\n',
		);
	}
	return up;
}

/** Connection settings of the test servers (override with env for another machine). */
export const TEST_POSTGRES = {
	host: process.env.COMMERCE_SYNC_TEST_PG_HOST ?? '127.0.0.1',
	port: Number(process.env.COMMERCE_SYNC_TEST_PG_PORT ?? 5432),
	user: process.env.COMMERCE_SYNC_TEST_PG_USER ?? 'postgres',
	database: process.env.COMMERCE_SYNC_TEST_PG_DATABASE ?? 'test',
};

export const TEST_REDIS = {
	host: process.env.COMMERCE_SYNC_TEST_REDIS_HOST ?? '127.0.0.1',
	port: Number(process.env.COMMERCE_SYNC_TEST_REDIS_PORT ?? 6379),
};
