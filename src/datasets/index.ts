export * from './random.js';
export * from './atomic.js';
export * from './mnist.js';
export * from './spikes.js';
export * from './rate.js';
export * from './latency.js';
export * from './dog.js';
