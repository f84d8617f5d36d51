/** Vendor-spec conformance checks for sandbox responses (see validate.ts). */
export { loadSpecFile, specsDir } from './load';
export { SpecValidator, SpecViolation } from './validate';
export type { SpecCheck } from './validate';
