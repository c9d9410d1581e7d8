import type { ChipCoords, CoreRef, Machine } from '../machine/index.js';

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

export type VertexKind = 'neuron' | 'spikeSource' | 'other';

/** A machine vertex: one core's worth of an application vertex (a population slice). */
export interface MachineVertex {
  readonly index: number;
  readonly label: string;
  readonly kind: VertexKind;
  /** Index of the population (application vertex) it comes from, -1 when none. */
  readonly app: number;
  /** Atoms [lo, hi) of the population. */
  readonly lo: number;
  readonly hi: number;
  /** SDRAM bytes this core needs. */
  readonly sdram: number;
  /** IP tags this vertex needs on its board's Ethernet chip. */
  readonly ipTags: number;
}

/** A multicast net: one outgoing partition of `source`, delivered to every sink vertex. */
export interface Net {
  readonly source: number;
  readonly sinks: readonly number[];
}

export type Placement = CoreRef;

export interface Constraints {
  /** Vertex index → fixed chip (and optionally core). */
  readonly locations?: ReadonlyMap<number, ChipCoords & { p?: number }>;
  /** Cores no vertex may use (the monitor core 0 is never used anyway). */
  readonly reservedCores?: readonly CoreRef[];
  /**
   * 'balanced' (default) spreads vertices evenly over as many chips as needed
   * to keep per-chip routing tables small; 'pack' fills each chip before the next.
   */
  readonly fill?: 'balanced' | 'pack';
}

/** Placers share one signature and return one placement per vertex (index-aligned). */
export type Placer = (vertices: readonly MachineVertex[], nets: readonly Net[], machine: Machine, constraints: Constraints) => Placement[];

/** A multicast routing tree, flattened: one node per chip the net visits. */
export interface RoutingTree {
  readonly net: number;
  /** Chip keys ((x << 8) | y) of the visited chips, source chip first. */
  readonly chips: Uint16Array;
  /** Router entry route word per visited chip: bits 0–5 links, bit 6+p core p. */
  readonly routes: Uint32Array;
  /** Direction (link) the packet travelled to reach the chip; -1 on the source chip. */
  readonly inDirs: Int8Array;
}

/** Routers share one signature. */
export type Router = (nets: readonly Net[], placements: readonly Placement[], machine: Machine) => RoutingTree[];

export interface KeyMask {
  readonly key: number;
  readonly mask: number;
}

export interface RoutingEntry extends KeyMask {
  /** Bits 0–5 links E, NE, N, W, SW, S; bit 6+p core p. */
  readonly route: number;
}

export interface RoutingTable extends ChipCoords {
  readonly entries: RoutingEntry[];
}
