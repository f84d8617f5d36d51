import { get } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/get-crm-v3-objects-contacts-objectId
export const { description, operation } = get('contact');
