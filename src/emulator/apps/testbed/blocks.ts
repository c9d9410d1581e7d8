/**
 * Example core blocks (all regions of one core, built with the host's region
 * writers) for the core-app tests and benchmarks: an IF_curr_exp core fed by
 * one source population, and a SpikeSourceArray.
 */
import {
  systemRegion, makeSystemRegion, coreParams, makeCoreParams, synapseParams, masterPopTable, neuronRecording,
  makeIfCurrExpRecording, recordingHeader, makeRecordingHeader, ssaConfig, makeSsaConfig, encodeSendBuffer,
  spikeKeysByTick, sendBufferSize, stdpRegion, makeStdpRegion, wordsToBytes, getNBits, type RegionContent, type StdpRegion,
} from '../../../regions/index.js';

export const SSA_KEY = 0x00010000;
export const NEURON_KEY = 0x00020000;
export const COLOUR_BITS = 4;

export interface NeuronBlockOpts {
  app: string;
  params: Uint32Array; // neuron-params region words
  nNeurons: number;
  maxAtoms?: number;
  shifts?: [number, number];
  logMaxDelay?: number;
  matrix?: Uint32Array;
  /** Rows reached by SSA_KEY atoms: row length (excluding the 3 header words). */
  rowLength?: number;
  nSourceAtoms?: number;
  stdp?: StdpRegion;
  recordSpace?: number;
  /** Base key of the core's neurons (default NEURON_KEY); null: the core sends nothing. */
  key?: number | null;
  /** Key of the source population's atom 0 (default SSA_KEY; mask 0xffff0000). */
  sourceKey?: number;
  /** Variables recorded every tick (default V, gsyn_exc and spikes). */
  record?: { v?: boolean; gsyn_exc?: boolean; gsyn_inh?: boolean; spikes?: boolean };
}

export function neuronRegions(o: NeuronBlockOpts): (RegionContent | undefined)[] {
  const shifts = o.shifts ?? [5, 5];
  const maxAtoms = o.maxAtoms ?? o.nNeurons;
  const regions: (RegionContent | undefined)[] = [];
  regions[0] = { content: systemRegion.encode(makeSystemRegion(o.app, 1000)) };
  regions[1] = { content: coreParams.encode(makeCoreParams({ baseKey: o.key === undefined ? NEURON_KEY : o.key, nNeurons: o.nNeurons, maxAtomsPerCore: maxAtoms, nColourBits: COLOUR_BITS, ringBufferShifts: shifts })) };
  regions[2] = { content: wordsToBytes(o.params) };
  regions[4] = {
    content: synapseParams.encode({
      nNeurons: maxAtoms, nSynapseTypes: 2, logNNeurons: getNBits(maxAtoms), logNSynapseTypes: 1, logMaxDelay: o.logMaxDelay ?? 4,
      dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: shifts,
    }),
  };
  regions[5] = {
    content: masterPopTable.encode({
      entries: o.matrix ? [{ key: o.sourceKey ?? SSA_KEY, mask: 0xffff0000, nColourBits: COLOUR_BITS, coreMask: 0, maskShift: 0, nNeurons: o.nSourceAtoms ?? 1, items: [{ address: 0, rowLength: o.rowLength! }] }] : [],
    }),
  };
  regions[6] = o.matrix ? { content: wordsToBytes(o.matrix) } : { reserved: 4 };
  if (o.stdp) regions[7] = { content: stdpRegion.encode(o.stdp) };
  regions[9] = { content: neuronRecording(o.nNeurons).encode(makeIfCurrExpRecording(o.nNeurons, o.record ?? { v: true, gsyn_exc: true, spikes: true })) };
  regions[10] = { reserved: 64 };
  const space = o.recordSpace ?? 1 << 16;
  // Default: V, gsyn_exc, spikes and the packets-per-tick channel; with `record`, only the variables asked for.
  const r = o.record;
  const spaces = r ? [r.v, r.gsyn_exc, r.gsyn_inh, r.spikes, false, false].map((on) => (on ? space : 0)) : [space, space, 0, space, 0, space];
  regions[15] = { content: recordingHeader.encode(makeRecordingHeader(spaces)) };
  regions[16] = { reserved: o.params.length * 4 };
  return regions;
}

export function ssaRegions(spikeTicks: number[][], runTicks: number, record = true, key = SSA_KEY): (RegionContent | undefined)[] {
  const timed = spikeKeysByTick(spikeTicks, key, COLOUR_BITS, 0, runTicks);
  const maxKeys = Math.max(1, ...timed.map((t) => t.keys.length));
  const size = sendBufferSize(maxKeys, runTicks) + 2;
  const regions: (RegionContent | undefined)[] = [];
  regions[0] = { content: systemRegion.encode(makeSystemRegion('reverse_iptag_multicast_source', 1000)) };
  regions[1] = { content: ssaConfig.encode(makeSsaConfig({ key, mask: 0xffff0000, sendBufferSize: size, hardwareTimestepUs: 1000 })) };
  regions[2] = { content: recordingHeader.encode(makeRecordingHeader([record ? 4096 : 0])) };
  regions[3] = { content: encodeSendBuffer(timed, size), reserved: size };
  regions[4] = { reserved: 20 };
  return regions;
}

export function stdpFor(timestepMs: number, kind: 'additive' | 'multiplicative'): StdpRegion {
  return makeStdpRegion({
    timestepMs, nSynapseTypes: 2,
    timing: { tau_plus: 20, tau_minus: 20, A_plus: 0.05, A_minus: 0.06 },
    weight: { kind, w_min: 0, w_max: 1 },
  });
}
