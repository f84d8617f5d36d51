import type { INodeProperties } from 'n8n-workflow';

/**
 * The two hidden credential fields that hold an exchanged session token and its expiry. n8n
 * fills the expirable one through the credential's `preAuthentication`; `withSession`
 * (session.ts) reads both to renew the token before it runs out. One definition, so every
 * token-exchanging credential (Amazon, eBay, Akeneo) stores its session the same way.
 */
export const SESSION_TOKEN_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Session Token',
		name: 'sessionToken',
		type: 'hidden',
		typeOptions: { expirable: true, password: true },
		default: '',
	},
	{
		displayName: 'Session Expires At',
		name: 'sessionExpiresAt',
		type: 'hidden',
		default: '',
	},
];
