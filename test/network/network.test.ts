import { describe, expect, it } from 'vitest';
import {
  AdditiveWeightDependence,
  AllToAllConnector,
  ConvolutionConnector,
  FixedProbabilityConnector,
  FromListConnector,
  IF_CURR_EXP_DEFAULTS,
  IF_curr_exp,
  MultiplicativeWeightDependence,
  Network,
  NetworkError,
  OneToOneConnector,
  Population,
  Rng,
  STDPMechanism,
  SpikePairRule,
  SpikeSourceArray,
  checkRunTime,
  delayLimits,
  expandConnector,
  parseNetworkJson,
} from '../../src/network/index.js';

describe('cell types', () => {
  it('IF_curr_exp takes PyNN defaults and units', () => {
    const c = IF_curr_exp({ i_offset: 1 });
    expect(c.params).toEqual({ ...IF_CURR_EXP_DEFAULTS, i_offset: 1 });
    expect(IF_CURR_EXP_DEFAULTS).toMatchObject({ tau_m: 20, cm: 1, v_rest: -65, v_reset: -65, v_thresh: -50, tau_syn_E: 5, tau_syn_I: 5, tau_refrac: 0.1, i_offset: 0, v: -65 });
  });
  it('rejects unknown parameters and negative time constants', () => {
    expect(() => IF_curr_exp({ taum: 10 } as never)).toThrow(/unknown parameter 'taum' for IF_curr_exp; known parameters: tau_m/);
    expect(() => IF_curr_exp({ tau_m: -1 })).toThrow(/'tau_m' must be > 0 ms/);
    expect(() => IF_curr_exp({ tau_refrac: -0.1 })).toThrow(/tau_refrac/);
    expect(() => SpikeSourceArray({ spikeTimes: [1, -2] })).toThrow(/spike time -2/);
  });
  it('sorts spike times; per-neuron lists must match the size', () => {
    expect(SpikeSourceArray({ spikeTimes: [5, 1] }).spikeTimes).toEqual([1, 5]);
    const net = new Network();
    expect(() => net.population(3, SpikeSourceArray({ spikeTimes: [[1], [2]] }))).toThrow(/2 lists for 3 neurons/);
    const p = net.population(2, SpikeSourceArray({ spikeTimes: [[1], [2, 3]] }));
    expect(p.spikeTimesOf(1)).toEqual([2, 3]);
  });
  it('per-neuron parameter arrays', () => {
    const net = new Network();
    const p = net.population(3, IF_curr_exp({ i_offset: [0, 1, 2] }));
    expect([...p.paramArray('i_offset')]).toEqual([0, 1, 2]);
    expect([...p.paramArray('tau_m')]).toEqual([20, 20, 20]);
    expect(() => net.population(2, IF_curr_exp({ i_offset: [0, 1, 2] }))).toThrow(/3 values for 2 neurons/);
  });
});

describe('connectors', () => {
  const ctx = (preSize: number, postSize: number, samePopulation = false) => ({ preSize, postSize, samePopulation, seed: 7 });
  it('OneToOne and AllToAll, with and without self connections', () => {
    expect([...expandConnector(OneToOneConnector(), ctx(3, 3)).post]).toEqual([0, 1, 2]);
    const all = expandConnector(AllToAllConnector(), ctx(3, 3, true));
    expect(all.n).toBe(9);
    const noSelf = expandConnector(AllToAllConnector({ allowSelfConnections: false }), ctx(3, 3, true));
    expect(noSelf.n).toBe(6);
    for (let k = 0; k < noSelf.n; k++) expect(noSelf.pre[k]).not.toBe(noSelf.post[k]);
    expect(expandConnector(AllToAllConnector({ allowSelfConnections: false }), ctx(3, 3, false)).n).toBe(9);
  });
  it('FixedProbability is seeded, deterministic and near p', () => {
    const a = expandConnector(FixedProbabilityConnector(0.1, { seed: 3 }), ctx(1000, 1000));
    const b = expandConnector(FixedProbabilityConnector(0.1, { seed: 3 }), ctx(1000, 1000));
    const c = expandConnector(FixedProbabilityConnector(0.1, { seed: 4 }), ctx(1000, 1000));
    expect(a.n).toBe(b.n);
    expect([...a.post.subarray(0, 100)]).toEqual([...b.post.subarray(0, 100)]);
    expect([...a.post.subarray(0, 100)]).not.toEqual([...c.post.subarray(0, 100)]);
    expect(Math.abs(a.n - 100_000)).toBeLessThan(1500); // ~5 sigma
    // No duplicates, in range.
    const seen = new Set<number>();
    for (let k = 0; k < a.n; k++) {
      const key = a.pre[k]! * 1000 + a.post[k]!;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    const noSelf = expandConnector(FixedProbabilityConnector(0.5, { allowSelfConnections: false }), ctx(50, 50, true));
    for (let k = 0; k < noSelf.n; k++) expect(noSelf.pre[k]).not.toBe(noSelf.post[k]);
  });
  it('FromList carries weights and delays and checks indices', () => {
    const e = expandConnector(FromListConnector([[0, 1, 0.5, 2], [1, 0, 0.25, 3]]), ctx(2, 2));
    expect([...e.weight!]).toEqual([0.5, 0.25]);
    expect([...e.delay!]).toEqual([2, 3]);
    expect(() => expandConnector(FromListConnector([[0, 5]]), ctx(2, 2))).toThrow(/post index 5 is outside 0..1/);
  });
  it('Convolution: a 3x3 input, 2x2 kernel, stride 1 gives a 2x2 output with the right taps', () => {
    const kernel = [[[[1, 2], [3, 4]]]]; // [oc][ic][ky][kx]
    const conv = ConvolutionConnector({ inputShape: [3, 3, 1], kernel });
    expect(conv.outputShape).toEqual({ height: 2, width: 2, depth: 1 });
    const e = expandConnector(conv, ctx(9, 4));
    expect(e.n).toBe(16);
    // Output (0,0) sees inputs 0,1,3,4 with weights 1,2,3,4.
    const taps = new Map<number, number>();
    for (let k = 0; k < e.n; k++) if (e.post[k] === 0) taps.set(e.pre[k]!, e.weight![k]!);
    expect(Object.fromEntries(taps)).toEqual({ 0: 1, 1: 2, 3: 3, 4: 4 });
    // Output (1,1) = index 3 sees inputs 4,5,7,8.
    const t3 = new Map<number, number>();
    for (let k = 0; k < e.n; k++) if (e.post[k] === 3) t3.set(e.pre[k]!, e.weight![k]!);
    expect(Object.fromEntries(t3)).toEqual({ 4: 1, 5: 2, 7: 3, 8: 4 });
  });
  it('Convolution with depth and stride 2; mismatched shapes are errors', () => {
    const w = Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i + 1);
    const conv = ConvolutionConnector({ inputShape: [4, 4, 3], kernel: w, kernelShape: [2, 3, 2, 2], stride: 2 });
    expect(conv.outputShape).toEqual({ height: 2, width: 2, depth: 2 });
    const e = expandConnector(conv, ctx(48, 8));
    expect(e.n).toBe(8 * 12);
    // Output channel 1, (0,0) = index 4; input channel 2, (1,1) = index 2*16+5 = 37; weight index ((1*3+2)*2+1)*2+1 = 23 -> 24.
    let found = false;
    for (let k = 0; k < e.n; k++) if (e.post[k] === 4 && e.pre[k] === 37) (found = true), expect(e.weight![k]).toBe(24);
    expect(found).toBe(true);
    expect(() => ConvolutionConnector({ inputShape: [4, 4, 3], kernel: w, kernelShape: [2, 3, 2, 2], outputShape: [2, 2, 2] })).toThrow(/does not match .* expected 3x3x2/);
    expect(() => ConvolutionConnector({ inputShape: [4, 4, 2], kernel: w, kernelShape: [2, 3, 2, 2] })).toThrow(/3 input channels but inputShape.depth is 2/);
  });
  it('the PRNG is reproducible', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    for (let i = 0; i < 10; i++) expect(a.nextU32()).toBe(b.nextU32());
  });
});

describe('projections and validation', () => {
  it('detects projections between networks', () => {
    const n1 = new Network();
    const n2 = new Network();
    const a = n1.population(2, IF_curr_exp());
    const b = n2.population(2, IF_curr_exp());
    expect(() => n1.projection(a, b, AllToAllConnector())).toThrow(/not part of this network/);
    expect(() => n2.add(a)).toThrow(/already belongs to another network/);
    const free = new Population(2, IF_curr_exp());
    expect(() => n1.projection(a, free, AllToAllConnector())).toThrow(/not part of this network/);
  });
  it('rejects negative delays and delays beyond what is supported, saying what is', () => {
    const net = new Network();
    const a = net.population(2, SpikeSourceArray({ spikeTimes: [1] }), { label: 'a' });
    const b = net.population(2, IF_curr_exp(), { label: 'b' });
    expect(() => net.projection(a, b, OneToOneConnector(), { delay: -1 })).toThrow(/delay must be a number >= 0 ms, got -1/);
    expect(delayLimits({ maxAtomsPerCore: 256, delayExtensions: true, stdpInhibitory: true })).toEqual({ perCoreSteps: 32, maxSteps: 288 });
    net.projection(a, b, OneToOneConnector(), { delay: 100, weight: 1 });
    expect(() => net.validate({ delayExtensions: false })).toThrow(/ring buffer holds 32 timesteps .*delay extensions are not available/);
    net.validate();
    const net2 = new Network();
    const c = net2.population(2, SpikeSourceArray({ spikeTimes: [1] }));
    const d = net2.population(2, IF_curr_exp());
    net2.projection(c, d, OneToOneConnector(), { delay: 300 });
    expect(() => net2.validate()).toThrow(/delay 300 ms \(300 timesteps\) is beyond what is supported.*delay extensions reach 288 timesteps/);
  });
  it('checks STDP parameters and weight ranges', () => {
    expect(() => AdditiveWeightDependence({ w_min: 2, w_max: 1 })).toThrow(/w_min \(2\) must not exceed w_max \(1\)/);
    expect(() => SpikePairRule({ tau_plus: -5 })).toThrow(/tau_plus must be > 0/);
    expect(() => SpikePairRule({ tau: 5 } as never)).toThrow(/unknown parameter 'tau'/);
    const stdp = STDPMechanism({ timing: SpikePairRule(), weight_dependence: MultiplicativeWeightDependence({ w_max: 0.5 }), weight: 0.25 });
    const net = new Network();
    const a = net.population(2, SpikeSourceArray({ spikeTimes: [1] }));
    const b = net.population(2, IF_curr_exp());
    const p = net.projection(a, b, AllToAllConnector(), { synapse: stdp });
    expect(p.weight).toBe(0.25);
    expect(() => net.projection(a, b, AllToAllConnector(), { synapse: stdp, weight: 0.6, label: 'x' }).connections()).toThrow(/weight 0.6 nA .* outside the STDP range \[w_min 0, w_max 0.5\]/);
    const q = net.projection(a, b, AllToAllConnector(), { synapse: stdp, receptor: 'inhibitory', label: 'inh' });
    expect(() => net.validate({ stdpInhibitory: false })).toThrow(/'inh': STDP on an inhibitory projection is not supported/);
    expect(q.receptor).toBe('inhibitory');
  });
  it('negative weights only on inhibitory projections', () => {
    const net = new Network();
    const a = net.population(2, IF_curr_exp());
    expect(() => net.projection(a, a, OneToOneConnector(), { weight: -1 }).connections()).toThrow(/negative weight -1 nA on an excitatory projection/);
    expect(net.projection(a, a, OneToOneConnector(), { weight: -1, receptor: 'inhibitory', label: 'i' }).connections().weight).toBe(1);
  });
  it('run times', () => {
    expect(() => checkRunTime(0, 1)).toThrow(/a run of 0 ms does nothing/);
    expect(checkRunTime(100, 0.1)).toBe(1000);
  });
  it('record', () => {
    const net = new Network();
    const s = net.population(1, SpikeSourceArray());
    expect(() => s.record('v')).toThrow(/no membrane voltage/);
    expect([...s.record('spikes').recording]).toEqual(['spikes']);
  });
});

describe('JSON description', () => {
  const example = {
    timestep: 1.0,
    run: 100,
    populations: [
      { label: 'src', size: 2, cell: 'SpikeSourceArray', params: { spike_times: [[10, 20], [15]] } },
      { label: 'lif', size: 1, cell: 'IF_curr_exp', params: { i_offset: 1.0 }, record: ['spikes', 'v'] },
    ],
    projections: [{ pre: 'src', post: 'lif', connector: { type: 'AllToAll' }, receptor: 'excitatory', weight: 0.5, delay: 1 }],
  };
  it('parses the issue example', () => {
    const { network, runMs } = parseNetworkJson(JSON.stringify(example));
    expect(runMs).toBe(100);
    expect(network.populations.map((p) => [p.label, p.size, p.cell.kind])).toEqual([
      ['src', 2, 'SpikeSourceArray'],
      ['lif', 1, 'IF_curr_exp'],
    ]);
    expect([...network.getPopulation('lif').recording]).toEqual(['spikes', 'v']);
    const c = network.projections[0]!.connections();
    expect(c.n).toBe(2);
    expect(c.weight).toBe(0.5);
    expect(network.getPopulation('src').spikeTimesOf(0)).toEqual([10, 20]);
  });
  it('parses an STDP synapse', () => {
    const j = structuredClone(example) as Record<string, unknown> & typeof example;
    (j.projections[0] as Record<string, unknown>).synapse = {
      type: 'STDP',
      timing: { type: 'SpikePairRule', tau_plus: 20, tau_minus: 20, A_plus: 0.01, A_minus: 0.012 },
      weight_dependence: { type: 'Additive', w_min: 0, w_max: 1 },
    };
    (j.projections[0] as Record<string, unknown>).label = 'plastic';
    const { network } = parseNetworkJson(j);
    const s = network.projections[0]!.synapse;
    expect(s.kind).toBe('STDP');
    expect(network.projections[0]!.label).toBe('plastic');
  });
  it('names the offending key and path', () => {
    const bad1 = structuredClone(example);
    (bad1.populations[1]!.params as unknown as Record<string, number>).taum = 3;
    expect(() => parseNetworkJson(bad1)).toThrow(/populations\[1\] \('lif'\)\.params: unknown parameter 'taum'/);
    const bad2 = structuredClone(example) as unknown as { projections: Record<string, unknown>[] };
    bad2.projections[0]!.wieght = 1;
    expect(() => parseNetworkJson(bad2)).toThrow(/projections\[0\].*unknown key: 'wieght'/);
    const bad3 = structuredClone(example);
    bad3.projections[0]!.post = 'nope';
    expect(() => parseNetworkJson(bad3)).toThrow(/projections\[0\]\.post: no population labelled 'nope'/);
    const bad4 = structuredClone(example);
    bad4.run = 0;
    expect(() => parseNetworkJson(bad4)).toThrow(/run: run time must be a positive number/);
    const bad5 = structuredClone(example);
    bad5.projections[0]!.delay = -2;
    expect(() => parseNetworkJson(bad5)).toThrow(/projections\[0\]: .*delay must be a number >= 0 ms, got -2/);
    const bad6 = structuredClone(example) as unknown as { projections: { connector: Record<string, unknown> }[] };
    bad6.projections[0]!.connector = { type: 'FixedProbability', p: 2 };
    expect(() => parseNetworkJson(bad6)).toThrow(/projections\[0\]\.connector\.p/);
    expect(() => parseNetworkJson('{')).toThrow(/not valid JSON/);
  });
});
