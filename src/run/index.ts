export { RunError } from './errors.js';
export { Simulator, type ConnectOptions, type StepTimes } from './simulator.js';
export { generate, sendBufferFor, timestepMicros, NeuronRegions, SourceRegions, type RunPlan, type CorePlan, type NeuronCorePlan, type SourceCorePlan, type MatrixBlock } from './generate.js';
export { postSynapseInfo, type PostSynapseInfo } from './synapses.js';
export { ImageSource, binariesDir } from './images.js';
export { referenceCore, referenceSynapses, type ReferenceResult } from './reference.js';
export { measureStdpWindow, DEFAULT_STDP_WINDOW, type StdpWindowParams, type StdpWindowPoint, type StdpWindowResult } from './stdp-window.js';
