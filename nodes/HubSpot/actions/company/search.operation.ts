import { search } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/search/post-crm-v3-objects-companies-search
export const { description, operation } = search('company');
