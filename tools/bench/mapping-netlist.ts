import { writeFileSync } from 'node:fs';
import type { MachineVertex, Net } from '../../src/mapping/index.js';
import { Rng } from '../../src/network/index.js';

/**
 * The benchmark's random netlist: one vertex (core) per 256 neurons, each
 * vertex sending one net to `fanout` distinct random other vertices.
 */
export function randomNetlist(neurons: number, fanout: number, seed = 1): { vertices: MachineVertex[]; nets: Net[] } {
  const n = Math.ceil(neurons / 256);
  const rng = new Rng(seed);
  const vertices: MachineVertex[] = [];
  for (let i = 0; i < n; i++) vertices.push({ index: i, label: `v${i}`, kind: 'neuron', app: 0, lo: i * 256, hi: Math.min(neurons, (i + 1) * 256), sdram: 0, ipTags: 0 });
  const nets: Net[] = [];
  for (let i = 0; i < n; i++) {
    const sinks = new Set<number>();
    const k = Math.min(fanout, n - 1);
    while (sinks.size < k) {
      const s = rng.int(n);
      if (s !== i) sinks.add(s);
    }
    nets.push({ source: i, sinks: [...sinks].sort((a, b) => a - b) });
  }
  return { vertices, nets };
}

// `tsx tools/bench/mapping-netlist.ts NEURONS FANOUT OUT.json` writes the netlist for an external comparison.
if (process.argv[1]?.endsWith('mapping-netlist.ts') && process.argv.length >= 5) {
  const [neurons, fanout, out] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]!];
  const { vertices, nets } = randomNetlist(neurons, fanout);
  writeFileSync(out, JSON.stringify({ n: vertices.length, nets: nets.map((x) => [x.source, x.sinks]) }));
}
