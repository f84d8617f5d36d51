import { referenceList } from '../common';

// API: https://api.akeneo.com/api-reference.html#get_categories
export const { description, operation } = referenceList('category', '/api/rest/v1/categories');
