import { get } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-deals-v3/basic/get-crm-v3-objects-deals-objectId
export const { description, operation } = get('deal');
