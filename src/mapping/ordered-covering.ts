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
  /** Default-routed keys the merge would catch, each given its own straight-on entry above it. */
  readonly pay: RoutingEntry[];
  readonly goodness: number;
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
  private readonly guards: Set<RoutingEntry>;

  constructor(entries: readonly RoutingEntry[], guards: readonly RoutingEntry[]) {
    this.table = entries.map((e) => row(e)).sort((a, b) => a.gen - b.gen);
    this.guards = new Set(guards);
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

  /** Original keys below `at` with another route that `km` would catch. */
  private caught(km: KeyMask, route: number, at: number): KeyMask[] {
    const out: KeyMask[] = [];
    for (let j = at; j < this.table.length; j++) {
      const e = this.table[j]!;
      if (e.route === route || !intersects(e, km)) continue;
      for (const o of e.origins) if (intersects(o, km)) out.push(o);
    }
    return out;
  }

  /**
   * Members to drop so that the covering stops catching the most constraining
   * keys (those it differs from in the fewest X bits), choosing the bit that
   * costs fewest members, the highest on ties; undefined when a caught key
   * differs from the covering in no X bit.
   */
  private toRemove(members: readonly Row[], km: KeyMask, caught: readonly KeyMask[]): Set<Row> | undefined {
    let fewest = 33;
    // Option (bit b, caught key's value v): fix bit b to !v by dropping members with X or v there.
    let want0 = 0;
    let want1 = 0;
    for (const c of caught) {
      const settable = (c.mask & ~km.mask) >>> 0;
      const n = popcount(settable);
      if (n > fewest) continue;
      if (n < fewest) {
        fewest = n;
        want0 = 0;
        want1 = 0;
      }
      want1 |= settable & c.key;
      want0 |= settable & ~c.key;
    }
    if (fewest === 0) return undefined;
    let bestBit = -1;
    let bestValue = 0;
    let bestCount = Infinity;
    for (let b = 31; b >= 0; b--) {
      for (const v of [1, 0]) {
        if ((((v ? want1 : want0) >>> b) & 1) === 0) continue;
        let n = 0;
        for (const m of members) if (((m.mask >>> b) & 1) === 0 || ((m.key >>> b) & 1) === v) n++;
        if (n < bestCount) {
          bestCount = n;
          bestBit = b;
          bestValue = v;
        }
      }
    }
    const remove = new Set<Row>();
    for (const m of members) if (((m.mask >>> bestBit) & 1) === 0 || ((m.key >>> bestBit) & 1) === bestValue) remove.add(m);
    return remove;
  }

  /**
   * The best valid sub-merge found from `group`, or undefined when none saves
   * more than `minGoodness` entries. A caught default-routed key less general
   * than the covering may be paid for with its own entry; each step either
   * pays for all such keys or drops members to avoid them, keeping the best.
   */
  refine(group: readonly Row[], minGoodness: number): Merge | undefined {
    let members = [...group];
    const route = group[0]!.route;
    let best: Merge | undefined;
    for (;;) {
      if (members.length - 1 <= (best ? best.goodness : minGoodness)) return best;
      const km = covering(members);
      const gen = generality(km.mask);
      const at = insertionIndex(this.table, gen);
      const hard = this.caught(km, route, at);
      const soft: RoutingEntry[] = [];
      for (const g of this.guards) {
        if (g.route === route || !intersects(g, km)) continue;
        if (generality(g.mask) < gen) soft.push(g);
        else hard.push(g);
      }
      if (hard.length > 0) {
        const remove = this.toRemove(members, km, hard);
        if (!remove) return best;
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
      const goodness = members.length - 1 - soft.length;
      if (goodness > (best ? best.goodness : minGoodness)) best = { members, key: km.key, mask: km.mask, gen, pay: soft, goodness };
      if (soft.length === 0) return best;
      const remove = this.toRemove(members, km, soft)!;
      members = members.filter((m) => !remove.has(m));
    }
  }

  apply(m: Merge): void {
    const drop = new Set(m.members);
    const next = this.table.filter((r) => !drop.has(r));
    const merged: Row = { key: m.key, mask: m.mask, route: m.members[0]!.route, gen: m.gen, origins: m.members.flatMap((r) => r.origins) };
    next.splice(insertionIndex(next, merged.gen), 0, merged);
    // Each paid key is less general than the merge, so its entry lands above it.
    for (const g of m.pay) {
      const r = row(g);
      next.splice(insertionIndex(next, r.gen), 0, r);
      this.guards.delete(g);
    }
    this.table = next;
    this.index();
  }

  /**
   * Refine the whole group, then (beyond rig's Ordered Covering) each half of
   * it split on the highest key bit its members differ in, recursively: on
   * scattered keys the refinement of the whole group often ends small while an
   * aligned sub-block merges well.
   */
  private search(members: readonly Row[], minGoodness: number): Merge | undefined {
    if (members.length - 1 <= minGoodness) return undefined;
    let best = this.refine(members, minGoodness);
    let diff = 0;
    for (const m of members) diff |= m.key ^ members[0]!.key;
    if (diff === 0 || members.length < 3) return best;
    const bit = 31 - Math.clz32(diff);
    for (const v of [0, 1]) {
      const half = members.filter((m) => ((m.key >>> bit) & 1) === v);
      const m = this.search(half, best ? best.goodness : minGoodness);
      if (m) best = m;
    }
    return best;
  }

  /** Goodness last found per route, an estimate used to order and prune the next search. */
  private readonly estimate = new Map<number, number>();

  /**
   * The best merge over all route groups. With `lazy`, groups are tried in
   * order of their last found goodness and skipped once that cannot beat the
   * best so far (the table changed since, so this is a heuristic); without,
   * every group is searched whose size could beat it.
   */
  bestMerge(lazy: boolean): Merge | undefined {
    const bound = (g: Row[]): number => Math.min(g.length - 1, lazy ? (this.estimate.get(g[0]!.route) ?? Infinity) : Infinity);
    const groups = this.groups()
      .map((g) => ({ g, ub: bound(g) }))
      .sort((a, b) => b.ub - a.ub);
    let best: Merge | undefined;
    for (const { g, ub } of groups) {
      const min = best ? best.goodness : 0;
      if (ub <= min) break;
      const m = this.search(g, min);
      this.estimate.set(g[0]!.route, m ? m.goodness : min);
      if (m) best = m;
    }
    if (best) this.estimate.delete(best.members[0]!.route);
    return best;
  }
}

function row(e: RoutingEntry): Row {
  const key = e.key >>> 0;
  const mask = e.mask >>> 0;
  return { key, mask, route: e.route, gen: generality(mask), origins: [{ key, mask }] };
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
    const m = mm.bestMerge(true) ?? mm.bestMerge(false);
    if (!m) break;
    mm.apply(m);
  }
  return mm.table.map((r) => ({ key: r.key, mask: r.mask, route: r.route }));
}
