import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RingBuffers, processSynapticRow, readSynapseParams } from '../../../src/emulator/apps/neuron/index.js';
import { StdpPairCore } from '../../../src/emulator/apps/stdp/index.js';
import { hexWords } from '../../fixtures/arm-vectors/load.js';

const extra = JSON.parse(readFileSync(new URL('../../fixtures/arm-vectors-extra/stdp-extra-arm.json', import.meta.url), 'utf8'));
const hex = (w: Uint32Array) => Array.from(w, (x) => x.toString(16).padStart(8, '0'));

describe('pair STDP against the additional ARM vectors (random trains, late spikes, 2^D delays, mixed rows, trace wrap)', () => {
  for (const c of extra.cases) {
    it(c.name, () => {
      const sp = readSynapseParams(hexWords(c.synapse_params_region));
      const ring = new RingBuffers(sp);
      expect(ring.ring.length).toBe(c.ring_size);
      const core = new StdpPairCore({ regionWords: hexWords(c.stdp_region), weightDependence: c.weight_dependence, nNeurons: sp.nNeurons, ring });
      const rows: Uint32Array[] = c.rows_initial.map(hexWords);
      const got: any[] = [];
      let lastTick = -1;
      const slotWords = sp.nSynapseTypes * ring.nNeuronsPeak;
      const transferUpTo = (tick: number) => {
        for (let t = lastTick + 1; t <= tick; t++) {
          const start = ring.slotStart(t);
          for (let k = 0; k < slotWords; k++) {
            const v = ring.ring[start + k]!;
            if (v) got.push({ tick: t, kind: 'input', index: start + k, value: v });
            ring.ring[start + k] = 0;
          }
        }
        lastTick = Math.max(lastTick, tick);
      };
      for (const e of c.events) {
        transferUpTo(e.tick);
        if (e.kind === 'post') {
          core.processPostEvent(e.tick, e.neuron);
          got.push({ tick: e.tick, kind: 'post', neuron: e.neuron });
        } else if (e.kind === 'pre') {
          const wb = processSynapticRow(ring, rows[e.row]!, 0, e.tick, e.colour, 15, core);
          got.push({ tick: e.tick, kind: 'pre', row: e.row, colour: e.colour, write_back: wb, row_words_after: hex(rows[e.row]!) });
        }
      }
      expect(got).toEqual(c.events);
      expect({
        skipped_synapses: ring.skippedSynapses,
        plastic_saturation_count: core.plasticSaturationCount,
        synapses_saturation_count: ring.saturationCount,
        num_plastic_pre_synaptic_events: core.numPlasticPreSynapticEvents,
        late_spikes: ring.lateSpikes,
        max_late_spike: ring.maxLateSpike,
      }).toEqual(c.counters);
    });
  }
});
