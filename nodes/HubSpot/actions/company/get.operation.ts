import { get } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/basic/get-crm-v3-objects-companies-objectId
export const { description, operation } = get('company');
