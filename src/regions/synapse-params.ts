/**
 * SYNAPSE_PARAMS (region 4), the ring-buffer left-shift rule and the weight
 * scaling the host applies (sPyNNaker AbstractPopulationVertex).
 */
import { roundHalfEven } from '../fixed/encode.js';
import { type RegionCodec, WordReader, bytesToWords, checkU32, getNBits, wordsToBytes } from './words.js';

export interface SynapseParams {
  /** max_atoms_per_core of the post population (not the slice size). */
  nNeurons: number;
  nSynapseTypes: number;
  logNNeurons: number;
  logNSynapseTypes: number;
  logMaxDelay: number;
  dropLateSpikes: boolean;
  incomingSpikeBufferSize: number;
  ringBufferShifts: number[];
}

export const synapseParams: RegionCodec<SynapseParams> = {
  encodingLength: (p) => 4 * (7 + p.ringBufferShifts.length),
  encode(p) {
    if (p.ringBufferShifts.length !== p.nSynapseTypes) {
      throw new RangeError(`synapse params: ${p.ringBufferShifts.length} shifts for ${p.nSynapseTypes} synapse types`);
    }
    return wordsToBytes([
      checkU32(p.nNeurons, 'nNeurons'), checkU32(p.nSynapseTypes, 'nSynapseTypes'), checkU32(p.logNNeurons, 'logNNeurons'),
      checkU32(p.logNSynapseTypes, 'logNSynapseTypes'), checkU32(p.logMaxDelay, 'logMaxDelay'), p.dropLateSpikes ? 1 : 0,
      checkU32(p.incomingSpikeBufferSize, 'incomingSpikeBufferSize'),
      ...p.ringBufferShifts.map((s, i) => checkU32(s, `ringBufferShifts[${i}]`)),
    ]);
  },
  decode(bytes) {
    const r = new WordReader(bytesToWords(bytes, 'synapse params'), 'synapse params');
    const nNeurons = r.u32('n_neurons');
    const nSynapseTypes = r.u32('n_synapse_types');
    const logNNeurons = r.u32('log_n_neurons');
    const logNSynapseTypes = r.u32('log_n_synapse_types');
    const logMaxDelay = r.u32('log_max_delay');
    const dropLateSpikes = r.u32('drop_late_spikes') !== 0;
    const incomingSpikeBufferSize = r.u32('incoming_spike_buffer_size');
    const ringBufferShifts = r.array(nSynapseTypes, 'ring_buffer_shifts');
    return { nNeurons, nSynapseTypes, logNNeurons, logNSynapseTypes, logMaxDelay, dropLateSpikes, incomingSpikeBufferSize, ringBufferShifts };
  },
};

/** Defaults of spynnaker.cfg [Simulation]. */
export const SIMULATION_DEFAULTS = Object.freeze({
  spikesPerSecond: 30,
  ringBufferSigma: 5,
  incomingSpikeBufferSize: 256,
  dropLateSpikes: false,
  nColourBits: 4,
  /** MAX_RING_BUFFER_BITS: bits for delay + type + neuron index per core. */
  maxRingBufferBits: 14,
});
const POISSON_SIGMA_SUMMATION_LIMIT = 3.0;

/** What one incoming projection contributes to a synapse type's ring-buffer estimate. */
export interface ProjectionWeightStats {
  synapseType: number;
  /** Max connections onto any one post neuron. */
  nConnections: number;
  /** Weights in physical units (nA), as PyNN gives them (magnitudes). */
  weightMean: number;
  weightVariance: number;
  /** For STDP: max(w_max of the weight dependence, largest initial weight). */
  weightMax: number;
  delayVariance: number;
  /** max(1, rate / steps_per_second) unless the source knows its max spikes per tick. */
  spikesPerTick: number;
  spikesPerSecond: number;
}

/** Running mean/variance combination, as the host's RunningStats. */
class RunningStats {
  mean = 0;
  private m2 = 0;
  n = 0;
  addItems(mean: number, variance: number, n: number): void {
    if (n <= 0) return;
    const newN = this.n + n;
    const m2 = variance * (n - 1);
    const delta = mean - this.mean;
    const newMean = (this.n * this.mean + n * mean) / newN;
    this.m2 = this.m2 + m2 + (delta * delta * this.n * n) / newN;
    this.n = newN;
    this.mean = newMean;
  }
  get variance(): number {
    return this.n <= 1 ? 0 : this.m2 / (this.n - 1);
  }
}

function lnFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

/** Regularised upper incomplete gamma Q(a, x) for integer a ≥ 1: e^{-x} Σ_{k<a} x^k/k!. */
function gammainccInt(a: number, x: number): number {
  let term = Math.exp(-x);
  let sum = term;
  for (let k = 1; k < a; k++) {
    term *= x / k;
    sum += term;
  }
  return sum;
}

/** Poisson upper bound of a ring-buffer slot: mean + sigma·SD (host's _ring_buffer_expected_upper_bound). */
export function ringBufferExpectedUpperBound(
  weightMean: number, weightStdDev: number, spikesPerSecond: number, nSynapsesIn: number, sigma: number, stepsPerSecond: number,
): number {
  const avg = (nSynapsesIn * spikesPerSecond) / stepsPerSecond;
  const poissonVariance = avg * weightMean ** 2;
  const upper = roundHalfEven(avg + POISSON_SIGMA_SUMMATION_LIMIT * Math.sqrt(avg));
  let weightVariance = 0;
  if (weightStdDev > 0) {
    const lngamma = lnFactorial(upper);
    const gammai = gammainccInt(1 + upper, avg);
    const bigRatio = Math.log(avg) * upper - lngamma;
    if (bigRatio > -701 && bigRatio < 701 && bigRatio !== 0) {
      const logWV = -avg + Math.log(avg) + 2 * Math.log(weightStdDev) + Math.log(Math.exp(avg) * gammai - Math.exp(bigRatio));
      weightVariance = Math.exp(logWV);
    }
  }
  return avg * weightMean + sigma * Math.sqrt(poissonVariance + weightVariance);
}

/** The estimated maximum ring-buffer value (physical units) per synapse type. */
export function maxRingBufferWeights(
  projections: readonly ProjectionWeightStats[],
  opts: { nSynapseTypes: number; timestepMs: number; globalWeightScale?: number; ringBufferSigma?: number },
): number[] {
  const wScale = opts.globalWeightScale ?? 1;
  const sigma = opts.ringBufferSigma ?? SIMULATION_DEFAULTS.ringBufferSigma;
  const stepsPerSecond = 1000 / opts.timestepMs;
  const n = opts.nSynapseTypes;
  const running = Array.from({ length: n }, () => new RunningStats());
  const delays = Array.from({ length: n }, () => new RunningStats());
  const rates = Array.from({ length: n }, () => new RunningStats());
  const total = new Array<number>(n).fill(0);
  const biggest = new Array<number>(n).fill(0);
  for (const p of projections) {
    const t = p.synapseType;
    if (!(t >= 0 && t < n)) throw new RangeError(`synapse type ${t} out of range 0..${n - 1}`);
    running[t]!.addItems(p.weightMean * wScale, p.weightVariance * wScale * wScale, p.nConnections);
    biggest[t] = Math.max(biggest[t]!, p.weightMax * wScale);
    delays[t]!.addItems(0, p.delayVariance, p.nConnections);
    rates[t]!.addItems(p.spikesPerSecond, 0, p.nConnections);
    total[t] = total[t]! + p.spikesPerTick * (p.weightMax * p.nConnections);
  }
  return Array.from({ length: n }, (_, t) => {
    if (delays[t]!.variance === 0) return Math.max(total[t]!, biggest[t]!);
    const s = running[t]!;
    let w = ringBufferExpectedUpperBound(s.mean, Math.sqrt(s.variance), rates[t]!.mean, s.n, sigma, stepsPerSecond);
    w = Math.min(w, total[t]!);
    return Math.max(w, biggest[t]!);
  });
}

/** shift = ceil(log2 W) (≥ 0), plus one if 2^shift ≤ W; 0 for W ≤ 0. */
export function ringBufferShift(maxWeight: number): number {
  if (!(maxWeight > 0)) return 0;
  let p = Math.ceil(Math.max(0, Math.log2(maxWeight)));
  if (2 ** p <= maxWeight) p += 1;
  return p;
}

export function ringBufferShifts(maxWeights: readonly number[]): number[] {
  return maxWeights.map(ringBufferShift);
}

/** Host weight scale: 2^(15 − shift) × global weight scale. */
export function weightScale(shift: number, globalWeightScale = 1): number {
  return 2 ** (16 - (shift + 1)) * globalWeightScale;
}

/** Physical weight (magnitude) → stored uint16: rint(|w·scale|) & 0xFFFF. */
export function encodeWeight(weight: number, scale: number): number {
  if (!Number.isFinite(weight)) throw new RangeError(`weight ${weight} is not finite`);
  return roundHalfEven(Math.abs(weight * scale)) & 0xffff;
}

/** Stored uint16 → physical weight, as the host reads it back. */
export function decodeWeight(raw: number, scale: number): number {
  return raw / scale;
}

/** Per-core delay slots: 2^min(maxRingBufferBits − atomBits − typeBits, bits(maxDelaySteps)). */
export function maxDelaySlots(maxAtomsPerCore: number, nSynapseTypes: number, maxDelaySteps: number,
  maxRingBufferBits = SIMULATION_DEFAULTS.maxRingBufferBits): { delayBits: number; slots: number; needsDelayExtension: boolean } {
  const available = maxRingBufferBits - (getNBits(maxAtomsPerCore) + getNBits(nSynapseTypes));
  const needed = getNBits(maxDelaySteps);
  const delayBits = Math.min(available, needed);
  return { delayBits, slots: 2 ** delayBits, needsDelayExtension: needed > delayBits };
}
