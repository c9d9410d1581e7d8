/**
 * The synapse-parameters region as the neuron firmware reads it
 * (`synapses.c`, `struct synapse_params`): seven words then one ring-buffer
 * left shift per synapse type. The layout is the host's; this reads it through
 * the host's codec, with the firmware's own errors for a short region.
 */
import { type SynapseParams, bytesToWords, synapseParams, wordsToBytes } from '../../../regions/index.js';
import { FirmwareError } from './errors.js';

export type { SynapseParams };
export { getNBits } from '../../../regions/index.js';

export const SYNAPSE_PARAMS_HEADER_WORDS = 7;

/** Decode the region from its words (as the firmware reads SDRAM). */
export function readSynapseParams(words: Uint32Array, offset = 0): SynapseParams {
  if (words.length < offset + SYNAPSE_PARAMS_HEADER_WORDS) {
    throw new FirmwareError(`synapse parameters: need at least ${SYNAPSE_PARAMS_HEADER_WORDS} words, got ${words.length - offset}`);
  }
  const nSynapseTypes = words[offset + 1]!;
  const end = offset + SYNAPSE_PARAMS_HEADER_WORDS + nSynapseTypes;
  if (words.length < end) {
    throw new FirmwareError(`synapse parameters: ${nSynapseTypes} synapse types need ${SYNAPSE_PARAMS_HEADER_WORDS + nSynapseTypes} words, got ${words.length - offset}`);
  }
  return synapseParams.decode(wordsToBytes(words.subarray(offset, end)));
}

/** Encode the region (the inverse of readSynapseParams); used by tests and stand-ins. */
export function writeSynapseParams(p: SynapseParams): Uint32Array {
  return bytesToWords(synapseParams.encode(p));
}
