/**
 * A reference for checks of whole runs: one neuron core of a generated run
 * plan, fed only by spike-source cores, driven directly through the
 * bit-exact kernels (no board, no SCP, no routers, no recording), in the
 * tick order of docs/emulated-execution.md §5. A run on the board (emulated
 * or real, with the same firmware arithmetic) must give the same raw V,
 * spikes and synaptic matrix words.
 */
import { IfCurrExpCore, RingBuffers, processSynapticRow, readSynapseParams } from '../emulator/apps/neuron/index.js';
import { StdpPairCore } from '../emulator/apps/stdp/index.js';
import type { MappingResult } from '../mapping/index.js';
import { ROW_HEADER_WORDS, bytesToWords, decodeSynapticMatrix, lookupRows, masterPopTable, spikeKeysByTick } from '../regions/index.js';
import { type NeuronCorePlan, type RunPlan, NeuronRegions } from './generate.js';

export interface ReferenceResult {
  /** Raw V per neuron per tick. */
  v: number[][];
  /** Spike ticks per neuron. */
  spikes: number[][];
  /** The synaptic matrix words after the run (plastic rows updated). */
  matrix: Uint32Array;
}

const words = (b: Uint8Array | undefined) => (b && b.length ? bytesToWords(b.slice()) : new Uint32Array(0));

/** Simulates `core` for the run lengths given (each a CMD_RUNTIME), continuing state between them. */
export function referenceCore(plan: RunPlan, core: NeuronCorePlan, runs: number[], colourBits = 4): ReferenceResult {
  const R = NeuronRegions;
  const n = core.vertex.hi - core.vertex.lo;
  const params = words(core.regions[R.NEURON_PARAMS]!.content);
  const ring = new RingBuffers(readSynapseParams(words(core.regions[R.SYNAPSE_PARAMS]!.content)));
  const kernel = new IfCurrExpCore(n, params);
  const table = masterPopTable.decode(core.regions[R.POPULATION_TABLE]!.content!);
  const matrix = words(core.regions[R.SYNAPTIC_MATRIX]!.content);
  let stdp: StdpPairCore | undefined;
  if (core.synapses.stdp) {
    stdp = new StdpPairCore({
      regionWords: words(core.regions[R.SYNAPSE_DYNAMICS]!.content),
      weightDependence: core.synapses.stdp.weightDependence.kind === 'Additive' ? 'additive' : 'multiplicative',
      nNeurons: n, ring,
    });
  }
  // Keys every source core sends, by tick, in board order (chip x, y, core), then atom order.
  const sources = plan.cores.filter((c) => c.kind === 'spikeSource')
    .sort((a, b) => a.vertex.placement.x - b.vertex.placement.x || a.vertex.placement.y - b.vertex.placement.y || a.vertex.placement.p - b.vertex.placement.p);
  const sent = new Map<number, number[]>();
  for (const s of sources) {
    if (s.kind !== 'spikeSource') continue;
    for (const t of spikeKeysByTick(s.spikeTicks, s.vertex.key, colourBits, 0, 2 ** 31)) sent.set(t.tick, [...(sent.get(t.tick) ?? []), ...t.keys]);
  }
  const colourMask = (1 << colourBits) - 1;
  const v: number[][] = Array.from({ length: n }, () => []);
  const spikes: number[][] = Array.from({ length: n }, () => []);
  const deliver = (time: number) => {
    for (const key of sent.get(time) ?? []) {
      for (const loc of lookupRows(table, key)) processSynapticRow(ring, matrix, loc.offset / 4, time, loc.colour, colourMask, stdp);
    }
  };
  let time = 0;
  for (const len of runs) {
    const end = time + len;
    for (; time < end; time++) {
      if (time > 0) deliver(time - 1);
      kernel.transfer(time, ring);
      const nSpikes = kernel.update(time);
      for (let k = 0; k < nSpikes; k++) {
        const i = kernel.spikes[k]!;
        stdp?.processPostEvent(time, i);
        spikes[i]!.push(time);
      }
      for (let i = 0; i < n; i++) v[i]!.push(kernel.recordedV[i]!);
    }
    // The run's last timer call: packets of tick end−1, then the slot of `end`.
    deliver(end - 1);
    kernel.transfer(end, ring);
    sent.delete(end - 1);
  }
  return { v, spikes, matrix };
}

/**
 * The synapses of projection `projection` (its index in the network) in a
 * reference matrix, decoded as `Simulator.getSynapses` decodes the board's
 * bytes: { pre, post, raw } with population-wide atom indices.
 */
export function referenceSynapses(mapping: MappingResult, core: NeuronCorePlan, matrix: Uint32Array, projection: number): { pre: number; post: number; raw: number }[] {
  const out: { pre: number; post: number; raw: number }[] = [];
  for (const b of core.blocks) {
    if (b.projection !== projection) continue;
    const src = mapping.vertices[b.source]!;
    const m = decodeSynapticMatrix(matrix.subarray(b.offset / 4, b.offset / 4 + b.nRows * (b.rowLength + ROW_HEADER_WORDS)), b.nRows, b.rowLength, core.synapses.layout);
    for (const s of m.connections) out.push({ pre: src.lo + s.pre, post: core.vertex.lo + s.post, raw: s.weight });
  }
  return out.sort((a, b) => a.pre - b.pre || a.post - b.post);
}
