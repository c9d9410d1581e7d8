import { describe, expect, it } from 'vitest';
import { RingBuffers, processSynapticRow, getNBits } from '../../../src/emulator/apps/neuron/index.js';
import { StdpPairCore } from '../../../src/emulator/apps/stdp/index.js';
import { expLut, encodeS1615 } from '../../../src/fixed/index.js';

function region(wMin: number, wMax: number, aPlus: number, aMinus: number, nTypes = 2): Uint32Array {
  const plus = expLut(1, 20), minus = expLut(1, 20);
  const wp: number[] = [];
  for (let t = 0; t < nTypes; t++) wp.push(encodeS1615(wMin), encodeS1615(wMax), encodeS1615(aPlus), encodeS1615(aMinus));
  return Uint32Array.from([1, ...plus.words, ...minus.words, ...wp.map((x) => x >>> 0)]);
}

function setup(nNeurons: number, logMaxDelay: number, dep: 'additive' | 'multiplicative' = 'additive', shifts = [1, 0]) {
  const ring = new RingBuffers({
    nNeurons, nSynapseTypes: 2, logNNeurons: getNBits(nNeurons), logNSynapseTypes: 1, logMaxDelay,
    dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: shifts,
  });
  const core = new StdpPairCore({ regionWords: region(0, 1, 0.01, 0.012), weightDependence: dep, nNeurons, ring });
  return { ring, core };
}

/** A plastic row for synapses {weight16, delay, type, index}. */
function plasticRow(ring: RingBuffers, syn: { w: number; delay: number; type: number; index: number }[]): Uint32Array {
  const n = syn.length;
  const pp = 2 + Math.ceil(n / 2);
  const words = new Uint32Array(1 + pp + 2 + Math.ceil(n / 2));
  const half = new Uint16Array(words.buffer);
  words[0] = pp;
  syn.forEach((s, j) => (half[6 + j] = s.w));
  words[1 + pp] = 0;
  words[2 + pp] = n;
  syn.forEach((s, j) => (half[(3 + pp) * 2 + j] = ((s.delay & ring.delayMask) << ring.typeIndexBits) | (s.type << ring.indexBits) | s.index));
  return words;
}

describe('pair STDP kernel behaviour read from the firmware', () => {
  it('a plastic synapse whose delay is exactly 2^D is skipped, but its weight is still updated and stored', () => {
    const { ring, core } = setup(2, 1);
    const row = plasticRow(ring, [{ w: 8192, delay: 2, type: 0, index: 0 }, { w: 8192, delay: 1, type: 0, index: 1 }]);
    core.processPostEvent(5, 0);
    processSynapticRow(ring, row, 0, 10, 10, 15, core);
    expect(ring.skippedSynapses).toBe(1);
    const half = new Uint16Array(row.buffer);
    expect(half[6]).toBeLessThan(8192); // depression from the post spike at 5 (post-before-pre)
    expect(half[7]).toBe(8192);
    expect(ring.ring.reduce((a, b) => a + b, 0)).toBe(8192);
  });
  it('plastic weights saturate the ring at 0xFFFF and are counted apart from static ones', () => {
    const { ring, core } = setup(1, 2);
    const row = plasticRow(ring, [{ w: 40000, delay: 1, type: 1, index: 0 }, { w: 40000, delay: 1, type: 1, index: 0 }]);
    processSynapticRow(ring, row, 0, 3, 3, 15, core);
    expect(ring.ring[ring.index(4, 1, 0)]).toBe(0xffff);
    expect(core.plasticSaturationCount).toBe(1);
    expect(ring.saturationCount).toBe(0);
  });
  it('processing the same row twice in one tick stacks the pre trace', () => {
    const { ring, core } = setup(1, 2);
    const row = plasticRow(ring, [{ w: 100, delay: 1, type: 0, index: 0 }]);
    processSynapticRow(ring, row, 0, 7, 7, 15, core);
    expect(row[2]! & 0xffff).toBe(2048);
    processSynapticRow(ring, row, 0, 7, 7, 15, core);
    expect(row[1]).toBe(7);
    expect(row[2]! & 0xffff).toBe(4096);
  });
  it('a post spike at tick 0 never potentiates (window bounds clamp at 0)', () => {
    const { ring, core } = setup(1, 2);
    const row = plasticRow(ring, [{ w: 8192, delay: 1, type: 0, index: 0 }]);
    core.processPostEvent(0, 0);
    processSynapticRow(ring, row, 0, 0, 0, 15, core);
    processSynapticRow(ring, row, 0, 30, 30, 15, core);
    expect(new Uint16Array(row.buffer)[6]).toBeLessThanOrEqual(8192);
  });
  it('multiplicative potentiation shrinks as the weight nears w_max, with no clamp', () => {
    const gains: number[] = [];
    for (const w0 of [4096, 16384, 30000]) {
      const { ring, core } = setup(1, 2, 'multiplicative');
      const row = plasticRow(ring, [{ w: w0, delay: 1, type: 0, index: 0 }]);
      processSynapticRow(ring, row, 0, 10, 10, 15, core);
      core.processPostEvent(12, 0);
      processSynapticRow(ring, row, 0, 200, 200, 15, core);
      gains.push(new Uint16Array(row.buffer)[6]! - w0);
    }
    expect(gains[0]).toBeGreaterThan(gains[1]!);
    expect(gains[1]).toBeGreaterThan(gains[2]!);
  });
  it('rejects rows whose plastic synapses do not fit their plastic region', () => {
    const { ring, core } = setup(1, 2);
    const bad = Uint32Array.from([2, 0, 0, 0, 5, 0, 0, 0]);
    expect(() => processSynapticRow(ring, bad, 0, 1, 1, 15, core)).toThrow(/do not fit/);
  });
});

describe('neuron core and STDP together', () => {
  it('spikes of the neuron update become post events that the next pre row sees', async () => {
    const { IfCurrExpCore, packNeuronParams } = await import('../../../src/emulator/apps/neuron/index.js');
    const { ring, core: stdp } = setup(2, 2);
    const p = (iOffset: number) => ({
      vInit: encodeS1615(-65), vRest: encodeS1615(-65), cm: encodeS1615(1), tauM: encodeS1615(20), iOffset: encodeS1615(iOffset),
      vReset: encodeS1615(-65), tauRefracMs: encodeS1615(1), refractTimerInit: 0, timeStepMs: encodeS1615(1),
      vThresh: encodeS1615(-50), tauSynE: encodeS1615(5), isynExcInit: 0, tauSynI: encodeS1615(5), isynInhInit: 0,
    });
    const neurons = new IfCurrExpCore(2, packNeuronParams(1, [p(2), p(0)]));
    const row = plasticRow(ring, [{ w: 8192, delay: 1, type: 0, index: 0 }, { w: 8192, delay: 1, type: 0, index: 1 }]);
    const fired: number[] = [];
    for (let t = 0; t < 60; t++) {
      const n = neurons.tick(t, ring);
      stdp.processPostEvents(t, neurons.spikes, n);
      for (let k = 0; k < n; k++) fired.push(neurons.spikes[k]!);
      if (t === 5 || t === 59) processSynapticRow(ring, row, 0, t, t & 15, 15, stdp);
    }
    expect(fired.length).toBeGreaterThan(0);
    expect(fired.every((i) => i === 0)).toBe(true);
    expect(stdp.history.events(0).countMinusOne).toBe(Math.min(15, fired.length));
    const half = new Uint16Array(row.buffer);
    expect(half[6]).not.toBe(8192); // neuron 0's synapse learned
    expect(half[7]).toBe(8192); // neuron 1 never fired
  });
});
