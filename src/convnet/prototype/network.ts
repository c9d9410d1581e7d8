import type { SpikeTrains } from '../../datasets/spikes.js';
import type { NeuronParams, StdpParams } from '../params.js';
import type { Shape3 } from '../windowing.js';
import { outSide, neuronIndex } from '../windowing.js';
import { LifPopulation, lifConstants } from './lif.js';
import { PairStdp } from './stdp.js';

/** Bucket per-source spike trains by tick: result[t] = sources spiking at tick t. */
function byTick(trains: SpikeTrains, ticks: number): number[][] {
  const out: number[][] = Array.from({ length: ticks }, () => []);
  trains.forEach((times, i) => {
    for (const t of times) if (t >= 0 && t < ticks) out[t]!.push(i);
  });
  return out;
}

export interface TrainStats {
  neuronUpdates: number;
  plasticEvents: number;
  postSpikes: number;
  /** Post spikes per kernel neuron. */
  wins: number[];
  /** Post spikes per tick within the slot. */
  postTicks: number[];
  spikes?: SpikeTrains;
}

/**
 * The training network of one layer: a SpikeSourceArray of nIn sources (one
 * window per slot) → K IF_curr_exp neurons through pair-STDP synapses (delay 1),
 * and all-to-all static inhibition (delay 1) between the K neurons.
 * Weights w are K × nIn, row-major, updated in place. State carries over
 * between slots, as on the board.
 */
export function trainLayer(
  windows: SpikeTrains[],
  slotMs: number,
  K: number,
  neuron: NeuronParams,
  stdp: StdpParams,
  inhibition: number,
  w: Float32Array,
  recordSpikes = false,
  gate?: { atMs?: number; times?: Set<number>; weight: number },
): TrainStats {
  const spikes: SpikeTrains | undefined = recordSpikes ? Array.from({ length: K }, () => []) : undefined;
  const nIn = windows[0]!.length;
  const pop = new LifPopulation(K, lifConstants(neuron));
  const rule = new PairStdp(nIn, K, stdp);
  const wins = new Array<number>(K).fill(0);
  const postTicks = new Array<number>(slotMs).fill(0);
  const fired: number[] = [];
  let t = 0;
  for (const win of windows) {
    const ticks = byTick(win, slotMs);
    for (let tau = 0; tau < slotMs; tau++, t++) {
      fired.length = 0;
      pop.step((j) => fired.push(j));
      for (const j of fired) {
        rule.postSpike(j, t);
        wins[j]!++;
        postTicks[tau]!++;
        spikes?.[j]!.push(t);
        if (inhibition > 0) for (let k = 0; k < K; k++) if (k !== j) pop.nextI[k]! += inhibition;
      }
      if (gate && (tau === gate.atMs || gate.times?.has(t))) for (let j = 0; j < K; j++) pop.nextI[j]! += gate.weight;
      for (const i of ticks[tau]!) {
        rule.preSpike(i, t, w);
        for (let j = 0; j < K; j++) pop.nextE[j]! += w[j * nIn + i]!;
      }
    }
  }
  return { neuronUpdates: pop.updates, plasticEvents: rule.events, postSpikes: wins.reduce((a, b) => a + b, 0), wins, postTicks, ...(spikes ? { spikes } : {}) };
}

export interface InferStats {
  neuronUpdates: number;
  synapticEvents: number;
}

/**
 * A trained layer rebuilt with fixed weights over the whole input: one neuron
 * per (y, x, k), each seeing a kh×kw window of ALL input maps. One image per
 * slot; returns the output spike trains per image (times relative to the slot).
 * `inhibition` > 0 adds static inhibition between the K maps at one position.
 */
export class ConvInference {
  readonly out: Shape3;
  readonly pop: LifPopulation;
  synapticEvents = 0;

  constructor(
    readonly input: Shape3,
    readonly shape: [number, number],
    readonly stride: number,
    readonly K: number,
    readonly w: Float32Array,
    neuron: NeuronParams,
    readonly inhibition: number,
  ) {
    this.out = [outSide(input[0], shape[0], stride), outSide(input[1], shape[1], stride), K];
    this.pop = new LifPopulation(this.out[0] * this.out[1] * K, lifConstants(neuron));
  }

  /** Run one slot; returns the output spikes as flat pairs [neuron, tick, neuron, tick, ...]. */
  runSlot(trains: SpikeTrains, slotMs: number): Int32Array {
    const [H, W, C] = this.input;
    const [kh, kw] = this.shape;
    const { stride: s, K, w, pop } = this;
    const [H1, W1] = this.out;
    const nW = kh * kw * C;
    const ticks = byTick(trains, slotMs);
    const result: number[] = [];
    const fired: number[] = [];
    for (let tau = 0; tau < slotMs; tau++) {
      fired.length = 0;
      pop.step((j) => fired.push(j));
      for (const j of fired) {
        result.push(j, tau);
        if (this.inhibition > 0) {
          const base = j - (j % K);
          for (let k = 0; k < K; k++) if (base + k !== j) pop.nextI[base + k]! += this.inhibition;
        }
      }
      for (const src of ticks[tau]!) {
        const c = src % C;
        const x = Math.floor(src / C) % W;
        const y = Math.floor(src / C / W);
        if (y >= H) continue;
        const oyMin = Math.max(0, Math.ceil((y - kh + 1) / s));
        const oyMax = Math.min(H1 - 1, Math.floor(y / s));
        const oxMin = Math.max(0, Math.ceil((x - kw + 1) / s));
        const oxMax = Math.min(W1 - 1, Math.floor(x / s));
        for (let oy = oyMin; oy <= oyMax; oy++) {
          const dy = y - oy * s;
          for (let ox = oxMin; ox <= oxMax; ox++) {
            const dx = x - ox * s;
            const wi = (dy * kw + dx) * C + c;
            const n0 = neuronIndex(this.out, oy, ox, 0);
            for (let k = 0; k < K; k++) pop.nextE[n0 + k]! += w[k * nW + wi]!;
            this.synapticEvents += K;
          }
        }
      }
    }
    return Int32Array.from(result);
  }
}

/** Flat [neuron, tick]* pairs → per-neuron spike trains. */
export function eventsToTrains(ev: Int32Array, n: number): SpikeTrains {
  const out: SpikeTrains = Array.from({ length: n }, () => []);
  for (let i = 0; i < ev.length; i += 2) out[ev[i]!]!.push(ev[i + 1]!);
  return out;
}

/** Spike counts of a layer summed over a gy×gx grid of cells per map: gy*gx*K features. */
export function pooledCounts(events: Int32Array, shape: Shape3, pool: [number, number]): Float32Array {
  const [H, W, K] = shape;
  const [gy, gx] = pool;
  const f = new Float32Array(gy * gx * K);
  for (let i = 0; i < events.length; i += 2) {
    const n = events[i]!;
    const k = n % K;
    const x = Math.floor(n / K) % W;
    const y = Math.floor(n / K / W);
    const cy = Math.min(gy - 1, Math.floor((y * gy) / H));
    const cx = Math.min(gx - 1, Math.floor((x * gx) / W));
    f[(cy * gx + cx) * K + k]! += 1;
  }
  return f;
}
