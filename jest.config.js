/**
 * Two projects: `unit` (pure kernel, sandbox, node tests through the router; milliseconds, fake
 * clocks) and `e2e` (a real n8n process loading the built package). `npm test` runs both.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: [
        '<rootDir>/test/unit/**/*.test.ts',
        '<rootDir>/test/nodes/**/*.test.ts',
        '<rootDir>/test/contract/**/*.test.ts',
        '<rootDir>/test/sandbox/**/*.test.ts',
        '<rootDir>/test/lint/**/*.test.ts',
      ],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    },
  ],
};
