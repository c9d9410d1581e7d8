/**
 * Routing-table minimisation benchmark (workload "random netlist" of
 * mapping.ts: one core per 256 neurons, each sending to FANOUT random cores,
 * 24x24 torus, radial placer, LDF router). Every chip's table is minimised by
 * Ordered Covering as far as it goes (target 0, or --target T), so that the
 * figures show what minimisation achieves although these tables already fit
 * 1023 entries. Prints per netlist: total and largest table before and after,
 * time for all chips and for the slowest chip, and a check that every routing
 * tree still holds.
 *
 *   tsx tools/bench/minimise.ts [--neurons 1e6] [--fanout 10,50] [--target 0]
 */
import { torus } from '../../src/machine/index.js';
import { buildTables, mapGraph, minimiseTable, verifyTables } from '../../src/mapping/index.js';
import { randomNetlist } from './mapping-netlist.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const neurons = Number(opt('--neurons', '1e6'));
const fanouts = opt('--fanout', '10,50').split(',').map(Number);
const target = Number(opt('--target', '0'));

const machine = torus(24, 24);
for (const fanout of fanouts) {
  const { vertices, nets } = randomNetlist(neurons, fanout);
  const g = mapGraph(vertices, nets, machine);
  const netKeys = nets.map((n) => g.keys.keys[n.source]!);
  const chips = buildTables(g.trees, netKeys);
  let before = 0;
  let after = 0;
  let maxBefore = 0;
  let maxAfter = 0;
  let slowest = 0;
  const tables = [];
  const t0 = performance.now();
  for (const c of chips) {
    const t = performance.now();
    const entries = minimiseTable(c, target);
    slowest = Math.max(slowest, performance.now() - t);
    before += c.entries.length;
    after += entries.length;
    maxBefore = Math.max(maxBefore, c.entries.length);
    maxAfter = Math.max(maxAfter, entries.length);
    tables.push({ x: c.x, y: c.y, entries });
  }
  const total = performance.now() - t0;
  const problems = verifyTables(g.trees, netKeys, tables);
  console.log(
    `netlist ${neurons.toExponential(0)} x ${fanout}: ${chips.length} chips; entries ${before} -> ${after} (${((1 - after / before) * 100).toFixed(1)}% fewer); ` +
      `largest table ${maxBefore} -> ${maxAfter}; minimise (target ${target}) ${(total / 1000).toFixed(2)} s for all chips, slowest chip ${slowest.toFixed(0)} ms; ` +
      `trees ${problems.length === 0 ? 'verified' : `BROKEN: ${problems[0]}`}`,
  );
}
