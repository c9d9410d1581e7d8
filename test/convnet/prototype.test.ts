import { describe, expect, it } from 'vitest';
import { LifPopulation, lifConstants } from '../../src/convnet/prototype/lif.js';
import { PairStdp, expLut } from '../../src/convnet/prototype/stdp.js';
import { PYNN_IF_CURR_EXP_DEFAULTS } from '../../src/convnet/params.js';
import { HostFloatBackend } from '../../src/convnet/prototype/backend.js';

describe('IF_curr_exp float model', () => {
  it('relaxes to v_rest + i_offset·R and fires with enough drive', () => {
    const p = { ...PYNN_IF_CURR_EXP_DEFAULTS, i_offset: 0.5 };
    const pop = new LifPopulation(1, lifConstants(p));
    let spikes = 0;
    for (let t = 0; t < 200; t++) spikes += pop.step(() => {});
    expect(spikes).toBe(0);
    expect(pop.v[0]).toBeCloseTo(-65 + 0.5 * 20, 2);
    const strong = new LifPopulation(1, lifConstants({ ...p, i_offset: 1 }));
    for (let t = 0; t < 200; t++) spikes += strong.step(() => {});
    expect(spikes).toBeGreaterThan(3);
  });
  it('an input spike takes effect one tick after it is queued', () => {
    const pop = new LifPopulation(1, lifConstants(PYNN_IF_CURR_EXP_DEFAULTS));
    pop.nextE[0] = 1;
    pop.step(() => {});
    expect(pop.v[0]).toBeGreaterThan(-65);
    expect(pop.isynE[0]).toBeGreaterThan(0);
  });
});

describe('pair STDP (deferred, additive)', () => {
  const p = { tau_plus: 20, tau_minus: 20, A_plus: 0.1, A_minus: 0.1, w_min: 0, w_max: 1 };
  it('matches the firmware LUT for tau = 20 (154 entries, 2048, 1948, 1853, ...)', () => {
    const l = expLut(20);
    expect(l.length).toBe(154);
    expect([l[0], l[1], l[2]].map((v) => v! * 2048)).toEqual([2048, 1948, 1853]);
  });
  it('potentiates pre-before-post at the next pre spike, depresses post-before-pre', () => {
    const w = new Float32Array([0.5]);
    const s = new PairStdp(1, 1, p);
    s.preSpike(0, 10, w);
    expect(w[0]).toBe(0.5);
    s.postSpike(0, 14); // seen at 15 after the 1 ms dendritic delay
    s.preSpike(0, 40, w); // applies +A·exp(-5/20), then -A·exp(-25/20)
    const lut = expLut(20);
    expect(w[0]).toBeCloseTo(0.5 + 0.1 * lut[5]! - 0.1 * lut[25]!, 6);
  });
  it('clamps to [w_min, w_max]', () => {
    const w = new Float32Array([0.99]);
    const s = new PairStdp(1, 1, { ...p, A_plus: 1 });
    s.preSpike(0, 0, w);
    s.postSpike(0, 1);
    s.preSpike(0, 500, w);
    expect(w[0]).toBe(1);
  });
});

describe('HostFloatBackend', () => {
  it('trains a layer: the neuron driven by a repeated pattern strengthens that pattern', async () => {
    const b = new HostFloatBackend();
    const slots = 30;
    const source = [0, 1, 2, 3].map((i) => (i < 2 ? Array.from({ length: slots }, (_, s) => s * 50 + i) : []));
    const res = await b.trainLayer({
      source,
      neurons: { n: 1, params: { ...PYNN_IF_CURR_EXP_DEFAULTS, v_thresh: -64, tau_refrac: 1 } },
      plastic: { stdp: { tau_plus: 10, tau_minus: 10, A_plus: 0.05, A_minus: 0.05, w_min: 0, w_max: 1 }, initialWeights: new Float32Array([0.5, 0.5, 0.5, 0.5]) },
      inhibition: 0,
      durationMs: slots * 50,
    });
    expect(res.weights[0]).toBeGreaterThan(0.6);
    expect(res.weights[2]).toBe(0.5);
  });
});
