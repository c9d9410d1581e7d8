/**
 * The pair-STDP window measured through the whole path: for each Δt from
 * −50 to +50 ms, one pre spike source and one post neuron (made to fire by a
 * strong static "teacher" input) share a plastic synapse; after the run the
 * weights are read back from the board. The table prints the measured
 * Δt (actual post spike − pre spike), the stored weight change (raw and nA)
 * and whether it equals the bit-exact kernels driven directly on the same
 * bytes (test/run/reference.ts). The firmware applies potentiation when the
 * next pre spike arrives (deferred update), so every pre source fires a
 * second time 200 ms later, far outside the window; the post neuron fires
 * once (40 ms refractory period).
 *
 *   npx tsx tools/stdp-window.ts [--json]
 */
import { AdditiveWeightDependence, IF_curr_exp, Network, OneToOneConnector, SpikePairRule, SpikeSourceArray, STDPMechanism } from '../src/network/index.js';
import { Simulator } from '../src/run/index.js';
import { referenceCore } from '../test/run/reference.js';

const DTS = Array.from({ length: 21 }, (_, i) => -50 + 5 * i);
const T_PRE = 100;
const W0 = 0.5;
const net = new Network({ timestep: 1 });
const n = DTS.length;
// The teacher spikes 2 ms before the wanted post spike (1 ms delay, then the neuron crosses threshold).
const pre = net.population(n, SpikeSourceArray({ spikeTimes: DTS.map(() => [T_PRE, T_PRE + 200]) }), { label: 'pre' });
const teacher = net.population(n, SpikeSourceArray({ spikeTimes: DTS.map((dt) => [T_PRE + dt - 2]) }), { label: 'teacher' });
const post = net.population(n, IF_curr_exp({ tau_refrac: 40 }), { label: 'post' }).record(['spikes']);
const stdp = STDPMechanism({
  timing: SpikePairRule({ tau_plus: 20, tau_minus: 20, A_plus: 0.01, A_minus: 0.012 }),
  weight_dependence: AdditiveWeightDependence({ w_min: 0, w_max: 1 }),
});
const plastic = net.projection(pre, post, OneToOneConnector(), { synapse: stdp, weight: W0, delay: 1, label: 'plastic' });
net.projection(teacher, post, OneToOneConnector(), { weight: 20, delay: 1, label: 'teacher' });

const sim = await Simulator.connect({ progress: false });
try {
  await sim.run(net, 350);
  const syn = await sim.getSynapses(plastic);
  const spikes = sim.getSpikes(post);
  const core = sim.runPlan!.cores.find((c) => c.kind === 'neuron')!;
  if (core.kind !== 'neuron') throw new Error('no neuron core');
  const ref = referenceCore(sim.runPlan!, core, [350]);
  const block = core.blocks.find((b) => b.projection === 0)!;
  const refRaw = (i: number) => {
    const base = block.offset / 4 + i * (block.rowLength + 3);
    return ref.matrix[base + 3]! & 0xffff;
  };
  const w0raw = Math.round(W0 * syn[0]!.scale);
  const rows = DTS.map((dt, i) => {
    const s = syn.find((x) => x.pre === i)!;
    const tPost = spikes[i]![0];
    return { wanted: dt, nPost: spikes[i]!.length, dt: tPost === undefined ? null : tPost - T_PRE, raw: s.raw, dRaw: s.raw - w0raw, dW: (s.raw - w0raw) / s.scale, kernel: refRaw(i) === s.raw };
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify({ w0: W0, w0raw, scale: syn[0]!.scale, rows }));
  else {
    console.log(`pair STDP (tau± 20 ms, A+ 0.01, A− 0.012, additive [0, 1]), w0 = ${W0} nA = ${w0raw} raw at scale ${syn[0]!.scale}`);
    console.log('Δt(ms)  raw   Δraw   Δw (nA)        = kernel  post spikes');
    for (const r of rows) console.log(`${String(r.dt).padStart(5)} ${String(r.raw).padStart(6)} ${String(r.dRaw).padStart(6)}  ${r.dW.toFixed(9).padStart(13)}  ${r.kernel ? 'yes' : 'NO '}     ${r.nPost}`);
  }
} finally {
  await sim.end();
}
