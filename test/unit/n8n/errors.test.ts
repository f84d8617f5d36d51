import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { CommerceError } from '../../../nodes/shared/core/http/errors';
import { QuantityError } from '../../../nodes/shared/core/domain/stock';
import { InputError, errorDetails, toNodeError } from '../../../nodes/shared/n8n/errors';

const node: INode = {
	id: '1',
	name: 'Shopify',
	type: 'n8n-nodes-commerce-sync.shopify',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('toNodeError', () => {
	it('maps a kernel error to NodeApiError keeping the system message, status and request id', () => {
		const error = toNodeError(
			node,
			new CommerceError({
				kind: 'validation',
				message: 'Shopify refused the quantities: quantity must be positive',
				system: 'shopify',
				status: 422,
				retryable: false,
				requestId: 'abc',
				body: { errors: 'bad', authorization: 'Bearer shpat_secret' },
			}),
			3,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Shopify refused the quantities: quantity must be positive (request id abc) [item 3]');
		expect((error as NodeApiError).httpCode).toBe('422');
		expect(error.context.itemIndex).toBe(3);
		expect(JSON.stringify(error)).not.toContain('shpat_secret');
		expect(error.description).toContain('System: shopify');
	});

	it('maps bad input to NodeOperationError with the hint as description', () => {
		const error = toNodeError(node, new InputError('"sku" is missing', 'sku', 'Map the SKU field'), 0);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('"sku" is missing [item 0]');
		expect(error.description).toBe('Map the SKU field');
		expect(toNodeError(node, new QuantityError('available', 'x', 'bad qty'), 1)).toBeInstanceOf(NodeOperationError);
	});

	it('adds the item index to n8n errors without wrapping them', () => {
		const original = new NodeOperationError(node, 'boom');
		expect(toNodeError(node, original, 5)).toBe(original);
		expect(original.context.itemIndex).toBe(5);
	});
});

describe('errorDetails', () => {
	it('gives machine-readable fields without undefined members', () => {
		expect(errorDetails(new InputError('bad', 'qty'), 2)).toEqual({
			message: 'bad',
			kind: 'validation',
			retryable: false,
			field: 'qty',
			itemIndex: 2,
		});
		expect(errorDetails(new Error('plain'))).toEqual({ message: 'plain' });
	});
});
