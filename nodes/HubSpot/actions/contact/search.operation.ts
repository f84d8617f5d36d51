import { search } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/search/post-crm-v3-objects-contacts-search
export const { description, operation } = search('contact');
