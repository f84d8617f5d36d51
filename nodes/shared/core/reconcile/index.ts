export * from './types';
export { allocate, reconcile } from './engine';
export { renderDriftReport } from './report';
