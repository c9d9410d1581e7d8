export * from './errors.js';
export * from './random.js';
export * from './cells.js';
export * from './synapses.js';
export * from './connectors.js';
export * from './limits.js';
export * from './network.js';
export * from './json.js';
