/**
 * Static network, emulator vs Brian2 (cython), same network in the same run.
 *
 * Workload "poisson1000-lif256-static": 1000 Poisson inputs (15 Hz, seeded,
 * on the 1 ms grid) → 256 IF_curr_exp neurons (one core; PyNN defaults),
 * FixedProbability p = 0.1 (seeded), excitatory weights uniform in
 * [0.05, 0.2) nA, delay 1 ms, dt = 1 ms (SpiNNaker's real-time step) on both
 * sides, 30 s of biological time. The input trains and connections are
 * written to one file; Brian2 reads the same spike times (SpikeGeneratorGroup)
 * and the same weights as the emulator stores them.
 *
 * Our side twice: "emulator" = the full path (Simulator on the embedded
 * emulated board: 1 neuron core fed by 4 spike-source cores through the
 * emulated routers, rows from emulated SDRAM); "emulator-kernels" = the same
 * arithmetic on the bare kernels. Events = (pre spike, synapse) pairs, from
 * the firmware's own counters on our side.
 *
 *   npx tsx tools/bench/emulator-vs-brian2.ts [--quick | --seconds S] [--repeats R] [--numpy] [--kernels-only]
 */
import { compare, parseArgs } from './brian2/compare.js';

// 30 s by default: each side needs well under a second for 10 s, too short to time steadily.
const { seconds, opts } = parseArgs(process.argv.slice(2), 30);
await compare({
  name: 'poisson1000-lif256-static', nPre: 1000, nPost: 256, p: 0.1, rateHz: 15,
  durationMs: Math.round(seconds * 1000), wLo: 0.05, wHi: 0.2, delayMs: 1, seed: 7,
}, { ...opts, kind: 'static' });
