/**
 * Static network, emulator vs Brian2 (cython), same network in the same run.
 *
 * Workload "poisson1000-lif256-static": 1000 Poisson inputs (15 Hz, seeded,
 * on the 1 ms grid) → 256 IF_curr_exp neurons (one core; PyNN defaults),
 * FixedProbability p = 0.1 (seeded), excitatory weights uniform in
 * [0.05, 0.2) nA, delay 1 ms, dt = 1 ms (SpiNNaker's real-time step) on both
 * sides, 10 s of biological time. The input trains and connections are
 * written to one file; Brian2 reads the same spike times (SpikeGeneratorGroup)
 * and the same weights as the emulator stores them.
 *
 * Prints one summary line per figure:
 *   emulator        static  neuron-updates/s  …
 *   brian2-cython   static  neuron-updates/s  …
 *   ratio  …
 * with synaptic events/s the same way. Events = (pre spike, synapse) pairs
 * processed, counted by the kernels' own counters on our side.
 *
 *   npx tsx tools/bench/emulator-vs-brian2.ts [--quick] [--seconds S] [--numpy]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, runBrian, sci } from './brian2/brian.js';
import { runKernels, setupKernels } from './brian2/kernel-runner.js';
import { makeWorkload, writeWorkloadJson } from './brian2/workload.js';

const args = process.argv.slice(2);
const opt = (k: string, d: number) => (args.includes(k) ? Number(args[args.indexOf(k) + 1]) : d);
const seconds = args.includes('--quick') ? 1 : opt('--seconds', 10);

const w = makeWorkload({
  name: 'poisson1000-lif256-static', nPre: 1000, nPost: 256, p: 0.1, rateHz: 15,
  durationMs: Math.round(seconds * 1000), wLo: 0.05, wHi: 0.2, delayMs: 1, seed: 7,
});
const dir = mkdtempSync(join(tmpdir(), 'bench-brian2-'));
try {
  console.log(`workload ${w.spec.name}: ${w.spec.nPre} Poisson ${w.spec.rateHz} Hz → ${w.spec.nPost} IF_curr_exp, p=${w.spec.p}, ${w.pre.length} synapses, ${w.src.length} input spikes, dt 1 ms, ${seconds} s biological; expected events ${w.expectedEvents}`);
  console.log(`load average before: ${load()}`);
  const setup = setupKernels(w);
  const file = join(dir, 'workload.json');
  writeWorkloadJson(file, w, setup.boardWeights);

  runKernels(w, setupKernels(w), Math.min(1000, w.spec.durationMs)); // JIT warm-up on a separate copy, as Brian2 gets its warm-up run
  const ours = runKernels(w, setup);
  if (ours.events !== w.expectedEvents) throw new Error(`emulator processed ${ours.events} events, the workload has ${w.expectedEvents}`);
  const b = runBrian(file, args.includes('--numpy') ? 'numpy' : 'cython');
  if (b.events !== w.expectedEvents) throw new Error(`Brian2 counted ${b.events} events, the workload has ${w.expectedEvents}`);
  const tgt = `brian2-${b.target}`;

  const oursNu = ours.neuronUpdates / ours.wallS, oursEv = ours.events / ours.wallS;
  const bNu = b.neuron_updates / b.run_s, bEv = b.events / b.run_s;
  console.log(`emulator(kernels) static: ${ours.nCores} core, ${ours.wallS.toFixed(3)} s wall (${(ours.wallS / seconds).toFixed(3)} s per biological s; neuron part ${ours.neuronS.toFixed(3)} s, rows ${ours.rowsS.toFixed(3)} s), ${ours.postSpikes} post spikes`);
  console.log(`${tgt} ${b.brian2} static: ${b.run_s.toFixed(3)} s wall (${(b.run_s / seconds).toFixed(3)} s per biological s), warm-up incl. compile/cache load ${b.warmup_s.toFixed(2)} s (excluded), ${b.post_spikes} post spikes`);
  console.log(`emulator       static  neuron-updates/s  ${sci(oursNu)}`);
  console.log(`${tgt.padEnd(14)} static  neuron-updates/s  ${sci(bNu)}`);
  console.log(`emulator       static  synaptic-events/s ${sci(oursEv)}`);
  console.log(`${tgt.padEnd(14)} static  synaptic-events/s ${sci(bEv)}`);
  console.log(`ratio   static  emulator/${tgt} throughput  ${(b.run_s / ours.wallS).toFixed(2)}x  (same run, same network, same events)`);
  console.log(`load average after: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
