export * from './render.js';
export * from './figures.js';
