import { upsert } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-deals-v3/batch/post-crm-v3-objects-deals-batch-upsert
export const { description, operation } = upsert('deal');
