/** Test helper: signed requests to the NetSuite sandbox through our credential class. */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { NETSUITE_SANDBOX_ACCOUNT } from '../../../sandbox/systems/netsuite';
import { n8nHttpHelpers } from '../../helpers/n8nHttp';

export function netSuiteCredentials(baseUrl: string, extra: IDataObject = {}): IDataObject {
	return { ...NETSUITE_SANDBOX_ACCOUNT, concurrency: 5, baseUrl, ...extra };
}

export interface NsResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: any;
}

export function netSuiteClient(baseUrl: string, extra: IDataObject = {}) {
	const helpers = n8nHttpHelpers({ netSuiteTbaApi: netSuiteCredentials(baseUrl, extra) });
	return async (
		method: IHttpRequestMethods,
		path: string,
		options: { qs?: IDataObject; body?: unknown; headers?: IDataObject } = {},
	): Promise<NsResponse> =>
		(await helpers.httpRequestWithAuthentication.call(undefined, 'netSuiteTbaApi', {
			method,
			url: /^https?:/.test(path) ? path : `${baseUrl}${path}`,
			qs: options.qs,
			body: options.body as IDataObject,
			headers: options.headers,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as NsResponse;
}

export const SUITEQL = '/services/rest/query/v1/suiteql';
export const RECORD = '/services/rest/record/v1';
