import {
  type Chip,
  type ChipCoords,
  CORES_PER_CHIP,
  ROUTER_ENTRIES,
  SDRAM_USABLE_BYTES,
  applicationCores,
  chipKey,
  isLinkUp,
  workingCores,
} from './chip.js';
import { LINKS, LINK_DELTAS, LINK_NAMES, type Link, oppositeLink } from './links.js';

export interface ChipSpec extends ChipCoords {
  nCores?: number;
  deadCores?: Iterable<number>;
  sdram?: number;
  routerEntries?: number;
  ipAddress?: string;
  /** Ethernet chip of this chip's board; defaults to itself if it has an IP, else the first Ethernet chip. */
  ethernet?: ChipCoords;
}

export interface LinkRef extends ChipCoords {
  readonly link: Link;
}

export interface CoreRef extends ChipCoords {
  readonly p: number;
}

export interface MachineSpec {
  width: number;
  height: number;
  wrapX?: boolean;
  wrapY?: boolean;
  chips: ChipSpec[];
  /** Links that are down. A dead link is down in both directions. */
  deadLinks?: LinkRef[];
}

export interface DeadHardware {
  chips?: ChipCoords[];
  cores?: CoreRef[];
  links?: LinkRef[];
}

export class MachineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MachineError';
  }
}

/**
 * An immutable model of a SpiNNaker machine: which chips exist, their cores,
 * SDRAM, router capacity, which links work, and where the Ethernet chips are.
 * Chips missing from the model are dead (or outside the board's shape).
 */
export class Machine {
  readonly width: number;
  readonly height: number;
  readonly wrapX: boolean;
  readonly wrapY: boolean;
  private readonly byKey = new Map<number, Chip>();
  private readonly ordered: Chip[];
  private readonly spec: MachineSpec;

  constructor(spec: MachineSpec) {
    const { width, height } = spec;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 256 || height > 256) {
      throw new MachineError(`machine size ${width}x${height} is invalid: width and height must be integers in 1..256`);
    }
    this.width = width;
    this.height = height;
    this.wrapX = spec.wrapX ?? false;
    this.wrapY = spec.wrapY ?? false;
    this.spec = spec;

    const present = new Set<number>();
    for (const c of spec.chips) {
      if (!Number.isInteger(c.x) || !Number.isInteger(c.y) || c.x < 0 || c.y < 0 || c.x >= width || c.y >= height) {
        throw new MachineError(`chip (${c.x}, ${c.y}) lies outside the ${width}x${height} machine`);
      }
      const k = chipKey(c.x, c.y);
      if (present.has(k)) throw new MachineError(`chip (${c.x}, ${c.y}) is listed twice`);
      present.add(k);
    }
    const dead = new Set<number>();
    for (const l of spec.deadLinks ?? []) {
      dead.add(chipKey(l.x, l.y) * 8 + l.link);
      const n = this.neighbour(l.x, l.y, l.link);
      if (n) dead.add(chipKey(n.x, n.y) * 8 + oppositeLink(l.link));
    }
    const firstEthernet = spec.chips
      .filter((c) => c.ipAddress !== undefined)
      .sort((a, b) => a.x - b.x || a.y - b.y)[0];

    const chips: Chip[] = [];
    for (const c of spec.chips) {
      const nCores = c.nCores ?? CORES_PER_CHIP;
      if (!Number.isInteger(nCores) || nCores < 1 || nCores > 18) {
        throw new MachineError(`chip (${c.x}, ${c.y}) has ${nCores} cores; a chip has 1..18`);
      }
      const deadCores = new Set<number>();
      for (const p of c.deadCores ?? []) {
        if (!Number.isInteger(p) || p < 0 || p >= nCores) {
          throw new MachineError(`chip (${c.x}, ${c.y}): dead core ${p} is not one of its cores 0..${nCores - 1}`);
        }
        deadCores.add(p);
      }
      let linkMask = 0;
      for (const l of LINKS) {
        const n = this.neighbour(c.x, c.y, l);
        if (n && present.has(chipKey(n.x, n.y)) && !dead.has(chipKey(c.x, c.y) * 8 + l)) linkMask |= 1 << l;
      }
      const ethernet = c.ethernet ?? (c.ipAddress !== undefined ? { x: c.x, y: c.y } : firstEthernet ? { x: firstEthernet.x, y: firstEthernet.y } : { x: c.x, y: c.y });
      const chip: Chip = {
        x: c.x,
        y: c.y,
        nCores,
        deadCores,
        sdram: c.sdram ?? SDRAM_USABLE_BYTES,
        routerEntries: c.routerEntries ?? ROUTER_ENTRIES,
        linkMask,
        ethernet: { x: ethernet.x, y: ethernet.y },
        ...(c.ipAddress !== undefined ? { ipAddress: c.ipAddress } : {}),
      };
      chips.push(chip);
      this.byKey.set(chipKey(c.x, c.y), chip);
    }
    this.ordered = chips.sort((a, b) => a.x - b.x || a.y - b.y);
  }

  get nChips(): number {
    return this.ordered.length;
  }

  hasChip(x: number, y: number): boolean {
    return this.byKey.has(chipKey(x, y));
  }

  getChip(x: number, y: number): Chip | undefined {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return undefined;
    return this.byKey.get(chipKey(x, y));
  }

  chip(x: number, y: number): Chip {
    const c = this.getChip(x, y);
    if (!c) throw new MachineError(`no chip (${x}, ${y}) in this ${this.width}x${this.height} machine (dead or outside its shape)`);
    return c;
  }

  /** All chips, ordered by x then y. */
  chips(): readonly Chip[] {
    return this.ordered;
  }

  ethernetChips(): Chip[] {
    return this.ordered.filter((c) => c.ipAddress !== undefined);
  }

  /** The boot chip: the first Ethernet chip (normally (0, 0)), else the first chip. */
  bootChip(): Chip {
    const c = this.ethernetChips()[0] ?? this.ordered[0];
    if (!c) throw new MachineError('the machine has no chips');
    return c;
  }

  /**
   * The coordinates one step along `link`, with wrap-around where the machine
   * wraps; undefined when the step leaves a non-wrapping edge. Does not check
   * that the chip exists or that the link is up (see `linkTarget`).
   */
  neighbour(x: number, y: number, link: Link): ChipCoords | undefined {
    const [dx, dy] = LINK_DELTAS[link]!;
    let nx = x + dx;
    let ny = y + dy;
    if (this.wrapX) nx = (nx + this.width) % this.width;
    else if (nx < 0 || nx >= this.width) return undefined;
    if (this.wrapY) ny = (ny + this.height) % this.height;
    else if (ny < 0 || ny >= this.height) return undefined;
    return { x: nx, y: ny };
  }

  /** The chip at the other end of a working link, or undefined. */
  linkTarget(x: number, y: number, link: Link): Chip | undefined {
    const c = this.getChip(x, y);
    if (!c || !isLinkUp(c, link)) return undefined;
    const n = this.neighbour(x, y, link)!;
    return this.byKey.get(chipKey(n.x, n.y));
  }

  isLinkUp(x: number, y: number, link: Link): boolean {
    const c = this.getChip(x, y);
    return c !== undefined && isLinkUp(c, link);
  }

  workingCores(x: number, y: number): number[] {
    return workingCores(this.chip(x, y));
  }

  applicationCores(x: number, y: number): number[] {
    return applicationCores(this.chip(x, y));
  }

  /** Every working core, monitors included, chip by chip. */
  *cores(): IterableIterator<CoreRef> {
    for (const c of this.ordered) for (const p of workingCores(c)) yield { x: c.x, y: c.y, p };
  }

  /** Number of cores applications may use across the machine. */
  get nApplicationCores(): number {
    let n = 0;
    for (const c of this.ordered) n += applicationCores(c).length;
    return n;
  }

  /** A copy of this machine with more hardware dead. */
  withDead(dead: DeadHardware): Machine {
    const deadChips = new Set((dead.chips ?? []).map((c) => chipKey(c.x, c.y)));
    const extraCores = new Map<number, number[]>();
    for (const c of dead.cores ?? []) {
      const k = chipKey(c.x, c.y);
      extraCores.set(k, [...(extraCores.get(k) ?? []), c.p]);
    }
    const chips: ChipSpec[] = this.ordered
      .filter((c) => !deadChips.has(chipKey(c.x, c.y)))
      .map((c) => ({
        x: c.x,
        y: c.y,
        nCores: c.nCores,
        deadCores: [...c.deadCores, ...(extraCores.get(chipKey(c.x, c.y)) ?? [])],
        sdram: c.sdram,
        routerEntries: c.routerEntries,
        ethernet: c.ethernet,
        ...(c.ipAddress !== undefined ? { ipAddress: c.ipAddress } : {}),
      }));
    // Links already down stay down.
    const deadLinks: LinkRef[] = [...(dead.links ?? [])];
    for (const c of this.ordered) {
      for (const l of LINKS) {
        const n = this.neighbour(c.x, c.y, l);
        if (n && this.hasChip(n.x, n.y) && !isLinkUp(c, l)) deadLinks.push({ x: c.x, y: c.y, link: l });
      }
    }
    return new Machine({ width: this.width, height: this.height, wrapX: this.wrapX, wrapY: this.wrapY, chips, deadLinks });
  }

  /** The spec this machine was built from (plain data, e.g. to send or store). */
  toSpec(): MachineSpec {
    return this.spec;
  }

  /** One line for logs and errors. */
  describe(): string {
    const wrap = this.wrapX && this.wrapY ? 'torus' : this.wrapX || this.wrapY ? 'partial wrap' : 'no wrap';
    return `${this.width}x${this.height} machine (${wrap}), ${this.nChips} chips, ${this.nApplicationCores} application cores, ${this.ethernetChips().length} Ethernet chip(s)`;
  }
}

export function describeLink(x: number, y: number, link: Link): string {
  return `(${x}, ${y}) link ${link} (${LINK_NAMES[link]})`;
}
