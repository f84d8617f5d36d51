/**
 * `npm run test:scale`: n8n in queue mode (main, two workers, a webhook processor) on the local
 * Postgres and Redis. Kept out of the default projects: it starts four n8n processes and runs
 * for minutes, so `npm test` does not pay for it.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '../..'),
	displayName: 'scale',
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testMatch: ['<rootDir>/test/scale/**/*.test.ts'],
	// One n8n cluster at a time: the machine has two cores.
	maxWorkers: 1,
	testTimeout: 15 * 60_000,
};
