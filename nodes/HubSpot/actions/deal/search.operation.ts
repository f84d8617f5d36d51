import { search } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-deals-v3/search/post-crm-v3-objects-deals-search
export const { description, operation } = search('deal');
