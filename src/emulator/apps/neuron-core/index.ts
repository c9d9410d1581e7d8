export { NeuronCoreApp, NeuronRegion, type NeuronCoreOptions, type NeuronCoreCounters } from './neuron-core.js';
export { PopTable } from './pop-table.js';
export { NeuronRecording, SPIKE_CHANNEL, PACKETS_CHANNEL } from './neuron-recording.js';
