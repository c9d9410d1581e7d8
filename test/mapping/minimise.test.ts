import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { torus } from '../../src/machine/index.js';
import {
  type ChipRoutes,
  type MachineVertex,
  MappingError,
  type RoutingEntry,
  buildTables,
  generality,
  lookup,
  mapGraph,
  minimiseTable,
  verifyTables,
} from '../../src/mapping/index.js';

const N = 1 << 7;
const E = 1 << 0;

function intersect(a: RoutingEntry, b: RoutingEntry): boolean {
  return ((a.key ^ b.key) & a.mask & b.mask) === 0;
}

/** Keep the key/masks that overlap none kept before (tables from nets never overlap). */
function disjoint(cands: RoutingEntry[]): RoutingEntry[] {
  const kept: RoutingEntry[] = [];
  for (const c of cands) {
    const e = { key: (c.key & c.mask) >>> 0, mask: c.mask >>> 0, route: c.route };
    if (!kept.some((k) => intersect(k, e))) kept.push(e);
  }
  return kept;
}

/** What must happen to `key`: the entry's route, a default-routed key's straight-on link (or no entry), or nothing required. */
function expected(chip: ChipRoutes, key: number): { route: number; byDefault: boolean } | undefined {
  const r = lookup(chip.entries, key);
  if (r !== undefined) return { route: r, byDefault: false };
  const d = lookup(chip.defaultRouted, key);
  return d === undefined ? undefined : { route: d, byDefault: true };
}

/** Problems with `out` as a minimisation of `chip`, checked on the given keys. */
function problems(chip: ChipRoutes, out: readonly RoutingEntry[], keys: Iterable<number>): string[] {
  const bad: string[] = [];
  // A table that already fits is returned as it was; a minimised one is in increasing generality.
  for (let i = 1; out !== chip.entries && i < out.length; i++) {
    if (generality(out[i]!.mask) < generality(out[i - 1]!.mask)) bad.push(`entry ${i} is less general than entry ${i - 1}`);
  }
  for (const e of out) if ((e.key & ~e.mask) !== 0) bad.push(`entry 0x${e.key.toString(16)}/0x${e.mask.toString(16)} has a key bit outside its mask`);
  for (const key of keys) {
    const want = expected(chip, key >>> 0);
    if (!want) continue;
    const got = lookup(out, key >>> 0);
    if (got === want.route || (got === undefined && want.byDefault)) continue;
    bad.push(`key 0x${(key >>> 0).toString(16)}: route ${got}, wanted ${want.route}${want.byDefault ? ' (default)' : ''}`);
    if (bad.length > 10) break;
  }
  return bad;
}

const routes = [N, E, 1 << 6, (1 << 6) | (1 << 9), 1 << 2];

/** Random disjoint 8-bit key/masks (above bit 8 a fixed prefix), some of them default-routed straight-on keys. */
const smallTable = fc
  .record({
    prefix: fc.integer({ min: 0, max: 0xffffff }),
    cands: fc.array(fc.record({ key: fc.integer({ min: 0, max: 255 }), x: fc.integer({ min: 0, max: 255 }), bias: fc.integer({ min: 0, max: 3 }), route: fc.integer({ min: 0, max: routes.length - 1 }), isDefault: fc.boolean() }), { minLength: 2, maxLength: 120 }),
    defaultShare: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ prefix, cands, defaultShare }) => {
    const hi = (prefix << 8) >>> 0;
    // Masks mostly full: X bits come from `x` thinned by `bias`.
    const xs = (c: { x: number; bias: number }) => c.x & (c.bias === 0 ? 0 : c.bias === 1 ? 0x01 : c.bias === 2 ? 0x03 : 0x0f);
    const all = disjoint(cands.map((c) => ({ key: (hi | c.key) >>> 0, mask: (0xffffff00 | (~xs(c) & 0xff)) >>> 0, route: routes[c.route]! })));
    const entries: RoutingEntry[] = [];
    const defaultRouted: RoutingEntry[] = [];
    all.forEach((e, i) => {
      const c = cands[i]!;
      if (defaultShare > 0 && c.isDefault && i % 4 < defaultShare && (e.route === N || e.route === E)) defaultRouted.push(e);
      else entries.push(e);
    });
    return { hi, chip: { x: 0, y: 0, entries, defaultRouted } satisfies ChipRoutes };
  });

describe('ordered covering: examples', () => {
  it('a merge that would catch a more general entry of another route drops the member that fixes its highest differing bit (down-check)', () => {
    // 000000, 000001, 000010 -> N would make 0000XX, placed above XX0011 -> S and catching 000011;
    // dropping 000010 gives 00000X, which catches nothing.
    const S = 1 << 5;
    const entries: RoutingEntry[] = [0, 1, 2].map((k) => ({ key: k, mask: 0xffffffff, route: N }));
    entries.push({ key: 0b0011, mask: 0xffffffcf, route: S });
    const out = minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 0);
    expect(out).toEqual([
      { key: 2, mask: 0xffffffff, route: N },
      { key: 0, mask: 0xfffffffe, route: N },
      { key: 3, mask: 0xffffffcf, route: S },
    ]);
  });

  it('a default-routed key may be covered only by an entry sending it on its straight-on link', () => {
    const entries: RoutingEntry[] = [0, 1, 3].map((k) => ({ key: k << 8, mask: 0xffffff00, route: E }));
    const sameLink = minimiseTable({ x: 0, y: 0, entries, defaultRouted: [{ key: 2 << 8, mask: 0xffffff00, route: E }] }, 0);
    expect(sameLink).toEqual([{ key: 0, mask: 0xfffffc00, route: E }]);
    const otherLink = minimiseTable({ x: 0, y: 0, entries, defaultRouted: [{ key: 2 << 8, mask: 0xffffff00, route: N }] }, 0);
    expect(otherLink.length).toBe(2);
    expect([undefined, N]).toContain(lookup(otherLink, (2 << 8) | 0x42));
    for (const e of entries) expect(lookup(otherLink, e.key | 0xff)).toBe(E);
  });

  it('a merge may pay for a default-routed key it catches with an explicit straight-on entry above it', () => {
    // 0000..0111 except 0011 -> N, 0011 passes by default routing towards E: 0XXX plus 0011 -> E beats
    // any merge that avoids 0011 (01XX, 000X, 0010).
    const entries: RoutingEntry[] = [0, 1, 2, 4, 5, 6, 7].map((k) => ({ key: k, mask: 0xffffffff, route: N }));
    const out = minimiseTable({ x: 0, y: 0, entries, defaultRouted: [{ key: 3, mask: 0xffffffff, route: E }] }, 0);
    expect(out).toEqual([
      { key: 3, mask: 0xffffffff, route: E },
      { key: 0, mask: 0xfffffff8, route: N },
    ]);
  });

  it('a default-routed key range more general than the merge is avoided, not paid for (its entry could not sit above)', () => {
    // Members 00xx00 and 00xx11 -> N; keys ...01 (mask 0x3) pass by default towards E.
    const entries: RoutingEntry[] = [];
    for (let x = 0; x < 4; x++) entries.push({ key: x << 2, mask: 0xffffffff, route: N }, { key: (x << 2) | 3, mask: 0xffffffff, route: N });
    const chip = { x: 0, y: 0, entries, defaultRouted: [{ key: 1, mask: 0x3, route: E }] };
    const out = minimiseTable(chip, 0);
    expect(out.length).toBe(2);
    for (const e of entries) expect(lookup(out, e.key)).toBe(N);
    for (let k = 1; k < 64; k += 4) expect(lookup(out, k)).toBeUndefined();
  });

  it('an entry is not merged past an entry of another route that would then catch it (up-check)', () => {
    // 1000, 1001, 1010 -> S merge first into 10XX, placed below 1011 -> N. Merging 1011 with 0000 -> N into
    // X0XX would put 1011 below 10XX, which would then send it south.
    const S = 1 << 5;
    const entries: RoutingEntry[] = [0b1000, 0b1001, 0b1010].map((k) => ({ key: k, mask: 0xffffffff, route: S }));
    entries.push({ key: 0b1011, mask: 0xffffffff, route: N }, { key: 0b0000, mask: 0xffffffff, route: N });
    const out = minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 0);
    expect(out.length).toBe(3);
    expect(out[2]).toEqual({ key: 0b1000, mask: 0xfffffffc, route: S });
    for (const e of entries) expect(lookup(out, e.key)).toBe(e.route);
  });

  it('stops as soon as the table fits the target, taking the merge that saves most first', () => {
    const entries: RoutingEntry[] = [];
    for (let i = 0; i < 8; i++) entries.push({ key: i << 12, mask: 0xfffff000, route: N });
    for (let i = 0; i < 4; i++) entries.push({ key: (16 + i) << 12, mask: 0xfffff000, route: E });
    const out = minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 10);
    expect(out.length).toBe(5);
    expect(out[4]).toEqual({ key: 0, mask: 0xffff8000, route: N });
    expect(minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 0).length).toBe(2);
    expect(minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 12)).toBe(entries);
  });

  it('refuses overlapping entries with different routes, naming them', () => {
    const entries: RoutingEntry[] = [
      { key: 0x100, mask: 0xffffff00, route: N },
      { key: 0x100, mask: 0xfffff000, route: E },
    ];
    expect(() => minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 0)).toThrow(MappingError);
    expect(() => minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 0)).toThrow(/0x100\/0xffffff00 and 0x100\/0xfffff000 overlap/);
  });
});

describe('ordered covering: properties', () => {
  it('every key of a random 8-bit table routes as before, checked exhaustively, and the table is sorted by generality', () => {
    fc.assert(
      fc.property(smallTable, fc.integer({ min: 0, max: 40 }), ({ hi, chip }, target) => {
        const out = minimiseTable(chip, target);
        const keys = Array.from({ length: 256 }, (_, k) => (hi | k) >>> 0);
        const bad = problems(chip, out, keys);
        if (bad.length > 0) throw new Error(bad.join('\n'));
        expect(out.length).toBeLessThanOrEqual(chip.entries.length);
      }),
      { numRuns: 400 },
    );
  });

  it('minimising to 0 merges at least as far as the merges a single route allows when nothing else is in the way', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { minLength: 1, maxLength: 200 }), (ids) => {
        const entries = ids.map((id) => ({ key: (id << 14) >>> 0, mask: 0xffffc000, route: N }));
        expect(minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 0).length).toBe(1);
      }),
      { numRuns: 50 },
    );
  });

  it('random 32-bit net tables: all original keys and random keys route as before', () => {
    const netTable = fc
      .record({
        atomBits: fc.integer({ min: 4, max: 14 }),
        nets: fc.uniqueArray(fc.integer({ min: 0, max: 0x3ffff }), { minLength: 2, maxLength: 300 }),
        routeOf: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 300, maxLength: 300 }),
        seed: fc.integer(),
      })
      .map(({ atomBits, nets, routeOf, seed }) => {
        const mask = (~((1 << atomBits) - 1)) >>> 0;
        const spread = 32 - atomBits - 18;
        const entries: RoutingEntry[] = [];
        const defaultRouted: RoutingEntry[] = [];
        nets.forEach((v, i) => {
          const key = ((v << atomBits) * 2 ** Math.max(0, spread)) >>> 0;
          const r = routeOf[i]!;
          if (r === 7) defaultRouted.push({ key, mask, route: 1 << (i % 6) });
          else entries.push({ key, mask, route: r < 3 ? 1 << (6 + r) : 1 << (r - 3) });
        });
        return { chip: { x: 0, y: 0, entries, defaultRouted } satisfies ChipRoutes, seed };
      });
    fc.assert(
      fc.property(netTable, fc.integer({ min: 0, max: 300 }), ({ chip, seed }, target) => {
        const out = minimiseTable(chip, target);
        let s = seed >>> 0 || 1;
        const rnd = (): number => {
          s ^= s << 13;
          s ^= s >>> 17;
          s ^= s << 5;
          return s >>> 0;
        };
        const keys: number[] = [];
        for (const e of [...chip.entries, ...chip.defaultRouted]) {
          keys.push(e.key, (e.key | ~e.mask) >>> 0, (e.key | (rnd() & ~e.mask)) >>> 0);
        }
        for (let i = 0; i < 2000; i++) keys.push(rnd());
        const bad = problems(chip, out, keys);
        if (bad.length > 0) throw new Error(bad.join('\n'));
      }),
      { numRuns: 150 },
    );
  });
});

describe('ordered covering in mapping', () => {
  it('a random netlist squeezed into small tables still follows every routing tree', () => {
    const n = 120;
    const vertices: MachineVertex[] = Array.from({ length: n }, (_, i) => ({ index: i, label: `v${i}`, kind: 'neuron', app: 0, lo: i * 256, hi: (i + 1) * 256, sdram: 0, ipTags: 0 }));
    let s = 12345;
    const rnd = (k: number): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s >>> 8) % k;
    };
    const nets = vertices.map((v) => {
      const sinks = new Set<number>();
      while (sinks.size < 12) {
        const t = rnd(n);
        if (t !== v.index) sinks.add(t);
      }
      return { source: v.index, sinks: [...sinks] };
    });
    const full = mapGraph(vertices, nets, torus(4, 4));
    const fullKeys = nets.map((x) => full.keys.keys[x.source]!);
    // The tightest limit every chip can meet, so that most chips must be minimised.
    const limit = Math.max(...buildTables(full.trees, fullKeys).map((c) => minimiseTable(c, 0).length));
    const squeezed = mapGraph(vertices, nets, torus(4, 4, { routerEntries: limit }));
    expect(full.stats.maxEntriesBefore).toBeGreaterThan(limit);
    expect(squeezed.stats.maxEntriesAfter).toBeLessThanOrEqual(limit);
    const netKeys = nets.map((x) => squeezed.keys.keys[x.source]!);
    expect(verifyTables(squeezed.trees, netKeys, squeezed.tables)).toEqual([]);
    // The tables are a minimisation of what buildTables gives.
    const chips = buildTables(squeezed.trees, netKeys);
    for (const c of chips) {
      const t = squeezed.tables.find((u) => u.x === c.x && u.y === c.y)!;
      const keys = [...c.entries, ...c.defaultRouted].flatMap((e) => [e.key, (e.key | ~e.mask) >>> 0]);
      expect(problems(c, t.entries, keys)).toEqual([]);
    }
  });
});
