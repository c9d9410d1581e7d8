/** The bytes the loader writes, read back from the board and decoded with src/regions. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseNetworkJson } from '../../src/network/index.js';
import {
  DSG_HEADER_BYTES, DSG_MAGIC, bytesToWords, coreParams, decodeSendBuffer, dsgHeader, lookupRows, masterPopTable, padToWord,
  ssaConfig, synapseParams,
} from '../../src/regions/index.js';
import { NeuronRegions, Simulator, SourceRegions } from '../../src/run/index.js';
import { vcpuAddress, vcpuFieldOffset } from '../../src/protocol/vcpu.js';

const EXAMPLE = readFileSync(new URL('../../examples/issue3.json', import.meta.url), 'utf8');

describe('loaded core blocks', () => {
  it('hold the generated regions at the addresses in user0, as the cores see them after start', async () => {
    const { network } = parseNetworkJson(EXAMPLE);
    const sim = await Simulator.connect({ progress: false });
    try {
      await sim.run(network, 30);
      const plan = sim.runPlan!;
      for (const core of plan.cores) {
        const { x, y, p } = core.vertex.placement;
        const base = (await sim.tx.read(x, y, vcpuAddress(p) + vcpuFieldOffset('user0'), 4));
        const user0 = new DataView(base.buffer, base.byteOffset).getUint32(0, true);
        const header = dsgHeader.decode(await sim.tx.read(x, y, user0, DSG_HEADER_BYTES));
        expect(header.magic).toBe(DSG_MAGIC);
        // The core verified every checksum and zeroed them, as FEC's data_specification does.
        expect(header.regions.every((r) => r.checksum === 0 && r.nWords === 0)).toBe(true);
        const region = async (id: number) => {
          const c = core.regions[id]!.content!;
          return sim.tx.read(x, y, header.regions[id]!.pointer, padToWord(c).length);
        };
        if (core.kind === 'neuron') {
          const R = NeuronRegions;
          for (const id of [R.SYSTEM, R.CORE_PARAMS, R.SYNAPSE_PARAMS, R.POPULATION_TABLE, R.SYNAPTIC_MATRIX, R.NEURON_RECORDING]) {
            expect(await region(id), `region ${id}`).toEqual(padToWord(core.regions[id]!.content!));
          }
          const cp = coreParams.decode(await region(R.CORE_PARAMS));
          expect(cp.nNeurons).toBe(1);
          expect(cp.hasKey).toBe(false);
          const sp = synapseParams.decode(await region(R.SYNAPSE_PARAMS));
          expect(sp.ringBufferShifts).toEqual(core.synapses.shifts);
          // Each source key finds a row holding its synapse.
          const table = masterPopTable.decode(await region(R.POPULATION_TABLE));
          const src = plan.cores.find((c) => c.kind === 'spikeSource')!;
          for (let a = 0; a < 2; a++) {
            const rows = lookupRows(table, src.vertex.key + (a << 4) + 3);
            expect(rows).toHaveLength(1);
            const w = bytesToWords((await region(R.SYNAPTIC_MATRIX)).slice(rows[0]!.offset, rows[0]!.offset + rows[0]!.bytes));
            expect(w[1]).toBe(1);
            expect(w[3]! >>> 16).toBe(Math.round(0.5 * core.synapses.scales[0]!));
          }
        } else {
          const cfg = ssaConfig.decode(await region(SourceRegions.CONFIGURATION));
          expect(cfg.prefix).toBe(core.vertex.key);
          const buf = decodeSendBuffer(await sim.tx.read(x, y, header.regions[SourceRegions.SEND_BUFFER]!.pointer, core.sendBufferBytes));
          expect(buf.packets.map((q) => q.tick)).toEqual([10, 15, 20]);
          expect(buf.stopped).toBe(true);
        }
      }
    } finally {
      await sim.end();
    }
  }, 60000);
});
