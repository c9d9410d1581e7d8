import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IfCurrExpCore, RingBuffers, getNBits } from '../../../src/emulator/apps/neuron/index.js';

const extra = JSON.parse(readFileSync(new URL('../../fixtures/arm-vectors-extra/lif-extra-arm.json', import.meta.url), 'utf8'));

describe('IF_curr_exp against the additional ARM vectors (sub-steps, long refractory periods, saved state)', () => {
  for (const c of extra.cases) {
    it(c.name, () => {
      const words = Uint32Array.from([c.n_steps, ...c.lif, c.v_thresh, ...c.syn].map((x: number) => x >>> 0));
      const core = new IfCurrExpCore(1, words);
      expect({
        R: core.rMembrane[0], exp_TC: core.expTC[0], T_refract: core.tRefract[0],
        decay_E: core.decayExc[0], init_E: core.initExc[0], decay_I: core.decayInh[0], init_I: core.initInh[0],
      }).toEqual(c.derived);
      const ring = new RingBuffers({
        nNeurons: 1, nSynapseTypes: 2, logNNeurons: getNBits(1), logNSynapseTypes: 1, logMaxDelay: 3,
        dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: c.shifts,
      });
      const trace: number[][] = [];
      for (let t = 0; t < c.n_ticks; t++) {
        for (const [tick, type, value] of c.inputs) if (tick === t) ring.addStatic(ring.index(t, type, 0), value);
        const n = core.tick(t, ring);
        trace.push([core.recordedV[0]!, core.recordedExc[0]!, core.recordedInh[0]!, n]);
      }
      expect(trace).toEqual(c.trace);
      core.store(words);
      const i32 = new Int32Array(words.buffer);
      expect({ V: i32[1], refract: i32[8], isyn_exc: i32[12], isyn_inh: i32[14] }).toEqual(c.saved);
    });
  }
});
