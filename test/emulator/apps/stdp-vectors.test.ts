import { describe, expect, it } from 'vitest';
import { RingBuffers, processSynapticRow, readSynapseParams } from '../../../src/emulator/apps/neuron/index.js';
import { StdpPairCore } from '../../../src/emulator/apps/stdp/index.js';
import { loadVectors, hexWords } from '../../fixtures/arm-vectors/load.js';

const stdp = loadVectors('stdp-pair-arm.json');
const COLOUR_MASK = 15;
const hex = (w: Uint32Array) => Array.from(w, (x) => x.toString(16).padStart(8, '0'));

describe('pair STDP against the ARM golden vectors', () => {
  for (const c of stdp.cases) {
    it(`${c.name}: traces, histories, rows after every pre spike, ring changes, counters`, () => {
      const sp = readSynapseParams(hexWords(c.host.synapse_params_region));
      expect(sp.ringBufferShifts).toEqual(c.host.ring_buffer_shifts);
      const ring = new RingBuffers(sp);
      expect(ring.ring.length).toBe(c.on_chip_after_init.ring_buffer_size);
      const core = new StdpPairCore({
        regionWords: hexWords(c.host.stdp_region), weightDependence: c.params.weight_dependence, nNeurons: sp.nNeurons, ring,
      });
      expect(core.params.lutPlus.size).toBe(c.on_chip_after_init.lut_plus_size);
      expect(core.params.lutMinus.size).toBe(c.on_chip_after_init.lut_minus_size);
      for (const wp of c.on_chip_after_init.weight_params_s1615_per_type) {
        const t = wp.type;
        expect([...core.params.weightParams.subarray(4 * t, 4 * t + 4), core.weightShift[t]])
          .toEqual([wp.min_weight, wp.max_weight, wp.a2_plus, wp.a2_minus, wp.weight_shift]);
      }

      const rows = c.host.rows_initial.map((r: any) => hexWords(r.words));
      const transferred: any[] = [];
      let lastTick = -1;
      const transferUpTo = (tick: number) => {
        // The timer tick consumes the slot of each tick before that tick's events.
        for (let t = lastTick + 1; t <= tick; t++) {
          const start = ring.slotStart(t);
          for (let k = 0; k < sp.nSynapseTypes * ring.nNeuronsPeak; k++) {
            const v = ring.ring[start + k]!;
            if (v > 0) transferred.push({ tick: t, index: start + k, type: k >> ring.indexBits, neuron: k & ring.indexMask, value: v });
            ring.ring[start + k] = 0;
          }
        }
        lastTick = tick;
      };
      for (const e of c.events) {
        transferUpTo(e.tick);
        if (e.kind === 'post') {
          core.processPostEvent(e.tick, e.neuron);
          expect(core.history.events(e.neuron)).toEqual({
            countMinusOne: e.history_after.count_minus_one, times: e.history_after.times, traces: e.history_after.traces,
          });
        } else {
          const before = Uint16Array.from(ring.ring);
          const skippedBefore = ring.skippedSynapses;
          const colour = (e.tick - e.colour_delay) & COLOUR_MASK;
          const writeBack = processSynapticRow(ring, rows[e.row], 0, e.tick, colour, COLOUR_MASK, core);
          expect(writeBack).toBe(e.write_back);
          expect(hex(rows[e.row])).toEqual(e.row_words_after);
          const changes = [];
          for (let k = 0; k < ring.ring.length; k++) {
            if (ring.ring[k] !== before[k]) {
              const local = k & (sp.nSynapseTypes * ring.nNeuronsPeak - 1);
              changes.push({ index: k, slot: k >> ring.typeIndexBits, type: local >> ring.indexBits, neuron: local & ring.indexMask, before: before[k], after: ring.ring[k] });
            }
          }
          expect(changes).toEqual(e.ring_changes);
          expect(ring.skippedSynapses - skippedBefore).toBe(e.skipped_synapses);
        }
      }
      transferUpTo(lastTick + (1 << ring.delayBits));
      expect(transferred).toEqual(c.ring_inputs);
      expect(rows.map(hex)).toEqual(c.final_rows);
      expect({
        skipped_synapses: ring.skippedSynapses,
        plastic_saturation_count: core.plasticSaturationCount,
        num_plastic_pre_synaptic_events: core.numPlasticPreSynapticEvents,
        late_spikes: ring.lateSpikes,
        max_late_spike: ring.maxLateSpike,
      }).toEqual(c.counters);
    });
  }
});
