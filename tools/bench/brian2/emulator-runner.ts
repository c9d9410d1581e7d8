/**
 * Our side of the Brian2 comparisons through the whole toolchain: the
 * workload as a Network (SpikeSourceArray with the workload's spike times,
 * IF_curr_exp with PyNN defaults, FromList with the workload's weights and
 * delays, optionally STDPMechanism), run by `Simulator` on the embedded
 * emulated board: mapping, data generation, loading over SCP on loopback,
 * then the emulated neuron-core and spike-source apps executing the loaded
 * bytes tick by tick (rows read from emulated SDRAM, plastic rows written
 * back). The emulated board runs every core on one CPU thread.
 *
 * The figures use the CPU time spent in the board's tick slices (every
 * emulated core's timer callbacks, packet delivery and routing) and the
 * neuron cores' firmware counters; the run step's wall and CPU time (with
 * the host's SCP control and extraction between run chunks) are reported
 * beside them.
 */
import { NeuronCoreApp } from '../../../src/emulator/apps/neuron-core/index.js';
import type { Board } from '../../../src/emulator/index.js';
import {
  AdditiveWeightDependence, FromListConnector, IF_curr_exp, Network, STDPMechanism, SpikePairRule, SpikeSourceArray,
} from '../../../src/network/index.js';
import { Simulator } from '../../../src/run/index.js';
import type { Workload } from './workload.js';

export interface EmulatorResult {
  /** Board tick time: all emulated cores' work during the run. */
  tickS: number;
  ticks: number;
  /** Simulator.run wall time of the timed run step (ticking plus SCP control and recording extraction between chunks). */
  runS: number;
  /** CPU seconds of this process (emulated board and host side together) during the timed run step. */
  cpuS: number;
  /** CPU seconds inside the board's tick slices during the timed run step (undefined if not measurable). */
  tickCpuS: number | undefined;
  setupS: { map: number; generate: number; load: number };
  neuronCores: number;
  sourceCores: number;
  /** Neuron updates in the timed part. */
  neuronUpdates: number;
  /** (pre spike, synapse) pairs of the whole run. */
  events: number;
  /** … of the timed part. */
  timedEvents: number;
  rowsProcessed: number;
  postSpikes: number;
  /** Mean plastic weight read back from the board (nA), when plastic. */
  meanWeight?: number;
}

export function buildNetwork(w: Workload): { net: Network; post: ReturnType<Network['population']>; proj: ReturnType<Network['projection']> } {
  const net = new Network({ timestep: w.dtMs, seed: w.spec.seed });
  const times: number[][] = Array.from({ length: w.spec.nPre }, () => []);
  for (let t = 0; t < w.spec.durationMs; t++) for (let k = w.tickStart[t]!; k < w.tickStart[t + 1]!; k++) times[w.src[k]!]!.push(t * w.dtMs);
  const src = net.population(w.spec.nPre, SpikeSourceArray({ spikeTimes: times }), { label: 'input' });
  const post = net.population(w.spec.nPost, IF_curr_exp(), { label: 'lif' }).record('spikes');
  const list: number[][] = [];
  for (let k = 0; k < w.pre.length; k++) list.push([w.pre[k]!, w.post[k]!, w.weight[k]!, w.spec.delayMs]);
  const s = w.spec.stdp;
  const synapse = s
    ? STDPMechanism({
      timing: SpikePairRule({ tau_plus: s.tau_plus, tau_minus: s.tau_minus, A_plus: s.A_plus, A_minus: s.A_minus }),
      weight_dependence: AdditiveWeightDependence({ w_min: s.w_min, w_max: s.w_max }),
    })
    : undefined;
  const proj = net.projection(src, post, FromListConnector(list), { receptor: 'excitatory', label: 'input->lif', ...(synapse ? { synapse } : {}) });
  return { net, post, proj };
}

function neuronApps(board: Board): NeuronCoreApp[] {
  const apps: NeuronCoreApp[] = [];
  for (const chip of board.allChips()) for (const slot of chip.cores) if (slot.app instanceof NeuronCoreApp) apps.push(slot.app);
  return apps;
}

/**
 * CPU time spent inside the board's free-running tick slices (its private
 * `loop`, wrapped for measurement only), or undefined if the board no longer
 * has that method (then only the tick wall time is available).
 */
function meterTickCpu(board: Board): () => number | undefined {
  const b = board as unknown as { loop?: () => void };
  const orig = b.loop;
  if (typeof orig !== 'function') return () => undefined;
  let us = 0;
  b.loop = function (this: unknown) {
    const c = process.cpuUsage();
    try {
      orig.call(this);
    } finally {
      const d = process.cpuUsage(c);
      us += d.user + d.system;
    }
  };
  return () => us / 1e6;
}

function counters(board: Board) {
  let neuronUpdates = 0, events = 0, rowsProcessed = 0, cores = 0;
  for (const a of neuronApps(board)) {
    cores++;
    neuronUpdates += a.counters.neuronUpdates;
    rowsProcessed += a.counters.rowsProcessed;
    events += a.ring.fixedPreSynapticEvents + (a.stdp?.numPlasticPreSynapticEvents ?? 0);
  }
  return { neuronUpdates, events, rowsProcessed, cores, ticks: board.stats.ticks, tickMs: board.stats.tickWallMs };
}

/**
 * Set-up plus the first tick (`run(net, 1)`), then the timed part: the rest
 * of the run (`run(duration − 1)`, which continues bit-exactly). Figures
 * cover the timed part only; `events` is the whole run's total (checked
 * against the workload), `timedEvents` the timed part's.
 */
export async function runEmulator(w: Workload): Promise<EmulatorResult> {
  const { net, post, proj } = buildNetwork(w);
  const sim = await Simulator.connect({ board: 'emulator', progress: false, recordingTicks: Math.min(10_000, w.spec.durationMs) });
  try {
    const board = sim.embedded?.board;
    if (!board) throw new Error('the Simulator did not start an embedded emulator');
    const tickCpu = meterTickCpu(board);
    await sim.run(net, 1);
    const setupS = { map: sim.times.mapMs / 1000, generate: sim.times.generateMs / 1000, load: sim.times.loadMs / 1000 };
    const runMs0 = sim.times.runMs;
    const c0 = counters(board);
    const tickCpu0 = tickCpu();
    const cpu0 = process.cpuUsage();
    await sim.run(w.spec.durationMs - 1);
    const cpu = process.cpuUsage(cpu0);
    const c1 = counters(board);
    const tickCpu1 = tickCpu();
    let postSpikes = 0;
    for (const train of sim.getSpikes(post)) postSpikes += train.length;
    let meanWeight: number | undefined;
    if (w.spec.stdp) {
      const ws = await sim.getWeights(proj);
      meanWeight = ws.reduce((s, x) => s + x[2], 0) / ws.length;
    }
    const plan = sim.runPlan!;
    return {
      tickS: (c1.tickMs - c0.tickMs) / 1000, ticks: c1.ticks - c0.ticks, runS: (sim.times.runMs - runMs0) / 1000,
      cpuS: (cpu.user + cpu.system) / 1e6, tickCpuS: tickCpu1 === undefined ? undefined : tickCpu1 - tickCpu0!, setupS,
      neuronCores: c1.cores, sourceCores: plan.cores.filter((c) => c.kind === 'spikeSource').length,
      neuronUpdates: c1.neuronUpdates - c0.neuronUpdates, events: c1.events, timedEvents: c1.events - c0.events,
      rowsProcessed: c1.rowsProcessed, postSpikes, meanWeight,
    };
  } finally {
    await sim.end();
  }
}
