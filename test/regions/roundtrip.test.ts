import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildCoreBlock, coreParams, decodeSendBuffer, decodeSpikeRecords, decodeSynapticMatrix, decodeWordRecords, delayParams, dsgHeader,
  encodeSendBuffer, encodeSpikeRecords, encodeWordRecords, ifCurrExpParams, lookupRows, masterPopTable, neuronRecording,
  recordingHeader, ssaConfig, stdpRegion, synapseParams, systemRegion, buildSynapticMatrix, verifyCoreBlock, bytesToWords,
  DSG_HEADER_BYTES, applicationMagic, spikeKeysByTick, makeIfCurrExpRecording, BINARY_SPECS, decodeRow, encodePlasticRow,
  type RowLayout, type RegionCodec, splitDelay, ringBufferShift,
} from '../../src/regions/index.js';
import { specJson } from '../../src/regions/specs/export-json.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const small = fc.integer({ min: 0, max: 64 });

function roundTrip<T>(codec: RegionCodec<T>, arb: fc.Arbitrary<T>) {
  fc.assert(fc.property(arb, (x) => {
    const b = codec.encode(x);
    expect(b.length).toBe(codec.encodingLength(x));
    expect(codec.decode(b)).toEqual(x);
  }), { numRuns: 200 });
}

describe('decode(encode(x)) == x', () => {
  it('system region', () => roundTrip(systemRegion, fc.record({ applicationMagic: u32, timerPeriodUs: u32, controlSdpPort: u32 })));
  it('DSG header', () => roundTrip(dsgHeader, fc.record({
    magic: u32, version: u32, regions: fc.array(fc.record({ pointer: u32, checksum: u32, nWords: u32 }), { minLength: 32, maxLength: 32 }),
  })));
  it('core params', () => roundTrip(coreParams, fc.integer({ min: 0, max: 40 }).chain((n) => fc.record({
    hasKey: fc.boolean(), nNeurons: fc.constant(n), nNeuronsPeak: u32, nColourBits: small,
    ringBufferShifts: fc.array(small, { maxLength: 4 }), keys: fc.array(u32, { minLength: n, maxLength: n }),
  }))));
  it('IF_curr_exp neuron params', () => roundTrip(ifCurrExpParams, fc.record({
    nStepsPerTimestep: u32,
    neurons: fc.array(fc.record({
      v: i32, vRest: i32, cm: i32, tauM: i32, iOffset: i32, vReset: i32, tauRefrac: i32, refractTimer: i32, timestep: i32,
      vThresh: i32, tauSynE: i32, isynExc: i32, tauSynI: i32, isynInh: i32, synTimestep: i32,
    }), { maxLength: 20 }),
  })));
  it('synapse params', () => roundTrip(synapseParams, fc.integer({ min: 0, max: 4 }).chain((t) => fc.record({
    nNeurons: u32, nSynapseTypes: fc.constant(t), logNNeurons: small, logNSynapseTypes: small, logMaxDelay: small,
    dropLateSpikes: fc.boolean(), incomingSpikeBufferSize: u32, ringBufferShifts: fc.array(small, { minLength: t, maxLength: t }),
  }))));
  it('STDP region', () => {
    const lut = fc.record({ shift: fc.integer({ min: 0, max: 15 }), values: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 30 }).map((v) => (v.length % 2 ? [...v, 0] : v)) });
    roundTrip(stdpRegion, fc.record({
      backpropDelay: fc.boolean(), lutPlus: lut, lutMinus: lut,
      weights: fc.array(fc.record({ wMin: i32, wMax: i32, aPlus: i32, aMinus: i32 }), { maxLength: 3 }),
    }));
  });
  it('recording header', () => roundTrip(recordingHeader, fc.record({
    channels: fc.array(fc.record({ space: u32, size: fc.integer({ min: 0, max: 0x7fffffff }), missing: fc.boolean(), dataPointer: u32 }), { maxLength: 8 }),
  })));
  it('neuron recording metadata', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (n, sel) => {
      const list = sel.slice(0, n).flatMap((b, i) => (b ? [i] : []));
      const r = makeIfCurrExpRecording(n, { v: list, spikes: true });
      const codec = neuronRecording(n);
      const b = codec.encode(r);
      expect(b.length).toBe(codec.encodingLength(r));
      expect(codec.decode(b)).toEqual(r);
    }));
  });
  it('SSA config', () => roundTrip(ssaConfig, fc.record({
    applyPrefix: fc.boolean(), prefix: u32, prefixType: u32, checkKeys: fc.boolean(), hasKey: fc.boolean(), keySpace: u32, mask: u32,
    bufferRegionSize: u32, spaceBeforeDataRequest: u32, returnTagId: u32, returnTagDest: u32, bufferedInSdpPort: u32, txOffsetUs: u32,
  })));
  it('delay params', () => roundTrip(delayParams, fc.record({
    hasKey: fc.boolean(), key: u32, incomingKey: u32, incomingMask: u32, nAtoms: u32, nDelayStages: u32, delayPerStage: u32,
    clearPackets: fc.boolean(), nColourBits: u32,
  })));
  it('master population table (sorted by key)', () => {
    const entry = fc.record({
      key: u32, mask: u32, nColourBits: fc.integer({ min: 0, max: 7 }), coreMask: fc.integer({ min: 0, max: 0xffff }),
      maskShift: fc.integer({ min: 0, max: 31 }), nNeurons: fc.integer({ min: 0, max: 0xffff }),
      items: fc.array(fc.record({
        address: fc.option(fc.integer({ min: 0, max: 0xfffffe }).map((a) => a * 16), { nil: null }), rowLength: fc.integer({ min: 1, max: 256 }),
      }), { maxLength: 3 }),
    });
    fc.assert(fc.property(fc.uniqueArray(entry, { selector: (e) => e.key, maxLength: 10 }), (entries) => {
      const t = { entries: [...entries].sort((a, b) => a.key - b.key) };
      const b = masterPopTable.encode(t);
      expect(b.length).toBe(masterPopTable.encodingLength(t));
      expect(masterPopTable.decode(b)).toEqual(t);
    }));
  });
});

const layoutArb = fc.record({ indexBits: fc.integer({ min: 1, max: 8 }), typeBits: fc.integer({ min: 1, max: 2 }), delayBits: fc.integer({ min: 1, max: 5 }) });
const connsArb = (l: RowLayout, nRows: number, plastic: boolean) => fc.array(fc.record({
  pre: fc.integer({ min: 0, max: nRows - 1 }), post: fc.integer({ min: 0, max: 2 ** l.indexBits - 1 }),
  type: fc.integer({ min: 0, max: 2 ** l.typeBits - 1 }), delaySteps: fc.integer({ min: 1, max: 2 ** l.delayBits }),
  weight: fc.integer({ min: 0, max: 0xffff }),
}), { maxLength: plastic ? 40 : 60 });

describe('synaptic matrices', () => {
  for (const plastic of [false, true]) {
    it(`${plastic ? 'plastic' : 'static'}: connections → matrix → connections is exact (grouped by row, order kept)`, () => {
      fc.assert(fc.property(layoutArb, fc.integer({ min: 1, max: 6 }), (l, nRows) => {
        fc.assert(fc.property(connsArb(l, nRows, plastic), (conns) => {
          const m = buildSynapticMatrix({ nRows, connections: conns, layout: l, plastic });
          const back = decodeSynapticMatrix(m.words, nRows, m.rowLength, l).connections;
          const expected = [...conns].map((c, i) => ({ c, i })).sort((a, b) => a.c.pre - b.c.pre || a.i - b.i).map((x) => x.c);
          expect(back).toEqual(expected);
        }), { numRuns: 20 });
      }), { numRuns: 20 });
    });
  }

  it('a plastic row read back, written again and read again is unchanged', () => {
    fc.assert(fc.property(layoutArb.chain((l) => fc.tuple(fc.constant(l), connsArb(l, 1, true), u32, fc.integer({ min: -32768, max: 32767 }))),
      ([l, conns, prevTime, prevTrace]) => {
        const words = encodePlasticRow({ prevTime, prevTrace, synapses: conns }, l);
        const once = decodeRow(words, l).plastic!;
        const again = encodePlasticRow(once, l);
        expect(again).toEqual(words);
        expect(decodeRow(again, l).plastic).toEqual(once);
      }));
  });

  it('master pop lookup finds the row each source neuron key maps to', () => {
    const l = { indexBits: 8, typeBits: 1, delayBits: 4 };
    const conns = Array.from({ length: 20 }, (_, i) => ({ pre: i % 10, post: i, type: 0, delaySteps: 1 + (i % 16), weight: 100 + i }));
    const m = buildSynapticMatrix({ nRows: 10, connections: conns, layout: l, plastic: false });
    const base = 0x10000;
    const table = { entries: [{ key: base, mask: 0xffff0000, nColourBits: 4, coreMask: 0, maskShift: 12, nNeurons: 10, items: [{ address: 32, rowLength: m.rowLength }] }] };
    const decodedTable = masterPopTable.decode(masterPopTable.encode(table));
    for (let n = 0; n < 10; n++) {
      const colour = n % 16;
      const [loc] = lookupRows(decodedTable, base + (n << 4) + colour);
      expect(loc!.rowIndex).toBe(n);
      expect(loc!.colour).toBe(colour);
      const stride = (m.rowLength + 3) * 4;
      const row = decodeRow(m.words.subarray((loc!.offset - 32) / 4, (loc!.offset - 32 + stride) / 4), l);
      expect(row.fixed.map((s) => s.post)).toEqual(conns.filter((c) => c.pre === n).map((c) => c.post));
    }
    expect(lookupRows(decodedTable, 0x20000)).toEqual([]);
  });

  it('a delay of exactly 2^D wraps to 0 in the row and reads back as 2^D', () => {
    const l = { indexBits: 1, typeBits: 1, delayBits: 1 };
    const m = buildSynapticMatrix({ nRows: 1, connections: [{ pre: 0, post: 0, type: 0, delaySteps: 2, weight: 5 }], layout: l, plastic: false });
    expect(m.words[3]! & 0xffff).toBe(0);
    expect(decodeSynapticMatrix(m.words, 1, m.rowLength, l).connections[0]!.delaySteps).toBe(2);
    expect(() => buildSynapticMatrix({ nRows: 1, connections: [{ pre: 0, post: 0, type: 0, delaySteps: 3, weight: 5 }], layout: l, plastic: false })).toThrow(/delay 3/);
  });
});

describe('core block, recordings, send buffer', () => {
  it('core block header points at each region with checksums the firmware accepts', () => {
    const sys = systemRegion.encode({ applicationMagic: applicationMagic('IF_curr_exp.aplx'), timerPeriodUs: 1000, controlSdpPort: 1 });
    const b = buildCoreBlock(0x60000000, [{ content: sys }, undefined, { content: new Uint8Array([1, 2, 3]), reserved: 64 }]);
    expect(b.totalBytes).toBe(DSG_HEADER_BYTES + 12 + 64);
    expect(b.pointers.slice(0, 3)).toEqual([0x60000000 + DSG_HEADER_BYTES, 0, 0x60000000 + DSG_HEADER_BYTES + 12]);
    const h = dsgHeader.decode(b.bytes);
    const read = (a: number, n: number) => bytesToWords(b.bytes.subarray(a - 0x60000000, a - 0x60000000 + 4 * n));
    expect(() => verifyCoreBlock(h, read)).not.toThrow();
    expect(h.regions[2]!.checksum).toBe(0x030201);
    b.bytes[DSG_HEADER_BYTES + 12] = 9;
    expect(() => verifyCoreBlock(h, read)).toThrow(/region 2 .*checksum/);
  });

  it('application magic is md5 of the binary stem', () => {
    // md5("IF_curr_exp") — computed independently with coreutils md5sum
    expect(applicationMagic('IF_curr_exp.aplx').toString(16).padStart(8, '0')).toBe(md5sumPrefix('IF_curr_exp'));
  });

  it('voltage and spike records round-trip', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 69 }))), (n, raw) => {
      const spikes = raw.filter(([, k]) => k < n).map(([time, neuron]) => ({ time, neuron }));
      const back = decodeSpikeRecords(encodeSpikeRecords(spikes, n), n);
      const key = (s: { time: number; neuron: number }) => s.time * 100 + s.neuron;
      expect(back.map(key)).toEqual([...new Set(spikes.map(key))].sort((a, b) => a - b));
      const recs = [{ time: 0, values: Int32Array.from({ length: n }, (_, i) => -2129920 + i) }];
      expect(decodeWordRecords(encodeWordRecords(recs), n)).toEqual(recs);
    }));
  });

  it('send buffer: per-tick keys with colour, ≤ 66 keys per packet, STOP, decoded back', () => {
    const ticks = [[0, 5, 5], Array.from({ length: 3 }, (_, i) => 10 + i), [5]];
    const many = Array.from({ length: 100 }, () => [7]);
    const timed = spikeKeysByTick([...ticks, ...many], 0x800, 4, 0, 100);
    const buf = encodeSendBuffer(timed, 4096);
    const { packets, stopped } = decodeSendBuffer(buf);
    expect(stopped).toBe(true);
    expect(packets.every((p) => p.keys.length <= 66)).toBe(true);
    const merged = new Map<number, number[]>();
    for (const p of packets) merged.set(p.tick, [...(merged.get(p.tick) ?? []), ...p.keys]);
    expect([...merged.entries()].map(([tick, keys]) => ({ tick, keys }))).toEqual(timed);
    expect(timed[0]).toEqual({ tick: 0, keys: [0x800] });
    expect(timed.find((t) => t.tick === 5)!.keys).toEqual([0x800 + 5, 0x800 + 5, 0x800 + (2 << 4) + 5]);
  });

  it('delay split and shift rule', () => {
    expect(splitDelay(16, 16)).toEqual({ stage: 0, rowDelay: 16 });
    expect(splitDelay(17, 16)).toEqual({ stage: 1, rowDelay: 1 });
    expect(splitDelay(32, 16)).toEqual({ stage: 1, rowDelay: 16 });
    expect([0, 0.5, 1, 1.5, 2, 50, 64].map(ringBufferShift)).toEqual([0, 0, 1, 1, 2, 6, 7]);
  });
});

describe('firmware-specs JSON matches the TypeScript specs', () => {
  for (const s of BINARY_SPECS) {
    it(s.app, () => {
      expect(readFileSync(new URL(`../../firmware-specs/${s.app}.json`, import.meta.url), 'utf8')).toBe(specJson(s.app));
    });
  }
});

function md5sumPrefix(s: string): string {
  return execFileSync('md5sum', { input: s }).toString().slice(0, 8);
}
