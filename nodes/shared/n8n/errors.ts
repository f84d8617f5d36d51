import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { cleanErrorBody, isCommerceError, type CommerceError } from '../core/http/errors';
import { QuantityError } from '../core/domain/stock';

/** Bad input found by an operation: becomes a NodeOperationError naming the item and field. */
export class InputError extends Error {
	constructor(
		message: string,
		readonly field?: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** The error fields an error-output item carries, read by the Retry node and by people. */
export interface ErrorItemDetails extends IDataObject {
	message: string;
	description?: string;
	kind?: string;
	system?: string;
	status?: number;
	retryable?: boolean;
	retryAfterMs?: number;
	requestId?: string;
	code?: string;
	attempts?: number;
	field?: string;
	itemIndex?: number;
}

/**
 * Turns anything an operation threw into the n8n error type the editor shows well: kernel
 * HTTP failures become NodeApiError (with the status as httpCode and the request id in the
 * message), bad input becomes NodeOperationError with the item index. Existing n8n errors pass
 * through with the item index added.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) {
			error.context.itemIndex = itemIndex;
		}
		return error;
	}
	const where = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
	if (isCommerceError(error)) {
		const ce = error as CommerceError;
		const apiError = new NodeApiError(node, (cleanErrorBody(ce.body) ?? {}) as JsonObject, {
			message: `${ce.message}${where}`,
			description: describeCommerceError(ce),
			httpCode: ce.status === undefined ? undefined : String(ce.status),
			itemIndex,
		});
		// NodeApiError swaps in a generic text for known statuses; the system's own words are more useful.
		apiError.message = `${ce.message}${where}`;
		return apiError;
	}
	if (error instanceof InputError || error instanceof QuantityError) {
		return new NodeOperationError(node, `${error.message}${where}`, {
			itemIndex,
			description: error instanceof InputError ? error.hint : undefined,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `${message}${where}`, { itemIndex });
}

function describeCommerceError(error: CommerceError): string {
	const parts = [`System: ${error.system}`, `Kind: ${error.kind}`];
	if (error.status !== undefined) parts.push(`HTTP status: ${error.status}`);
	if (error.code) parts.push(`Code: ${error.code}`);
	if (error.attempts !== undefined) parts.push(`Attempts: ${error.attempts}`);
	if (error.retryAfterMs !== undefined) parts.push(`Retry after: ${error.retryAfterMs} ms`);
	if (error.hint) parts.push(error.hint);
	return parts.join(' · ');
}

/** The machine-readable details of an error, for the `error` field of an error-output item. */
export function errorDetails(error: unknown, itemIndex?: number): ErrorItemDetails {
	if (isCommerceError(error)) {
		const ce = error as CommerceError;
		return prune({
			message: ce.message,
			description: ce.hint,
			kind: ce.kind,
			system: ce.system,
			status: ce.status,
			retryable: ce.retryable,
			retryAfterMs: ce.retryAfterMs,
			requestId: ce.requestId,
			code: ce.code,
			attempts: ce.attempts,
			itemIndex,
		});
	}
	if (error instanceof NodeApiError) {
		const status = error.httpCode ? Number(error.httpCode) : undefined;
		return prune({
			message: error.message,
			description: error.description ?? undefined,
			status: Number.isFinite(status) ? status : undefined,
			itemIndex,
		});
	}
	if (error instanceof InputError || error instanceof QuantityError) {
		return prune({
			message: error.message,
			description: error instanceof InputError ? error.hint : undefined,
			kind: 'validation',
			retryable: false,
			field: error.field,
			itemIndex,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return prune({ message, itemIndex });
}

function prune<T extends IDataObject>(obj: T): T {
	for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
	return obj;
}
