/**
 * The synapse-dynamics (STDP) region as the pair-rule firmware reads it:
 * `{backprop_delay}`, the tau+ and tau− look-up tables
 * (`maths_copy_int16_lut`: a {size, shift} half-word header then int16
 * values, padded to a word), then per synapse type {w_min, w_max, A2+, A2−}
 * as s16.15 words.
 */
import { FirmwareError } from '../neuron/errors.js';

export interface Int16Lut {
  size: number;
  shift: number;
  values: Int16Array;
}

export interface StdpPairParams {
  backpropDelay: boolean;
  lutPlus: Int16Lut;
  lutMinus: Int16Lut;
  /** Per synapse type: [w_min, w_max, A2+, A2−] as s16.15 raw, flattened (4 per type). */
  weightParams: Int32Array;
  /** Words consumed from the region. */
  wordsRead: number;
}

function readLut(words: Uint32Array, at: number, what: string): [Int16Lut, number] {
  if (at >= words.length) throw new FirmwareError(`STDP region: ${what} LUT header is beyond the region's ${words.length} words`);
  const header = words[at]!;
  const size = header & 0xffff;
  const shift = header >>> 16;
  const nWords = (size >>> 1) + (size & 1);
  if (at + 1 + nWords > words.length) throw new FirmwareError(`STDP region: ${what} LUT of ${size} entries runs past the region's end`);
  const values = new Int16Array(size);
  for (let i = 0; i < size; i++) {
    const w = words[at + 1 + (i >>> 1)]!;
    values[i] = (i & 1) === 0 ? w & 0xffff : w >>> 16;
  }
  return [{ size, shift, values }, at + 1 + nWords];
}

export function readStdpPairParams(words: Uint32Array, nSynapseTypes: number, offset = 0): StdpPairParams {
  if (offset >= words.length) throw new FirmwareError('STDP region is empty');
  const backpropDelay = words[offset]! !== 0;
  const [lutPlus, afterPlus] = readLut(words, offset + 1, 'tau+');
  const [lutMinus, afterMinus] = readLut(words, afterPlus, 'tau-');
  const need = afterMinus + 4 * nSynapseTypes;
  if (need > words.length) throw new FirmwareError(`STDP region: weight parameters for ${nSynapseTypes} synapse types need ${need - offset} words, region has ${words.length - offset}`);
  const weightParams = new Int32Array(4 * nSynapseTypes);
  for (let i = 0; i < weightParams.length; i++) weightParams[i] = words[afterMinus + i]! | 0;
  return { backpropDelay, lutPlus, lutMinus, weightParams, wordsRead: need - offset };
}
