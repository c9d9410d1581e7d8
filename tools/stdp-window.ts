/**
 * The pair-STDP window measured through the whole path (src/run/stdp-window.ts):
 * SpikeSourceArray pairs at Δt from −50 to +50 ms onto one neuron each,
 * weights read back from the emulated (or real) board, each checked against
 * the bit-exact kernels driven directly on the same bytes. Prints the table,
 * writes the raw numbers (JSON) and the plot (SVG) atomically.
 *
 *   npx tsx tools/stdp-window.ts [--step 1] [--out docs/figures] [--board emulator] [--json]
 *
 * Exit code 1 if any point differs from the kernels or a post neuron did not
 * fire exactly once at the wanted Δt.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeFileAtomic } from '../src/datasets/atomic.js';
import { plotStdpWindow } from '../src/plots/index.js';
import { Simulator, measureStdpWindow } from '../src/run/index.js';

const opts = new Command()
  .option('--step <ms>', 'Δt step (ms); the window is −50..50', '1')
  .option('--out <dir>', 'directory for stdp-window.json and stdp-window.svg', 'docs/figures')
  .option('--board <ip|emulator>', 'board address', 'emulator')
  .option('--json', 'print the result as JSON instead of the table')
  .parse()
  .opts<{ step: string; out: string; board: string; json?: boolean }>();

const step = Number(opts.step);
if (!Number.isInteger(step) || step < 1 || step > 50) {
  console.error(`--step ${opts.step}: must be a whole number of ms from 1 to 50`);
  process.exit(1);
}
const dts: number[] = [];
for (let dt = -50; dt <= 50; dt += step) dts.push(dt);

const sim = await Simulator.connect({ board: opts.board, progress: false });
let result;
const t0 = Date.now();
try {
  result = await measureStdpWindow(sim, dts);
} finally {
  await sim.end();
}
const wallMs = Date.now() - t0;
const { params: p, points } = result;

mkdirSync(opts.out, { recursive: true });
const jsonPath = join(opts.out, 'stdp-window.json');
// One point per line: readable and diff-friendly.
const head = JSON.stringify({
  description: 'Pair STDP window through the whole path: weight change read back from the board after one pre spike at 100 ms and one post spike at 100 + dt ms (pre fires again at 300 ms to apply deferred potentiation). raw = stored uint16, dW = dRaw / scale nA, kernelRaw = the bit-exact kernels on the same bytes.',
  board: opts.board, params: result.params, scale: result.scale, w0raw: result.w0raw, runMs: result.runMs,
}, null, 1).slice(0, -2);
writeFileAtomic(jsonPath, `${head},\n "points": [\n${points.map((q) => `  ${JSON.stringify(q)}`).join(',\n')}\n ]\n}\n`);
const svgPath = await plotStdpWindow(
  join(opts.out, 'stdp-window.svg'),
  points.filter((q) => q.dt !== null).map((q) => ({ dt: q.dt!, dw: q.dW })),
  `Pair STDP through the whole path (τ± ${p.tau_plus}/${p.tau_minus} ms, A+ ${p.A_plus}, A− ${p.A_minus}, additive, w0 ${p.w0} nA)`,
);

const bad = points.filter((q) => q.raw !== q.kernelRaw || q.nPost !== 1 || q.dt !== q.wanted);
if (opts.json) console.log(JSON.stringify(result));
else {
  console.log(`pair STDP (τ+ ${p.tau_plus} ms, τ− ${p.tau_minus} ms, A+ ${p.A_plus}, A− ${p.A_minus}, additive [${p.w_min}, ${p.w_max}]), w0 = ${p.w0} nA = ${result.w0raw} raw at scale ${result.scale}`);
  console.log('Δt(ms)  raw   Δraw   Δw (nA)        = kernel  post spikes');
  for (const q of points) {
    console.log(`${String(q.dt).padStart(5)} ${String(q.raw).padStart(6)} ${String(q.dRaw).padStart(6)}  ${q.dW.toFixed(9).padStart(13)}  ${q.raw === q.kernelRaw ? 'yes' : 'NO '}     ${q.nPost}`);
  }
  console.log(`${points.length} points, ${points.length - bad.length} equal to the kernels with the wanted Δt; ${result.runMs} ms simulated, ${(wallMs / 1000).toFixed(1)} s wall; wrote ${jsonPath}, ${svgPath}`);
}
if (bad.length > 0) {
  console.error(`${bad.length} points differ (kernel mismatch, no or several post spikes, or Δt off): ${bad.map((q) => q.wanted).join(', ')}`);
  process.exit(1);
}
