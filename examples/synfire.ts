/**
 * A synfire chain: a stimulus starts a volley that travels down a chain of
 * excitatory groups, one group after another.
 *
 *   npx tsx examples/synfire.ts [--board <ip|emulator>]
 */
import { AllToAllConnector, FixedProbabilityConnector, IF_curr_exp, Network, SpikeSourceArray } from '../src/network/index.js';
import { Simulator } from '../src/run/index.js';

const board = process.argv.includes('--board') ? process.argv[process.argv.indexOf('--board') + 1] : undefined;
const GROUPS = 10;
const SIZE = 100;

const net = new Network({ timestep: 1.0 });
const stim = net.population(SIZE, SpikeSourceArray({ spikeTimes: [5, 105] }), { label: 'stimulus' });
const groups = Array.from({ length: GROUPS }, (_, g) =>
  net.population(SIZE, IF_curr_exp({ tau_m: 10, tau_refrac: 5, tau_syn_E: 2 }), { label: `group${g}` }).record('spikes'),
);
net.projection(stim, groups[0]!, AllToAllConnector(), { weight: 0.3, delay: 1 });
for (let g = 0; g + 1 < GROUPS; g++) {
  net.projection(groups[g]!, groups[g + 1]!, FixedProbabilityConnector(0.5, { seed: g + 1 }), { weight: 0.3, delay: 5 });
}

const sim = await Simulator.connect({ ...(board ? { board } : {}) });
try {
  await sim.run(net, 200);
  console.log(`synfire chain of ${GROUPS} groups × ${SIZE} neurons on ${sim.label}`);
  for (const g of groups) {
    const spikes = sim.getSpikes(g);
    const all = spikes.flat().sort((a, b) => a - b);
    const active = spikes.filter((t) => t.length > 0).length;
    const first = all.length ? all[0] : NaN;
    console.log(`${g.label.padEnd(8)} ${String(all.length).padStart(4)} spikes, ${String(active).padStart(3)}/${SIZE} neurons fired, first at ${first} ms`);
  }
  console.log(`times (ms): map ${sim.times.mapMs.toFixed(0)}, generate ${sim.times.generateMs.toFixed(0)}, load ${sim.times.loadMs.toFixed(0)}, run ${sim.times.runMs.toFixed(0)}, extract ${sim.times.extractMs.toFixed(0)}`);
} finally {
  await sim.end();
}
