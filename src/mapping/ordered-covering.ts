import { MappingError, type KeyMask, type RoutingEntry } from './types.js';

/*
 * Ordered Covering (Mundy, Heathcote & Garside, "On-chip order-exploiting
 * routing table minimization for a multicast supercomputer network", 2016).
 *
 * The table is kept in increasing order of generality (number of X bits). A
 * merge of same-route entries becomes their covering (X wherever their keys or
 * masks differ) and is inserted above the first entry of equal or greater
 * generality. A merge is refined until valid:
 *  - down-check: it must not catch keys of an original entry (or of a
 *    default-routed key) below its insertion point that has another route;
 *    members are removed so that one differing bit of the covering becomes fixed;
 *  - up-check: a member must not be caught, on its way down to the insertion
 *    point, by an entry of another route lying between.
 * The best merge (most entries saved) is applied until the table fits.
 *
 * Covering an entry with the same route is allowed here (the keys still go
 * where they went), as is covering a default-routed key whose straight-on
 * link is the merge's route.
 */

interface Row extends RoutingEntry {
  readonly gen: number;
  /** Original entries this row stands for; every one has `route`. */
  readonly origins: readonly KeyMask[];
}

interface Merge {
  readonly members: Row[];
  readonly key: number;
  readonly mask: number;
  readonly gen: number;
  readonly at: number;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of X (don't-care) bits of a key/mask pair. */
export function generality(mask: number): number {
  return 32 - popcount(mask >>> 0);
}

export function intersects(a: KeyMask, b: KeyMask): boolean {
  return ((a.key ^ b.key) & a.mask & b.mask) === 0;
}

/** The covering of the members' key/masks: X wherever any of them has X or their keys differ. */
export function covering(members: readonly KeyMask[]): KeyMask {
  let anyOnes = 0;
  let allOnes = -1;
  let allMask = -1;
  for (const m of members) {
    anyOnes |= m.key;
    allOnes &= m.key;
    allMask &= m.mask;
  }
  const mask = (allMask & ~(anyOnes ^ allOnes)) >>> 0;
  return { key: (allOnes & mask) >>> 0, mask };
}

/** First index whose generality is >= gen (the table is sorted by generality). */
function insertionIndex(table: readonly Row[], gen: number): number {
  let lo = 0;
  let hi = table.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (table[mid]!.gen < gen) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Minimiser {
  table: Row[];
  readonly position = new Map<Row, number>();

  constructor(
    entries: readonly RoutingEntry[],
    private readonly guards: readonly RoutingEntry[],
  ) {
    this.table = entries
      .map((e) => ({ key: e.key >>> 0, mask: e.mask >>> 0, route: e.route, gen: generality(e.mask), origins: [{ key: e.key >>> 0, mask: e.mask >>> 0 }] }))
      .sort((a, b) => a.gen - b.gen);
    this.index();
  }

  private index(): void {
    this.position.clear();
    this.table.forEach((r, i) => this.position.set(r, i));
  }

  groups(): Row[][] {
    const byRoute = new Map<number, Row[]>();
    for (const r of this.table) {
      const g = byRoute.get(r.route);
      if (g) g.push(r);
      else byRoute.set(r.route, [r]);
    }
    return [...byRoute.values()].filter((g) => g.length > 1).sort((a, b) => b.length - a.length);
  }

  /** Keys (original key/masks) below `at` with another route that `km` would catch. */
  private caught(km: KeyMask, route: number, at: number): KeyMask[] {
    const out: KeyMask[] = [];
    for (let j = at; j < this.table.length; j++) {
      const e = this.table[j]!;
      if (e.route === route || !intersects(e, km)) continue;
      for (const o of e.origins) if (intersects(o, km)) out.push(o);
    }
    for (const g of this.guards) if (g.route !== route && intersects(g, km)) out.push(g);
    return out;
  }

  /**
   * Members to drop so that the covering stops catching the most constraining
   * keys, or undefined when a caught key differs from the covering in no X bit.
   */
  private toRemove(members: readonly Row[], km: KeyMask, caught: readonly KeyMask[]): Set<Row> | undefined {
    let fewest = 33;
    let options: { bit: number; keyBit: number }[] = [];
    for (const c of caught) {
      const settable = (c.mask & ~km.mask) >>> 0;
      const n = popcount(settable);
      if (n > fewest) continue;
      if (n < fewest) {
        fewest = n;
        options = [];
      }
      for (let b = 31; b >= 0; b--) if ((settable >>> b) & 1) options.push({ bit: b, keyBit: (c.key >>> b) & 1 });
    }
    if (fewest === 0) return undefined;
    // Fixing bit b to the opposite of the caught key's value means dropping members with X or that value there.
    options.sort((a, b) => b.bit - a.bit || b.keyBit - a.keyBit);
    let best: Set<Row> | undefined;
    const seen = new Set<number>();
    for (const { bit, keyBit } of options) {
      const id = bit * 2 + keyBit;
      if (seen.has(id)) continue;
      seen.add(id);
      const remove = new Set<Row>();
      for (const m of members) if (((m.mask >>> bit) & 1) === 0 || ((m.key >>> bit) & 1) === keyBit) remove.add(m);
      if (!best || remove.size < best.size) best = remove;
    }
    return best;
  }

  /** The largest valid sub-merge found from `group`, or undefined when it saves no more than `minGoodness` entries. */
  refine(group: readonly Row[], minGoodness: number): Merge | undefined {
    let members = [...group];
    const route = group[0]!.route;
    for (;;) {
      if (members.length - 1 <= minGoodness) return undefined;
      const km = covering(members);
      const gen = generality(km.mask);
      const at = insertionIndex(this.table, gen);
      const caught = this.caught(km, route, at);
      if (caught.length > 0) {
        const remove = this.toRemove(members, km, caught);
        if (!remove) return undefined;
        members = members.filter((m) => !remove.has(m));
        continue;
      }
      const blocked = members.filter((m) => {
        for (let j = this.position.get(m)! + 1; j < at; j++) {
          const e = this.table[j]!;
          if (e.route !== route && intersects(e, m)) return true;
        }
        return false;
      });
      if (blocked.length > 0) {
        members = members.filter((m) => !blocked.includes(m));
        continue;
      }
      return { members, key: km.key, mask: km.mask, gen, at };
    }
  }

  apply(m: Merge): void {
    const drop = new Set(m.members);
    const row: Row = { key: m.key, mask: m.mask, route: m.members[0]!.route, gen: m.gen, origins: m.members.flatMap((r) => r.origins) };
    const next: Row[] = [];
    for (let i = 0; i < this.table.length; i++) {
      if (i === m.at) next.push(row);
      const r = this.table[i]!;
      if (!drop.has(r)) next.push(r);
    }
    if (m.at === this.table.length) next.push(row);
    this.table = next;
    this.index();
  }

  bestMerge(): Merge | undefined {
    let best: Merge | undefined;
    for (const g of this.groups()) {
      const bound = best ? best.members.length - 1 : 0;
      if (g.length - 1 <= bound) break;
      const m = this.refine(g, bound);
      if (m) best = m;
    }
    return best;
  }
}

function checkDisjoint(entries: readonly RoutingEntry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const a = entries[i]!;
    for (let j = i + 1; j < entries.length; j++) {
      const b = entries[j]!;
      if (a.route !== b.route && intersects(a, b)) {
        throw new MappingError(
          `ordered covering needs entries whose key/masks do not overlap: 0x${(a.key >>> 0).toString(16)}/0x${(a.mask >>> 0).toString(16)} and ` +
            `0x${(b.key >>> 0).toString(16)}/0x${(b.mask >>> 0).toString(16)} overlap with different routes; give each net its own key range`,
        );
      }
    }
  }
}

/**
 * Ordered Covering of one table: `entries` must not overlap (except with equal
 * routes); `defaultRouted` are keys that pass by default routing and must not
 * be caught by an entry of another route. Merges until at most `target`
 * entries remain or no merge saves anything; returns the table in router order
 * (increasing generality), possibly still longer than `target`.
 */
export function orderedCovering(entries: readonly RoutingEntry[], defaultRouted: readonly RoutingEntry[], target: number): RoutingEntry[] {
  checkDisjoint(entries);
  const mm = new Minimiser(entries, defaultRouted);
  while (mm.table.length > target) {
    const m = mm.bestMerge();
    if (!m) break;
    mm.apply(m);
  }
  return mm.table.map((r) => ({ key: r.key, mask: r.mask, route: r.route }));
}
