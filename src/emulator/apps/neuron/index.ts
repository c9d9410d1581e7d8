export { FirmwareError } from './errors.js';
export {
  type SynapseParams, SYNAPSE_PARAMS_HEADER_WORDS, readSynapseParams, writeSynapseParams, getNBits,
} from './synapse-params.js';
export {
  RingBuffers, MAX_RING_BUFFER_BITS, type RowLayout, rowLayout, type PlasticRowProcessor, processSynapticRow,
} from './ring-buffers.js';
export {
  IfCurrExpCore, type IfCurrExpRawParams, packNeuronParams, neuronParamWords, decayAndInit,
  LIF_PARAM_WORDS, THRESHOLD_PARAM_WORDS, EXP_SYNAPSE_PARAM_WORDS, N_SYNAPSE_TYPES, EXCITATORY, INHIBITORY,
} from './if-curr-exp.js';
