/**
 * A small balanced network: 400 excitatory and 100 inhibitory LIF neurons,
 * sparse random recurrent connections, driven by Poisson-like spike trains
 * (a seeded SpikeSourceArray). Prints rates, irregularity and a voltage trace summary.
 *
 *   npx tsx examples/balanced.ts [--board <ip|emulator>]
 */
import { FixedProbabilityConnector, IF_curr_exp, Network, SpikeSourceArray, Rng } from '../src/network/index.js';
import { Simulator } from '../src/run/index.js';

const board = process.argv.includes('--board') ? process.argv[process.argv.indexOf('--board') + 1] : undefined;
const NE = 400;
const NI = 100;
const N_INPUT = 200;
const RUN_MS = 1000;
const INPUT_HZ = 20;

const rng = new Rng(12345);
const poisson = (rateHz: number, ms: number) => {
  const times: number[] = [];
  for (let t = -Math.log(1 - rng.next()) * (1000 / rateHz); t < ms; t += -Math.log(1 - rng.next()) * (1000 / rateHz)) times.push(Math.round(t * 10) / 10);
  return times;
};

const net = new Network({ timestep: 1.0, seed: 7 });
const cell = IF_curr_exp({ tau_m: 20, tau_refrac: 2, v_thresh: -50, v_reset: -60, tau_syn_E: 5, tau_syn_I: 10, i_offset: 0.3 });
const input = net.population(N_INPUT, SpikeSourceArray({ spikeTimes: Array.from({ length: N_INPUT }, () => poisson(INPUT_HZ, RUN_MS)) }), { label: 'input' });
const exc = net.population(NE, cell, { label: 'exc' }).record(['spikes', 'v']);
const inh = net.population(NI, cell, { label: 'inh' }).record('spikes');
const p = 0.1;
net.projection(input, exc, FixedProbabilityConnector(p), { weight: 0.5, delay: 1, label: 'input->exc' });
net.projection(input, inh, FixedProbabilityConnector(p), { weight: 0.5, delay: 1, label: 'input->inh' });
net.projection(exc, exc, FixedProbabilityConnector(p), { weight: 0.2, delay: 2, label: 'exc->exc' });
net.projection(exc, inh, FixedProbabilityConnector(p), { weight: 0.2, delay: 2, label: 'exc->inh' });
net.projection(inh, exc, FixedProbabilityConnector(p), { receptor: 'inhibitory', weight: 1.0, delay: 2, label: 'inh->exc' });
net.projection(inh, inh, FixedProbabilityConnector(p), { receptor: 'inhibitory', weight: 1.0, delay: 2, label: 'inh->inh' });

function cv(trains: number[][]): number {
  const cvs: number[] = [];
  for (const t of trains) {
    if (t.length < 3) continue;
    const isi = t.slice(1).map((x, i) => x - t[i]!);
    const m = isi.reduce((a, b) => a + b, 0) / isi.length;
    const sd = Math.sqrt(isi.reduce((a, b) => a + (b - m) ** 2, 0) / isi.length);
    cvs.push(sd / m);
  }
  return cvs.length ? cvs.reduce((a, b) => a + b, 0) / cvs.length : NaN;
}

const sim = await Simulator.connect({ ...(board ? { board } : {}) });
try {
  await sim.run(net, RUN_MS);
  console.log(`balanced network (${NE} exc + ${NI} inh, p = ${p}, ${N_INPUT} inputs at ${INPUT_HZ} Hz) for ${RUN_MS} ms on ${sim.label}`);
  for (const pop of [exc, inh]) {
    const s = sim.getSpikes(pop);
    const n = s.reduce((a, t) => a + t.length, 0);
    console.log(`${pop.label}: ${(n / pop.size / (RUN_MS / 1000)).toFixed(2)} Hz mean rate, mean ISI CV ${cv(s).toFixed(2)}`);
  }
  const v = sim.getV(exc)[0]!;
  console.log(`exc[0] V: min ${Math.min(...v).toFixed(2)} mV, max ${Math.max(...v).toFixed(2)} mV, mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2)} mV`);
  console.log(`times (ms): map ${sim.times.mapMs.toFixed(0)}, generate ${sim.times.generateMs.toFixed(0)}, load ${sim.times.loadMs.toFixed(0)}, run ${sim.times.runMs.toFixed(0)}, extract ${sim.times.extractMs.toFixed(0)}`);
} finally {
  await sim.end();
}
