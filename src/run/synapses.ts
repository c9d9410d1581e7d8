/**
 * Per post-population synapse decisions, made once for all its cores as
 * sPyNNaker does per application vertex: which binary (static or which
 * STDP variant), the ring-buffer shifts and weight scales, the delay bits,
 * and the row layout.
 */
import { type Network, type Population, type Projection, type STDPMechanism, delaySteps } from '../network/index.js';
import {
  type ProjectionWeightStats, type RowLayout, type SupportedApp, maxDelaySlots, maxRingBufferWeights, ringBufferShifts,
  rowLayout, spikeTimeToTick, weightScale,
} from '../regions/index.js';
import { RunError } from './errors.js';

export const N_SYNAPSE_TYPES = 2;
export const synapseTypeOf = (p: Projection): number => (p.receptor === 'inhibitory' ? 1 : 0);

export interface PostSynapseInfo {
  app: SupportedApp;
  /** The STDP rule of the population's plastic projections, if any. */
  stdp: STDPMechanism | undefined;
  /** Incoming projections, in network order. */
  projections: Projection[];
  shifts: number[];
  /** Host weight scale per synapse type: raw = rint(|w| × scale). */
  scales: number[];
  delayBits: number;
  layout: RowLayout;
}

function sameStdp(a: STDPMechanism, b: STDPMechanism): boolean {
  const t = (m: STDPMechanism) => [m.timing.tau_plus, m.timing.tau_minus, m.timing.A_plus, m.timing.A_minus,
    m.weightDependence.kind, m.weightDependence.w_min, m.weightDependence.w_max].join(',');
  return t(a) === t(b);
}

/** Max spikes of one neuron in one tick of a SpikeSourceArray (at least 1). */
function maxSpikesPerTick(pop: Population, timestepUs: number): number {
  let best = 1;
  for (let i = 0; i < pop.size; i++) {
    const ticks = pop.spikeTimesOf(i).map((t) => spikeTimeToTick(t, timestepUs));
    let run = 1;
    for (let k = 1; k < ticks.length; k++) {
      run = ticks[k] === ticks[k - 1] ? run + 1 : 1;
      if (run > best) best = run;
    }
  }
  return best;
}

function weightStats(p: Projection, timestep: number, timestepUs: number): ProjectionWeightStats {
  const c = p.connections();
  const inDegree = new Uint32Array(p.post.size);
  let nConnections = 0;
  for (let k = 0; k < c.n; k++) {
    const d = ++inDegree[c.post[k]!]!;
    if (d > nConnections) nConnections = d;
  }
  const values = (v: number | Float64Array) => (typeof v === 'number' ? null : v);
  const ws = values(c.weight);
  let mean: number;
  let variance = 0;
  let max: number;
  if (ws === null) {
    mean = Math.abs(c.weight as number);
    max = mean;
  } else {
    let s = 0;
    max = 0;
    for (const w of ws) {
      s += Math.abs(w);
      if (Math.abs(w) > max) max = Math.abs(w);
    }
    mean = ws.length ? s / ws.length : 0;
    let v = 0;
    for (const w of ws) v += (Math.abs(w) - mean) ** 2;
    variance = ws.length > 1 ? v / (ws.length - 1) : 0;
  }
  const ds = values(c.delay);
  let delayVariance = 0;
  if (ds !== null && ds.length > 1) {
    let m = 0;
    for (const d of ds) m += delaySteps(d, timestep);
    m /= ds.length;
    let v = 0;
    for (const d of ds) v += (delaySteps(d, timestep) - m) ** 2;
    delayVariance = v / (ds.length - 1);
  }
  if (p.synapse.kind === 'STDP') max = Math.max(max, p.synapse.weightDependence.w_max);
  const spikesPerSecond = 30;
  const spikesPerTick = p.pre.cell.kind === 'SpikeSourceArray'
    ? maxSpikesPerTick(p.pre, timestepUs)
    : Math.max(1, spikesPerSecond / (1000 / timestep));
  return { synapseType: synapseTypeOf(p), nConnections, weightMean: mean, weightVariance: variance, weightMax: max, delayVariance, spikesPerTick, spikesPerSecond };
}

/** Decide binary, shifts, scales and row layout for every IF_curr_exp population (undefined for sources). */
export function postSynapseInfo(network: Network, maxAtomsPerCore: number): (PostSynapseInfo | undefined)[] {
  const timestep = network.timestep;
  const timestepUs = Math.round(timestep * 1000);
  return network.populations.map((pop) => {
    if (pop.cell.kind !== 'IF_curr_exp') return undefined;
    const projections = network.projections.filter((p) => p.post === pop);
    let stdp: STDPMechanism | undefined;
    for (const p of projections) {
      if (p.synapse.kind !== 'STDP') continue;
      if (stdp && !sameStdp(stdp, p.synapse)) {
        throw new RunError(
          `population '${pop.label}' receives plastic projections with different STDP rules ('${p.label}' differs from an earlier one); ` +
            'one core runs one STDP rule: give them the same timing and weight dependence, or split the population',
        );
      }
      stdp = p.synapse;
    }
    const app: SupportedApp = !stdp ? 'IF_curr_exp'
      : stdp.weightDependence.kind === 'Additive' ? 'IF_curr_exp_stdp_mad_pair_additive' : 'IF_curr_exp_stdp_mad_pair_multiplicative';
    const stats = projections.map((p) => weightStats(p, timestep, timestepUs));
    const maxW = maxRingBufferWeights(stats, { nSynapseTypes: N_SYNAPSE_TYPES, timestepMs: timestep });
    const shifts = ringBufferShifts(maxW);
    const scales = shifts.map((s) => weightScale(s));
    let maxDelay = 1;
    for (const p of projections) maxDelay = Math.max(maxDelay, delaySteps(p.maxDelay(), timestep));
    const { delayBits, needsDelayExtension } = maxDelaySlots(maxAtomsPerCore, N_SYNAPSE_TYPES, maxDelay);
    if (needsDelayExtension) {
      throw new RunError(`population '${pop.label}': a delay of ${maxDelay} timesteps needs a delay-extension core, which the emulated board does not run yet; keep delays within ${2 ** delayBits} timesteps`);
    }
    return { app, stdp, projections, shifts, scales, delayBits, layout: rowLayout(maxAtomsPerCore, N_SYNAPSE_TYPES, 2 ** delayBits) };
  });
}
