import { getMany } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/basic/get-crm-v3-objects-companies
export const { description, operation } = getMany('company');
