// The reference moved to src/run/reference.ts (tools use it too); kept here so the run tests' imports stay put.
export { referenceCore, type ReferenceResult } from '../../src/run/reference.js';
