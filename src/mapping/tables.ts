import { chipFromKey } from '../machine/index.js';
import type { KeyMask, RoutingEntry, RoutingTable, RoutingTree } from './types.js';

/** A chip's entries before minimisation, plus the keys that pass it by default routing. */
export interface ChipRoutes {
  readonly x: number;
  readonly y: number;
  readonly entries: RoutingEntry[];
  /** Keys that reach this chip and rely on default routing (no entry): a minimised table must not catch them. */
  readonly defaultRouted: RoutingEntry[];
}

/**
 * One entry per (net, chip) the net visits, except where the packet only goes
 * straight on (it arrived travelling in direction d and leaves on link d, no cores):
 * the router's default routing does that without an entry.
 */
export function buildTables(trees: readonly RoutingTree[], netKeys: readonly KeyMask[]): ChipRoutes[] {
  const byChip = new Map<number, ChipRoutes>();
  const get = (k: number): ChipRoutes => {
    let c = byChip.get(k);
    if (!c) {
      const { x, y } = chipFromKey(k);
      c = { x, y, entries: [], defaultRouted: [] };
      byChip.set(k, c);
    }
    return c;
  };
  for (const t of trees) {
    const km = netKeys[t.net]!;
    for (let i = 0; i < t.chips.length; i++) {
      const route = t.routes[i]!;
      const d = t.inDirs[i]!;
      const c = get(t.chips[i]!);
      if (d >= 0 && route === 1 << d) c.defaultRouted.push({ key: km.key, mask: km.mask, route });
      else c.entries.push({ key: km.key, mask: km.mask, route });
    }
  }
  return [...byChip.values()].sort((a, b) => a.x - b.x || a.y - b.y);
}

/** First matching entry's route, or undefined (default routing). */
export function lookup(entries: readonly RoutingEntry[], key: number): number | undefined {
  for (const e of entries) if (((key & e.mask) >>> 0) === e.key) return e.route;
  return undefined;
}

/**
 * Check that the tables send every net's packets exactly along its tree.
 * Returns the problems found (empty when correct).
 */
export function verifyTables(trees: readonly RoutingTree[], netKeys: readonly KeyMask[], tables: readonly RoutingTable[]): string[] {
  const byChip = new Map<number, RoutingEntry[]>();
  for (const t of tables) byChip.set((t.x << 8) | t.y, t.entries);
  const problems: string[] = [];
  for (const t of trees) {
    const key = netKeys[t.net]!.key;
    for (let i = 0; i < t.chips.length; i++) {
      const got = lookup(byChip.get(t.chips[i]!) ?? [], key);
      const want = t.routes[i]!;
      const d = t.inDirs[i]!;
      const ok = got === undefined ? d >= 0 && want === 1 << d : got === want;
      if (!ok) {
        const { x, y } = chipFromKey(t.chips[i]!);
        problems.push(`net ${t.net} key 0x${key.toString(16)} at (${x}, ${y}): route ${got === undefined ? 'default' : `0x${got.toString(16)}`}, tree wants 0x${want.toString(16)}`);
        if (problems.length > 20) return problems;
      }
    }
  }
  return problems;
}
