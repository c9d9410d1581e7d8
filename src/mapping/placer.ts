import { type Machine, LINKS, applicationCores, chipKey } from '../machine/index.js';
import { type Constraints, MappingError, type MachineVertex, type Net, type Placement, type Placer } from './types.js';

/** Chips in breadth-first order over working links from the boot chip (then any unreachable ones). */
export function radialChipOrder(machine: Machine): { x: number; y: number }[] {
  const start = machine.bootChip();
  const seen = new Set<number>([chipKey(start.x, start.y)]);
  const order = [{ x: start.x, y: start.y }];
  for (let i = 0; i < order.length; i++) {
    const c = order[i]!;
    for (const l of LINKS) {
      const n = machine.linkTarget(c.x, c.y, l);
      if (n && !seen.has(chipKey(n.x, n.y))) {
        seen.add(chipKey(n.x, n.y));
        order.push({ x: n.x, y: n.y });
      }
    }
  }
  for (const c of machine.chips()) if (!seen.has(chipKey(c.x, c.y))) order.push({ x: c.x, y: c.y });
  return order;
}

/** Vertices in breadth-first order over the (undirected) net graph, so connected vertices come together. */
export function connectivityOrder(nVertices: number, nets: readonly Net[]): number[] {
  const adjStart = new Int32Array(nVertices + 1);
  for (const n of nets) {
    adjStart[n.source + 1]! += n.sinks.length;
    for (const s of n.sinks) adjStart[s + 1]! += 1;
  }
  for (let i = 0; i < nVertices; i++) adjStart[i + 1]! += adjStart[i]!;
  const adj = new Int32Array(adjStart[nVertices]!);
  const fill = adjStart.slice(0, nVertices);
  for (const n of nets) {
    for (const s of n.sinks) {
      adj[fill[n.source]!++] = s;
      adj[fill[s]!++] = n.source;
    }
  }
  const seen = new Uint8Array(nVertices);
  const order: number[] = [];
  for (let root = 0; root < nVertices; root++) {
    if (seen[root]) continue;
    seen[root] = 1;
    order.push(root);
    for (let i = order.length - 1; i < order.length; i++) {
      const v = order[i]!;
      for (let k = adjStart[v]!; k < adjStart[v + 1]!; k++) {
        const w = adj[k]!;
        if (!seen[w]) {
          seen[w] = 1;
          order.push(w);
        }
      }
    }
  }
  return order;
}

interface ChipSlots {
  x: number;
  y: number;
  cores: number[];
  sdram: number;
}

function freeSlots(machine: Machine, constraints: Constraints): Map<number, ChipSlots> {
  const reserved = new Set((constraints.reservedCores ?? []).map((c) => chipKey(c.x, c.y) * 32 + c.p));
  const slots = new Map<number, ChipSlots>();
  for (const c of machine.chips()) {
    slots.set(chipKey(c.x, c.y), { x: c.x, y: c.y, cores: applicationCores(c).filter((p) => !reserved.has(chipKey(c.x, c.y) * 32 + p)), sdram: c.sdram });
  }
  return slots;
}

function capacityError(vertices: readonly MachineVertex[], machine: Machine, free: number): MappingError {
  const sdram = vertices.reduce((s, v) => s + v.sdram, 0);
  return new MappingError(
    `the network does not fit: it needs ${vertices.length} cores (${(sdram / 2 ** 20).toFixed(1)} MiB SDRAM) but the ${machine.describe()} has ${free} free application cores; ` +
      `use a bigger machine or more atoms per core`,
  );
}

/** Place fixed-location vertices first; returns the placements array with holes for the rest. */
function placeFixed(vertices: readonly MachineVertex[], slots: Map<number, ChipSlots>, constraints: Constraints): (Placement | undefined)[] {
  const out: (Placement | undefined)[] = new Array(vertices.length);
  for (const [v, loc] of constraints.locations ?? []) {
    const s = slots.get(chipKey(loc.x, loc.y));
    if (!s) throw new MappingError(`vertex ${vertices[v]?.label ?? v} is constrained to chip (${loc.x}, ${loc.y}), which does not exist or is dead`);
    const p = loc.p ?? s.cores[0];
    const i = p === undefined ? -1 : s.cores.indexOf(p);
    if (i < 0) throw new MappingError(`vertex ${vertices[v]?.label ?? v} is constrained to (${loc.x}, ${loc.y}${loc.p !== undefined ? `, ${loc.p}` : ''}), which has no such free application core`);
    s.cores.splice(i, 1);
    s.sdram -= vertices[v]!.sdram;
    out[v] = { x: loc.x, y: loc.y, p: p! };
  }
  return out;
}

function fillChips(vertices: readonly MachineVertex[], order: readonly number[], chips: readonly ChipSlots[], out: (Placement | undefined)[], perChip: number, machine: Machine): Placement[] {
  let ci = 0;
  let usedHere = 0;
  for (const v of order) {
    if (out[v]) continue;
    const need = vertices[v]!.sdram;
    for (;;) {
      const c = chips[ci];
      if (!c) {
        const free = chips.reduce((s, ch) => s + ch.cores.length, 0);
        throw capacityError(vertices, machine, free + vertices.filter((_, i) => out[i]).length);
      }
      if (c.cores.length > 0 && usedHere < perChip && c.sdram >= need) break;
      if (c.cores.length > 0 && usedHere === 0 && c.sdram < need) {
        // A vertex bigger than an empty chip can never fit.
        if (chips.every((ch) => ch.sdram < need)) {
          throw new MappingError(`vertex ${vertices[v]!.label} needs ${need} bytes of SDRAM; the largest free on any chip is ${Math.max(...chips.map((ch) => ch.sdram))}`);
        }
      }
      ci++;
      usedHere = 0;
    }
    const c = chips[ci]!;
    out[v] = { x: c.x, y: c.y, p: c.cores.shift()! };
    c.sdram -= need;
    usedHere++;
  }
  return out as Placement[];
}

/**
 * Radial placer: vertices in connectivity (breadth-first) order onto chips in
 * breadth-first order from the boot chip, so connected vertices land on the
 * same or neighbouring chips. Never uses the monitor core.
 */
export const radialPlacer: Placer = (vertices, nets, machine, constraints) => {
  const slots = freeSlots(machine, constraints);
  const out = placeFixed(vertices, slots, constraints);
  const chips = radialChipOrder(machine).map((c) => slots.get(chipKey(c.x, c.y))!);
  const freeCores = chips.reduce((s, c) => s + c.cores.length, 0);
  const toPlace = vertices.length - (constraints.locations?.size ?? 0);
  if (toPlace > freeCores) throw capacityError(vertices, machine, freeCores);
  const usable = chips.filter((c) => c.cores.length > 0).length;
  const perChip = constraints.fill === 'pack' ? 18 : Math.max(1, Math.ceil(toPlace / Math.max(1, usable)));
  try {
    return fillChips(vertices, connectivityOrder(vertices.length, nets), chips, out, perChip, machine);
  } catch (e) {
    if (perChip >= 18 || !(e instanceof MappingError)) throw e;
    // Uneven free cores or SDRAM limits: fall back to packing.
    return radialPlacer(vertices, nets, machine, { ...constraints, fill: 'pack' });
  }
};

/** Sequential placer: vertices in index order, chips in x-then-y order, each chip filled before the next. */
export const sequentialPlacer: Placer = (vertices, _nets, machine, constraints) => {
  const slots = freeSlots(machine, constraints);
  const out = placeFixed(vertices, slots, constraints);
  const chips = [...slots.values()].sort((a, b) => a.x - b.x || a.y - b.y);
  return fillChips(vertices, vertices.map((v) => v.index), chips, out, 18, machine);
};
