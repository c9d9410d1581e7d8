import { type Machine, chipKey } from '../machine/index.js';
import { type Network, type NetworkLimits, DEFAULT_LIMITS } from '../network/index.js';
import { type KeyAllocation, type KeyLayout, allocateKeys, DEFAULT_COLOUR_BITS } from './keys.js';
import { minimiseTables } from './minimise.js';
import { type PartitionOptions, partition } from './partition.js';
import { radialPlacer } from './placer.js';
import { ldfRouter } from './router.js';
import { buildTables } from './tables.js';
import { allocateIpTags, type IpTagAllocation } from './tags.js';
import {
  type Constraints,
  type KeyMask,
  type MachineVertex,
  MappingError,
  type Net,
  type Placement,
  type Placer,
  type Router,
  type RoutingTable,
  type RoutingTree,
} from './types.js';

export interface MapOptions extends PartitionOptions {
  placer?: Placer;
  router?: Router;
  constraints?: Constraints;
  colourBits?: number;
  /** Firmware limits for validation (delays, STDP receptors). */
  limits?: Partial<NetworkLimits>;
}

export interface MappedVertex extends MachineVertex {
  readonly placement: Placement;
  /** Base key and mask of the vertex's outgoing partition. */
  readonly key: number;
  readonly mask: number;
  /** Whether any other vertex receives from it (else the firmware need not send). */
  readonly hasOutgoing: boolean;
}

export interface MappingResult {
  readonly machine: Machine;
  readonly vertices: readonly MappedVertex[];
  /** Machine vertices of each population, in atom order. */
  readonly populationVertices: readonly (readonly number[])[];
  readonly nets: readonly Net[];
  /** Net index of each vertex's outgoing partition, -1 if none. */
  readonly netOfVertex: Int32Array;
  /** Source vertices sending to each vertex. */
  readonly incoming: readonly (readonly number[])[];
  readonly keyLayout: KeyLayout;
  /** Key/mask per population (covers all its vertices), for master population tables. */
  readonly populationKeys: readonly KeyMask[];
  readonly trees: readonly RoutingTree[];
  /** Minimised routing tables per chip, entries in router order. */
  readonly tables: readonly RoutingTable[];
  /** SDRAM bytes used per chip. */
  readonly sdramPerChip: ReadonlyMap<string, number>;
  readonly ipTags: readonly IpTagAllocation[];
  readonly stats: MappingStats;
}

export interface MappingStats {
  readonly partitionMs: number;
  readonly placeMs: number;
  readonly routeMs: number;
  readonly tableMs: number;
  readonly minimiseMs: number;
  readonly entriesBefore: number;
  readonly maxEntriesBefore: number;
  /** Largest table if straight-on (default-routable) entries were kept, as rig's table builder emits them. */
  readonly maxEntriesWithDefaults: number;
  readonly maxEntriesAfter: number;
}

export interface GraphMapping {
  placements: Placement[];
  keys: KeyAllocation;
  trees: RoutingTree[];
  tables: RoutingTable[];
  stats: Omit<MappingStats, 'partitionMs'>;
}

/** Place, allocate keys, route and build minimised tables for a machine graph. */
export function mapGraph(vertices: readonly MachineVertex[], nets: readonly Net[], machine: Machine, opts: MapOptions = {}): GraphMapping {
  const t0 = performance.now();
  const placements = (opts.placer ?? radialPlacer)(vertices, nets, machine, opts.constraints ?? {});
  const t1 = performance.now();
  const keys = allocateKeys(vertices, opts.colourBits ?? DEFAULT_COLOUR_BITS);
  const trees = (opts.router ?? ldfRouter)(nets, placements, machine);
  const t2 = performance.now();
  const netKeys = nets.map((n) => keys.keys[n.source]!);
  const chips = buildTables(trees, netKeys);
  const t3 = performance.now();
  let entriesBefore = 0;
  let maxBefore = 0;
  let maxWithDefaults = 0;
  for (const c of chips) {
    entriesBefore += c.entries.length;
    maxBefore = Math.max(maxBefore, c.entries.length);
    maxWithDefaults = Math.max(maxWithDefaults, c.entries.length + c.defaultRouted.length);
  }
  const tables = minimiseTables(chips, (x, y) => machine.chip(x, y).routerEntries);
  const t4 = performance.now();
  const maxAfter = tables.reduce((m, t) => Math.max(m, t.entries.length), 0);
  return {
    placements,
    keys,
    trees,
    tables,
    stats: { placeMs: t1 - t0, routeMs: t2 - t1, tableMs: t3 - t2, minimiseMs: t4 - t3, entriesBefore, maxEntriesBefore: maxBefore, maxEntriesWithDefaults: maxWithDefaults, maxEntriesAfter: maxAfter },
  };
}

/**
 * Map a network onto a machine: validate, partition, place, allocate keys,
 * route, build and minimise routing tables, check SDRAM and allocate IP tags.
 * Throws a NetworkError or MappingError, before anything is loaded.
 */
export function mapNetwork(network: Network, machine: Machine, opts: MapOptions = {}): MappingResult {
  const t0 = performance.now();
  const maxAtomsPerCore = opts.maxAtomsPerCore ?? opts.limits?.maxAtomsPerCore ?? DEFAULT_LIMITS.maxAtomsPerCore;
  network.validate({ ...opts.limits, maxAtomsPerCore });
  const part = partition(network, { ...opts, maxAtomsPerCore });
  const t1 = performance.now();
  const appCores = machine.nApplicationCores;
  if (part.vertices.length > appCores) {
    throw new MappingError(
      `the network does not fit: it needs ${part.vertices.length} cores (${network.populations.length} populations at ${maxAtomsPerCore} atoms per core) but the ${machine.describe()} has ${appCores}`,
    );
  }
  const g = mapGraph(part.vertices, part.nets, machine, opts);

  const sdramPerChip = new Map<string, number>();
  for (const v of part.vertices) {
    const p = g.placements[v.index]!;
    const k = `${p.x},${p.y}`;
    sdramPerChip.set(k, (sdramPerChip.get(k) ?? 0) + v.sdram);
  }
  for (const [k, used] of sdramPerChip) {
    const [x, y] = k.split(',').map(Number) as [number, number];
    const have = machine.chip(x, y).sdram;
    if (used > have) throw new MappingError(`chip (${x}, ${y}) needs ${used} bytes of SDRAM and has ${have}`);
  }

  const netOfVertex = new Int32Array(part.vertices.length).fill(-1);
  const incoming: number[][] = part.vertices.map(() => []);
  part.nets.forEach((n, i) => {
    netOfVertex[n.source] = i;
    for (const s of n.sinks) incoming[s]!.push(n.source);
  });
  const vertices: MappedVertex[] = part.vertices.map((v) => ({
    ...v,
    placement: g.placements[v.index]!,
    key: g.keys.keys[v.index]!.key,
    mask: g.keys.keys[v.index]!.mask,
    hasOutgoing: netOfVertex[v.index] !== -1,
  }));
  const populationVertices = network.populations.map((_, i) => {
    const out: number[] = [];
    for (let v = part.firstVertex[i]!; v < part.firstVertex[i + 1]!; v++) out.push(v);
    return out;
  });
  // Placements must be distinct cores.
  const used = new Set<number>();
  for (const p of g.placements) {
    const k = chipKey(p.x, p.y) * 32 + p.p;
    if (used.has(k) || p.p === 0) throw new MappingError(`placer produced an invalid placement (${p.x}, ${p.y}, ${p.p})`);
    used.add(k);
  }
  return {
    machine,
    vertices,
    populationVertices,
    nets: part.nets,
    netOfVertex,
    incoming,
    keyLayout: g.keys.layout,
    populationKeys: g.keys.appKeys,
    trees: g.trees,
    tables: g.tables,
    sdramPerChip,
    ipTags: allocateIpTags(part.vertices, g.placements, machine),
    stats: { partitionMs: t1 - t0, ...g.stats },
  };
}
