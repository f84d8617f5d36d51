import { upsert } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/batch/post-crm-v3-objects-companies-batch-upsert
export const { description, operation } = upsert('company');
