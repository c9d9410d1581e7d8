export * from './model-dir.js';
export * from './steps.js';
export * from './features.js';
export * from './npy.js';
export * from './progress.js';
