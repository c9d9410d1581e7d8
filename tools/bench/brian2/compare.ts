/**
 * One side-by-side comparison in one process: the workload through the full
 * emulated path, through the bare kernels, and through Brian2, each after a
 * warm-up (JIT on our side, code generation + compilation on Brian2's side;
 * both excluded from the figures), then one summary line per figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, runBrian, sci } from './brian.js';
import { type EmulatorResult, runEmulator } from './emulator-runner.js';
import { meanPlasticWeight, runKernels, setupKernels } from './kernel-runner.js';
import { type Workload, type WorkloadSpec, makeWorkload, writeWorkloadJson } from './workload.js';

export interface CompareOptions {
  kind: 'static' | 'stdp';
  target: 'cython' | 'numpy';
  /** Skip the full emulated path (kernels and Brian2 only). */
  kernelsOnly: boolean;
  /** Timed runs per side; the fastest counts (the machine is shared). */
  repeats: number;
}

export function parseArgs(argv: string[], defaultSeconds = 10): { seconds: number; opts: CompareOptions } {
  const has = (k: string) => argv.includes(k);
  const num = (k: string, d: number) => {
    if (!has(k)) return d;
    const v = Number(argv[argv.indexOf(k) + 1]);
    if (!(v > 0)) throw new Error(`${k} needs a positive number`);
    return v;
  };
  return { seconds: has('--quick') ? 1 : num('--seconds', defaultSeconds), opts: { kind: 'static', target: has('--numpy') ? 'numpy' : 'cython', kernelsOnly: has('--kernels-only'), repeats: Math.round(num('--repeats', 3)) } };
}

const pad = (s: string, n: number) => s.padEnd(n);

export async function compare(spec: WorkloadSpec, o: CompareOptions): Promise<void> {
  const w = makeWorkload(spec);
  const secs = spec.durationMs / 1000;
  const what = o.kind === 'stdp' ? 'plastic synapses (pair STDP, additive, all-to-all pairing)' : 'static synapses';
  console.log(`workload ${spec.name}: ${spec.nPre} Poisson ${spec.rateHz} Hz → ${spec.nPost} IF_curr_exp (PyNN defaults), p=${spec.p}, ${w.pre.length} ${what}, weights U[${spec.wLo}, ${spec.wHi}) nA, delay ${spec.delayMs} ms, ${w.src.length} input spikes, dt 1 ms on both sides, ${secs} s biological; (pre spike, synapse) events ${w.expectedEvents}`);
  console.log(`load average (1/5/15 min) before: ${load()}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-brian2-'));
  try {
    const setup = setupKernels(w);
    const file = join(dir, 'workload.json');
    writeWorkloadJson(file, w, setup.boardWeights);
    let initial = 0;
    for (const x of setup.boardWeights) initial += x / setup.boardWeights.length;
    const warm: Workload = makeWorkload({ ...spec, durationMs: Math.min(1000, spec.durationMs), seed: spec.seed + 1 });

    const list = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
    // Each side's figure is its smallest CPU time over the repeats: inside the board's tick slices for the full path.
    const emuTime = (x: EmulatorResult) => x.tickCpuS ?? x.tickS;
    let emu: EmulatorResult | undefined;
    const emuCpu: number[] = [];
    if (!o.kernelsOnly) {
      await runEmulator(warm);
      for (let r = 0; r < o.repeats; r++) {
        const x = await runEmulator(w);
        emuCpu.push(emuTime(x));
        if (!emu || emuTime(x) < emuTime(emu)) emu = x;
      }
    }
    runKernels(warm, setupKernels(warm));
    let ker = runKernels(w, setup);
    let kerSetup = setup;
    const kerCpu = [ker.cpuS];
    for (let r = 1; r < o.repeats; r++) {
      const su = setupKernels(w);
      const x = runKernels(w, su);
      kerCpu.push(x.cpuS);
      if (x.cpuS < ker.cpuS) [ker, kerSetup] = [x, su];
    }
    const b = runBrian(file, o.target, o.repeats);
    for (const [who, n] of [['emulator', emu?.events], ['emulator-kernels', ker.events], [`brian2-${b.target}`, b.events]] as const) {
      if (n !== undefined && n !== w.expectedEvents) throw new Error(`${who} processed ${n} events; the workload has ${w.expectedEvents}`);
    }
    const tgt = `brian2-${b.target}`;
    const k = o.kind;
    const weight = (x: number | undefined) => (k === 'stdp' && x !== undefined ? `, mean weight ${initial.toFixed(4)} → ${x.toFixed(4)} nA` : '');

    if (emu) {
      console.log(`emulator: full path (Simulator on the embedded emulated board): ${emu.neuronCores} neuron core(s) + ${emu.sourceCores} spike-source core(s), all on 1 CPU thread; board ticking ${emu.tickCpuS === undefined ? `${emu.tickS.toFixed(3)} s wall (CPU not measurable)` : `${emu.tickCpuS.toFixed(3)} s CPU (runs: ${list(emuCpu)}), ${emu.tickS.toFixed(3)} s wall`} for ${emu.ticks} ticks, within a run step of ${emu.runS.toFixed(3)} s wall / ${emu.cpuS.toFixed(3)} s CPU (SCP control, polling and extraction between chunks included); set-up excluded: map ${emu.setupS.map.toFixed(2)} s, generate ${emu.setupS.generate.toFixed(2)} s, load ${emu.setupS.load.toFixed(2)} s; ${emu.postSpikes} post spikes${weight(emu.meanWeight)}`);
    }
    console.log(`emulator-kernels: ${ker.nCores} core(s) of IfCurrExpCore/RingBuffers${k === 'stdp' ? '/StdpPairCore' : ''} on 1 CPU thread, ${ker.cpuS.toFixed(3)} s CPU (runs: ${list(kerCpu)}), ${ker.wallS.toFixed(3)} s wall (neuron updates ${ker.neuronS.toFixed(3)} s, rows ${ker.rowsS.toFixed(3)} s); ${ker.postSpikes} post spikes${weight(k === 'stdp' ? meanPlasticWeight(kerSetup) : undefined)}${k === 'stdp' ? ` (weights stored in steps of 2^${setup.shifts[0]! - 15} nA)` : ''}`);
    console.log(`${tgt} ${b.brian2}: ${b.cpu_s.toFixed(3)} s CPU (runs: ${list(b.cpu_times_s)}), ${b.run_s.toFixed(3)} s wall (runs: ${list(b.run_times_s)}); warm-up run incl. code generation/compilation or cache load ${b.warmup_s.toFixed(2)} s (excluded); ${b.post_spikes} post spikes${weight(b.mean_weight_nA)}`);
    if (emu) console.log(`post spikes identical on the full path and the kernels: ${emu.postSpikes === ker.postSpikes ? 'yes' : `NO (${emu.postSpikes} vs ${ker.postSpikes})`}`);

    const rows: [string, number, number, number][] = [];
    if (emu) rows.push(['emulator', emuTime(emu), emu.neuronUpdates, emu.timedEvents]);
    rows.push(['emulator-kernels', ker.cpuS, ker.neuronUpdates, ker.events], [tgt, b.cpu_s, b.neuron_updates, b.events]);
    const evName = k === 'stdp' ? 'plastic-synaptic-events/s' : 'synaptic-events/s';
    for (const [who, s, nu] of rows) console.log(`${pad(who, 17)} ${pad(k, 6)} ${pad('neuron-updates/s', 25)} ${sci(nu / s)}`);
    for (const [who, s, , ev] of rows) console.log(`${pad(who, 17)} ${pad(k, 6)} ${pad(evName, 25)} ${sci(ev / s)}`);
    const bEv = b.events / b.cpu_s;
    for (const [who, s, , ev] of rows.slice(0, -1)) console.log(`ratio ${who}/${tgt} ${k}: ${(ev / s / bEv).toFixed(2)}x  (throughput, same network, same events, same run)`);
    console.log(`load average (1/5/15 min) after: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
