/**
 * Emulator core throughput, end to end through the core apps on an emulated
 * board (regions in SDRAM, master pop lookups, rows, ring buffers, neuron
 * updates, recording into SDRAM, spikes over the fabric):
 *
 *   neuron updates/s   one IF_curr_exp core, 256 neurons, bias only, V + gsyn + spikes recorded (4 × ticks)
 *   static events/s    spike source (64 atoms, all firing every tick) → 256 neurons, 256 synapses a row
 *   plastic events/s   the same through pair-STDP additive rows of 200 synapses (neurons firing under bias)
 *   conv layer         a SpiNN-5 board, 72 neuron cores × 256 neurons (18,432, an inference conv
 *                      layer) on 5 chips, one spike source per chip (64 atoms, each firing once in
 *                      every 30-tick window with probability 0.3), rows of 64 static synapses, spikes
 *                      recorded: CPU time against real time (1 ms per tick)
 *   quiet conv layer   the same without input spikes (blank image regions): neurons at rest
 *
 * Each figure is the third of three runs of `ticks` on its own board (the
 * first two warm up the JIT and the SDRAM pages, as earlier runs of a
 * network do), in CPU seconds of this process (wall seconds beside them).
 * Run: npx tsx tools/bench/emulator-core.ts [ticks=3000]   (BENCH_ONLY=updates|static|plastic|conv|quiet for one figure)
 */
import {
  IF_CURR_EXP_DEFAULTS, bytesToWords, encodeIfCurrExpNeuron, encodePlasticRow, encodeSendBuffer, encodeStaticRow, ifCurrExpParams, rowLayout,
  sendBufferSize, spikeKeysByTick,
} from '../../src/regions/index.js';
import { Signal } from '../../src/emulator/layout.js';
import { spinn5 } from '../../src/machine/index.js';
import { Rng } from '../../src/datasets/random.js';
import type { NeuronCoreApp } from '../../src/emulator/apps/neuron-core/index.js';
import { Host } from '../../src/emulator/apps/testbed/host.js';
import { COLOUR_BITS, SSA_KEY, neuronRegions, ssaRegions, stdpFor } from '../../src/emulator/apps/testbed/blocks.js';

const TICKS = Number(process.argv[2] ?? 3000);
const N = 256;

function params(iOffset: number, n = N): Uint32Array {
  const neuron = encodeIfCurrExpNeuron({ ...IF_CURR_EXP_DEFAULTS, i_offset: iOffset, tau_refrac: 2 }, 1.0);
  return bytesToWords(ifCurrExpParams.encode({ nStepsPerTimestep: 1, neurons: Array.from({ length: n }, () => neuron) }));
}

type CoreRef = { x: number; y: number; core: number };

/** Warm-up runs before the timed one (the JIT settles after ~2 runs of a few thousand ticks). */
const WARMUP_RUNS = 2;

/**
 * Runs every listed core as a host runs a network in chunks of `ticks`:
 * WARMUP_RUNS runs to warm up (JIT, SDRAM pages), each followed by
 * `between(nextFirstTick)` (the host rewrites the spike sources' buffers),
 * then `before()` and one timed run. Returns the seconds of CPU time this
 * process used in the timed run (the machine may be shared; on an idle one
 * this is the wall time, printed beside it).
 */
function timedRun(h: Host, cores: CoreRef[], ticks: number, between: (first: number) => void, before: () => void): number {
  let cpuS = 0;
  for (let r = 0; r <= WARMUP_RUNS; r++) {
    if (r > 0) between(r * ticks);
    if (r === WARMUP_RUNS) before();
    for (const c of cores) h.runtime(c.core, (r + 1) * ticks, r * ticks, c.x, c.y);
    h.signal(r % 2 === 0 ? Signal.SYNC0 : Signal.SYNC1);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    h.run();
    const cpu = process.cpuUsage(c0);
    wall = (performance.now() - t0) / 1000;
    cpuS = (cpu.user + cpu.system) / 1e6;
  }
  return cpuS;
}
let wall = 0;

function neuronApp(h: Host, core: number, x = 0, y = 0): NeuronCoreApp {
  const app = h.chip(x, y).cores[core]!.app as NeuronCoreApp | null;
  if (!app) throw new Error(`core (${x},${y},${core}) has no running app: it stopped in RTE (its IOBUF says why)`);
  return app;
}

const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;

/** Spike source block whose send buffer can be rewritten for each run. */
function spikeSource(h: Host, spikeTicks: number[][], ticks: number, key: number, x = 0, y = 0): (first: number) => void {
  const ptr = h.writeCoreBlock(1, ssaRegions(spikeTicks, ticks, false, key), x, y);
  const size = sendBufferSize(Math.max(1, ...spikeKeysByTick(spikeTicks, key, COLOUR_BITS, 0, ticks).map((t) => t.keys.length)), ticks) + 2;
  // The spikes of a later run are those of the first shifted to its ticks.
  return (first) => h.chip(x, y).mem.write(ptr[3]!, encodeSendBuffer(spikeKeysByTick(spikeTicks.map((ts) => ts.map((t) => t + first)), key, COLOUR_BITS, first, first + ticks), size));
}

function updates(ticks: number): { rate: number; s: number } {
  const h = new Host();
  h.writeCoreBlock(1, neuronRegions({ app: 'IF_curr_exp', params: params(1.5), nNeurons: N, recordSpace: (4 * N + 8) * ticks }));
  h.load('IF_curr_exp', [1]);
  let before = 0;
  const s = timedRun(h, [{ x: 0, y: 0, core: 1 }], ticks, () => {}, () => (before = neuronApp(h, 1).counters.neuronUpdates));
  const rate = (neuronApp(h, 1).counters.neuronUpdates - before) / s;
  h.close();
  return { rate, s };
}

function synaptic(plastic: boolean, ticks: number): { rate: number; s: number } {
  const h = new Host();
  const atoms = 64;
  const layout = rowLayout(N, 2, 16);
  const perRow = plastic ? 200 : 256;
  const rows: number[][] = [];
  for (let a = 0; a < atoms; a++) {
    const syn = Array.from({ length: perRow }, (_, i) => ({ post: (i + a) % N, type: 0, delaySteps: 1 + ((i + a) % 15), weight: 40 + (i % 50) }));
    rows.push(plastic ? encodePlasticRow({ prevTime: 0, prevTrace: 0, synapses: syn }, layout) : encodeStaticRow(syn, layout));
  }
  const stride = Math.max(...rows.map((r) => r.length));
  const matrix = new Uint32Array(atoms * stride);
  rows.forEach((r, i) => matrix.set(r, i * stride));
  const app = plastic ? 'IF_curr_exp_stdp_mad_pair_additive' : 'IF_curr_exp';
  const refill = spikeSource(h, Array.from({ length: atoms }, () => Array.from({ length: ticks }, (_, t) => t)), ticks, SSA_KEY);
  h.writeCoreBlock(2, neuronRegions({
    app, params: params(plastic ? 1.2 : 0), nNeurons: N, matrix, rowLength: stride - 3, nSourceAtoms: atoms,
    stdp: plastic ? stdpFor(1.0, 'additive') : undefined, shifts: plastic ? [1, 1] : [5, 5], recordSpace: (4 * N + 8) * ticks,
  }));
  const chip = h.chip();
  chip.router.set(1, SSA_KEY, 0xffff0000, 1 << (6 + chip.v2p(2)));
  h.load('reverse_iptag_multicast_source', [1]);
  h.load(app, [2]);
  let before = 0;
  const s = timedRun(h, [{ x: 0, y: 0, core: 1 }, { x: 0, y: 0, core: 2 }], ticks, refill, () => (before = neuronApp(h, 2).counters.rowsProcessed));
  const rate = ((neuronApp(h, 2).counters.rowsProcessed - before) * perRow) / s;
  h.close();
  return { rate, s };
}

const CONV_CORES = 72;
const CONV_CHIPS: [number, number][] = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 0]];

function convLayer(ticks: number, inputProbability = 0.3): { s: number; updates: number; events: number; spikes: number } {
  const h = new Host(spinn5());
  const rng = new Rng(42);
  const rand = () => rng.next();
  const atoms = 64;
  const perRow = 64;
  const layout = rowLayout(N, 2, 16);
  const cores: CoreRef[] = [];
  const refills: ((first: number) => void)[] = [];
  let left = CONV_CORES;
  CONV_CHIPS.forEach(([x, y], ci) => {
    const nCores = Math.min(16, left);
    left -= nCores;
    const key = (0x00100000 + (ci << 16)) >>> 0;
    const spikeTicks = Array.from({ length: atoms }, () => {
      const t: number[] = [];
      for (let w = 0; w < ticks; w += 30) if (rand() < inputProbability) t.push(w + Math.floor(rand() * Math.min(30, ticks - w)));
      return t;
    });
    refills.push(spikeSource(h, spikeTicks, ticks, key, x, y));
    const chip = h.chip(x, y);
    let route = 0;
    for (let c = 2; c < 2 + nCores; c++) {
      const rows: number[][] = [];
      for (let a = 0; a < atoms; a++) {
        const syn = Array.from({ length: perRow }, (_, i) => ({ post: (a * 4 + i * 3 + c) % N, type: i % 5 === 0 ? 1 : 0, delaySteps: 1, weight: 700 + ((a * 7 + i * 13 + c) % 1400) }));
        rows.push(encodeStaticRow(syn, layout));
      }
      const stride = Math.max(...rows.map((r) => r.length));
      const matrix = new Uint32Array(atoms * stride);
      rows.forEach((r, i) => matrix.set(r, i * stride));
      h.writeCoreBlock(c, neuronRegions({
        app: 'IF_curr_exp', params: params(0), nNeurons: N, matrix, rowLength: stride - 3, nSourceAtoms: atoms, sourceKey: key,
        key: (0x01000000 + (ci << 20) + (c << 12)) >>> 0, record: { spikes: true }, recordSpace: 4 * (2 + N / 32) * ticks,
      }), x, y);
      route |= 1 << (6 + chip.v2p(c));
      cores.push({ x, y, core: c });
    }
    chip.router.set(1, key, 0xffff0000, route);
    h.load('reverse_iptag_multicast_source', [1], x, y);
    h.load('IF_curr_exp', cores.filter((c) => c.x === x && c.y === y).map((c) => c.core), x, y);
    cores.push({ x, y, core: 1 });
  });
  const neuronCores = cores.filter((c) => c.core !== 1);
  const totals = () => {
    let updates = 0, events = 0, spikes = 0;
    for (const c of neuronCores) {
      const n = neuronApp(h, c.core, c.x, c.y).counters;
      updates += n.neuronUpdates;
      events += n.rowsProcessed * perRow;
      spikes += n.spikesSent;
    }
    return { updates, events, spikes };
  };
  let t0 = { updates: 0, events: 0, spikes: 0 };
  const s = timedRun(h, cores, ticks, (first) => refills.forEach((r) => r(first)), () => (t0 = totals()));
  const t1 = totals();
  h.close();
  return { s, updates: t1.updates - t0.updates, events: t1.events - t0.events, spikes: t1.spikes - t0.spikes };
}

const only = process.env.BENCH_ONLY; // updates | static | plastic | conv | quiet: one figure (for profiling)
const want = (f: string) => !only || only === f;
if (want('updates')) {
  // One core is quick: 4× the ticks (at most what four recording channels of the SDRAM heap hold).
  const ticks = Math.min(4 * TICKS, 20000);
  const u = updates(ticks);
  console.log(`neuron updates/s: ${fmt(u.rate)}  (1 core, ${N} neurons, ${ticks} ticks, V + gsyn + spikes recorded, ${u.s.toFixed(2)} s CPU, ${wall.toFixed(2)} s wall)`);
}
if (want('static')) {
  const st = synaptic(false, TICKS);
  console.log(`static events/s: ${fmt(st.rate)}  (1 core, 64 sources × 256 synapses every tick, ${TICKS} ticks, ${st.s.toFixed(2)} s CPU, ${wall.toFixed(2)} s wall, incl. neuron updates and the source core)`);
}
if (want('plastic')) {
  const pl = synaptic(true, TICKS);
  console.log(`plastic events/s: ${fmt(pl.rate)}  (pair STDP additive, 1 core, 64 sources × 200 synapses every tick, ${TICKS} ticks, ${pl.s.toFixed(2)} s CPU, ${wall.toFixed(2)} s wall, incl. neuron updates and the source core)`);
}
if (want('conv')) {
  const cv = convLayer(TICKS);
  console.log(
    `conv layer time factor: ${(cv.s / (TICKS / 1000)).toFixed(2)} × real time  (SpiNN-5, ${CONV_CORES} cores × ${N} neurons on ${CONV_CHIPS.length} chips, ${TICKS} ticks in ${cv.s.toFixed(2)} s CPU, ${wall.toFixed(2)} s wall: ` +
      `${fmt(cv.updates / cv.s)} neuron updates, ${fmt(cv.events / cv.s)} static events, ${cv.spikes} spikes)`,
  );
}
if (want('quiet')) {
  const q = convLayer(TICKS, 0);
  console.log(
    `quiet conv layer time factor: ${(q.s / (TICKS / 1000)).toFixed(3)} × real time  (the same layer without input spikes, as for blank image regions: ${TICKS} ticks in ${q.s.toFixed(2)} s CPU, ${wall.toFixed(2)} s wall, ${fmt(q.updates / q.s)} neuron updates)`,
  );
}
