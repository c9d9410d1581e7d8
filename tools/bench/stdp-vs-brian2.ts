/**
 * Plastic network, emulator vs Brian2 (cython), same network in the same run.
 *
 * Workload "poisson1000-lif1000-stdp": 1000 Poisson inputs (15 Hz, seeded,
 * on the 1 ms grid) → 1000 IF_curr_exp neurons (PyNN defaults),
 * FixedProbability p = 0.1 (seeded, ≈100k plastic synapses), initial weights
 * uniform in [0.05, 0.15) nA, delay 1 ms, pair STDP (tau± 20 ms,
 * A+ 0.01 nA, A− 0.006 nA, additive, w in [0, 0.15] nA, all-to-all
 * pairing), dt = 1 ms on both sides (SpiNNaker's real-time step), 10 s of
 * biological time.
 *
 * Why these STDP parameters: both sides' cost grows with the post-synaptic
 * rate, so the two must stay in the same regime. The board stores weights as
 * uint16 in steps of 2^(shift−15) nA and truncates after every update (about
 * half a step lost per pre spike per synapse); with a depression-dominated
 * rule that bias pulls the board's weights and rates far below Brian2's
 * (float) ones. A potentiation-dominated rule that runs both towards w_max
 * keeps the post rates within about 20 % of each other.
 *
 * Our side: 1000 neurons exceed one core's 256, so the population is split
 * into 4 emulated neuron cores (256, 256, 256, 232) that run one after the
 * other on ONE CPU thread: the figures are per CPU core for the whole
 * population. Every input spike is processed as 4 rows (one per neuron core),
 * as the cores' master population tables route it. Events = (pre spike,
 * plastic synapse) pairs, from num_plastic_pre_synaptic_events on our side.
 *
 *   npx tsx tools/bench/stdp-vs-brian2.ts [--quick | --seconds S] [--repeats R] [--numpy] [--kernels-only]
 */
import { compare, parseArgs } from './brian2/compare.js';

const { seconds, opts } = parseArgs(process.argv.slice(2));
await compare({
  name: 'poisson1000-lif1000-stdp', nPre: 1000, nPost: 1000, p: 0.1, rateHz: 15,
  durationMs: Math.round(seconds * 1000), wLo: 0.05, wHi: 0.15, delayMs: 1, seed: 11,
  stdp: { tau_plus: 20, tau_minus: 20, A_plus: 0.01, A_minus: 0.006, w_min: 0, w_max: 0.15 },
}, { ...opts, kind: 'stdp' });
