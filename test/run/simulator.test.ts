/**
 * End to end over real UDP on loopback: the embedded emulator (or the
 * board SPINN_BOARD names), the same transceiver a board gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  AdditiveWeightDependence, AllToAllConnector, FromListConnector, IF_curr_exp, Network, OneToOneConnector, SpikePairRule,
  SpikeSourceArray, STDPMechanism, parseNetworkJson,
} from '../../src/network/index.js';
import { type NeuronCorePlan, Simulator } from '../../src/run/index.js';
import { decodeS1615 } from '../../src/fixed/encode.js';
import { referenceCore } from './reference.js';

const EXAMPLE = JSON.parse(readFileSync(new URL('../../examples/issue3.json', import.meta.url), 'utf8'));

function neuronCore(sim: Simulator, label: string): NeuronCorePlan {
  const c = sim.runPlan!.cores.find((k) => k.kind === 'neuron' && k.vertex.label.startsWith(`${label}[`));
  if (!c || c.kind !== 'neuron') throw new Error(`no core for ${label}`);
  return c;
}

describe('Simulator on the emulated board', () => {
  it('runs the issue-3 JSON example: spikes and V equal the bit-exact kernel driven directly', async () => {
    const { network, runMs } = parseNetworkJson(EXAMPLE);
    const sim = await Simulator.connect({ progress: false });
    try {
      await sim.run(network, runMs!);
      const lif = network.getPopulation('lif');
      const ref = referenceCore(sim.runPlan!, neuronCore(sim, 'lif'), [runMs!]);
      expect(sim.getVRaw(lif)).toEqual(ref.v);
      expect(sim.getVRaw(lif)[0]).toHaveLength(100);
      expect(sim.getSpikes(lif)).toEqual(ref.spikes.map((ts) => ts.map((t) => t * network.timestep)));
      expect(sim.getSpikes(lif)[0]!.length).toBeGreaterThan(0);
      // V in mV is exactly the decoded s16.15 word.
      expect(sim.getV(lif)[0]).toEqual(ref.v[0]!.map(decodeS1615));
      expect(sim.getV(lif)[0]![0]).toBe(-65);
      // The input spikes reached the neuron: without the sources the kernel gives another trace.
      const plan = sim.runPlan!;
      const quiet = referenceCore({ ...plan, cores: plan.cores.filter((c) => c.kind === 'neuron') }, neuronCore(sim, 'lif'), [runMs!]);
      expect(quiet.v[0]).not.toEqual(ref.v[0]);
    } finally {
      await sim.end();
    }
  }, 60000);

  it('continues from the state reached: run(60) + run(40) + run(50) equals one run of 150 ms', async () => {
    const one = parseNetworkJson(EXAMPLE).network;
    const split = parseNetworkJson(EXAMPLE).network;
    const a = await Simulator.connect({ progress: false });
    const b = await Simulator.connect({ progress: false });
    try {
      await a.run(one, 150);
      await b.run(split, 60);
      expect(b.timeMs).toBe(60);
      await b.run(40);
      await b.run(split, 50);
      expect(b.timeMs).toBe(150);
      const la = one.getPopulation('lif');
      const lb = split.getPopulation('lif');
      expect(b.getVRaw(lb)[0]).toHaveLength(150);
      expect(b.getVRaw(lb)).toEqual(a.getVRaw(la));
      expect(b.getSpikes(lb)).toEqual(a.getSpikes(la));
      expect(a.getSpikes(la)[0]!.some((t) => t >= 100)).toBe(true);
      expect(a.getVRaw(la)).toEqual(referenceCore(a.runPlan!, neuronCore(a, 'lif'), [150]).v);
    } finally {
      await a.end();
      await b.end();
    }
  }, 60000);

  it('splits a run longer than the recording buffers into chunks without losing data', async () => {
    const net = parseNetworkJson(EXAMPLE).network;
    const sim = await Simulator.connect({ progress: false, recordingTicks: 1, recordingBudgetBytes: 16 * 30 });
    try {
      await sim.run(net, 100);
      const lif = net.getPopulation('lif');
      expect(sim.runPlan!.recordingTicks).toBe(30);
      expect(sim.getVRaw(lif)).toEqual(referenceCore(sim.runPlan!, neuronCore(sim, 'lif'), [100]).v);
    } finally {
      await sim.end();
    }
  }, 60000);

  it('propagates activity along a synfire chain across cores and chips', async () => {
    const net = new Network({ timestep: 1 });
    const n = 20;
    const stim = net.population(n, SpikeSourceArray({ spikeTimes: [5] }), { label: 'stim' });
    const groups = Array.from({ length: 6 }, (_, g) => net.population(n, IF_curr_exp({ tau_refrac: 2 }), { label: `g${g}` }).record('spikes'));
    net.projection(stim, groups[0]!, AllToAllConnector(), { weight: 1.5, delay: 1 });
    for (let g = 0; g + 1 < groups.length; g++) net.projection(groups[g]!, groups[g + 1]!, AllToAllConnector(), { weight: 1.5, delay: 2 });
    const sim = await Simulator.connect({ progress: false, maxAtomsPerCore: 10 });
    try {
      await sim.run(net, 60);
      const first = groups.map((g) => Math.min(...sim.getSpikes(g).flat()));
      for (let g = 0; g < groups.length; g++) {
        expect(sim.getSpikes(groups[g]!).every((t) => t.length >= 1)).toBe(true);
        if (g > 0) expect(first[g]!).toBeGreaterThan(first[g - 1]!);
      }
      const chips = new Set(sim.mappingResult!.vertices.map((v) => `${v.placement.x},${v.placement.y}`));
      expect(sim.mappingResult!.vertices.length).toBe(2 + 12);
      expect(chips.size).toBeGreaterThan(1);
    } finally {
      await sim.end();
    }
  }, 60000);

  describe('STDP', () => {
    const build = () => {
      const net = new Network({ timestep: 1 });
      const times = Array.from({ length: 8 }, (_, i) => Array.from({ length: 12 }, (_, k) => 3 + k * 17 + i * 2));
      const pre = net.population(8, SpikeSourceArray({ spikeTimes: times }), { label: 'pre' });
      const post = net.population(3, IF_curr_exp({ i_offset: [1.1, 1.3, 1.6], tau_refrac: 2 }), { label: 'post' }).record(['spikes', 'v']);
      const stdp = STDPMechanism({
        timing: SpikePairRule({ tau_plus: 20, tau_minus: 20, A_plus: 0.02, A_minus: 0.024 }),
        weight_dependence: AdditiveWeightDependence({ w_min: 0, w_max: 1 }),
        weight: 0.4, delay: 1,
      });
      const proj = net.projection(pre, post, AllToAllConnector(), { synapse: stdp, label: 'plastic' });
      return { net, post, proj };
    };

    it('reads back the weights the kernel learns, across repeated runs, and a static rebuild reproduces them bit for bit', async () => {
      const { net, post, proj } = build();
      const sim = await Simulator.connect({ progress: false });
      let learned: [number, number, number][];
      try {
        await sim.run(net, 120);
        await sim.run(80);
        const core = neuronCore(sim, 'post');
        expect(core.app).toBe('IF_curr_exp_stdp_mad_pair_additive');
        const ref = referenceCore(sim.runPlan!, core, [120, 80]);
        expect(sim.getVRaw(post)).toEqual(ref.v);
        const syn = await sim.getSynapses(proj);
        expect(syn).toHaveLength(24);
        // Every synapse's raw weight equals the reference's stored uint16, found at the same place in the matrix.
        const block = core.blocks[0]!;
        const stride = block.rowLength + 3;
        const refRaw: number[] = [];
        for (let r = 0; r < block.nRows; r++) {
          const base = block.offset / 4 + r * stride;
          for (let i = 0; i < 3; i++) refRaw.push((ref.matrix[base + 3 + (i >> 1)]! >>> ((i & 1) * 16)) & 0xffff);
        }
        expect(syn.map((s) => s.raw)).toEqual(refRaw);
        learned = await sim.getWeights(proj);
        const initial = Math.round(0.4 * syn[0]!.scale);
        expect(syn.some((s) => s.raw !== initial)).toBe(true);
        for (const [, , w] of learned) expect(w >= 0 && w <= 1).toBe(true);
      } finally {
        await sim.end();
      }

      const net2 = new Network({ timestep: 1 });
      const p2 = net2.population(8, SpikeSourceArray({ spikeTimes: [] }), { label: 'pre' });
      const q2 = net2.population(3, IF_curr_exp(), { label: 'post' });
      const fixed = net2.projection(p2, q2, FromListConnector(learned.map(([a, b, w]) => [a, b, w, 1])), { label: 'fixed' });
      const sim2 = await Simulator.connect({ progress: false });
      try {
        await sim2.run(net2, 1);
        const back = await sim2.getWeights(fixed);
        expect(back.map((x) => x[2])).toEqual(learned.map((x) => x[2]));
        expect(back).toEqual(learned);
      } finally {
        await sim2.end();
      }
    }, 90000);
  });
});

describe('bad input is refused before anything is loaded', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.connect({ progress: false, emulatorShape: 'spinn-3' });
  });
  afterAll(async () => {
    await sim?.end();
  });

  const base = () => {
    const net = new Network();
    const src = net.population(2, SpikeSourceArray({ spikeTimes: [1] }), { label: 'src' });
    const lif = net.population(2, IF_curr_exp(), { label: 'lif' });
    return { net, src, lif };
  };

  async function refused(run: () => Promise<unknown>, message: RegExp): Promise<void> {
    await expect(run()).rejects.toThrow(message);
    expect(sim.runPlan).toBeUndefined();
    expect(await sim.tx.countCoresInState('wait', sim.appId)).toBe(0);
    expect(await sim.tx.countCoresInState('pause', sim.appId)).toBe(0);
  }

  it('an unknown cell parameter', async () => {
    await refused(async () => parseNetworkJson({ ...EXAMPLE, populations: [EXAMPLE.populations[0], { ...EXAMPLE.populations[1], params: { taum: 3 } }] }), /unknown parameter 'taum'/);
  });
  it('a negative delay', async () => {
    const { net, src, lif } = base();
    await refused(async () => {
      net.projection(src, lif, OneToOneConnector(), { weight: 1, delay: -1 });
      await sim.run(net, 10);
    }, /delay/);
  });
  it('a delay beyond what is supported', async () => {
    const { net, src, lif } = base();
    net.projection(src, lif, OneToOneConnector(), { weight: 1, delay: 40 });
    await refused(() => sim.run(net, 10), /delay 40 ms \(40 timesteps\) is beyond what is supported/);
  });
  it('a projection between populations of another network', async () => {
    const { net, src } = base();
    const other = new Network();
    const far = other.population(2, IF_curr_exp(), { label: 'far' });
    await refused(async () => net.projection(src, far, OneToOneConnector()), /not part of this network|different networks/);
  });
  it('a run of 0 ms', async () => {
    const { net, src, lif } = base();
    net.projection(src, lif, OneToOneConnector(), { weight: 1 });
    await refused(() => sim.run(net, 0), /run time must be a positive number of ms/);
  });
  it('a network too big for the board', async () => {
    const net = new Network();
    net.population(100 * 256, IF_curr_exp(), { label: 'huge' });
    await refused(() => sim.run(net, 10), /does not fit: it needs 100 cores/);
  });
  it('STDP errors: w_min > w_max, weights outside [w_min, w_max]', async () => {
    await refused(async () => AdditiveWeightDependence({ w_min: 2, w_max: 1 }), /w_min \(2\) must not exceed w_max \(1\)/);
    const { net, src, lif } = base();
    const stdp = STDPMechanism({ timing: SpikePairRule(), weight_dependence: AdditiveWeightDependence({ w_min: 0, w_max: 1 }) });
    net.projection(src, lif, OneToOneConnector(), { synapse: stdp, weight: 3 });
    await refused(() => sim.run(net, 10), /outside the STDP range/);
  });
  it('two STDP rules onto one population', async () => {
    const { net, src, lif } = base();
    const rule = (a: number) => STDPMechanism({ timing: SpikePairRule({ A_plus: a }), weight_dependence: AdditiveWeightDependence() });
    net.projection(src, lif, OneToOneConnector(), { synapse: rule(0.01), weight: 0.5, label: 'a' });
    net.projection(src, lif, AllToAllConnector(), { synapse: rule(0.02), weight: 0.5, label: 'b' });
    await refused(() => sim.run(net, 10), /different STDP rules/);
  });
});
