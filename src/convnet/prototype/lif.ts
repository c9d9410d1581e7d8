import type { NeuronParams } from '../params.js';

/**
 * Float model of sPyNNaker's IF_curr_exp neuron and exponential current
 * synapses at a 1 ms step, in the firmware's order of operations per tick:
 *   1. inputs from the ring buffer: isyn += w * init, init = tau (1 - e^(-1/tau))
 *   2. if not refractory: V = alpha - e^(-1/tau_m) (alpha - V), alpha = I R + v_rest,
 *      I = isyn_E - isyn_I + i_offset; else the refractory counter counts down
 *   3. spike if V >= v_thresh: V = v_reset, refractory for ceil(tau_refrac) ticks
 *   4. isyn *= e^(-1/tau_syn)
 * Spikes sent at tick t arrive (delay 1) in tick t + 1.
 * This is the host-side prototype for designing the recipe; the emulator runs
 * the same dynamics in the firmware's fixed point.
 */
export interface LifConstants {
  expTC: number;
  R: number;
  vRest: number;
  vReset: number;
  vThresh: number;
  iOffset: number;
  tRefract: number;
  decayE: number;
  initE: number;
  decayI: number;
  initI: number;
}

export function lifConstants(p: NeuronParams): LifConstants {
  const dE = Math.exp(-1 / p.tau_syn_E);
  const dI = Math.exp(-1 / p.tau_syn_I);
  return {
    expTC: Math.exp(-1 / p.tau_m),
    R: p.tau_m / p.cm,
    vRest: p.v_rest,
    vReset: p.v_reset,
    vThresh: p.v_thresh,
    iOffset: p.i_offset,
    tRefract: Math.ceil(p.tau_refrac),
    decayE: dE,
    initE: p.tau_syn_E * (1 - dE),
    decayI: dI,
    initI: p.tau_syn_I * (1 - dI),
  };
}

export class LifPopulation {
  readonly v: Float32Array;
  readonly isynE: Float32Array;
  readonly isynI: Float32Array;
  readonly refract: Int32Array;
  /** Inputs that arrive at the next tick (the ring-buffer slot for t + 1). */
  readonly nextE: Float32Array;
  readonly nextI: Float32Array;
  updates = 0;

  constructor(
    readonly n: number,
    readonly c: LifConstants,
  ) {
    this.v = new Float32Array(n).fill(c.vRest);
    this.isynE = new Float32Array(n);
    this.isynI = new Float32Array(n);
    this.refract = new Int32Array(n);
    this.nextE = new Float32Array(n);
    this.nextI = new Float32Array(n);
  }

  /** Advance one tick; calls onSpike(i) for each neuron that fires. Returns the spike count. */
  step(onSpike: (i: number) => void): number {
    const { v, isynE, isynI, refract, nextE, nextI, n } = this;
    const { expTC, R, vRest, vReset, vThresh, iOffset, tRefract, decayE, initE, decayI, initI } = this.c;
    let spikes = 0;
    for (let i = 0; i < n; i++) {
      if (nextE[i] !== 0) {
        isynE[i]! += nextE[i]! * initE;
        nextE[i] = 0;
      }
      if (nextI[i] !== 0) {
        isynI[i]! += nextI[i]! * initI;
        nextI[i] = 0;
      }
      let vi = v[i]!;
      if (refract[i]! <= 0) {
        const alpha = (isynE[i]! - isynI[i]! + iOffset) * R + vRest;
        vi = alpha - expTC * (alpha - vi);
      } else {
        refract[i]!--;
      }
      if (vi >= vThresh) {
        vi = vReset;
        refract[i] = tRefract;
        spikes++;
        onSpike(i);
      }
      v[i] = vi;
      isynE[i]! *= decayE;
      isynI[i]! *= decayI;
    }
    this.updates += n;
    return spikes;
  }
}
