export { SpikeSourceApp, SpikeSourceRegion, type SpikeSourceCounters } from './spike-source.js';
