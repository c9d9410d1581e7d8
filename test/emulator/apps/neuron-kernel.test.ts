import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  IfCurrExpCore, RingBuffers, packNeuronParams, processSynapticRow, readSynapseParams, writeSynapseParams,
  getNBits, neuronParamWords, type IfCurrExpRawParams, type SynapseParams,
} from '../../../src/emulator/apps/neuron/index.js';
import { encodeS1615 } from '../../../src/fixed/index.js';

const refMulk = (a: number, b: number) => Number(BigInt.asIntN(32, (BigInt(a) * BigInt(b)) >> 15n));
const refDecay = (x: number, d: number) => Number(BigInt.asIntN(32, (BigInt(x) * BigInt(d >>> 0)) >> 32n));

function synParams(nNeurons: number, logMaxDelay: number, shifts = [6, 6]): SynapseParams {
  return {
    nNeurons, nSynapseTypes: 2, logNNeurons: getNBits(nNeurons), logNSynapseTypes: 1, logMaxDelay,
    dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: shifts,
  };
}

function staticRow(p: SynapseParams, synapses: { weight: number; delay: number; type: number; index: number }[]): Uint32Array {
  const w = new Uint32Array(3 + synapses.length);
  w[0] = 0; w[1] = synapses.length; w[2] = 0;
  synapses.forEach((s, i) => {
    const tib = p.logNNeurons + p.logNSynapseTypes;
    w[3 + i] = ((s.weight << 16) | ((s.delay & ((1 << p.logMaxDelay) - 1)) << tib) | (s.type << p.logNNeurons) | s.index) >>> 0;
  });
  return w;
}

const defaults = (over: Partial<Record<string, number>> = {}): IfCurrExpRawParams => {
  const f = { v: -65, v_rest: -65, cm: 1, tau_m: 20, i_offset: 0, v_reset: -65, tau_refrac: 0.1, v_thresh: -50, tau_syn_E: 5, tau_syn_I: 5, ts: 1, ...over };
  return {
    vInit: encodeS1615(f.v), vRest: encodeS1615(f.v_rest), cm: encodeS1615(f.cm), tauM: encodeS1615(f.tau_m),
    iOffset: encodeS1615(f.i_offset), vReset: encodeS1615(f.v_reset), tauRefracMs: encodeS1615(f.tau_refrac),
    refractTimerInit: 0, timeStepMs: encodeS1615(f.ts), vThresh: encodeS1615(f.v_thresh),
    tauSynE: encodeS1615(f.tau_syn_E), isynExcInit: 0, tauSynI: encodeS1615(f.tau_syn_I), isynInhInit: 0,
  };
};

describe('synapse parameters region', () => {
  it('round-trips and decodes the words of the STDP vectors', () => {
    const p = synParams(3, 4, [1, 0]);
    expect(readSynapseParams(writeSynapseParams(p))).toEqual(p);
    const words = Uint32Array.from([3, 2, 2, 1, 1, 0, 256, 1, 0]);
    expect(readSynapseParams(words)).toMatchObject({ nNeurons: 3, logNNeurons: 2, logMaxDelay: 1, ringBufferShifts: [1, 0] });
    expect(() => readSynapseParams(Uint32Array.from([1, 2, 1]))).toThrow(/need at least 7 words/);
  });
  it('get_n_bits follows the firmware rule', () => {
    expect([0, 1, 2, 3, 4, 5, 255, 256, 257].map(getNBits)).toEqual([0, 1, 1, 2, 2, 3, 8, 8, 9]);
  });
});

describe('ring buffers and static rows', () => {
  it('index layout is [slot][type][neuron] with the delay field added straight from the word', () => {
    const p = synParams(256, 4);
    const ring = new RingBuffers(p);
    expect(ring.ring.length).toBe(16 * 2 * 256);
    const row = staticRow(p, [{ weight: 7, delay: 3, type: 1, index: 200 }]);
    processSynapticRow(ring, row, 0, 10, 10 & 15, 15);
    expect(ring.ring[ring.index(13, 1, 200)]).toBe(7);
    expect(ring.fixedPreSynapticEvents).toBe(1);
  });
  it('saturates at 0xFFFF and counts each saturation', () => {
    const p = synParams(4, 2);
    const ring = new RingBuffers(p);
    const row = staticRow(p, [
      { weight: 40000, delay: 1, type: 0, index: 2 },
      { weight: 30000, delay: 1, type: 0, index: 2 },
      { weight: 1, delay: 1, type: 0, index: 2 },
      { weight: 65535, delay: 1, type: 1, index: 3 },
    ]);
    processSynapticRow(ring, row, 0, 5, 5 & 15, 15);
    expect(ring.ring[ring.index(6, 0, 2)]).toBe(0xffff);
    expect(ring.ring[ring.index(6, 1, 3)]).toBe(65535);
    expect(ring.saturationCount).toBe(2);
  });
  it('saturated input reaches the neuron as 0xFFFF << shift', () => {
    const p = synParams(1, 2, [3, 3]);
    const ring = new RingBuffers(p);
    const core = new IfCurrExpCore(1, packNeuronParams(1, [defaults()]));
    const row = staticRow(p, [{ weight: 65000, delay: 1, type: 0, index: 0 }, { weight: 65000, delay: 1, type: 0, index: 0 }]);
    processSynapticRow(ring, row, 0, 0, 0, 15);
    core.tick(0, ring);
    core.tick(1, ring);
    expect(core.recordedExc[0]).toBe(refDecay(0xffff << 3, core.initExc[0]!));
    expect(ring.ring.every((x) => x === 0)).toBe(true);
  });
  it('a delay of exactly 2^D wraps to the current slot and is read 2^D ticks later', () => {
    const p = synParams(1, 2);
    const ring = new RingBuffers(p);
    const row = staticRow(p, [{ weight: 9, delay: 4, type: 0, index: 0 }]);
    processSynapticRow(ring, row, 0, 6, 6 & 15, 15);
    expect(ring.ring[ring.index(6, 0, 0)]).toBe(9);
    expect(ring.ring[ring.index(10, 0, 0)]).toBe(9);
  });
  it('late spikes: synapses whose delay is not beyond the colour delay are skipped', () => {
    const p = synParams(2, 3);
    const ring = new RingBuffers(p);
    const row = staticRow(p, [{ weight: 5, delay: 1, type: 0, index: 0 }, { weight: 6, delay: 3, type: 0, index: 1 }]);
    // Spike sent at tick 8 (colour 8), processed at tick 10: colour delay 2.
    processSynapticRow(ring, row, 0, 10, 8, 15);
    expect(ring.skippedSynapses).toBe(1);
    expect(ring.ring[ring.index(8 + 3, 0, 1)]).toBe(6);
    expect(ring.maxLateSpike).toBe(2);
  });
  it('refuses a plastic row on a static core, and input for a neuron beyond the slice', () => {
    const p = synParams(3, 2);
    const ring = new RingBuffers(p);
    expect(() => processSynapticRow(ring, Uint32Array.from([2, 0, 0, 0, 0]), 0, 0, 0, 15)).toThrow(/plastic synaptic row/);
    const core = new IfCurrExpCore(3, packNeuronParams(1, [defaults(), defaults(), defaults()]));
    ring.addStatic(ring.index(1, 0, 3), 1);
    expect(() => core.tick(1, ring)).toThrow(/neuron 3/);
  });
});

/** A direct transcription of the firmware loop: no shortcuts, BigInt arithmetic, full ring scans. */
class ReferenceCore {
  v: number[]; rt: number[]; e: number[]; i: number[];
  constructor(private c: IfCurrExpCore) {
    this.v = Array.from(c.v); this.rt = Array.from(c.refractTimer); this.e = Array.from(c.isynExc); this.i = Array.from(c.isynInh);
  }
  tick(time: number, ring: Uint16Array, p: SynapseParams): { v: number[]; spikes: number[] } {
    const c = this.c;
    const peak = 1 << p.logNNeurons;
    let idx = (time & ((1 << p.logMaxDelay) - 1)) << (p.logNNeurons + p.logNSynapseTypes);
    for (let s = 0; s < 2; s++) for (let n = 0; n < peak; n++, idx++) {
      const val = ring[idx]!;
      if (val > 0) {
        const inp = (val << p.ringBufferShifts[s]!) | 0;
        if (s === 0) this.e[n] = (this.e[n]! + refDecay(inp, c.initExc[n]!)) | 0;
        else this.i[n] = (this.i[n]! + refDecay(inp, c.initInh[n]!)) | 0;
      }
      ring[idx] = 0;
    }
    const rec: number[] = [], spikes: number[] = [];
    for (let n = 0; n < c.nNeurons; n++) {
      rec.push(this.v[n]!);
      if (this.rt[n]! <= 0) {
        const input = (this.e[n]! - this.i[n]! + 0 + c.iOffset[n]! + 0) | 0;
        const alpha = (refMulk(input, c.rMembrane[n]!) + c.vRest[n]!) | 0;
        this.v[n] = (alpha - refMulk(c.expTC[n]!, (alpha - this.v[n]!) | 0)) | 0;
      } else this.rt[n]!--;
      if (this.v[n]! >= c.vThresh[n]!) { this.v[n] = c.vReset[n]!; this.rt[n] = c.tRefract[n]!; spikes.push(n); }
      this.e[n] = refDecay(this.e[n]!, c.decayExc[n]!);
      this.i[n] = refDecay(this.i[n]!, c.decayInh[n]!);
    }
    return { v: rec, spikes };
  }
}

describe('the optimised kernel equals a plain transcription of the firmware', () => {
  it('on random neurons and random static input (shortcuts and dirty-slot skipping are exact)', () => {
    const neuron = fc.record({
      v: fc.constantFrom(-65, -60, -52.5, -70), v_rest: fc.constantFrom(-65, -60), i_offset: fc.constantFrom(0, 0, 0.3, 1.5, -0.5),
      tau_m: fc.constantFrom(20, 10, 3.3), cm: fc.constantFrom(1, 0.25), tau_refrac: fc.constantFrom(0.1, 2, 5),
      tau_syn_E: fc.constantFrom(5, 1.7), tau_syn_I: fc.constantFrom(5, 10), v_thresh: fc.constantFrom(-50, -55),
    });
    fc.assert(fc.property(
      fc.array(neuron, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.constantFrom(0.1, 1), fc.constant(1),
      (neurons, seed, ts, nSteps) => {
        const n = neurons.length;
        const p = synParams(n, 3, [5, 4]);
        const words = packNeuronParams(nSteps, neurons.map((x) => defaults({ ...x, ts })));
        const core = new IfCurrExpCore(n, words);
        const ref = new ReferenceCore(core);
        const ring = new RingBuffers(p);
        const refRing = new Uint16Array(ring.ring.length);
        let s = seed;
        const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
        for (let t = 0; t < 120; t++) {
          const nSp = core.tick(t, ring);
          const r = ref.tick(t, refRing, p);
          expect(Array.from(core.recordedV)).toEqual(r.v);
          expect(Array.from(core.spikes.subarray(0, nSp))).toEqual(r.spikes);
          if (rnd() < 0.3) {
            const syn = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => ({
              weight: Math.floor(rnd() * 3000), delay: 1 + Math.floor(rnd() * 7), type: rnd() < 0.7 ? 0 : 1, index: Math.floor(rnd() * n),
            }));
            const row = staticRow(p, syn);
            processSynapticRow(ring, row, 0, t, t & 15, 15);
            // Same additions into the reference ring, by the formula of the word layout.
            const tib = p.logNNeurons + 1;
            for (const x of syn) {
              const idx = ((((t + x.delay) & 7) << tib) | (x.type << p.logNNeurons) | x.index);
              refRing[idx] = Math.min(0xffff, refRing[idx]! + x.weight);
            }
          }
        }
        return true;
      }), { numRuns: 60 });
  });
});

describe('pause, store and resume', () => {
  it('a run split by store/load is identical to one continuous run', () => {
    const n = 5;
    const neurons = [defaults({ i_offset: 1 }), defaults({ i_offset: 0.6, tau_refrac: 2 }), defaults(), defaults({ v: -52 }), defaults({ i_offset: -0.2 })];
    const p = synParams(n, 3);
    const drive = (ring: RingBuffers, t: number) => {
      if (t % 7 === 0) processSynapticRow(ring, staticRow(p, [{ weight: 700, delay: 2, type: 0, index: t % n }, { weight: 300, delay: 1, type: 1, index: (t + 1) % n }]), 0, t, t & 15, 15);
    };
    const words = packNeuronParams(1, neurons);
    const a = new IfCurrExpCore(n, words);
    const ringA = new RingBuffers(p);
    const traceA: number[][] = [];
    for (let t = 0; t < 100; t++) { a.tick(t, ringA); traceA.push(Array.from(a.recordedV)); drive(ringA, t); }

    const wordsB = packNeuronParams(1, neurons);
    const b = new IfCurrExpCore(n, wordsB);
    const ringB = new RingBuffers(p);
    const traceB: number[][] = [];
    for (let t = 0; t < 50; t++) { b.tick(t, ringB); traceB.push(Array.from(b.recordedV)); drive(ringB, t); }
    b.transfer(50, ringB); // the tick that finds the run finished still consumes its slot
    b.store(wordsB);
    expect(wordsB.length).toBe(neuronParamWords(n));
    const c = new IfCurrExpCore(n, wordsB); // resume: parameters re-read and re-derived
    for (let t = 50; t < 100; t++) { c.tick(t, ringB); traceB.push(Array.from(c.recordedV)); drive(ringB, t); }
    expect(traceB).toEqual(traceA);
  });
});
