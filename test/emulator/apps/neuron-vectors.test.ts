import { describe, expect, it } from 'vitest';
import { IfCurrExpCore, RingBuffers, getNBits } from '../../../src/emulator/apps/neuron/index.js';
import { loadVectors } from '../../fixtures/arm-vectors/load.js';

const lif = loadVectors('lif-if_curr_exp-arm.json');

function paramWords(c: any): Uint32Array {
  const e = c.encoded_params_raw;
  return Uint32Array.from([1, ...e.neuron_lif, ...e.threshold, ...e.synapse_exp].map((x: number) => x >>> 0));
}

describe('IF_curr_exp against the ARM golden traces', () => {
  for (const c of lif.cases) {
    it(`${c.name}: derived constants, recorded V / isyn and spike ticks, bit for bit`, () => {
      const core = new IfCurrExpCore(1, paramWords(c));
      expect({
        R: core.rMembrane[0], exp_TC: core.expTC[0], T_refract: core.tRefract[0],
        decay_E: core.decayExc[0], init_E: core.initExc[0], decay_I: core.decayInh[0], init_I: core.initInh[0],
      }).toEqual(c.derived);

      const shifts = [c.ring_buffer_left_shifts.excitatory, c.ring_buffer_left_shifts.inhibitory];
      const ring = new RingBuffers({
        nNeurons: 1, nSynapseTypes: 2, logNNeurons: getNBits(1), logNSynapseTypes: 1, logMaxDelay: 4,
        dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: shifts,
      });
      const inputsAt = new Map<number, any[]>();
      for (const inp of c.inputs) {
        expect(inp.left_shift).toBe(shifts[inp.synapse_type === 'excitatory' ? 0 : 1]);
        inputsAt.set(inp.tick, [...(inputsAt.get(inp.tick) ?? []), inp]);
      }
      const addInputsFor = (tick: number) => {
        for (const inp of inputsAt.get(tick) ?? []) {
          const type = inp.synapse_type === 'excitatory' ? 0 : 1;
          const idx = ring.index(tick, type, 0);
          for (const w of inp.weights_uint16) ring.addStatic(idx, w);
          expect(ring.ring[idx]).toBe(inp.ring_value);
        }
      };
      addInputsFor(0);
      const v: number[] = [], exc: number[] = [], inh: number[] = [], spikes: number[] = [];
      for (let t = 0; t < c.n_ticks; t++) {
        const n = core.tick(t, ring);
        v.push(core.recordedV[0]!);
        exc.push(core.recordedExc[0]!);
        inh.push(core.recordedInh[0]!);
        if (n > 0) spikes.push(t);
        addInputsFor(t + 1); // rows processed during tick t land in later slots
      }
      expect(v).toEqual(c.v_raw);
      expect(exc).toEqual(c.isyn_exc_raw);
      expect(inh).toEqual(c.isyn_inh_raw);
      expect(spikes).toEqual(c.spike_ticks);
    });
  }
});
