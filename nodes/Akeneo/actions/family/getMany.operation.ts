import { referenceList } from '../common';

// API: https://api.akeneo.com/api-reference.html#get_families
export const { description, operation } = referenceList('family', '/api/rest/v1/families');
