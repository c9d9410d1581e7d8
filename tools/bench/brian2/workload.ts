/**
 * The shared workload of the Brian2 comparisons: seeded Poisson input trains
 * (1 ms ticks), a seeded FixedProbability connection list and IF_curr_exp
 * parameters, written once to a JSON file that both sides read, so that both
 * process the same spikes through the same synapses.
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../../../src/network/index.js';
import { IF_CURR_EXP_DEFAULTS, type IfCurrExpPhysical } from '../../../src/regions/index.js';

export interface StdpSpec {
  tau_plus: number; tau_minus: number; A_plus: number; A_minus: number; w_min: number; w_max: number;
}

export interface WorkloadSpec {
  name: string;
  nPre: number;
  nPost: number;
  p: number;
  rateHz: number;
  durationMs: number;
  /** Initial weights uniform in [wLo, wHi) nA (excitatory). */
  wLo: number;
  wHi: number;
  delayMs: number;
  seed: number;
  stdp?: StdpSpec;
}

export interface Workload {
  spec: WorkloadSpec;
  dtMs: 1;
  cell: IfCurrExpPhysical;
  /** Input spikes as CSR over ticks: sources of tick t are src[tickStart[t] .. tickStart[t+1]). */
  tickStart: Int32Array;
  src: Int32Array;
  /** Connections sorted by pre then post. */
  pre: Int32Array;
  post: Int32Array;
  weight: Float64Array;
  /** Out-degree per input neuron. */
  outDegree: Int32Array;
  /** (pre spike, synapse) pairs the whole run processes. */
  expectedEvents: number;
}

export function makeWorkload(spec: WorkloadSpec): Workload {
  const rng = new Rng(spec.seed);
  const ticks = spec.durationMs;
  // Poisson trains on the 1 ms grid: a spike in a tick with probability rate·dt (at most one per tick).
  const pSpike = spec.rateHz / 1000;
  const tickStart = new Int32Array(ticks + 1);
  const src: number[] = [];
  for (let t = 0; t < ticks; t++) {
    tickStart[t] = src.length;
    for (let i = 0; i < spec.nPre; i++) if (rng.next() < pSpike) src.push(i);
  }
  tickStart[ticks] = src.length;

  const pre: number[] = [], post: number[] = [], weight: number[] = [];
  const outDegree = new Int32Array(spec.nPre);
  for (let i = 0; i < spec.nPre; i++) {
    for (let j = 0; j < spec.nPost; j++) {
      if (rng.next() < spec.p) {
        pre.push(i);
        post.push(j);
        weight.push(spec.wLo + (spec.wHi - spec.wLo) * rng.next());
        outDegree[i]!++;
      }
    }
  }
  let expectedEvents = 0;
  for (const s of src) expectedEvents += outDegree[s]!;
  return {
    spec, dtMs: 1, cell: { ...IF_CURR_EXP_DEFAULTS },
    tickStart, src: Int32Array.from(src),
    pre: Int32Array.from(pre), post: Int32Array.from(post), weight: Float64Array.from(weight),
    outDegree, expectedEvents,
  };
}

/**
 * Write the file Brian2 reads. `weights` are the values the emulator
 * actually uses (decoded from the stored uint16), so both sides add the
 * same currents.
 */
export function writeWorkloadJson(path: string, w: Workload, weights: Float64Array, extra: Record<string, unknown> = {}): void {
  const spikeTimes: number[] = [];
  for (let t = 0; t < w.spec.durationMs; t++) for (let k = w.tickStart[t]!; k < w.tickStart[t + 1]!; k++) spikeTimes.push(t);
  writeFileSync(path, JSON.stringify({
    name: w.spec.name, dt_ms: w.dtMs, duration_ms: w.spec.durationMs, n_pre: w.spec.nPre, n_post: w.spec.nPost,
    cell: w.cell, delay_ms: w.spec.delayMs, stdp: w.spec.stdp ?? null,
    spike_indices: Array.from(w.src), spike_times_ms: spikeTimes,
    syn_i: Array.from(w.pre), syn_j: Array.from(w.post), syn_w_nA: Array.from(weights),
    expected_events: w.expectedEvents, ...extra,
  }));
}
