import type { Network } from '../network/index.js';
import { MappingError, type MachineVertex, type Net } from './types.js';

export interface PartitionOptions {
  /** Atoms per core (default 256). */
  maxAtomsPerCore?: number;
  /** SDRAM bytes needed by a vertex; see `estimateSdram`. */
  sdram?: (v: Omit<MachineVertex, 'sdram' | 'ipTags'>, ctx: SdramContext) => number;
}

export interface Partitioned {
  vertices: MachineVertex[];
  /** First machine-vertex index of each population; slices are contiguous. */
  firstVertex: number[];
  nets: Net[];
  maxAtomsPerCore: number;
}

export interface SdramContext {
  readonly network: Network;
  /** Synapses arriving at the vertex's atoms, over all projections. */
  readonly incomingSynapses: number;
  /** Pre-synaptic neurons of all projections into the vertex's population (rows of its matrices). */
  readonly incomingRows: number;
}

/** A rough per-core SDRAM estimate (bytes) when the run layer gives none. */
export function estimateSdram(v: Omit<MachineVertex, 'sdram' | 'ipTags'>, ctx: SdramContext): number {
  const n = v.hi - v.lo;
  if (v.kind === 'spikeSource') {
    const pop = ctx.network.populations[v.app]!;
    let spikes = 0;
    for (let i = v.lo; i < v.hi; i++) spikes += pop.spikeTimesOf(i).length;
    return 4096 + spikes * 4 + n * 4;
  }
  // Regions, neuron state and recording headers, plus 4 bytes per incoming synapse and 3 header words per row.
  return 16384 + n * 128 + ctx.incomingSynapses * 4 + ctx.incomingRows * 12;
}

/** Split populations into machine vertices and derive the nets from the connections. */
export function partition(network: Network, opts: PartitionOptions = {}): Partitioned {
  const maxAtoms = opts.maxAtomsPerCore ?? 256;
  if (!Number.isInteger(maxAtoms) || maxAtoms < 1) throw new MappingError(`maxAtomsPerCore must be a positive integer, got ${maxAtoms}`);
  const sdramOf = opts.sdram ?? estimateSdram;
  const vertices: MachineVertex[] = [];
  const firstVertex: number[] = [];
  // Incoming synapse counts per (population, slice), in one pass over each projection.
  const popIndex = new Map(network.populations.map((p, i) => [p, i]));
  const inSyn = network.populations.map((p) => new Float64Array(Math.ceil(p.size / maxAtoms)));
  const inRows = new Float64Array(network.populations.length);
  for (const proj of network.projections) {
    const b = popIndex.get(proj.post)!;
    const counts = inSyn[b]!;
    const c = proj.connections();
    for (let k = 0; k < c.n; k++) counts[Math.floor(c.post[k]! / maxAtoms)]! += 1;
    inRows[b]! += proj.pre.size;
  }
  network.populations.forEach((pop, app) => {
    firstVertex.push(vertices.length);
    const kind = pop.cell.kind === 'SpikeSourceArray' ? 'spikeSource' : 'neuron';
    for (let lo = 0; lo < pop.size; lo += maxAtoms) {
      const hi = Math.min(pop.size, lo + maxAtoms);
      const base = { index: vertices.length, label: `${pop.label}[${lo}:${hi}]`, kind, app, lo, hi } as const;
      const ctx = { network, incomingSynapses: inSyn[app]![lo / maxAtoms]!, incomingRows: inRows[app]! };
      vertices.push({ ...base, sdram: sdramOf(base, ctx), ipTags: 0 });
    }
  });
  firstVertex.push(vertices.length);

  // sinks[pre vertex] = set of post vertices reached by at least one connection.
  const sinks: Set<number>[] = vertices.map(() => new Set<number>());
  for (const proj of network.projections) {
    const a = popIndex.get(proj.pre)!;
    const b = popIndex.get(proj.post)!;
    const preV0 = firstVertex[a]!;
    const postV0 = firstVertex[b]!;
    const nPre = firstVertex[a + 1]! - preV0;
    const nPost = firstVertex[b + 1]! - postV0;
    if (proj.connector.kind === 'AllToAll' && proj.pre.size * proj.post.size > 1) {
      for (let i = 0; i < nPre; i++) for (let j = 0; j < nPost; j++) sinks[preV0 + i]!.add(postV0 + j);
      continue;
    }
    const seen = new Uint8Array(nPre * nPost);
    const c = proj.connections();
    for (let k = 0; k < c.n; k++) {
      const i = Math.floor(c.pre[k]! / maxAtoms);
      const j = Math.floor(c.post[k]! / maxAtoms);
      const s = i * nPost + j;
      if (seen[s]) continue;
      seen[s] = 1;
      sinks[preV0 + i]!.add(postV0 + j);
    }
  }
  const nets: Net[] = [];
  sinks.forEach((s, source) => {
    if (s.size > 0) nets.push({ source, sinks: [...s].sort((x, y) => x - y) });
  });
  return { vertices, firstVertex, nets, maxAtomsPerCore: maxAtoms };
}
