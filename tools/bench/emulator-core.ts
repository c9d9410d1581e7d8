/**
 * Emulator core throughput, end to end through the core apps on an emulated
 * board (regions in SDRAM, master pop lookups, rows, ring buffers, neuron
 * updates, recording into SDRAM, spikes over the fabric):
 *
 *   neuron updates/s   one IF_curr_exp core, 256 neurons, bias only, V + spikes recorded
 *   static events/s    spike source (64 atoms, all firing every tick) → 256 neurons, 256 synapses a row
 *   STDP events/s      the same through pair-STDP additive rows of 200 synapses (neurons firing under bias)
 *
 * Run: npx tsx tools/bench/emulator-core.ts [ticks]
 */
import {
  IF_CURR_EXP_DEFAULTS, bytesToWords, encodeIfCurrExpNeuron, encodePlasticRow, encodeStaticRow, ifCurrExpParams, rowLayout,
} from '../../src/regions/index.js';
import { Signal } from '../../src/emulator/layout.js';
import type { NeuronCoreApp } from '../../src/emulator/apps/neuron-core/index.js';
import { Host } from '../../test/emulator/apps/cores/harness.js';
import { SSA_KEY, neuronRegions, ssaRegions, stdpFor } from '../../test/emulator/apps/cores/blocks.js';

const TICKS = Number(process.argv[2] ?? 1000);
const N = 256;

function params(iOffset: number): Uint32Array {
  const neuron = encodeIfCurrExpNeuron({ ...IF_CURR_EXP_DEFAULTS, i_offset: iOffset, tau_refrac: 2 }, 1.0);
  return bytesToWords(ifCurrExpParams.encode({ nStepsPerTimestep: 1, neurons: Array.from({ length: N }, () => neuron) }));
}

function run(h: Host, cores: number[], ticks: number): number {
  for (const c of cores) h.runtime(c, ticks, 0);
  h.signal(Signal.SYNC0);
  const t0 = performance.now();
  h.run();
  return (performance.now() - t0) / 1000;
}

function neuronApp(h: Host, core: number): NeuronCoreApp {
  return h.chip().cores[core]!.app as NeuronCoreApp;
}

function updates(): void {
  const h = new Host();
  h.writeCoreBlock(1, neuronRegions({ app: 'IF_curr_exp', params: params(1.5), nNeurons: N, recordSpace: 8 * (N + 1) * TICKS }));
  h.load('IF_curr_exp', [1]);
  const s = run(h, [1], TICKS);
  const app = neuronApp(h, 1);
  console.log(`neuron updates/s (1 core, ${N} neurons, ${TICKS} ticks, V+gsyn+spikes recorded): ${(app.counters.neuronUpdates / s / 1e6).toFixed(2)} M/s  (${app.counters.spikesSent} spikes, ${s.toFixed(2)} s)`);
  h.close();
}

function synaptic(plastic: boolean): void {
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
  const spikeTicks = Array.from({ length: atoms }, () => Array.from({ length: TICKS }, (_, t) => t));
  h.writeCoreBlock(1, ssaRegions(spikeTicks, TICKS, false));
  h.writeCoreBlock(2, neuronRegions({
    app, params: params(plastic ? 1.2 : 0), nNeurons: N, matrix, rowLength: stride - 3, nSourceAtoms: atoms,
    stdp: plastic ? stdpFor(1.0, 'additive') : undefined, shifts: plastic ? [1, 1] : [5, 5], recordSpace: 8 * (N + 1) * TICKS,
  }));
  const chip = h.chip();
  chip.router.set(1, SSA_KEY, 0xffff0000, 1 << (6 + chip.v2p(2)));
  h.load('reverse_iptag_multicast_source', [1]);
  h.load(app, [2]);
  const s = run(h, [1, 2], TICKS);
  const n = neuronApp(h, 2);
  const events = n.counters.rowsProcessed * perRow;
  console.log(`${plastic ? 'STDP (pair, additive)' : 'static'} synaptic events/s (1 core, ${atoms} sources × ${perRow} synapses every tick, ${TICKS} ticks): ${(events / s / 1e6).toFixed(2)} M/s  (${events} events, ${n.counters.spikesSent} post spikes, ${s.toFixed(2)} s incl. neuron updates and the source core)`);
  h.close();
}

updates();
synaptic(false);
synaptic(true);
