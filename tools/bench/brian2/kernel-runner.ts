/**
 * Our side of the Brian2 comparisons, on the bit-exact kernels: the post
 * population split into emulated cores of at most 256 neurons (IfCurrExpCore
 * + RingBuffers, plus StdpPairCore for plastic rows), with regions produced
 * by the host writers of src/regions (neuron params, ring-buffer shifts,
 * weight scaling, synaptic rows, STDP region). All cores run one after the
 * other on one CPU thread, tick by tick, in the order the emulated board
 * uses: each core's transfer + neuron update (post events go into the STDP
 * history), then every input spike of the tick, row by row on every core.
 */
import {
  IfCurrExpCore, RingBuffers, processSynapticRow,
} from '../../../src/emulator/apps/neuron/index.js';
import { StdpPairCore } from '../../../src/emulator/apps/stdp/index.js';
import {
  type Connection, SIMULATION_DEFAULTS, buildSynapticMatrix, decodeWeight, encodeIfCurrExpNeuron, encodeWeight,
  getNBits, ifCurrExpParams, makeStdpRegion, maxDelaySlots, maxRingBufferWeights, ringBufferShifts, rowLayout,
  stdpRegion, weightScale,
} from '../../../src/regions/index.js';
import type { Workload } from './workload.js';

export const MAX_ATOMS_PER_CORE = 256;
const N_SYNAPSE_TYPES = 2;
const COLOUR_MASK = (1 << SIMULATION_DEFAULTS.nColourBits) - 1;

interface Core {
  lo: number;
  n: number;
  kernel: IfCurrExpCore;
  ring: RingBuffers;
  stdp?: StdpPairCore;
  matrix: Uint32Array;
  stride: number;
}

export interface KernelSetup {
  cores: Core[];
  /** The weight each connection really has on the board (decoded from its stored uint16), in connection order. */
  boardWeights: Float64Array;
  shifts: number[];
}

const words = (b: Uint8Array) => new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

export function setupKernels(w: Workload): KernelSetup {
  const { spec } = w;
  const plastic = spec.stdp !== undefined;
  const delaySteps = Math.round(spec.delayMs / w.dtMs);
  const fanIn = new Int32Array(spec.nPost);
  for (const j of w.post) fanIn[j]!++;
  let mean = 0, m2 = 0;
  for (const x of w.weight) mean += x / w.weight.length;
  for (const x of w.weight) m2 += (x - mean) ** 2;
  // The host's ring-buffer estimate (all weights excitatory; STDP counts w_max as the largest weight).
  const maxW = maxRingBufferWeights([{
    synapseType: 0, nConnections: Math.max(...fanIn), weightMean: mean, weightVariance: m2 / Math.max(1, w.weight.length - 1),
    weightMax: Math.max(spec.wHi, spec.stdp?.w_max ?? 0), delayVariance: 0,
    spikesPerTick: Math.max(1, spec.rateHz / 1000), spikesPerSecond: spec.rateHz,
  }], { nSynapseTypes: N_SYNAPSE_TYPES, timestepMs: w.dtMs });
  const shifts = ringBufferShifts(maxW);
  const scale = weightScale(shifts[0]!);
  const slots = maxDelaySlots(MAX_ATOMS_PER_CORE, N_SYNAPSE_TYPES, delaySteps);
  const layout = rowLayout(MAX_ATOMS_PER_CORE, N_SYNAPSE_TYPES, slots.slots);
  const neuronWords = (n: number) => words(ifCurrExpParams.encode({
    nStepsPerTimestep: 1, neurons: Array.from({ length: n }, () => encodeIfCurrExpNeuron(w.cell, w.dtMs)),
  }));
  const stdpWords = plastic
    ? words(stdpRegion.encode(makeStdpRegion({
      timestepMs: w.dtMs, timing: spec.stdp!, weight: { kind: 'additive', w_min: spec.stdp!.w_min, w_max: spec.stdp!.w_max },
      nSynapseTypes: N_SYNAPSE_TYPES,
    })))
    : undefined;

  const boardWeights = new Float64Array(w.weight.length);
  const cores: Core[] = [];
  for (let lo = 0; lo < spec.nPost; lo += MAX_ATOMS_PER_CORE) {
    const n = Math.min(MAX_ATOMS_PER_CORE, spec.nPost - lo);
    const conns: Connection[] = [];
    for (let k = 0; k < w.pre.length; k++) {
      const j = w.post[k]!;
      if (j < lo || j >= lo + n) continue;
      const raw = encodeWeight(w.weight[k]!, scale);
      boardWeights[k] = decodeWeight(raw, scale);
      conns.push({ pre: w.pre[k]!, post: j - lo, type: 0, delaySteps, weight: raw });
    }
    const m = buildSynapticMatrix({ nRows: spec.nPre, connections: conns, layout, plastic });
    const ring = new RingBuffers({
      nNeurons: MAX_ATOMS_PER_CORE, nSynapseTypes: N_SYNAPSE_TYPES, logNNeurons: getNBits(MAX_ATOMS_PER_CORE),
      logNSynapseTypes: getNBits(N_SYNAPSE_TYPES), logMaxDelay: slots.delayBits, dropLateSpikes: false,
      incomingSpikeBufferSize: SIMULATION_DEFAULTS.incomingSpikeBufferSize, ringBufferShifts: shifts,
    });
    const kernel = new IfCurrExpCore(n, neuronWords(n));
    const stdp = stdpWords ? new StdpPairCore({ regionWords: stdpWords, weightDependence: 'additive', nNeurons: n, ring }) : undefined;
    cores.push({ lo, n, kernel, ring, stdp, matrix: m.words, stride: m.rowLength + 3 });
  }
  return { cores, boardWeights, shifts };
}

export interface KernelResult {
  wallS: number;
  /** CPU seconds (user + system) of this process during the run. */
  cpuS: number;
  /** Time spent in ring-buffer transfers and neuron updates. */
  neuronS: number;
  /** Time spent processing synaptic rows (static part, and the plastic part with STDP). */
  rowsS: number;
  neuronUpdates: number;
  /** (pre spike, synapse) pairs processed, from the kernels' own counters. */
  events: number;
  postSpikes: number;
  nCores: number;
}

/** Run the first `ticks` ticks of the workload (all of it by default) on a fresh setup. */
export function runKernels(w: Workload, s: KernelSetup, ticks = w.spec.durationMs): KernelResult {
  const cores = s.cores;
  const { tickStart, src } = w;
  let postSpikes = 0, neuronNs = 0, rowsNs = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let t = 0; t < ticks; t++) {
    const a = process.hrtime.bigint();
    for (const c of cores) {
      c.kernel.transfer(t, c.ring);
      const n = c.kernel.update(t);
      if (n > 0) {
        postSpikes += n;
        c.stdp?.processPostEvents(t, c.kernel.spikes, n);
      }
    }
    const b = process.hrtime.bigint();
    const colour = t & COLOUR_MASK;
    for (let k = tickStart[t]!, end = tickStart[t + 1]!; k < end; k++) {
      const row = src[k]!;
      for (const c of cores) processSynapticRow(c.ring, c.matrix, row * c.stride, t, colour, COLOUR_MASK, c.stdp);
    }
    const e = process.hrtime.bigint();
    neuronNs += Number(b - a);
    rowsNs += Number(e - b);
  }
  const wallS = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  let events = 0;
  for (const c of cores) events += c.stdp ? c.stdp.numPlasticPreSynapticEvents + c.ring.fixedPreSynapticEvents : c.ring.fixedPreSynapticEvents;
  return {
    wallS, cpuS: (cpu.user + cpu.system) / 1e6, neuronS: neuronNs / 1e9, rowsS: rowsNs / 1e9, neuronUpdates: w.spec.nPost * ticks, events, postSpikes, nCores: cores.length,
  };
}

/** Mean of the stored plastic weights after a run, in nA (decoded as the host reads them back). */
export function meanPlasticWeight(s: KernelSetup): number {
  const scale = weightScale(s.shifts[0]!);
  let sum = 0, n = 0;
  for (const c of s.cores) {
    const half = new Uint16Array(c.matrix.buffer, c.matrix.byteOffset, c.matrix.length * 2);
    for (let r = 0; r * c.stride < c.matrix.length; r++) {
      const base = r * c.stride;
      const pp = c.matrix[base]!;
      const nPlastic = c.matrix[base + 1 + pp + 1]!;
      for (let k = 0; k < nPlastic; k++) {
        sum += decodeWeight(half[(base + 3) * 2 + k]!, scale);
        n++;
      }
    }
  }
  return n ? sum / n : 0;
}
