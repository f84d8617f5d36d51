export * from './types';
export { adjustmentKey, allocate, allocationFrom, reconcile } from './engine';
export { renderDriftReport } from './report';
