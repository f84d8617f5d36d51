// Lint for what ships (nodes/ and credentials/): n8n's community-node rules plus the import
// boundaries the design rests on — the pure kernel never touches n8n, systems never touch
// each other, and nothing shipped reaches into tests, the sandbox or tooling.
import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const SYSTEM_DIRS = ['Shopify', 'NetSuite', 'ShipBob', 'HubSpot', 'Akeneo', 'AmazonSellingPartner', 'Ebay'];

const n8nRules = (config) =>
	Object.fromEntries(Object.entries(config.rules).map(([rule]) => [rule, 'error']));

// Rules that do not fit a multi-system self-hosted package (see README "Lint").
const relaxed = {
	// Our nodes document themselves through their own docs URL, not n8n's docs site.
	'n8n-nodes-base/node-class-description-credentials-name-unsuffixed': 'off',
	'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
	'n8n-nodes-base/cred-class-field-documentation-url-not-http-url': 'off',
	'n8n-nodes-base/node-param-options-type-unsorted-items': 'warn',
	// These two predate NodeConnectionTypes (n8n >= 1.85), which n8n's current rules require.
	'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
	'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
	// Operations throw typed kernel errors; the shared router (nodes/shared/n8n/router.ts) turns
	// every one into NodeApiError / NodeOperationError with the item index before n8n sees it.
	'n8n-nodes-base/node-execute-block-wrong-error-thrown': 'off',
};

const otherSystems = (self) =>
	SYSTEM_DIRS.filter((s) => s !== self).map((s) => ({
		group: [`**/${s}/**`, `../${s}/*`, `../../${s}/*`, `../../../${s}/*`],
		message: `Systems never import each other: move shared code into nodes/shared.`,
	}));

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'sandbox/**', 'scripts/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended.map((c) => ({ ...c, files: ['nodes/**/*.ts', 'credentials/**/*.ts'] })),
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['**/test/**', '**/sandbox/**', '**/scripts/**'], message: 'Shipped code never imports tests, the sandbox or tooling.' },
						{ group: ['axios', 'node-fetch', 'undici'], message: 'Inside nodes, HTTP goes through n8n helpers (nodes/shared/n8n/transport.ts).' },
					],
				},
			],
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: { ...n8nRules(n8nNodesBase.configs.credentials), ...relaxed },
	},
	{
		files: ['nodes/**/*.node.ts'],
		rules: { ...n8nRules(n8nNodesBase.configs.nodes), ...relaxed },
	},
	{
		files: ['nodes/shared/core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [
						{ name: 'n8n-workflow', message: 'nodes/shared/core is pure: no n8n imports. Put n8n glue in nodes/shared/n8n.' },
						{ name: 'n8n-core', message: 'nodes/shared/core is pure: no n8n imports.' },
					],
					patterns: [
						{ group: ['n8n-workflow/*', 'n8n-core/*'], message: 'nodes/shared/core is pure: no n8n imports.' },
						{ group: ['**/shared/n8n/**', '../n8n/*', '../../n8n/*', '../../n8n'], message: 'The kernel never depends on the n8n bridge.' },
						{ group: SYSTEM_DIRS.map((s) => `**/${s}/**`), message: 'The kernel never depends on a system.' },
						{ group: ['**/test/**', '**/sandbox/**'], message: 'Shipped code never imports tests or the sandbox.' },
					],
				},
			],
		},
	},
	...SYSTEM_DIRS.map((system) => ({
		files: [`nodes/${system}/**/*.ts`],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						...otherSystems(system),
						{ group: ['**/test/**', '**/sandbox/**'], message: 'Shipped code never imports tests or the sandbox.' },
					],
				},
			],
		},
	})),
];
