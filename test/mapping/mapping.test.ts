import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINKS, type Link, chipFromKey, chipKey, spinn3, spinn5, torus } from '../../src/machine/index.js';
import {
  type MachineVertex,
  MappingError,
  type RoutingEntry,
  type RoutingTree,
  allocateKeys,
  allocateIpTags,
  buildTables,
  ldfPath,
  ldfRouter,
  lookup,
  mapGraph,
  mapNetwork,
  minimiseTable,
  radialPlacer,
  sequentialPlacer,
  verifyTables,
} from '../../src/mapping/index.js';
import {
  AllToAllConnector,
  FixedProbabilityConnector,
  IF_curr_exp,
  Network,
  NetworkError,
  OneToOneConnector,
  SpikeSourceArray,
} from '../../src/network/index.js';

function vertex(i: number, extra: Partial<MachineVertex> = {}): MachineVertex {
  return { index: i, label: `v${i}`, kind: 'neuron', app: 0, lo: i * 256, hi: (i + 1) * 256, sdram: 0, ipTags: 0, ...extra };
}

/** Walk a tree from its source along route links; every node must be reached exactly once over working links. */
function checkTree(t: RoutingTree, machine: ReturnType<typeof torus>): void {
  const route = new Map<number, number>();
  t.chips.forEach((c, i) => route.set(c, t.routes[i]!));
  const seen = new Set<number>([t.chips[0]!]);
  const queue = [t.chips[0]!];
  while (queue.length) {
    const c = queue.shift()!;
    const { x, y } = chipFromKey(c);
    for (const l of LINKS) {
      if ((route.get(c)! & (1 << l)) === 0) continue;
      expect(machine.isLinkUp(x, y, l as Link)).toBe(true);
      const n = machine.neighbour(x, y, l as Link)!;
      const nk = chipKey(n.x, n.y);
      expect(seen.has(nk)).toBe(false);
      expect(route.has(nk)).toBe(true);
      seen.add(nk);
      queue.push(nk);
    }
  }
  expect(seen.size).toBe(t.chips.length);
}

describe('mapNetwork', () => {
  function smallNet(): Network {
    const net = new Network();
    const src = net.population(600, SpikeSourceArray({ spikeTimes: [1, 2] }), { label: 'src' });
    const a = net.population(1000, IF_curr_exp(), { label: 'a' });
    const b = net.population(300, IF_curr_exp(), { label: 'b' });
    net.projection(src, a, FixedProbabilityConnector(0.01, { seed: 5 }), { weight: 0.5 });
    net.projection(a, b, AllToAllConnector(), { weight: 0.1 });
    net.projection(b, b, FixedProbabilityConnector(0.1), { weight: 0.1, receptor: 'inhibitory' });
    net.projection(a, a, OneToOneConnector(), { weight: 0.1 });
    return net;
  }

  it('partitions, places off the monitor core, and routes every net correctly', () => {
    const m = spinn5();
    const r = mapNetwork(smallNet(), m);
    expect(r.vertices.map((v) => v.hi - v.lo)).toEqual([256, 256, 88, 256, 256, 256, 232, 256, 44]);
    expect(r.populationVertices).toEqual([[0, 1, 2], [3, 4, 5, 6], [7, 8]]);
    const cores = new Set(r.vertices.map((v) => `${v.placement.x},${v.placement.y},${v.placement.p}`));
    expect(cores.size).toBe(9);
    expect(r.vertices.every((v) => v.placement.p !== 0 && m.hasChip(v.placement.x, v.placement.y))).toBe(true);
    // a -> b all to all: each vertex of b hears every vertex of a, plus b itself.
    expect([...r.incoming[7]!].sort((x, y) => x - y)).toEqual([3, 4, 5, 6, 7, 8]);
    // OneToOne a->a: vertex 3 hears itself (and src vertices), not vertex 4.
    expect(r.incoming[3]).toContain(3);
    expect(r.incoming[3]).not.toContain(4);
    const netKeys = r.nets.map((n) => ({ key: r.vertices[n.source]!.key, mask: r.vertices[n.source]!.mask }));
    expect(verifyTables(r.trees, netKeys, r.tables)).toEqual([]);
    for (const t of r.trees) checkTree(t, m);
    // Every sink core receives its net's packets.
    for (const [ni, n] of r.nets.entries()) {
      const t = r.trees[ni]!;
      for (const s of n.sinks) {
        const p = r.vertices[s]!.placement;
        const i = [...t.chips].indexOf(chipKey(p.x, p.y));
        expect(i).toBeGreaterThanOrEqual(0);
        expect(t.routes[i]! & (1 << (6 + p.p))).not.toBe(0);
      }
    }
  });

  it('leaves room for 4 colour bits under each vertex key', () => {
    const r = mapNetwork(smallNet(), spinn5());
    expect(r.keyLayout.colourBits).toBe(4);
    expect(r.keyLayout.atomBits).toBe(12);
    for (const v of r.vertices) {
      expect(v.mask >>> 0).toBe(0xfffff000);
      // The largest key the vertex sends stays inside its mask.
      expect((((v.key + ((v.hi - v.lo - 1) << 4) + 15) & v.mask) >>> 0)).toBe(v.key);
    }
    expect(new Set(r.vertices.map((v) => v.key)).size).toBe(r.vertices.length);
    // Population keys cover their vertices.
    r.populationVertices.forEach((vs, a) => {
      for (const v of vs) expect((r.vertices[v]!.key & r.populationKeys[a]!.mask) >>> 0).toBe(r.populationKeys[a]!.key);
    });
  });

  it('refuses a network too big for the machine, saying what it needs and has', () => {
    const net = new Network();
    net.population(100_000, IF_curr_exp(), { label: 'big' });
    expect(() => mapNetwork(net, spinn3())).toThrow(/needs 391 cores .* has 68/);
    expect(() => mapNetwork(net, spinn3())).toThrow(MappingError);
  });

  it('validates the network first', () => {
    const net = new Network();
    const a = net.population(2, SpikeSourceArray({ spikeTimes: [1] }));
    const b = net.population(2, IF_curr_exp());
    net.projection(a, b, OneToOneConnector(), { delay: 1000 });
    expect(() => mapNetwork(net, spinn5())).toThrow(NetworkError);
  });

  it('honours maxAtomsPerCore', () => {
    const net = new Network();
    net.population(100, IF_curr_exp());
    expect(mapNetwork(net, spinn3(), { maxAtomsPerCore: 30 }).vertices).toHaveLength(4);
  });
});

describe('router', () => {
  it('longest-dimension-first paths have minimal length', () => {
    const m = torus(8, 8);
    expect(ldfPath(m, 0, 0, 3, 3)).toEqual([1, 1, 1]);
    expect(ldfPath(m, 0, 0, 7, 0)).toEqual([3]);
    expect(ldfPath(m, 1, 1, 3, 0)).toHaveLength(3);
  });

  it('detours around dead links and dead chips', () => {
    const base = torus(6, 6, { wrap: false });
    const m = base.withDead({ chips: [{ x: 2, y: 0 }, { x: 2, y: 1 }], links: [{ x: 0, y: 0, link: 1 }] });
    const vertices = [vertex(0), vertex(1), vertex(2)];
    const placements = [
      { x: 0, y: 0, p: 1 },
      { x: 4, y: 0, p: 1 },
      { x: 1, y: 1, p: 2 },
    ];
    const nets = [{ source: 0, sinks: [1, 2] }];
    const trees = ldfRouter(nets, placements, m);
    checkTree(trees[0]!, m);
    const chips = [...trees[0]!.chips];
    expect(chips).toContain(chipKey(4, 0));
    expect(chips).toContain(chipKey(1, 1));
    expect(chips).not.toContain(chipKey(2, 0));
    const keys = allocateKeys(vertices);
    const tables = buildTables(trees, [keys.keys[0]!]).map((c) => ({ x: c.x, y: c.y, entries: c.entries }));
    expect(verifyTables(trees, [keys.keys[0]!], tables)).toEqual([]);
  });

  it('reports an unreachable chip', () => {
    const m = torus(4, 1, { wrap: false }).withDead({ links: [{ x: 1, y: 0, link: 0 }] });
    expect(() => ldfRouter([{ source: 0, sinks: [1] }], [{ x: 0, y: 0, p: 1 }, { x: 3, y: 0, p: 1 }], m)).toThrow(/cannot be reached/);
  });

  it('random netlists on a torus with dead links: trees are valid and tables verify', () => {
    const m = torus(8, 8).withDead({ links: [{ x: 3, y: 3, link: 0 }, { x: 5, y: 2, link: 2 }, { x: 1, y: 6, link: 4 }], chips: [{ x: 6, y: 6 }] });
    const n = 120;
    const vertices = Array.from({ length: n }, (_, i) => vertex(i));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const nets = vertices.map((v) => ({ source: v.index, sinks: [...new Set(Array.from({ length: 8 }, rand))].filter((s) => s !== v.index) }));
    const g = mapGraph(vertices, nets, m);
    for (const t of g.trees) checkTree(t, m);
    const netKeys = nets.map((x) => g.keys.keys[x.source]!);
    expect(verifyTables(g.trees, netKeys, g.tables)).toEqual([]);
  });
});

describe('placers', () => {
  it('radial placement keeps a chain of vertices close; both placers avoid core 0 and reserved cores', () => {
    const m = spinn5();
    const n = 40;
    const vertices = Array.from({ length: n }, (_, i) => vertex(i));
    const nets = vertices.slice(0, -1).map((v) => ({ source: v.index, sinks: [v.index + 1] }));
    const reserved = [{ x: 0, y: 0, p: 1 }];
    for (const placer of [radialPlacer, sequentialPlacer]) {
      const p = placer(vertices, nets, m, { reservedCores: reserved });
      expect(p.every((q) => q.p !== 0)).toBe(true);
      expect(p.some((q) => q.x === 0 && q.y === 0 && q.p === 1)).toBe(false);
      expect(new Set(p.map((q) => `${q.x},${q.y},${q.p}`)).size).toBe(n);
    }
    const p = radialPlacer(vertices, nets, m, {});
    const hops = nets.reduce((s, net) => s + Math.max(Math.abs(p[net.source]!.x - p[net.sinks[0]!]!.x), Math.abs(p[net.source]!.y - p[net.sinks[0]!]!.y)), 0);
    expect(hops / nets.length).toBeLessThan(1.5);
  });

  it('fixed locations are honoured and bad ones explained', () => {
    const m = spinn3();
    const vertices = [vertex(0), vertex(1)];
    const p = radialPlacer(vertices, [], m, { locations: new Map([[1, { x: 1, y: 1, p: 5 }]]) });
    expect(p[1]).toEqual({ x: 1, y: 1, p: 5 });
    expect(() => radialPlacer(vertices, [], m, { locations: new Map([[0, { x: 3, y: 3 }]]) })).toThrow(/chip \(3, 3\), which does not exist/);
  });

  it('SDRAM limits spill vertices to other chips and an oversized vertex is explained', () => {
    const m = spinn3({ sdram: 1000 });
    const vertices = [vertex(0, { sdram: 600 }), vertex(1, { sdram: 600 })];
    const p = sequentialPlacer(vertices, [], m, {});
    expect(`${p[0]!.x},${p[0]!.y}`).not.toBe(`${p[1]!.x},${p[1]!.y}`);
    expect(() => sequentialPlacer([vertex(0, { sdram: 2000 })], [], m, {})).toThrow(/needs 2000 bytes of SDRAM; the largest free on any chip is 1000/);
  });
});

describe('tables and minimisation', () => {
  it('consecutive keys with one route merge into one entry', () => {
    const entries: RoutingEntry[] = Array.from({ length: 64 }, (_, i) => ({ key: (i << 12) >>> 0, mask: 0xfffff000, route: 1 << 7 }));
    entries.push({ key: 100 << 12, mask: 0xfffff000, route: 1 << 8 });
    const out = minimiseTable({ x: 0, y: 0, entries, defaultRouted: [] }, 10);
    expect(out.length).toBe(2);
    for (const e of entries) expect(lookup(out, e.key + 0x35)).toBe(e.route);
  });

  it('never catches default-routed keys or reroutes entries (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 120 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 120, maxLength: 120 }),
        fc.integer({ min: 0, max: 60 }),
        (ids, routeSel, nDefault) => {
          const cut = Math.min(nDefault, ids.length - 1);
          const defaults: RoutingEntry[] = ids.slice(0, cut).map((id) => ({ key: (id << 12) >>> 0, mask: 0xfffff000, route: 1 }));
          const entries: RoutingEntry[] = ids.slice(cut).map((id, i) => ({ key: (id << 12) >>> 0, mask: 0xfffff000, route: 1 << (6 + routeSel[i]!) }));
          const out = minimiseTable({ x: 0, y: 0, entries, defaultRouted: defaults }, 1);
          for (const e of entries) if (lookup(out, e.key) !== e.route) return false;
          for (const d of defaults) {
            const r = lookup(out, d.key);
            if (r !== undefined && r !== d.route) return false;
          }
          return out.length <= entries.length + defaults.length;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a table that cannot be minimised enough names the chip and the counts', () => {
    const vertices = Array.from({ length: 40 }, (_, i) => vertex(i));
    const nets = vertices.map((v) => ({ source: v.index, sinks: vertices.filter((w) => w.index !== v.index && (w.index * 7 + v.index) % 5 === 0).map((w) => w.index) }));
    expect(() => mapGraph(vertices, nets, torus(4, 4, { routerEntries: 2 }))).toThrow(/routing tables do not fit on \d+ chip\(s\): chip \(\d+, \d+\) needs \d+ entries after minimisation and has 2/);
  });
});

describe('IP tags', () => {
  it('allocates 1..7 per board and refuses an eighth', () => {
    const m = spinn5();
    const vs = [vertex(0, { ipTags: 4 }), vertex(1, { ipTags: 3 })];
    const p = [
      { x: 0, y: 0, p: 1 },
      { x: 1, y: 1, p: 1 },
    ];
    expect(allocateIpTags(vs, p, m).map((t) => t.tag)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(() => allocateIpTags([...vs, vertex(2, { ipTags: 1 })], [...p, { x: 2, y: 2, p: 1 }], m)).toThrow(/has 7 IP tags/);
  });
});
