/**
 * CORE_PARAMS (region 1 of the neuron binaries): has_key, n_neurons,
 * n_neurons_peak, n_colour_bits, n_synapse_types, ring_buffer_shifts[types],
 * then one key per neuron: base + (i << n_colour_bits).
 */
import { type RegionCodec, WordReader, bytesToWords, checkU32, getNBits, wordsToBytes } from './words.js';

export interface CoreParams {
  hasKey: boolean;
  nNeurons: number;
  /** 2^get_n_bits(max atoms per core). */
  nNeuronsPeak: number;
  nColourBits: number;
  ringBufferShifts: number[];
  /** Per-neuron base keys (colour bits clear). */
  keys: number[];
}

export const coreParams: RegionCodec<CoreParams> = {
  encodingLength: (p) => 4 * (5 + p.ringBufferShifts.length + p.keys.length),
  encode(p) {
    if (p.keys.length !== p.nNeurons) throw new RangeError(`core params: ${p.keys.length} keys for ${p.nNeurons} neurons`);
    return wordsToBytes([
      p.hasKey ? 1 : 0, checkU32(p.nNeurons, 'nNeurons'), checkU32(p.nNeuronsPeak, 'nNeuronsPeak'),
      checkU32(p.nColourBits, 'nColourBits'), p.ringBufferShifts.length,
      ...p.ringBufferShifts.map((s, i) => checkU32(s, `ringBufferShifts[${i}]`)),
      ...p.keys.map((k, i) => checkU32(k, `keys[${i}]`)),
    ]);
  },
  decode(bytes) {
    const r = new WordReader(bytesToWords(bytes, 'core params'), 'core params');
    const hasKey = r.u32('has_key') !== 0;
    const nNeurons = r.u32('n_neurons');
    const nNeuronsPeak = r.u32('n_neurons_peak');
    const nColourBits = r.u32('n_colour_bits');
    const nTypes = r.u32('n_synapse_types');
    const ringBufferShifts = r.array(nTypes, 'ring_buffer_shifts');
    const keys = r.array(nNeurons, 'neuron_keys');
    return { hasKey, nNeurons, nNeuronsPeak, nColourBits, ringBufferShifts, keys };
  },
};

export function makeCoreParams(opts: {
  baseKey: number | null; nNeurons: number; maxAtomsPerCore: number; nColourBits: number; ringBufferShifts: number[];
}): CoreParams {
  const { baseKey, nNeurons, nColourBits } = opts;
  return {
    hasKey: baseKey !== null,
    nNeurons,
    nNeuronsPeak: 2 ** getNBits(opts.maxAtomsPerCore),
    nColourBits,
    ringBufferShifts: [...opts.ringBufferShifts],
    keys: Array.from({ length: nNeurons }, (_, i) => (baseKey === null ? 0 : (baseKey + i * 2 ** nColourBits) >>> 0)),
  };
}
