/**
 * End-to-end wall time on the embedded emulator (or SPINN_BOARD): mapping,
 * data generation, loading over SCP, running and extraction, for a
 * mid-size network, and the emulator's time factor (wall time per
 * simulated ms; a real board runs at 1 ms per tick).
 *
 *   npx tsx tools/bench/end-to-end.ts [--quick] [--neurons N] [--ms T]
 *
 * Workload: a Poisson-like SpikeSourceArray of N/10 neurons at 10 Hz drives
 * a chain of populations of N/10 neurons each (FixedProbability p = 20/size,
 * so about 20 synapses per neuron per projection, 1 ms delays), plus
 * recurrent inhibition inside every population; spikes of every population
 * and V of one are recorded.
 */
import { FixedProbabilityConnector, IF_curr_exp, Network, Rng, SpikeSourceArray } from '../../src/network/index.js';
import { Simulator } from '../../src/run/index.js';

const arg = (name: string, def: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : def);
const quick = process.argv.includes('--quick');
const N = arg('--neurons', quick ? 2000 : 10000);
const T = arg('--ms', quick ? 200 : 1000);
const POPS = 10;
const size = Math.ceil(N / POPS);

const rng = new Rng(1);
const net = new Network({ timestep: 1, seed: 3 });
const times = Array.from({ length: size }, () => {
  const t: number[] = [];
  for (let x = -Math.log(1 - rng.next()) * 100; x < T; x += -Math.log(1 - rng.next()) * 100) t.push(Math.floor(x));
  return t;
});
const input = net.population(size, SpikeSourceArray({ spikeTimes: times }), { label: 'input' });
const pops = Array.from({ length: POPS }, (_, i) => net.population(size, IF_curr_exp({ i_offset: 0.2, tau_refrac: 2 }), { label: `p${i}` }).record('spikes'));
pops[0]!.record('v');
const p = Math.min(1, 20 / size);
net.projection(input, pops[0]!, FixedProbabilityConnector(p), { weight: 1.0, delay: 1 });
for (let i = 0; i < POPS; i++) {
  if (i + 1 < POPS) net.projection(pops[i]!, pops[i + 1]!, FixedProbabilityConnector(p), { weight: 0.6, delay: 1 });
  net.projection(pops[i]!, pops[i]!, FixedProbabilityConnector(p / 2), { receptor: 'inhibitory', weight: 1.5, delay: 1 });
}
let synapses = 0;
for (const proj of net.projections) synapses += proj.connections().n;

const t0 = performance.now();
const sim = await Simulator.connect({ progress: false });
const connectMs = performance.now() - t0;
try {
  await sim.run(net, T);
  const total = performance.now() - t0;
  let spikes = 0;
  for (const pop of pops) for (const t of sim.getSpikes(pop)) spikes += t.length;
  const m = sim.mappingResult!;
  const chips = new Set(m.vertices.map((v) => `${v.placement.x},${v.placement.y}`)).size;
  const tm = sim.times;
  console.log(`workload: ${N} LIF neurons in ${POPS} populations + ${size} spike sources, ${synapses} synapses, ${m.vertices.length} cores on ${chips} chips, ${T} ms on ${sim.label}`);
  console.log(`output: ${spikes} spikes (${(spikes / N / (T / 1000)).toFixed(1)} Hz mean)`);
  console.log(`connect (start emulator, open): ${connectMs.toFixed(0)} ms`);
  console.log(`map: ${tm.mapMs.toFixed(0)} ms (incl. machine discovery)`);
  console.log(`generate: ${tm.generateMs.toFixed(0)} ms`);
  console.log(`load: ${tm.loadMs.toFixed(0)} ms`);
  console.log(`run: ${tm.runMs.toFixed(0)} ms for ${T} ms simulated: time factor ${(tm.runMs / T).toFixed(2)}× real time`);
  console.log(`extract: ${tm.extractMs.toFixed(0)} ms`);
  console.log(`total: ${total.toFixed(0)} ms`);
} finally {
  await sim.end();
}
