import { CORES_PER_CHIP, type ChipCoords } from './chip.js';
import { Machine, MachineError, type ChipSpec } from './machine.js';

/** Valid y range for each x of a SpiNN-5 board (48 chips in an 8x8 box). */
const SPINN5_Y_RANGE: readonly (readonly [number, number])[] = [
  [0, 3],
  [0, 4],
  [0, 5],
  [0, 6],
  [0, 7],
  [1, 7],
  [2, 7],
  [3, 7],
];

/** Board-local coordinates of the 48 chips of a SpiNN-5 board, x-major. */
export const SPINN5_CHIPS: readonly ChipCoords[] = SPINN5_Y_RANGE.flatMap(([lo, hi], x) =>
  Array.from({ length: hi - lo + 1 }, (_, i) => ({ x, y: lo + i })),
);

export interface BoardOptions {
  /** Cores per chip, monitor included (default 18). */
  nCores?: number;
  /** SDRAM bytes per chip available for allocation. */
  sdram?: number;
  /** Router entries per chip (default 1023). */
  routerEntries?: number;
  /** IP address of the i-th Ethernet chip (in x-then-y order). Default: 127.0.0.(i+1), loopback. */
  ipAddress?: (index: number, eth: ChipCoords) => string;
}

export function defaultIpAddress(index: number): string {
  const n = index + 1;
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function chipSpec(x: number, y: number, eth: ChipCoords, opts: BoardOptions): ChipSpec {
  return {
    x,
    y,
    nCores: opts.nCores ?? CORES_PER_CHIP,
    ...(opts.sdram !== undefined ? { sdram: opts.sdram } : {}),
    ...(opts.routerEntries !== undefined ? { routerEntries: opts.routerEntries } : {}),
    ethernet: eth,
  };
}

function assignIps(chips: ChipSpec[], eths: ChipCoords[], opts: BoardOptions): void {
  const sorted = [...eths].sort((a, b) => a.x - b.x || a.y - b.y);
  const ip = opts.ipAddress ?? defaultIpAddress;
  sorted.forEach((e, i) => {
    const c = chips.find((s) => s.x === e.x && s.y === e.y)!;
    c.ipAddress = ip(i, e);
  });
}

/** A SpiNN-3 board: 2x2 chips, Ethernet at (0, 0). No wrap-around unless asked for. */
export function spinn3(opts: BoardOptions & { wrap?: boolean } = {}): Machine {
  const eth = { x: 0, y: 0 };
  const chips = [0, 1].flatMap((x) => [0, 1].map((y) => chipSpec(x, y, eth, opts)));
  assignIps(chips, [eth], opts);
  return new Machine({ width: 2, height: 2, wrapX: opts.wrap ?? false, wrapY: opts.wrap ?? false, chips });
}

/** A single SpiNN-5 board: 48 chips in the hexagonal 8x8 shape, Ethernet at (0, 0), no wrap. */
export function spinn5(opts: BoardOptions = {}): Machine {
  const eth = { x: 0, y: 0 };
  const chips = SPINN5_CHIPS.map((c) => chipSpec(c.x, c.y, eth, opts));
  assignIps(chips, [eth], opts);
  return new Machine({ width: 8, height: 8, chips });
}

/** Ethernet chips of the triad layout: x % 4 == 0 and (x + y) % 12 == 0. */
function isTriadEthernet(x: number, y: number): boolean {
  return x % 4 === 0 && (x + y) % 12 === 0;
}

/**
 * A multi-board machine of SpiNN-5 boards in the standard triad layout.
 * With width and height multiples of 12 it is a full torus; a size of
 * (12w+4) x (12h+4) is the same boards without wrap-around.
 */
export function multiBoard(width: number, height: number, opts: BoardOptions = {}): Machine {
  const wrap = width % 12 === 0 && height % 12 === 0;
  const nowrap = width % 12 === 4 && height % 12 === 4;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 12 || height < 12 || !(wrap || nowrap)) {
    throw new MachineError(
      `a multi-board machine is 12w x 12h chips (a torus of triads) or (12w+4) x (12h+4) (no wrap); got ${width}x${height}`,
    );
  }
  const eths: ChipCoords[] = [];
  if (wrap) {
    for (let x = 0; x < width; x += 4) for (let y = 0; y < height; y += 4) if (isTriadEthernet(x, y)) eths.push({ x, y });
  } else {
    const tw = (width - 4) / 12;
    const th = (height - 4) / 12;
    for (let tx = 0; tx < tw; tx++)
      for (let ty = 0; ty < th; ty++)
        for (const [ox, oy] of [
          [0, 0],
          [4, 8],
          [8, 4],
        ] as const)
          eths.push({ x: 12 * tx + ox, y: 12 * ty + oy });
  }
  const chips: ChipSpec[] = [];
  for (const e of eths) {
    for (const c of SPINN5_CHIPS) {
      chips.push(chipSpec((e.x + c.x) % width, (e.y + c.y) % height, e, opts));
    }
  }
  assignIps(chips, eths, opts);
  return new Machine({ width, height, wrapX: wrap, wrapY: wrap, chips });
}

/** spalloc-style sizing for n boards: a single board, or triads laid out as (12w+4) x (12h+4). */
export function boards(n: number, opts: BoardOptions = {}): Machine {
  if (!Number.isInteger(n) || n < 1) throw new MachineError(`board count must be a positive integer, got ${n}`);
  if (n === 1) return spinn5(opts);
  const triads = Math.ceil(n / 3);
  const w = Math.ceil(Math.sqrt(triads));
  const h = Math.ceil(triads / w);
  return multiBoard(12 * w + 4, 12 * h + 4, opts);
}

/** A plain W x H torus: every chip present, one Ethernet chip at (0, 0). */
export function torus(width: number, height: number, opts: BoardOptions & { wrap?: boolean } = {}): Machine {
  const eth = { x: 0, y: 0 };
  const chips: ChipSpec[] = [];
  for (let x = 0; x < width; x++) for (let y = 0; y < height; y++) chips.push(chipSpec(x, y, eth, opts));
  if (chips.length > 0) assignIps(chips, [eth], opts);
  const wrap = opts.wrap ?? true;
  return new Machine({ width, height, wrapX: wrap, wrapY: wrap, chips });
}

/**
 * Build a machine from a shape name:
 * - `spinn-3`, `spinn-5`;
 * - `N-boards` (spalloc sizing);
 * - `WxH`: the triad multi-board layout when W and H are multiples of 12, else a plain torus;
 * - `WxH-torus`: a plain torus with one Ethernet chip; `WxH-nowrap`: the same without wrap-around.
 */
export function parseShape(shape: string, opts: BoardOptions = {}): Machine {
  const s = shape.trim().toLowerCase();
  if (s === 'spinn-3' || s === 'spinn3') return spinn3(opts);
  if (s === 'spinn-5' || s === 'spinn5') return spinn5(opts);
  let m = /^(\d+)-?boards?$/.exec(s);
  if (m) return boards(Number(m[1]), opts);
  m = /^(\d+)x(\d+)(-torus|-nowrap)?$/.exec(s);
  if (m) {
    const w = Number(m[1]);
    const h = Number(m[2]);
    if (w < 1 || h < 1 || w > 256 || h > 256) throw new MachineError(`machine shape '${shape}': width and height must be in 1..256`);
    if (m[3] === '-torus') return torus(w, h, opts);
    if (m[3] === '-nowrap') return torus(w, h, { ...opts, wrap: false });
    if (w % 12 === 0 && h % 12 === 0) return multiBoard(w, h, opts);
    return torus(w, h, opts);
  }
  throw new MachineError(
    `unknown machine shape '${shape}': use 'spinn-3', 'spinn-5', 'N-boards', 'WxH' (e.g. '12x12'), 'WxH-torus' or 'WxH-nowrap'`,
  );
}

/** A minimal hexagonal vector (x, y, z), z being the diagonal axis (+z = SW). */
export type HexVector = readonly [number, number, number];

function minimise(x: number, y: number, z: number): HexVector {
  const med = [x, y, z].sort((a, b) => a - b)[1]!;
  return [x - med, y - med, z - med];
}

/** Number of link hops along a minimal hexagonal vector. */
export function hexLength(v: HexVector): number {
  return Math.max(v[0], v[1], v[2]) - Math.min(v[0], v[1], v[2]);
}

/** The shortest hexagonal vector from a to b, taking wrap-around into account. */
export function shortestVector(machine: Machine, a: ChipCoords, b: ChipCoords): HexVector {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const xs = machine.wrapX ? [((dx % machine.width) + machine.width) % machine.width, (((dx % machine.width) + machine.width) % machine.width) - machine.width] : [dx];
  const ys = machine.wrapY ? [((dy % machine.height) + machine.height) % machine.height, (((dy % machine.height) + machine.height) % machine.height) - machine.height] : [dy];
  let best: HexVector | undefined;
  for (const x of xs)
    for (const y of ys) {
      const v = minimise(x, y, 0);
      if (!best || hexLength(v) < hexLength(best)) best = v;
    }
  return best!;
}

/** Hops between two chips over an intact machine. */
export function hexDistance(machine: Machine, a: ChipCoords, b: ChipCoords): number {
  return hexLength(shortestVector(machine, a, b));
}
