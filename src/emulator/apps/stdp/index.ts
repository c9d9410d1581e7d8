export { StdpPairCore, type StdpPairCoreOptions, type WeightDependence } from './pair-stdp.js';
export { PostHistory, MAX_POST_SYNAPTIC_EVENTS } from './post-history.js';
export { readStdpPairParams, type StdpPairParams, type Int16Lut } from './stdp-params.js';
