/**
 * Mapping benchmark.
 *
 * Part A (workload "chain network"): N neurons in populations of 2560 (10 cores
 * each), a SpikeSourceArray followed by a chain of IF_curr_exp populations, each
 * feeding the next with FixedProbability at a fan-in of 10; N = 10^4, 10^5, 10^6
 * on a 24x24 (12-board) machine. Times: build
 * and expand connections, map (partition, place, route, tables, minimise), and
 * data generation (static synaptic matrices through src/regions, one core at a time).
 *
 * Part B (workload "random netlist"): one core per 256 neurons, each core sending
 * to 10 or 50 random cores, on a 24x24 torus. Place / route / table build times,
 * largest table, and whether every table fits 1023 entries. With RIG_DRIVER set
 * (a Python script kept outside this repository that runs rig's hilbert placer,
 * greedy allocator, NER router, routing_tree_to_tables and minimise_tables on a
 * netlist file and prints JSON lines), rig runs on the same netlists side by side.
 *
 *   tsx tools/bench/mapping.ts [--quick] [--only a|b]
 *   RIG_DRIVER=/tmp/rig_driver.py RIG_PYTHONPATH=/tmp/rig:/tmp/rigshim tsx tools/bench/mapping.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseShape, torus } from '../../src/machine/index.js';
import { mapGraph, mapNetwork, type MappingResult } from '../../src/mapping/index.js';
import { FixedProbabilityConnector, IF_curr_exp, Network, SpikeSourceArray, delaySteps } from '../../src/network/index.js';
import { type Connection, buildSynapticMatrix, rowLayout } from '../../src/regions/synaptic-rows.js';
import { randomNetlist } from './mapping-netlist.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const ms = (t: number) => `${t.toFixed(0)} ms`;

const GROUP = 2560;

function layered(n: number): Network {
  const net = new Network({ seed: 3 });
  const groups = Math.ceil(n / GROUP);
  let pre = net.population(GROUP, SpikeSourceArray({ spikeTimes: [1, 5, 9] }), { label: 'input' });
  for (let i = 1; i < groups; i++) {
    const post = net.population(GROUP, IF_curr_exp(), { label: `group${i}` });
    net.projection(pre, post, FixedProbabilityConnector(10 / GROUP), { weight: 0.2, delay: 1 + (i % 3) });
    pre = post;
  }
  return net;
}

/** Static synaptic matrices for every (source vertex, target vertex) pair, core by core. */
function generateData(net: Network, r: MappingResult): { words: number; matrices: number } {
  const maxAtoms = 256;
  const layout = rowLayout(maxAtoms, 2, 32);
  const byPost = net.projections.map((p) => {
    const c = p.connections();
    // Counting sort of connections by post vertex.
    const nV = Math.ceil(p.post.size / maxAtoms);
    const start = new Uint32Array(nV + 1);
    for (let k = 0; k < c.n; k++) start[Math.floor(c.post[k]! / maxAtoms) + 1]!++;
    for (let i = 0; i < nV; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, nV);
    const order = new Uint32Array(c.n);
    for (let k = 0; k < c.n; k++) order[fill[Math.floor(c.post[k]! / maxAtoms)]!++] = k;
    return { start, order };
  });
  let words = 0;
  let matrices = 0;
  for (const v of r.vertices) {
    if (v.kind !== 'neuron') continue;
    net.projections.forEach((p, pi) => {
      if (net.populations.indexOf(p.post) !== v.app) return;
      const c = p.connections();
      const local = Math.floor(v.lo / maxAtoms);
      const { start, order } = byPost[pi]!;
      const preVerts = new Map<number, Connection[]>();
      for (let i = start[local]!; i < start[local + 1]!; i++) {
        const k = order[i]!;
        const pre = c.pre[k]!;
        const pv = Math.floor(pre / maxAtoms);
        const w = typeof c.weight === 'number' ? c.weight : c.weight[k]!;
        const d = typeof c.delay === 'number' ? c.delay : c.delay[k]!;
        let list = preVerts.get(pv);
        if (!list) preVerts.set(pv, (list = []));
        list.push({ pre: pre - pv * maxAtoms, post: c.post[k]! - v.lo, type: p.receptor === 'excitatory' ? 0 : 1, delaySteps: delaySteps(d, net.timestep), weight: Math.min(65535, Math.round(w * 2048)) });
      }
      for (const [pv, conns] of preVerts) {
        const rows = Math.min(maxAtoms, p.pre.size - pv * maxAtoms);
        const m = buildSynapticMatrix({ nRows: rows, connections: conns, layout, plastic: false });
        words += m.words.length;
        matrices++;
      }
    });
  }
  return { words, matrices };
}

function partA(): void {
  const machine = parseShape('24x24');
  for (const n of quick ? [1e4, 1e5] : [1e4, 1e5, 1e6]) {
    const t0 = performance.now();
    const net = layered(n);
    let conns = 0;
    for (const p of net.projections) conns += p.connections().n;
    const t1 = performance.now();
    const r = mapNetwork(net, machine);
    const t2 = performance.now();
    const d = generateData(net, r);
    const t3 = performance.now();
    const s = r.stats;
    console.log(
      `chain network N=${n.toExponential(0)}: ${conns} synapses, ${r.vertices.length} cores | build+expand ${ms(t1 - t0)} | map ${ms(t2 - t1)} ` +
        `(partition ${ms(s.partitionMs)}, place ${ms(s.placeMs)}, route ${ms(s.routeMs)}, tables ${ms(s.tableMs)}, minimise ${ms(s.minimiseMs)}; max table ${s.maxEntriesAfter}) | ` +
        `data generation ${ms(t3 - t2)} (${d.matrices} matrices, ${(d.words * 4 / 2 ** 20).toFixed(1)} MiB) | total ${ms(t3 - t0)}`,
    );
  }
}

function runRig(file: string): Record<string, unknown>[] | string {
  const driver = process.env.RIG_DRIVER;
  if (!driver) return 'RIG_DRIVER not set';
  const r = spawnSync(process.env.RIG_PYTHON ?? '/usr/bin/python3', [driver, file], {
    env: { ...process.env, PYTHONPATH: process.env.RIG_PYTHONPATH ?? '' },
    encoding: 'utf8',
    timeout: Number(process.env.RIG_TIMEOUT_S ?? 900) * 1000,
  });
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
  const out = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  if (r.error || r.status !== 0) out.push({ failed: r.error ? `${r.error.message}` : (r.stderr ?? '').trim().split('\n').slice(-1)[0] });
  return out;
}

function partB(): void {
  const machine = torus(24, 24);
  const dir = mkdtempSync(join(tmpdir(), 'mapbench-'));
  try {
    for (const n of quick ? [1e4, 1e5] : [1e4, 1e5, 1e6]) {
      for (const fanout of [10, 50]) {
        const { vertices, nets } = randomNetlist(n, fanout);
        const t0 = performance.now();
        let ours: string;
        try {
          const g = mapGraph(vertices, nets, machine);
          const s = g.stats;
          ours = `ours: place ${ms(s.placeMs)}, route ${ms(s.routeMs)}, tables ${ms(s.tableMs)}, minimise ${ms(s.minimiseMs)}, total ${ms(performance.now() - t0)}; max table ${s.maxEntriesBefore} (${s.maxEntriesWithDefaults} with straight-on entries) -> ${s.maxEntriesAfter} (fits 1023)`;
        } catch (e) {
          ours = `ours: FAILED after ${ms(performance.now() - t0)}: ${(e as Error).message}`;
        }
        let rig = 'rig: skipped (set RIG_DRIVER)';
        if (process.env.RIG_DRIVER) {
          const file = join(dir, `net-${n}-${fanout}.json`);
          writeFileSync(file, JSON.stringify({ n: vertices.length, nets: nets.map((x) => [x.source, x.sinks]) }));
          const res = runRig(file);
          if (typeof res === 'string') rig = `rig: ${res}`;
          else {
            const last = Object.assign({}, ...res) as Record<string, number | string | boolean>;
            const f = (k: string) => (typeof last[k] === 'number' ? ms((last[k] as number) * 1000) : '-');
            rig =
              `rig: place ${f('place_s')}, allocate ${f('allocate_s')}, route ${f('route_s')}, tables ${f('tables_s')}, build ${f('build_s')}; max table ${last.max_entries_before ?? '-'} (${last.chips_over_1023_before ?? '-'} chips over 1023), ` +
              `minimise ${f('minimise_s')} ${last.minimised === true ? `-> ${last.max_entries_after} (fits)` : last.minimised === false ? 'FAILED to fit 1023' : last.failed ? `did not finish (${last.failed})` : ''}`;
          }
        }
        console.log(`random netlist N=${n.toExponential(0)} x ${fanout} (${vertices.length} cores, 24x24 torus) | ${ours} | ${rig}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!only || only === 'a') partA();
if (!only || only === 'b') partB();
