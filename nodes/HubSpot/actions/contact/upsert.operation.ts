import { upsert } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/batch/post-crm-v3-objects-contacts-batch-upsert
export const { description, operation } = upsert('contact');
