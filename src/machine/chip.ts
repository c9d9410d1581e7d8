import type { Link } from './links.js';

/** Physical cores on a SpiNNaker 1 chip. */
export const CORES_PER_CHIP = 18;
/** Core 0 runs the SC&MP monitor and is never given to an application. */
export const MONITOR_CORE = 0;
/** Physical SDRAM on a chip (128 MiB). */
export const SDRAM_PHYSICAL_BYTES = 128 * 1024 * 1024;
/** SDRAM the toolchain may allocate on a chip (SpiNNMachine `max_sdram_per_chip`). */
export const SDRAM_USABLE_BYTES = 123_469_792;
/** Router entries available to applications (1024 in hardware, one reserved upstream). */
export const ROUTER_ENTRIES = 1023;

export interface ChipCoords {
  readonly x: number;
  readonly y: number;
}

export interface Chip extends ChipCoords {
  /** Cores on the chip, monitor included (18 on a full chip; 17 on some). Core ids are 0..nCores-1. */
  readonly nCores: number;
  /** Core ids (0..nCores-1) that do not work. */
  readonly deadCores: ReadonlySet<number>;
  /** SDRAM bytes available for allocation. */
  readonly sdram: number;
  /** Multicast router entries available. */
  readonly routerEntries: number;
  /** Bit l set when link l is up AND leads to a chip of this machine. */
  readonly linkMask: number;
  /** Set only on Ethernet-connected chips. */
  readonly ipAddress?: string;
  /** The Ethernet chip of the board this chip belongs to. */
  readonly ethernet: ChipCoords;
}

export function isLinkUp(chip: Chip, link: Link): boolean {
  return (chip.linkMask & (1 << link)) !== 0;
}

/** Working core ids, monitor included, ascending. */
export function workingCores(chip: Chip): number[] {
  const out: number[] = [];
  for (let p = 0; p < chip.nCores; p++) if (!chip.deadCores.has(p)) out.push(p);
  return out;
}

/** Working core ids an application may use (never the monitor), ascending. */
export function applicationCores(chip: Chip): number[] {
  return workingCores(chip).filter((p) => p !== MONITOR_CORE);
}

/** A compact integer key for (x, y); coordinates are 8-bit on SpiNNaker. */
export function chipKey(x: number, y: number): number {
  return (x << 8) | y;
}

export function chipFromKey(key: number): ChipCoords {
  return { x: key >> 8, y: key & 0xff };
}
