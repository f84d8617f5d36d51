import { associate } from '../crm';

// API: https://developers.hubspot.com/docs/api-reference/crm-associations-v4/basic/put-crm-v4-objects-objectType-objectId-associations-default-toObjectType-toObjectId
export const { description, operation } = associate('deal');
