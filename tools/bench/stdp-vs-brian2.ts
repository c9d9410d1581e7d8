/**
 * Plastic network, emulator vs Brian2 (cython), same network in the same run.
 *
 * Workload "poisson1000-lif1000-stdp": 1000 Poisson inputs (15 Hz, seeded,
 * on the 1 ms grid) → 1000 IF_curr_exp neurons (PyNN defaults),
 * FixedProbability p = 0.1 (seeded, ≈100k plastic synapses), initial weights
 * uniform in [0.05, 0.2) nA, delay 1 ms, pair STDP (tau± 20 ms,
 * A+ 0.002 nA, A− 0.0024 nA, additive, w in [0, 0.25] nA, all-to-all
 * pairing), dt = 1 ms on both sides (SpiNNaker's real-time step), 10 s of
 * biological time.
 *
 * Our side: 1000 neurons exceed one core's 256, so the population is split
 * into 4 emulated cores (256, 256, 256, 232) which run one after the other on
 * ONE CPU thread: the figure is per CPU core, for the whole population. Every
 * input spike is processed as 4 rows (one per emulated core), exactly as the
 * master population tables of the 4 cores would route it.
 *
 * Prints one summary line per figure: plastic synaptic events/s of each side
 * and their ratio. Events = (pre spike, plastic synapse) pairs processed,
 * counted by the STDP kernel's num_plastic_pre_synaptic_events on our side.
 *
 *   npx tsx tools/bench/stdp-vs-brian2.ts [--quick] [--seconds S] [--numpy]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, runBrian, sci } from './brian2/brian.js';
import { meanPlasticWeight, runKernels, setupKernels } from './brian2/kernel-runner.js';
import { makeWorkload, writeWorkloadJson } from './brian2/workload.js';

const args = process.argv.slice(2);
const opt = (k: string, d: number) => (args.includes(k) ? Number(args[args.indexOf(k) + 1]) : d);
const seconds = args.includes('--quick') ? 1 : opt('--seconds', 10);

const w = makeWorkload({
  name: 'poisson1000-lif1000-stdp', nPre: 1000, nPost: 1000, p: 0.1, rateHz: 15,
  durationMs: Math.round(seconds * 1000), wLo: 0.05, wHi: 0.2, delayMs: 1, seed: 11,
  stdp: { tau_plus: 20, tau_minus: 20, A_plus: 0.002, A_minus: 0.0024, w_min: 0, w_max: 0.25 },
});
const dir = mkdtempSync(join(tmpdir(), 'bench-brian2-'));
try {
  console.log(`workload ${w.spec.name}: ${w.spec.nPre} Poisson ${w.spec.rateHz} Hz → ${w.spec.nPost} IF_curr_exp, p=${w.spec.p}, ${w.pre.length} plastic synapses (pair STDP, additive), ${w.src.length} input spikes, dt 1 ms, ${seconds} s biological; expected events ${w.expectedEvents}`);
  console.log(`load average before: ${load()}`);
  const setup = setupKernels(w);
  const file = join(dir, 'workload.json');
  writeWorkloadJson(file, w, setup.boardWeights);
  let initial = 0;
  for (const x of setup.boardWeights) initial += x / setup.boardWeights.length;

  runKernels(w, setupKernels(w), Math.min(1000, w.spec.durationMs)); // JIT warm-up on a separate copy, as Brian2 gets its warm-up run
  const ours = runKernels(w, setup);
  if (ours.events !== w.expectedEvents) throw new Error(`emulator processed ${ours.events} plastic events, the workload has ${w.expectedEvents}`);
  const b = runBrian(file, args.includes('--numpy') ? 'numpy' : 'cython');
  if (b.events !== w.expectedEvents) throw new Error(`Brian2 counted ${b.events} events, the workload has ${w.expectedEvents}`);
  const tgt = `brian2-${b.target}`;

  const oursEv = ours.events / ours.wallS, bEv = b.events / b.run_s;
  console.log(`emulator(kernels) stdp: ${ours.nCores} emulated cores on 1 CPU thread, ${ours.wallS.toFixed(3)} s wall (${(ours.wallS / seconds).toFixed(3)} s per biological s; neuron part ${ours.neuronS.toFixed(3)} s, rows ${ours.rowsS.toFixed(3)} s), ${ours.postSpikes} post spikes, mean weight ${initial.toFixed(4)} → ${meanPlasticWeight(setup).toFixed(4)} nA (ring-buffer shift ${setup.shifts[0]}: weights stored in steps of 2^${setup.shifts[0]! - 15} nA)`);
  console.log(`${tgt} ${b.brian2} stdp: ${b.run_s.toFixed(3)} s wall (${(b.run_s / seconds).toFixed(3)} s per biological s), warm-up incl. compile/cache load ${b.warmup_s.toFixed(2)} s (excluded), ${b.post_spikes} post spikes, mean weight ${initial.toFixed(4)} → ${(b.mean_weight_nA ?? NaN).toFixed(4)} nA`);
  console.log(`emulator       stdp    plastic-synaptic-events/s  ${sci(oursEv)}`);
  console.log(`${tgt.padEnd(14)} stdp    plastic-synaptic-events/s  ${sci(bEv)}`);
  console.log(`emulator       stdp    neuron-updates/s           ${sci(ours.neuronUpdates / ours.wallS)}`);
  console.log(`${tgt.padEnd(14)} stdp    neuron-updates/s           ${sci(b.neuron_updates / b.run_s)}`);
  console.log(`ratio   stdp    emulator/${tgt} throughput  ${(b.run_s / ours.wallS).toFixed(2)}x  (same run, same network, same events)`);
  console.log(`load average after: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
