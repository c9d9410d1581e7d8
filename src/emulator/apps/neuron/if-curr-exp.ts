/**
 * The IF_curr_exp neuron core (LIF + exponential current synapses +
 * static threshold), bit-exact, as a kernel over one core's slice of
 * neurons held in typed arrays (struct of arrays).
 *
 * Parameters come as the neuron-parameters region words the host writes
 * (neural-formats §1.3): word 0 n_steps_per_timestep, then per neuron the
 * 9-word LIF block, the 1-word threshold block and the 5-word exponential
 * synapse block. The derived constants are computed here exactly as the
 * firmware derives them on chip (§1.4).
 */
import { kdivk, kdivui, expk, expulr, decayS1615, decayS1615ToU032, ceilAccum, U032_ONE } from '../../../fixed/index.js';
import { FirmwareError } from './errors.js';
import type { RingBuffers } from './ring-buffers.js';

const TWO32 = 4294967296;

export const LIF_PARAM_WORDS = 9;
export const THRESHOLD_PARAM_WORDS = 1;
export const EXP_SYNAPSE_PARAM_WORDS = 5;
export const N_SYNAPSE_TYPES = 2;
export const EXCITATORY = 0;
export const INHIBITORY = 1;

/** Words of the neuron-parameters region for n neurons. */
export function neuronParamWords(nNeurons: number): number {
  return 1 + nNeurons * (LIF_PARAM_WORDS + THRESHOLD_PARAM_WORDS + EXP_SYNAPSE_PARAM_WORDS);
}

/** Raw host-side parameter values of one neuron (all s16.15 raw except refractTimerInit). */
export interface IfCurrExpRawParams {
  vInit: number; vRest: number; cm: number; tauM: number; iOffset: number; vReset: number;
  tauRefracMs: number; refractTimerInit: number; timeStepMs: number;
  vThresh: number;
  tauSynE: number; isynExcInit: number; tauSynI: number; isynInhInit: number;
}

/** Lay out raw per-neuron values as the region words (test and stand-in helper; the host writer lives in src/regions). */
export function packNeuronParams(nStepsPerTimestep: number, neurons: IfCurrExpRawParams[]): Uint32Array {
  const n = neurons.length;
  const w = new Uint32Array(neuronParamWords(n));
  const v = new Int32Array(w.buffer);
  v[0] = nStepsPerTimestep;
  const thr = 1 + LIF_PARAM_WORDS * n;
  const syn = thr + THRESHOLD_PARAM_WORDS * n;
  neurons.forEach((p, i) => {
    v.set([p.vInit, p.vRest, p.cm, p.tauM, p.iOffset, p.vReset, p.tauRefracMs, p.refractTimerInit, p.timeStepMs], 1 + LIF_PARAM_WORDS * i);
    v[thr + i] = p.vThresh;
    v.set([p.tauSynE, p.isynExcInit, p.tauSynI, p.isynInhInit, p.timeStepMs], syn + EXP_SYNAPSE_PARAM_WORDS * i);
  });
  return w;
}

export class IfCurrExpCore {
  readonly nNeurons: number;
  nStepsPerTimestep = 1;

  // State (s16.15 raw, int32 timer).
  readonly v: Int32Array;
  readonly refractTimer: Int32Array;
  readonly isynExc: Int32Array;
  readonly isynInh: Int32Array;

  // Per-neuron constants, derived on load.
  readonly vRest: Int32Array;
  readonly rMembrane: Int32Array;
  readonly expTC: Int32Array;
  readonly iOffset: Int32Array;
  readonly vReset: Int32Array;
  readonly tRefract: Int32Array;
  readonly vThresh: Int32Array;
  readonly decayExc: Uint32Array;
  readonly initExc: Uint32Array;
  readonly decayInh: Uint32Array;
  readonly initInh: Uint32Array;

  /**
   * What the last update recorded, per neuron: V before the update, total
   * exc and inh input (s16.15 raw). Kept only while `recordValues` is on.
   */
  readonly recordedV: Int32Array;
  readonly recordedExc: Int32Array;
  readonly recordedInh: Int32Array;

  /** Neurons that spiked in the last update, in firing order; valid up to `nSpikes`. */
  spikes: Int32Array;
  nSpikes = 0;

  /**
   * One bit per neuron (32 a word): clear when the neuron's last update left
   * its state (V, refractory timer, both inputs) exactly as it was and it
   * did not spike. The update is a function of that state alone, so without
   * new input the next update would again change nothing and record the same
   * values: `updateActive` skips such neurons. Input (`transfer`,
   * `addInput`) and `load` set the bits again.
   */
  readonly active: Uint32Array;

  private recording = true;

  constructor(nNeurons: number, paramWords?: Uint32Array, offset = 0) {
    if (!Number.isInteger(nNeurons) || nNeurons < 0) throw new RangeError(`nNeurons must be a non-negative integer, got ${nNeurons}`);
    this.nNeurons = nNeurons;
    const i32 = () => new Int32Array(nNeurons);
    this.v = i32(); this.refractTimer = i32(); this.isynExc = i32(); this.isynInh = i32();
    this.vRest = i32(); this.rMembrane = i32(); this.expTC = i32(); this.iOffset = i32();
    this.vReset = i32(); this.tRefract = i32(); this.vThresh = i32();
    this.decayExc = new Uint32Array(nNeurons); this.initExc = new Uint32Array(nNeurons);
    this.decayInh = new Uint32Array(nNeurons); this.initInh = new Uint32Array(nNeurons);
    this.recordedV = i32(); this.recordedExc = i32(); this.recordedInh = i32();
    this.spikes = i32();
    this.active = new Uint32Array((nNeurons + 31) >>> 5);
    this.activateAll();
    if (paramWords) this.load(paramWords, offset);
  }

  /**
   * `neuron_impl_load_neuron_parameters`: read the region and derive the
   * constants on chip. Called at start and on every resume (the firmware
   * reloads what `store` saved).
   */
  load(words: Uint32Array, offset = 0): void {
    const n = this.nNeurons;
    if (words.length - offset < neuronParamWords(n)) {
      throw new FirmwareError(`neuron parameters: ${n} neurons need ${neuronParamWords(n)} words, got ${words.length - offset}`);
    }
    const nSteps = words[offset]!;
    if (nSteps === 0) throw new FirmwareError('neuron parameters: bad number of steps per timestep: 0');
    this.nStepsPerTimestep = nSteps;
    if (this.spikes.length < n * nSteps) this.spikes = new Int32Array(n * nSteps);
    this.activateAll();
    const lif = offset + 1;
    const thr = lif + LIF_PARAM_WORDS * n;
    const syn = thr + THRESHOLD_PARAM_WORDS * n;
    for (let i = 0; i < n; i++) {
      const b = lif + LIF_PARAM_WORDS * i;
      const vInit = words[b]! | 0, vRest = words[b + 1]! | 0, cm = words[b + 2]! | 0, tauM = words[b + 3]! | 0;
      const iOffset = words[b + 4]! | 0, vReset = words[b + 5]! | 0, tauRefracMs = words[b + 6]! | 0;
      const refractInit = words[b + 7]! | 0, timeStep = words[b + 8]! | 0;
      const ts = kdivui(timeStep, nSteps);
      this.v[i] = vInit;
      this.vRest[i] = vRest;
      this.rMembrane[i] = kdivk(tauM, cm);
      this.expTC[i] = expk(-kdivk(ts, tauM) | 0);
      this.iOffset[i] = iOffset;
      this.refractTimer[i] = refractInit;
      this.vReset[i] = vReset;
      this.tRefract[i] = ceilAccum(kdivk(tauRefracMs, ts));

      this.vThresh[i] = words[thr + i]! | 0;

      const s = syn + EXP_SYNAPSE_PARAM_WORDS * i;
      const synTs = kdivui(words[s + 4]! | 0, nSteps);
      [this.decayExc[i], this.initExc[i]] = decayAndInit(words[s]! | 0, synTs);
      this.isynExc[i] = words[s + 1]! | 0;
      [this.decayInh[i], this.initInh[i]] = decayAndInit(words[s + 2]! | 0, synTs);
      this.isynInh[i] = words[s + 3]! | 0;
    }
  }

  /**
   * `neuron_impl_store_neuron_parameters` (at pause): write V, the
   * refractory timer and both synaptic inputs back into the region words, in
   * place, so that a later `load` resumes from exactly this state.
   */
  store(words: Uint32Array, offset = 0): void {
    const n = this.nNeurons;
    const lif = offset + 1;
    const syn = lif + (LIF_PARAM_WORDS + THRESHOLD_PARAM_WORDS) * n;
    for (let i = 0; i < n; i++) {
      words[lif + LIF_PARAM_WORDS * i] = this.v[i]! >>> 0;
      words[lif + LIF_PARAM_WORDS * i + 7] = this.refractTimer[i]! >>> 0;
      words[syn + EXP_SYNAPSE_PARAM_WORDS * i + 1] = this.isynExc[i]! >>> 0;
      words[syn + EXP_SYNAPSE_PARAM_WORDS * i + 3] = this.isynInh[i]! >>> 0;
    }
  }

  /** `neuron_impl_add_inputs` for an exponential synapse: isyn += decay_s1615(input, init). */
  addInput(type: number, neuron: number, input: number): void {
    this.active[neuron >>> 5] |= 1 << (neuron & 31);
    if (type === EXCITATORY) this.isynExc[neuron] = (this.isynExc[neuron]! + decayS1615(input, this.initExc[neuron]!)) | 0;
    else if (type === INHIBITORY) this.isynInh[neuron] = (this.isynInh[neuron]! + decayS1615(input, this.initInh[neuron]!)) | 0;
  }

  /**
   * `neuron_transfer` for tick `time`: move the ring-buffer slot of `time`
   * into the synaptic inputs (value << shift per type) and zero the slot.
   * On chip this runs in the timer interrupt before the update, and also on
   * the tick at which a run ends (before pausing), which consumes that slot.
   */
  transfer(time: number, ring: RingBuffers): void {
    const slot = time & ring.delayMask;
    if (ring.slotDirty[slot] === 0) return;
    ring.slotDirty[slot] = 0;
    const buf = ring.ring;
    const peak = ring.nNeuronsPeak;
    const n = this.nNeurons;
    let idx = ring.slotStart(time);
    for (let s = 0; s < ring.nSynapseTypes; s++) {
      const shift = ring.shifts[s]!;
      const isyn = s === EXCITATORY ? this.isynExc : s === INHIBITORY ? this.isynInh : null;
      const init = s === EXCITATORY ? this.initExc : this.initInh;
      if ((peak & 1) === 0) {
        // Two entries per 32-bit read: a zero pair holds no input (skipping it changes nothing).
        const buf32 = ring.ring32;
        for (let i = 0; i < peak; i += 2, idx += 2) {
          if (buf32[idx >>> 1] === 0) continue;
          for (let k = 0; k < 2; k++) this.take(buf, idx + k, i + k, isyn, init, shift, n);
        }
      } else {
        for (let i = 0; i < peak; i++, idx++) if (buf[idx]! > 0) this.take(buf, idx, i, isyn, init, shift, n);
      }
    }
  }

  private take(buf: Uint16Array, idx: number, neuron: number, isyn: Int32Array | null, init: Uint32Array, shift: number, n: number): void {
    const value = buf[idx]!;
    if (value === 0) return;
    if (neuron >= n) throw new FirmwareError(`ring buffer holds input for neuron ${neuron} but the core has ${n} neurons (the firmware stops with RTE_SWERR)`);
    if (isyn) {
      isyn[neuron] = (isyn[neuron]! + decayS1615((value << shift) | 0, init[neuron]!)) | 0;
      this.active[neuron >>> 5] |= 1 << (neuron & 31);
    }
    buf[idx] = 0;
  }

  /**
   * Whether updates fill recordedV / recordedExc / recordedInh (a core that
   * records none of them turns this off). Turning it on marks every neuron
   * for update, so the next update fills them all.
   */
  get recordValues(): boolean {
    return this.recording;
  }
  set recordValues(on: boolean) {
    if (on && !this.recording) this.activateAll();
    this.recording = on;
  }

  /** Marks every neuron for update (the bits of the `active` set beyond nNeurons stay clear). */
  activateAll(): void {
    const a = this.active, n = this.nNeurons;
    a.fill(0xffffffff);
    if (n & 31) a[a.length - 1] = (2 ** (n & 31) - 1) >>> 0;
  }

  /**
   * `neuron_impl_do_timestep_update` for tick `time`: for each neuron in
   * index order (and each sub-step), record, integrate (or count down the
   * refractory timer), test the threshold, reset on a spike, then decay the
   * synaptic inputs. Returns the number of spikes; their neuron indices are
   * in `spikes[0 .. nSpikes)`. Every neuron is updated (see `updateActive`).
   */
  update(time: number): number {
    this.activateAll();
    return this.updateActive(time);
  }

  /**
   * The same update, skipping the neurons whose previous update changed
   * nothing and that got no input since (`active`): their state and recorded
   * values are what updating them would give, so the results are identical
   * to `update` as long as the state arrays are only changed through this
   * class's methods.
   */
  updateActive(_time: number): number {
    const nSteps = this.nStepsPerTimestep;
    const V = this.v, RT = this.refractTimer, E = this.isynExc, I = this.isynInh;
    const vRest = this.vRest, R = this.rMembrane, expTC = this.expTC, iOff = this.iOffset;
    const vReset = this.vReset, tRef = this.tRefract, vThr = this.vThresh;
    const dE = this.decayExc, dI = this.decayInh;
    const recV = this.recordedV, recE = this.recordedExc, recI = this.recordedInh;
    const spikes = this.spikes;
    const active = this.active;
    const record = this.recording;
    let nSpikes = 0;
    for (let w = 0, nw = active.length; w < nw; w++) {
      let bits = active[w]! | 0;
      if (bits === 0) continue;
      let keep = bits;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const i = (w << 5) | (31 - Math.clz32(low));
        const v0 = V[i]!, exc0 = E[i]!, inh0 = I[i]!, rt0 = RT[i]!;
        let v = v0;
        let exc = exc0;
        let inh = inh0;
        let rt = rt0;
        let fired = false;
        if (record) {
          recV[i] = v;
          recE[i] = exc;
          recI[i] = inh;
        }
        for (let step = nSteps; step > 0; step--) {
          // mulk and decayS1615 (src/fixed/accum.ts) are written out inline here:
          // this loop runs ~10^9 times per workflow and the call overhead showed.
          if (rt <= 0) {
            const input = (exc - inh + iOff[i]!) | 0;
            let alpha = vRest[i]!;
            // mulk(0, R) = 0 and mulk(expTC, 0) = 0 exactly, so these guards only skip work.
            if (input !== 0) {
              const r = R[i]!;
              const lo = input * (r & 0xffff);
              alpha = (((Math.imul(input, r >> 16) << 1) + (lo - (lo & 0x7fff)) / 32768) + alpha) | 0;
            }
            const diff = (alpha - v) | 0;
            if (diff !== 0) {
              const e = expTC[i]!;
              const lo = e * (diff & 0xffff);
              v = (alpha - (((Math.imul(e, diff >> 16) << 1) + (lo - (lo & 0x7fff)) / 32768) | 0)) | 0;
            }
          } else {
            rt--;
          }
          if (v >= vThr[i]!) {
            v = vReset[i]!;
            rt = tRef[i]!;
            spikes[nSpikes++] = i;
            fired = true;
          }
          // decay_s1615(0, d) = 0 exactly.
          if (exc !== 0) {
            const d = dE[i]!;
            exc = Math.round((exc * d - (Math.imul(exc, d) >>> 0)) / TWO32) | 0;
          }
          if (inh !== 0) {
            const d = dI[i]!;
            inh = Math.round((inh * d - (Math.imul(inh, d) >>> 0)) / TWO32) | 0;
          }
        }
        V[i] = v;
        E[i] = exc;
        I[i] = inh;
        RT[i] = rt;
        if (!fired && v === v0 && exc === exc0 && inh === inh0 && rt === rt0) keep ^= low;
      }
      active[w] = keep;
    }
    this.nSpikes = nSpikes;
    return nSpikes;
  }

  /** One timer tick: the ring-buffer transfer of `time`, then the neuron update. */
  tick(time: number, ring: RingBuffers): number {
    this.transfer(time, ring);
    return this.update(time);
  }
}

/** `decay_and_init` of an exponential synapse: [decay, init] as u0.32 raw. */
export function decayAndInit(tau: number, ts: number): [number, number] {
  const decay = expulr(-kdivk(ts, tau) | 0);
  const init = decayS1615ToU032(kdivk(tau, ts), (U032_ONE - decay) >>> 0);
  return [decay, init];
}
