/**
 * delay_extension: DELAY_PARAMS (region 1), and the host's split of long
 * delays into stages of the post core's maximum delay S.
 */
import { type RegionCodec, WordReader, bytesToWords, checkU32, wordsToBytes } from './words.js';

export const DELAY_PARAMS_WORDS = 9;
/** MAX_SLOTS: delays up to S × (1 + 8). */
export const MAX_DELAY_STAGES = 8;

export interface DelayParams {
  hasKey: boolean;
  key: number;
  incomingKey: number;
  incomingMask: number;
  nAtoms: number;
  nDelayStages: number;
  /** S: delay steps per stage. */
  delayPerStage: number;
  clearPackets: boolean;
  nColourBits: number;
}

export const delayParams: RegionCodec<DelayParams> = {
  encodingLength: () => DELAY_PARAMS_WORDS * 4,
  encode(p) {
    return wordsToBytes([
      p.hasKey ? 1 : 0, checkU32(p.key, 'key'), checkU32(p.incomingKey, 'incomingKey'), checkU32(p.incomingMask, 'incomingMask'),
      checkU32(p.nAtoms, 'nAtoms'), checkU32(p.nDelayStages, 'nDelayStages'), checkU32(p.delayPerStage, 'delayPerStage'),
      p.clearPackets ? 1 : 0, checkU32(p.nColourBits, 'nColourBits'),
    ]);
  },
  decode(bytes) {
    const r = new WordReader(bytesToWords(bytes.subarray(0, DELAY_PARAMS_WORDS * 4), 'delay params'), 'delay params');
    return {
      hasKey: r.u32('has_key') !== 0, key: r.u32('key'), incomingKey: r.u32('incoming_key'), incomingMask: r.u32('incoming_mask'),
      nAtoms: r.u32('n_atoms'), nDelayStages: r.u32('n_delay_stages'), delayPerStage: r.u32('n_delay_in_a_stage'),
      clearPackets: r.u32('clear_packets') !== 0, nColourBits: r.u32('n_colour_bits'),
    };
  },
};

/** Stages needed for a maximum delay: ceil(maxDelay / S) − 1; throws beyond S × 9. */
export function delayStages(maxDelaySteps: number, slotsPerCore: number): number {
  const stages = Math.ceil(maxDelaySteps / slotsPerCore) - 1;
  if (stages > MAX_DELAY_STAGES) {
    throw new RangeError(`delay ${maxDelaySteps} steps exceeds the supported ${slotsPerCore * (1 + MAX_DELAY_STAGES)} (${slotsPerCore} per core × 9)`);
  }
  return Math.max(0, stages);
}

/**
 * Where a connection with this delay goes: stage 0 = the undelayed matrix
 * with the delay as is; otherwise stage = floor((delay − 1) / S) and the
 * delay written in the row is delay − stage·S.
 */
export function splitDelay(delaySteps: number, slotsPerCore: number): { stage: number; rowDelay: number } {
  if (!Number.isInteger(delaySteps) || delaySteps < 1) throw new RangeError(`delay ${delaySteps} steps must be a positive integer`);
  if (delaySteps <= slotsPerCore) return { stage: 0, rowDelay: delaySteps };
  const stage = Math.floor((delaySteps - 1) / slotsPerCore);
  return { stage, rowDelay: delaySteps - stage * slotsPerCore };
}

/** Row index in the delayed matrix: core·(maxAtoms·nStages) + (stage−1)·maxAtoms + local source. */
export function delayedRowIndex(sourceCore: number, stage: number, localSource: number, maxAtomsPerCore: number, nStages: number): number {
  return sourceCore * (maxAtomsPerCore * nStages) + (stage - 1) * maxAtomsPerCore + localSource;
}

/** Key the delay core sends for neuron n at stage d (0-based) with colour c. */
export function delayedKey(baseKey: number, stage: number, nAtoms: number, neuron: number, nColourBits: number, colour: number): number {
  return ((baseKey + ((stage * nAtoms + neuron) << nColourBits)) | colour) >>> 0;
}
