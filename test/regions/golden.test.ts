import { describe, expect, it } from 'vitest';
import {
  encodeIfCurrExpNeuron, expLut, makeStdpRegion, stdpRegion, synapseParams, wordsToHex, bytesToWords, hexToWords,
  encodePlasticRow, decodeRow, rowLayout, ringBufferShifts, maxRingBufferWeights, weightScale, encodeWeight, getNBits,
} from '../../src/regions/index.js';
import { loadVectors } from '../fixtures/arm-vectors/load.js';

const stdp = loadVectors('stdp-pair-arm.json');
const lif = loadVectors('lif-if_curr_exp-arm.json');

describe('golden host-written words (sPyNNaker f905ce88 on ARM)', () => {
  it.each(stdp.lut_vectors as any[])('LUT ts=$ts_ms tau=$tau_ms', (l: any) => {
    const lut = expLut(l.ts_ms, l.tau_ms);
    expect(lut.values.length).toBe(l.size);
    expect(lut.shift).toBe(l.shift);
    expect(lut.values).toEqual(l.values);
  });

  for (const c of stdp.cases) {
    it(`STDP region, synapse params, shifts and rows: ${c.name}`, () => {
      const p = c.params;
      const h = c.host;
      const nTypes = h.n_synapse_types;
      const maxW = maxRingBufferWeights([{
        synapseType: 0, nConnections: 1, weightMean: h.rows_initial[0].synapses[0].weight, weightVariance: 0,
        weightMax: Math.max(p.w_max, ...h.rows_initial[0].synapses.map((s: any) => s.weight)), delayVariance: 0,
        spikesPerTick: 1, spikesPerSecond: 30,
      }], { nSynapseTypes: nTypes, timestepMs: p.timestep_ms });
      expect(maxW[0]).toBe(h.ring_buffer_max_weight_estimate);
      const shifts = ringBufferShifts(maxW);
      expect(shifts).toEqual(h.ring_buffer_shifts);
      expect(shifts.map((s) => weightScale(s, p.global_weight_scale))).toEqual(h.weight_scales);

      const region = makeStdpRegion({
        timestepMs: p.timestep_ms, nSynapseTypes: nTypes, globalWeightScale: p.global_weight_scale, backpropDelay: p.backprop_delay,
        timing: { tau_plus: p.tau_plus_ms, tau_minus: p.tau_minus_ms, A_plus: p.A_plus, A_minus: p.A_minus },
        weight: { kind: p.weight_dependence, w_min: p.w_min, w_max: p.w_max },
      });
      const bytes = stdpRegion.encode(region);
      expect(wordsToHex(bytesToWords(bytes))).toEqual(h.stdp_region);
      expect(stdpRegion.encodingLength(region)).toBe(bytes.length);
      expect(stdpRegion.decode(bytes)).toEqual(region);

      const sp = {
        nNeurons: h.n_post_neurons, nSynapseTypes: nTypes, logNNeurons: h.index_bits_N, logNSynapseTypes: h.type_bits_T,
        logMaxDelay: h.delay_bits_D, dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: shifts,
      };
      expect(wordsToHex(bytesToWords(synapseParams.encode(sp)))).toEqual(h.synapse_params_region);

      const layout = rowLayout(h.n_post_neurons, nTypes, h.max_support_delay);
      expect([layout.indexBits, layout.typeBits, layout.delayBits]).toEqual([h.index_bits_N, h.type_bits_T, h.delay_bits_D]);
      for (const row of h.rows_initial) {
        const synapses = row.synapses.map((s: any) => ({
          post: s.target, type: s.type, delaySteps: s.delay_steps, weight: encodeWeight(s.weight, h.weight_scales[s.type]),
        }));
        const words = encodePlasticRow({ prevTime: 0, prevTrace: 0, synapses }, layout);
        expect(wordsToHex(words)).toEqual(row.words);
      }
      // rows after every pre spike and at the end decode and re-encode to the same words
      const after = [...c.events.filter((e: any) => e.row_words_after).map((e: any) => e.row_words_after), ...c.final_rows];
      for (const hex of after) {
        const words = hexToWords(hex);
        const d = decodeRow(words, layout);
        expect(wordsToHex(encodePlasticRow(d.plastic!, layout))).toEqual(hex);
      }
      const last = decodeRow(hexToWords(c.final_rows[0]), layout).plastic!;
      expect(last.synapses.map((s) => s.weight)).toEqual(c.final_weights.map((w: any) => w.stored));
      c.final_weights.forEach((w: any, i: number) => expect(last.synapses[i]!.weight / h.weight_scales[0]).toBe(w.decoded));
    });
  }

  for (const c of lif.cases) {
    it(`IF_curr_exp parameter words: ${c.name}`, () => {
      const raw = encodeIfCurrExpNeuron(c.params, c.timestep);
      const e = c.encoded_params_raw;
      expect([raw.v, raw.vRest, raw.cm, raw.tauM, raw.iOffset, raw.vReset, raw.tauRefrac, raw.refractTimer, raw.timestep]).toEqual(e.neuron_lif);
      expect([raw.vThresh]).toEqual(e.threshold);
      expect([raw.tauSynE, raw.isynExc, raw.tauSynI, raw.isynInh, raw.synTimestep]).toEqual(e.synapse_exp);
    });
  }

  it('get_n_bits matches PACMAN', () => {
    expect([0, 1, 2, 3, 4, 5, 255, 256, 257].map(getNBits)).toEqual([0, 1, 1, 2, 2, 3, 8, 8, 9]);
  });
});
