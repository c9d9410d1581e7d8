import type { ChipRoutes } from './tables.js';
import { MappingError, type KeyMask, type RoutingEntry } from './types.js';

function intersects(a: KeyMask, b: KeyMask): boolean {
  return ((a.key ^ b.key) & a.mask & b.mask) === 0;
}

function mergeOf(members: readonly RoutingEntry[]): KeyMask {
  let mask = 0xffffffff;
  let diff = 0;
  const k0 = members[0]!.key;
  for (const m of members) {
    mask &= m.mask;
    diff |= m.key ^ k0;
  }
  mask = (mask & ~diff) >>> 0;
  return { key: (k0 & mask) >>> 0, mask };
}

function highestBit(x: number): number {
  return 31 - Math.clz32(x);
}

/**
 * Order-exploiting minimisation. The table becomes: the entries left as they
 * were, then merged blocks in creation order. A packet meets its own exact entry
 * before any block, so a block may cover keys of other routes' exact entries.
 * A block must not cover (a) keys that pass by default routing, nor (b) be
 * placed so that an earlier block of another route catches its members.
 * A block that would catch a few default-routed keys is still taken when it
 * saves more entries than it costs: those keys get explicit straight-on entries.
 * Blocks are grown by splitting each route's entries on their highest
 * differing key bit until every part merges safely.
 * Returns the entries unchanged when they already fit.
 */
export function minimiseTable(chip: ChipRoutes, target: number): RoutingEntry[] {
  if (chip.entries.length <= target) return chip.entries;
  const blocks: RoutingEntry[] = [];
  const byRoute = new Map<number, RoutingEntry[]>();
  for (const e of chip.entries) {
    const g = byRoute.get(e.route);
    if (g) g.push(e);
    else byRoute.set(e.route, [e]);
  }
  const groups = [...byRoute.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  let size = chip.entries.length;
  const kept: RoutingEntry[] = [];

  // Default-routed keys a block would catch get an explicit straight-on entry (placed first), at a cost of one entry each.
  const explicit = new Set<RoutingEntry>();
  const safe = (km: KeyMask, route: number, members: readonly RoutingEntry[]): RoutingEntry[] | undefined => {
    for (const b of blocks) {
      if (b.route === route) continue;
      for (const m of members) if (intersects(b, m)) return undefined;
    }
    const caught: RoutingEntry[] = [];
    for (const d of chip.defaultRouted) {
      if (!explicit.has(d) && intersects(km, d)) {
        caught.push(d);
        if (caught.length >= members.length - 1) return undefined;
      }
    }
    return caught;
  };

  const split = (route: number, members: RoutingEntry[], out: RoutingEntry[]): void => {
    if (members.length === 1) {
      out.push(members[0]!);
      return;
    }
    const km = mergeOf(members);
    const caught = safe(km, route, members);
    if (caught) {
      blocks.push({ key: km.key, mask: km.mask, route });
      for (const d of caught) {
        explicit.add(d);
        out.push(d);
      }
      size -= members.length - 1 - caught.length;
      return;
    }
    let diff = 0;
    for (const m of members) diff |= m.key ^ members[0]!.key;
    if (diff === 0) {
      for (const m of members) out.push(m);
      return;
    }
    const bit = 1 << highestBit(diff);
    const zero = members.filter((m) => (m.key & bit) === 0);
    const one = members.filter((m) => (m.key & bit) !== 0);
    split(route, zero, out);
    split(route, one, out);
  };

  for (const [route, members] of groups) {
    if (size <= target || members.length < 2) {
      kept.push(...members);
      continue;
    }
    split(route, [...members].sort((a, b) => a.key - b.key), kept);
  }
  return [...kept, ...blocks];
}

/** Minimise every chip's table to `target` entries; throws naming the chips that do not fit. */
export function minimiseTables(chips: readonly ChipRoutes[], target: (x: number, y: number) => number): { x: number; y: number; entries: RoutingEntry[] }[] {
  const out = chips.map((c) => ({ x: c.x, y: c.y, entries: minimiseTable(c, target(c.x, c.y)) }));
  const over = out.filter((t) => t.entries.length > target(t.x, t.y));
  if (over.length > 0) {
    const worst = over.reduce((a, b) => (b.entries.length > a.entries.length ? b : a));
    throw new MappingError(
      `routing tables do not fit on ${over.length} chip(s): chip (${worst.x}, ${worst.y}) needs ${worst.entries.length} entries after minimisation and has ${target(worst.x, worst.y)}; ` +
        'spread the network over more chips or reduce its connectivity',
    );
  }
  return out;
}
