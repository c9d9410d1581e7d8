import type { StdpParams } from '../params.js';

/**
 * Float model of sPyNNaker's pair-rule STDP with additive weight dependence,
 * with the firmware's deferred update: a synapse's weight changes only when a
 * pre-synaptic spike reaches it.
 *  - at a pre spike processed at tick T (last pre spike at t0, pre trace r0 then):
 *    for every post spike p with t0 < p + d <= T: w += A+ * r0 * lut+(p + d - t0), clamp to w_max;
 *    then for the last post spike p <= T - d: w -= A- * o(p) * lut-(T - p - d), clamp to w_min.
 *  - traces: r = r_prev * lut+(dt) + 1 on each pre spike; o likewise on each post spike.
 *  - d = 1 (the dendritic delay is back-propagated); LUTs are exp(-dt/tau) floored
 *    to 1/2048 and zero beyond the table, as the firmware's tables are.
 *  - the post history keeps the last 15 spikes per neuron.
 */
export function expLut(tau: number): Float64Array {
  const lambda = 1 / tau;
  let size = Math.ceil(Math.log(2048) / lambda);
  if (size % 2) size++;
  const lut = new Float64Array(size);
  for (let i = 0; i < size; i++) lut[i] = Math.floor(Math.exp(-i * lambda) * 2048) / 2048;
  return lut;
}

const HISTORY = 15;

export class PairStdp {
  readonly lutPlus: Float64Array;
  readonly lutMinus: Float64Array;
  /** Per input: time of the last pre spike (-1: none) and the pre trace then. */
  readonly lastPre: Int32Array;
  readonly preTrace: Float64Array;
  /** Per post neuron: ring of the last HISTORY spike times and traces. */
  readonly postTimes: Int32Array;
  readonly postTraces: Float64Array;
  readonly postCount: Int32Array;
  events = 0;

  constructor(
    readonly nPre: number,
    readonly nPost: number,
    readonly p: StdpParams,
    readonly delay = 1,
  ) {
    this.lutPlus = expLut(p.tau_plus);
    this.lutMinus = expLut(p.tau_minus);
    this.lastPre = new Int32Array(nPre).fill(-1);
    this.preTrace = new Float64Array(nPre);
    this.postTimes = new Int32Array(nPost * HISTORY);
    this.postTraces = new Float64Array(nPost * HISTORY);
    this.postCount = new Int32Array(nPost);
  }

  private lut(l: Float64Array, dt: number): number {
    return dt < l.length ? l[dt]! : 0;
  }

  postSpike(j: number, t: number): void {
    const n = this.postCount[j]!;
    const base = j * HISTORY;
    let o = 1;
    if (n > 0) {
      const k = base + ((n - 1) % HISTORY);
      o = this.postTraces[k]! * this.lut(this.lutMinus, t - this.postTimes[k]!) + 1;
    }
    const k = base + (n % HISTORY);
    this.postTimes[k] = t;
    this.postTraces[k] = o;
    this.postCount[j] = n + 1;
  }

  /** Apply the deferred update for a pre spike of input i at tick T to weights w[j*nPre + i]. */
  preSpike(i: number, T: number, w: Float32Array): void {
    const { p, delay, nPre } = this;
    const t0 = this.lastPre[i]!;
    const r0 = this.preTrace[i]!;
    for (let j = 0; j < this.nPost; j++) {
      let wij = w[j * nPre + i]!;
      const n = this.postCount[j]!;
      const first = Math.max(0, n - HISTORY);
      const base = j * HISTORY;
      let lastIdx = -1;
      for (let s = first; s < n; s++) {
        const k = base + (s % HISTORY);
        const q = this.postTimes[k]! + delay;
        if (q > T) break;
        lastIdx = k;
        if (t0 >= 0 && q > t0) {
          wij += p.A_plus * r0 * this.lut(this.lutPlus, q - t0);
          if (wij > p.w_max) wij = p.w_max;
        }
      }
      if (lastIdx >= 0) {
        const q = this.postTimes[lastIdx]! + delay;
        wij -= p.A_minus * this.postTraces[lastIdx]! * this.lut(this.lutMinus, T - q);
        if (wij < p.w_min) wij = p.w_min;
      }
      w[j * nPre + i] = wij;
    }
    this.events += this.nPost;
    this.preTrace[i] = (t0 >= 0 ? r0 * this.lut(this.lutPlus, T - t0) : 0) + 1;
    this.lastPre[i] = T;
  }
}
