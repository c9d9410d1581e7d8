/**
 * Pair-rule STDP with additive (one-term) or multiplicative weight
 * dependence, as `synapse_dynamics_stdp_mad_impl.c` + `timing_pair_impl` +
 * `weight_additive_one_term_impl` / `weight_multiplicative_impl` compute it,
 * on plastic rows held as SDRAM words and updated in place.
 *
 * Plastic row (neural-formats §2.3–2.4), word offsets from the row start:
 *   0                 pp_size (plastic-region words)
 *   1                 prev_time (uint32)       } pre-synaptic event history
 *   2 (low half)      prev_trace (int16)       }
 *   3 …               one uint16 weight per synapse, two per word, low half first
 *   pp_size + 1       num_fixed
 *   pp_size + 2       num_plastic
 *   …                 num_fixed static words, then num_plastic control
 *                     half-words [delay | type | index]
 *
 * Updates are deferred: a synapse changes only when its row is processed
 * for a pre-synaptic spike. Post-synaptic spikes are only remembered (15 per
 * neuron). There is no end-of-run flush; the plastic region is written back
 * after every pre spike, which here means the row words already hold it.
 */
import { mulk, stdpFixedMul16x16, mulAccumFixed, STDP_FIXED_POINT_ONE } from '../../../fixed/index.js';
import { FirmwareError } from '../neuron/errors.js';
import type { PlasticRowProcessor, RingBuffers } from '../neuron/ring-buffers.js';
import { MAX_POST_SYNAPTIC_EVENTS, PostHistory } from './post-history.js';
import { readStdpPairParams, type Int16Lut, type StdpPairParams } from './stdp-params.js';

export type WeightDependence = 'additive' | 'multiplicative';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('the STDP kernel views SDRAM words as half-words and needs a little-endian host');
}

function lutDecay(lut: Int16Lut, dt: number): number {
  const idx = dt >>> lut.shift;
  return idx < lut.size ? lut.values[idx]! : 0;
}

export interface StdpPairCoreOptions {
  /** The STDP region words, starting at `backprop_delay`. */
  regionWords: Uint32Array;
  regionOffset?: number;
  weightDependence: WeightDependence;
  /** Neurons on the core (post-synaptic histories). */
  nNeurons: number;
  /** The core's ring buffers: gives the masks, the weight shifts and where weights go. */
  ring: RingBuffers;
}

export class StdpPairCore implements PlasticRowProcessor {
  readonly params: StdpPairParams;
  readonly multiplicative: boolean;
  readonly history: PostHistory;
  readonly ring: RingBuffers;
  /** `weight_shift[type]` = the type's ring-buffer left shift. */
  readonly weightShift: Uint32Array;

  /** `num_plastic_pre_synaptic_events`. */
  numPlasticPreSynapticEvents = 0;
  /** `plastic_saturation_count`. */
  plasticSaturationCount = 0;

  private lastWords: Uint32Array | null = null;
  private lastHalf: Uint16Array = new Uint16Array(0);

  constructor(o: StdpPairCoreOptions) {
    this.ring = o.ring;
    this.params = readStdpPairParams(o.regionWords, o.ring.nSynapseTypes, o.regionOffset ?? 0);
    this.multiplicative = o.weightDependence === 'multiplicative';
    if (o.weightDependence !== 'additive' && o.weightDependence !== 'multiplicative') {
      throw new RangeError(`weight dependence must be 'additive' or 'multiplicative', got ${String(o.weightDependence)}`);
    }
    this.history = new PostHistory(o.nNeurons);
    this.weightShift = Uint32Array.from(o.ring.shifts.subarray(0, o.ring.nSynapseTypes));
  }

  /**
   * `synapse_dynamics_process_post_synaptic_event(time, neuron)`: called by
   * the neuron update for each spike, before any row of the same tick.
   */
  processPostEvent(time: number, neuron: number): void {
    const h = this.history;
    const base = neuron * MAX_POST_SYNAPTIC_EVENTS;
    const cm1 = h.countMinusOne[neuron]!;
    const lastTime = h.times[base + cm1]!;
    const lastTrace = h.traces[base + cm1]!;
    const decayed = stdpFixedMul16x16(lastTrace, lutDecay(this.params.lutMinus, (time - lastTime) >>> 0));
    h.add(neuron, time >>> 0, decayed + STDP_FIXED_POINT_ONE);
  }

  /** `processPostEvent` for each of the first `n` neurons in `spikes` (e.g. `core.spikes`, `core.nSpikes`). */
  processPostEvents(time: number, spikes: Int32Array, n: number): void {
    for (let k = 0; k < n; k++) this.processPostEvent(time, spikes[k]!);
  }

  private halfWords(words: Uint32Array): Uint16Array {
    if (words !== this.lastWords) {
      this.lastWords = words;
      this.lastHalf = new Uint16Array(words.buffer, words.byteOffset, words.length * 2);
    }
    return this.lastHalf;
  }

  /**
   * `synapse_dynamics_process_plastic_synapses`: update the row's pre trace,
   * then every plastic synapse (deferred STDP), add each new weight to the
   * ring buffers, and store the new weights in place. Returns write_back.
   */
  processPlasticRow(words: Uint32Array, rowStart: number, time: number, colourDelay: number): boolean {
    const half = this.halfWords(words);
    const ring = this.ring;
    const plasticSize = words[rowStart]!;
    const fixedBase = rowStart + 1 + plasticSize;
    if (fixedBase + 2 > words.length) throw new FirmwareError(`plastic row at word ${rowStart}: plastic region of ${plasticSize} words runs past the matrix`);
    const nFixed = words[fixedBase]!;
    const nPlastic = words[fixedBase + 1]!;
    const controlBase = (fixedBase + 2 + nFixed) * 2;
    const weightBase = (rowStart + 3) * 2;
    if (controlBase + nPlastic > half.length || 2 + ((nPlastic + 1) >>> 1) > plasticSize) {
      throw new FirmwareError(`plastic row at word ${rowStart}: ${nPlastic} plastic synapses do not fit its ${plasticSize}-word plastic region or the matrix`);
    }
    this.numPlasticPreSynapticEvents += nPlastic;

    const lastPreTime = words[rowStart + 1]!;
    const traceAt = (rowStart + 2) * 2;
    const lastPreTrace = (half[traceAt]! << 16) >> 16;
    const t = (time - colourDelay) >>> 0;
    words[rowStart + 1] = t;
    const newPreTrace = ((stdpFixedMul16x16(lastPreTrace, lutDecay(this.params.lutPlus, (t - lastPreTime) >>> 0)) + STDP_FIXED_POINT_ONE) << 16) >> 16;
    half[traceAt] = newPreTrace & 0xffff;

    const typeIndexBits = ring.typeIndexBits, typeIndexMask = ring.typeIndexMask, delayMask = ring.delayMask;
    const indexBits = ring.indexBits, indexMask = ring.indexMask, typeMask = ring.typeMask;
    const backprop = this.params.backpropDelay;
    for (let j = 0; j < nPlastic; j++) {
      const control = half[controlBase + j]!;
      const delayDendritic = (control >>> typeIndexBits) & delayMask;
      const typeIndex = control & typeIndexMask;
      const type = (control >>> indexBits) & typeMask;
      const neuron = control & indexMask;
      const ringIndex = ((((delayDendritic + time - colourDelay) & delayMask) << typeIndexBits) | typeIndex) >>> 0;
      const finalWeight = this.updateSynapse(
        t, lastPreTime, lastPreTrace, backprop ? delayDendritic : 0, half[weightBase + j]!, type, neuron,
      );
      if (delayDendritic > colourDelay) {
        if (ring.accumulate(ringIndex, finalWeight)) this.plasticSaturationCount++;
      } else {
        ring.skippedSynapses++;
      }
      half[weightBase + j] = finalWeight;
    }
    return true;
  }

  /** `plasticity_update_synapse` for one synapse; returns the new uint16 weight. */
  private updateSynapse(
    time: number, lastPreTime: number, lastPreTrace: number, delayDendritic: number,
    weight16: number, type: number, neuron: number,
  ): number {
    if (neuron >= this.history.nNeurons) throw new FirmwareError(`plastic synapse targets neuron ${neuron} but the core has ${this.history.nNeurons}`);
    const shift = this.weightShift[type]!;
    const wp = this.params.weightParams;
    const minW = wp[4 * type]!, maxW = wp[4 * type + 1]!, a2Plus = wp[4 * type + 2]!, a2Minus = wp[4 * type + 3]!;
    const lutPlus = this.params.lutPlus, lutMinus = this.params.lutMinus;
    const mult = this.multiplicative;
    let w = (weight16 << shift) | 0;

    const windowBegin = lastPreTime >= delayDendritic ? lastPreTime - delayDendritic : 0;
    const windowEnd = time >= delayDendritic ? time - delayDendritic : 0;

    // post_events_get_window_delayed, index for index.
    const h = this.history;
    const times = h.times, traces = h.traces;
    const base = neuron * MAX_POST_SYNAPTIC_EVENTS;
    const count = h.countMinusOne[neuron]! + 1;
    let endIdx = count;
    let next = count;
    let i = count - 1;
    while (times[base + i]! > windowBegin && i !== 0) {
      if (times[base + i]! > windowEnd) endIdx = i;
      next = i;
      i--;
    }
    let prevTime = times[base + i]!;
    let prevTrace = traces[base + i]!;
    let prevValid = i !== 0;
    let numEvents = endIdx - next;

    while (numEvents > 0) {
      const delayedPostTime = (times[base + next]! + delayDendritic) >>> 0;
      const sinceLastPre = (delayedPostTime - lastPreTime) >>> 0;
      if (sinceLastPre !== 0) {
        const decayedR1 = stdpFixedMul16x16(lastPreTrace, lutDecay(lutPlus, sinceLastPre));
        if (mult) {
          const scale = mulk((maxW - w) | 0, a2Plus);
          w = (w + mulAccumFixed(scale, decayedR1)) | 0;
        } else {
          w = (w + mulAccumFixed(a2Plus, decayedR1)) | 0;
          if (w > maxW) w = maxW;
        }
      }
      prevTime = times[base + next]!;
      prevTrace = traces[base + next]!;
      next++;
      prevValid = true;
      numEvents--;
    }

    if (prevValid) {
      const delayedLastPost = (prevTime + delayDendritic) >>> 0;
      const decayedO1 = stdpFixedMul16x16(prevTrace, lutDecay(lutMinus, (time - delayedLastPost) >>> 0));
      if (mult) {
        const scale = mulk((w - minW) | 0, a2Minus);
        w = (w - mulAccumFixed(scale, decayedO1)) | 0;
      } else {
        w = (w - mulAccumFixed(a2Minus, decayedO1)) | 0;
        if (w < minW) w = minW;
      }
    }
    return (w >> shift) & 0xffff;
  }
}
