import { referenceList } from '../common';

// API: https://api.akeneo.com/api-reference.html#get_attributes
export const { description, operation } = referenceList('attribute', '/api/rest/v1/attributes');
