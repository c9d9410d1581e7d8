/**
 * `IfCurrExpCore.updateActive` (skips neurons whose last update changed
 * nothing and that got no input since) against `update` (every neuron), on
 * raw integers: spikes, recorded values and state after every tick.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  IfCurrExpCore, RingBuffers, packNeuronParams, getNBits, type IfCurrExpRawParams,
} from '../../../../src/emulator/apps/neuron/index.js';
import { encodeS1615 } from '../../../../src/fixed/index.js';

interface Phys { v: number; v_rest: number; v_reset: number; v_thresh: number; tau_m: number; cm: number; tau_refrac: number; i_offset: number; tau_syn_E: number; tau_syn_I: number; isyn_exc: number; isyn_inh: number }

function raw(f: Phys): IfCurrExpRawParams {
  return {
    vInit: encodeS1615(f.v), vRest: encodeS1615(f.v_rest), cm: encodeS1615(f.cm), tauM: encodeS1615(f.tau_m),
    iOffset: encodeS1615(f.i_offset), vReset: encodeS1615(f.v_reset), tauRefracMs: encodeS1615(f.tau_refrac),
    refractTimerInit: 0, timeStepMs: encodeS1615(1), vThresh: encodeS1615(f.v_thresh),
    tauSynE: encodeS1615(f.tau_syn_E), isynExcInit: encodeS1615(f.isyn_exc), tauSynI: encodeS1615(f.tau_syn_I), isynInhInit: encodeS1615(f.isyn_inh),
  };
}

const phys: fc.Arbitrary<Phys> = fc.record({
  v: fc.double({ min: -80, max: -45, noNaN: true }),
  v_rest: fc.double({ min: -70, max: -60, noNaN: true }),
  v_reset: fc.double({ min: -75, max: -60, noNaN: true }),
  v_thresh: fc.double({ min: -55, max: -45, noNaN: true }),
  tau_m: fc.double({ min: 2, max: 40, noNaN: true }),
  cm: fc.double({ min: 0.2, max: 2, noNaN: true }),
  tau_refrac: fc.double({ min: 0, max: 5, noNaN: true }),
  i_offset: fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: -1, max: 2, noNaN: true })),
  tau_syn_E: fc.double({ min: 0.5, max: 10, noNaN: true }),
  tau_syn_I: fc.double({ min: 0.5, max: 10, noNaN: true }),
  isyn_exc: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
  isyn_inh: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
});

/** Input per tick: ring-buffer entries (transferred) or direct addInput calls. */
const event = fc.record({ tick: fc.nat(119), neuron: fc.nat(69), type: fc.nat(1), weight: fc.integer({ min: 0, max: 3000 }), direct: fc.boolean() });

function ring(n: number): RingBuffers {
  return new RingBuffers({ nNeurons: n, nSynapseTypes: 2, logNNeurons: getNBits(n), logNSynapseTypes: 1, logMaxDelay: 3, dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: [4, 4] });
}

const state = (k: IfCurrExpCore) => ({
  v: Array.from(k.v), rt: Array.from(k.refractTimer), exc: Array.from(k.isynExc), inh: Array.from(k.isynInh),
  recV: Array.from(k.recordedV), recE: Array.from(k.recordedExc), recI: Array.from(k.recordedInh),
  spikes: Array.from(k.spikes.subarray(0, k.nSpikes)),
});

/** Runs both kernels side by side; returns how many neuron updates the active path skipped. */
function compare(neurons: Phys[], nSteps: number, events: { tick: number; neuron: number; type: number; weight: number; direct: boolean }[], ticks: number): number {
  const n = neurons.length;
  const words = packNeuronParams(nSteps, neurons.map(raw));
  const all = new IfCurrExpCore(n, words), act = new IfCurrExpCore(n, words);
  const ringAll = ring(n), ringAct = ring(n);
  let skipped = 0;
  for (let t = 0; t < ticks; t++) {
    for (const e of events) {
      if (e.tick !== t || e.neuron >= n) continue;
      if (e.direct) {
        all.addInput(e.type, e.neuron, e.weight * 64);
        act.addInput(e.type, e.neuron, e.weight * 64);
      } else {
        ringAll.addStatic(ringAll.index(t, e.type, e.neuron), e.weight);
        ringAct.addStatic(ringAct.index(t, e.type, e.neuron), e.weight);
      }
    }
    all.transfer(t, ringAll);
    act.transfer(t, ringAct);
    let before = 0;
    for (const w of act.active) for (let b = w; b !== 0; b &= b - 1) before++;
    skipped += n - before;
    expect(act.updateActive(t)).toBe(all.update(t));
    expect(state(act)).toEqual(state(all));
  }
  return skipped;
}

describe('IfCurrExpCore.updateActive', () => {
  it('gives update\'s raw results tick by tick (random neurons, inputs, sub-steps)', () => {
    fc.assert(
      fc.property(fc.array(phys, { minLength: 1, maxLength: 70 }), fc.constantFrom(1, 1, 2), fc.array(event, { maxLength: 60 }), (neurons, nSteps, events) => {
        compare(neurons, nSteps, events, 120);
      }),
      { numRuns: 60 },
    );
  });

  it('skips a quiet core after one tick and updates only the neurons given input', () => {
    const rest = { v: -65, v_rest: -65, v_reset: -65, v_thresh: -50, tau_m: 20, cm: 1, tau_refrac: 2, i_offset: 0, tau_syn_E: 5, tau_syn_I: 5, isyn_exc: 0, isyn_inh: 0 };
    const neurons = Array.from({ length: 64 }, () => rest);
    const events = [{ tick: 10, neuron: 40, type: 0, weight: 2000, direct: false }, { tick: 30, neuron: 3, type: 1, weight: 500, direct: true }];
    const skipped = compare(neurons, 1, events, 100);
    // 99 of 100 ticks start with every neuron at its fixed point except the few given input and still settling.
    expect(skipped).toBeGreaterThan(64 * 90);
    const k = new IfCurrExpCore(64, packNeuronParams(1, neurons.map(raw)));
    k.updateActive(0);
    expect(Array.from(k.active)).toEqual([0, 0]);
    k.addInput(0, 33, 1 << 15);
    expect(Array.from(k.active)).toEqual([0, 2]);
    k.load(packNeuronParams(1, neurons.map(raw)));
    expect(Array.from(k.active)).toEqual([0xffffffff, 0xffffffff]);
  });

  it('without recorded values gives the same state and spikes, and fills them all again once they are asked for', () => {
    const neurons = Array.from({ length: 40 }, (_, i) => ({ v: -65 + (i % 9), v_rest: -65, v_reset: -70, v_thresh: -52, tau_m: 20, cm: 1, tau_refrac: 2, i_offset: i % 3 === 0 ? 0.8 : 0, tau_syn_E: 5, tau_syn_I: 5, isyn_exc: 0, isyn_inh: 0 }));
    const words = packNeuronParams(1, neurons.map(raw));
    const all = new IfCurrExpCore(40, words), act = new IfCurrExpCore(40, words);
    act.recordValues = false;
    for (let t = 0; t < 60; t++) {
      if (t % 7 === 0) for (const k of [all, act]) k.addInput(0, (t * 3) % 40, 5 << 15);
      expect(act.updateActive(t)).toBe(all.update(t));
      const { recV, recE, recI, ...rest } = state(all);
      const { recV: _v, recE: _e, recI: _i, ...restAct } = state(act);
      expect(restAct).toEqual(rest);
      if (t === 40) act.recordValues = true;
      if (t > 40) expect(state(act)).toEqual(state(all));
    }
  });

  it('keeps the bits beyond nNeurons clear', () => {
    const k = new IfCurrExpCore(37, packNeuronParams(1, Array.from({ length: 37 }, () => raw({ v: -60, v_rest: -65, v_reset: -65, v_thresh: -50, tau_m: 20, cm: 1, tau_refrac: 2, i_offset: 0, tau_syn_E: 5, tau_syn_I: 5, isyn_exc: 0, isyn_inh: 0 }))));
    expect(Array.from(k.active)).toEqual([0xffffffff, 0x1f]);
  });
});
