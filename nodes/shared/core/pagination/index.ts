/**
 * Paginators: one loop (`paginate`) and one strategy per way of paging. Adapters pick a strategy
 * in their profile or operation and hand `paginate` a page-fetch function over the HTTP client.
 */
export * from './types';
export * from './errors';
export { readPath, readItems, type ItemSelector, type ItemOptions } from './items';
export * from './linkHeader';
export { joinUrl, originOf, resolveNextLink } from './url';
export * from './paginator';
export * from './graphqlCursor';
export * from './nextLink';
export * from './offset';
export * from './bodyCursor';
export * from './keyset';
export * from './suiteqlKeyset';
export * from './singlePage';
