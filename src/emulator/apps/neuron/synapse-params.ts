/**
 * The synapse-parameters region as the neuron firmware reads it
 * (`synapses.c`, `struct synapse_params`): seven words then one ring-buffer
 * left shift per synapse type.
 */
import { FirmwareError } from './errors.js';

export interface SynapseParams {
  nNeurons: number;
  nSynapseTypes: number;
  /** Neuron index bits N of a synaptic word (get_n_bits(max atoms per core)). */
  logNNeurons: number;
  /** Synapse type bits T. */
  logNSynapseTypes: number;
  /** Delay bits D: the ring buffer has 2^D delay slots. */
  logMaxDelay: number;
  dropLatePackets: boolean;
  incomingSpikeBufferSize: number;
  /** Per synapse type: an integer ring value w becomes the s16.15 input w << shift. */
  ringBufferShifts: number[];
}

export const SYNAPSE_PARAMS_HEADER_WORDS = 7;

/** Decode the region from its words (as the firmware reads SDRAM). */
export function readSynapseParams(words: Uint32Array, offset = 0): SynapseParams {
  if (words.length < offset + SYNAPSE_PARAMS_HEADER_WORDS) {
    throw new FirmwareError(`synapse parameters: need at least ${SYNAPSE_PARAMS_HEADER_WORDS} words, got ${words.length - offset}`);
  }
  const nSynapseTypes = words[offset + 1]!;
  if (words.length < offset + SYNAPSE_PARAMS_HEADER_WORDS + nSynapseTypes) {
    throw new FirmwareError(`synapse parameters: ${nSynapseTypes} synapse types need ${SYNAPSE_PARAMS_HEADER_WORDS + nSynapseTypes} words, got ${words.length - offset}`);
  }
  const ringBufferShifts: number[] = [];
  for (let s = 0; s < nSynapseTypes; s++) ringBufferShifts.push(words[offset + SYNAPSE_PARAMS_HEADER_WORDS + s]!);
  return {
    nNeurons: words[offset]!,
    nSynapseTypes,
    logNNeurons: words[offset + 2]!,
    logNSynapseTypes: words[offset + 3]!,
    logMaxDelay: words[offset + 4]!,
    dropLatePackets: words[offset + 5]! !== 0,
    incomingSpikeBufferSize: words[offset + 6]!,
    ringBufferShifts,
  };
}

/** Encode the region (the inverse of readSynapseParams); used by tests and stand-ins. */
export function writeSynapseParams(p: SynapseParams): Uint32Array {
  const w = new Uint32Array(SYNAPSE_PARAMS_HEADER_WORDS + p.nSynapseTypes);
  w[0] = p.nNeurons;
  w[1] = p.nSynapseTypes;
  w[2] = p.logNNeurons;
  w[3] = p.logNSynapseTypes;
  w[4] = p.logMaxDelay;
  w[5] = p.dropLatePackets ? 1 : 0;
  w[6] = p.incomingSpikeBufferSize;
  p.ringBufferShifts.forEach((s, i) => (w[SYNAPSE_PARAMS_HEADER_WORDS + i] = s));
  return w;
}

/** `get_n_bits`: 0 → 0, 1 → 1, otherwise ceil(log2 n). */
export function getNBits(n: number): number {
  if (n <= 1) return n <= 0 ? 0 : 1;
  return 32 - Math.clz32(n - 1);
}
