export * from './links.js';
export * from './chip.js';
export * from './machine.js';
export * from './geometry.js';
