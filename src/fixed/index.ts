export * from './encode.js';
export * from './accum.js';
export * from './exp.js';
export * from './stdp-fixed.js';
export * from './stdp-lut.js';
