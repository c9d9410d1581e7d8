import { afterEach, describe, expect, it } from 'vitest';
import { IfCurrExpCore, RingBuffers, processSynapticRow } from '../../../../src/emulator/apps/neuron/index.js';
import { StdpPairCore } from '../../../../src/emulator/apps/stdp/index.js';
import { CpuState, RtCode, Signal, VCPU } from '../../../../src/emulator/layout.js';
import {
  IF_CURR_EXP_DEFAULTS, decodeSpikeRecords, decodeSsaRecording, decodeWordRecords, encodeIfCurrExpNeuron, encodePlasticRow,
  encodeStaticRow, getNBits, ifCurrExpParams, rowLayout, stdpRegion, bytesToWords,
} from '../../../../src/regions/index.js';
import { loadVectors } from '../../../fixtures/arm-vectors/load.js';
import { COLOUR_BITS, SSA_KEY, neuronRegions, ssaRegions, stdpFor } from './blocks.js';
import { Host } from './harness.js';

const lif = loadVectors('lif-if_curr_exp-arm.json');
let host: Host;
afterEach(() => host?.close());

function params(p: Partial<typeof IF_CURR_EXP_DEFAULTS>, n = 1): Uint32Array {
  const neuron = encodeIfCurrExpNeuron({ ...IF_CURR_EXP_DEFAULTS, ...p }, 1.0);
  return bytesToWords(ifCurrExpParams.encode({ nStepsPerTimestep: 1, neurons: Array.from({ length: n }, () => neuron) }));
}

/** Starts a run on the given cores as the host does: CMD_RUNTIME to each, then the SYNC signal. */
function runOnce(h: Host, cores: number[], end: number, start: number, sync: number): void {
  for (const c of cores) h.runtime(c, end, start);
  for (const c of cores) expect(h.state(c)).toBe(sync === Signal.SYNC0 ? CpuState.SYNC0 : CpuState.SYNC1);
  h.signal(sync);
  h.run();
}

describe('neuron core: a LIF neuron under constant bias', () => {
  const c = lif.cases.find((x: any) => x.name === 'a_defaults_ioffset1');
  it('records the ARM golden V / isyn trace and spike ticks into SDRAM, then waits in READY', () => {
    host = new Host();
    const words = Uint32Array.from([1, ...c.encoded_params_raw.neuron_lif, ...c.encoded_params_raw.threshold, ...c.encoded_params_raw.synapse_exp].map((x: number) => x >>> 0));
    const ptr = host.writeCoreBlock(1, neuronRegions({ app: 'IF_curr_exp', params: words, nNeurons: 1 }));
    host.load('IF_curr_exp', [1]);
    expect(host.state(1)).toBe(CpuState.PAUSE);
    runOnce(host, [1], c.n_ticks, 0, Signal.SYNC0);
    expect(host.state(1)).toBe(CpuState.WAIT);
    const v = decodeWordRecords(host.recorded(ptr[15]!, 0).bytes, 1);
    expect(v.map((r) => r.time)).toEqual(Array.from({ length: c.n_ticks }, (_, i) => i));
    expect(v.map((r) => r.values[0])).toEqual(c.v_raw);
    expect(decodeWordRecords(host.recorded(ptr[15]!, 1).bytes, 1).map((r) => r.values[0])).toEqual(c.isyn_exc_raw);
    expect(decodeSpikeRecords(host.recorded(ptr[15]!, 3).bytes, 1).map((s) => s.time)).toEqual(c.spike_ticks);
    // The replies to CMD_RUNTIME went back to the host: RC_OK.
    expect(host.replies.some((d) => d[10] === 0x80 && d[11] === 0)).toBe(true);
  });
});

describe('spike source → static row → neuron', () => {
  it('delivers the spike into the ring buffer two ticks later and fires where the kernel fires', () => {
    host = new Host();
    const ticks = 40;
    const spikeTicks = [3, 10, 11];
    const layout = rowLayout(1, 2, 16);
    const row = encodeStaticRow([{ post: 0, type: 0, delaySteps: 2, weight: 9000 }], layout);
    const matrix = Uint32Array.from(row);
    const p = params({ i_offset: 0.2 });
    const ssaPtr = host.writeCoreBlock(1, ssaRegions([spikeTicks], ticks));
    const nPtr = host.writeCoreBlock(2, neuronRegions({ app: 'IF_curr_exp', params: p, nNeurons: 1, matrix, rowLength: row.length - 3 }));
    const chip = host.chip();
    chip.router.set(1, SSA_KEY, 0xffff0000, 1 << (6 + chip.v2p(2)));
    host.load('reverse_iptag_multicast_source', [1]);
    host.load('IF_curr_exp', [2]);
    runOnce(host, [1, 2], ticks, 0, Signal.SYNC0);
    expect([host.state(1), host.state(2)]).toEqual([CpuState.WAIT, CpuState.WAIT]);

    // Records are padded to a word with stale bytes: decodeSsaRecording reads only each packet's keys.
    const sent = decodeSsaRecording(host.recorded(ssaPtr[2]!, 0).bytes);
    expect(sent).toEqual(spikeTicks.map((t) => ({ time: t, keys: [(SSA_KEY | (t & 15)) >>> 0] })));

    // The same neuron, driven directly through the kernels.
    const k = new IfCurrExpCore(1, p);
    const ring = new RingBuffers({ nNeurons: 1, nSynapseTypes: 2, logNNeurons: getNBits(1), logNSynapseTypes: 1, logMaxDelay: 4, dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: [5, 5] });
    const v: number[] = [], exc: number[] = [], spikes: number[] = [];
    for (let t = 0; t < ticks; t++) {
      if (k.tick(t, ring) > 0) spikes.push(t);
      v.push(k.recordedV[0]!);
      exc.push(k.recordedExc[0]!);
      if (spikeTicks.includes(t)) processSynapticRow(ring, matrix, 0, t, t & 15, (1 << COLOUR_BITS) - 1);
    }
    const rec = nPtr[15]!;
    expect(decodeWordRecords(host.recorded(rec, 0).bytes, 1).map((r) => r.values[0])).toEqual(v);
    const gsyn = decodeWordRecords(host.recorded(rec, 1).bytes, 1).map((r) => r.values[0]);
    expect(gsyn).toEqual(exc);
    expect(gsyn[4]).toBe(0);
    expect(gsyn[5]).toBeGreaterThan(0); // spike at 3, delay 2 → slot 5
    expect(spikes.length).toBeGreaterThan(0);
    expect(decodeSpikeRecords(host.recorded(rec, 3).bytes, 1).map((s) => s.time)).toEqual(spikes);
  });
});

describe('STDP neuron core', () => {
  for (const kind of ['additive', 'multiplicative'] as const) {
    it(`${kind}: plastic rows in SDRAM after a run equal the STDP kernel's`, () => {
      host = new Host();
      const ticks = 80;
      const pre = [[5, 18, 30, 47, 60], [9, 33, 70]];
      const layout = rowLayout(2, 2, 16);
      const rows = [
        encodePlasticRow({ prevTime: 0, prevTrace: 0, synapses: [{ post: 0, type: 0, delaySteps: 1, weight: 8000 }, { post: 1, type: 0, delaySteps: 3, weight: 12000 }] }, layout),
        encodePlasticRow({ prevTime: 0, prevTrace: 0, synapses: [{ post: 1, type: 0, delaySteps: 2, weight: 4000 }, { post: 0, type: 0, delaySteps: 1, weight: 16000 }] }, layout),
      ];
      const stride = Math.max(...rows.map((r) => r.length));
      const matrix = new Uint32Array(2 * stride);
      rows.forEach((r, i) => matrix.set(r, i * stride));
      const p = params({ i_offset: 1.2, tau_refrac: 2 }, 2);
      const app = `IF_curr_exp_stdp_mad_pair_${kind}`;
      const stdp = stdpFor(1.0, kind);
      host.writeCoreBlock(1, ssaRegions(pre, ticks));
      const nPtr = host.writeCoreBlock(2, neuronRegions({ app, params: p, nNeurons: 2, matrix, rowLength: stride - 3, nSourceAtoms: 2, stdp, shifts: [1, 1] }));
      const chip = host.chip();
      chip.router.set(1, SSA_KEY, 0xffff0000, 1 << (6 + chip.v2p(2)));
      host.load('reverse_iptag_multicast_source', [1]);
      host.load(app, [2]);
      runOnce(host, [1, 2], ticks, 0, Signal.SYNC0);
      expect(host.state(2)).toBe(CpuState.WAIT);

      // Reference: kernels on a private copy of the matrix.
      const ref = matrix.slice();
      const k = new IfCurrExpCore(2, p);
      const ring = new RingBuffers({ nNeurons: 2, nSynapseTypes: 2, logNNeurons: 1, logNSynapseTypes: 1, logMaxDelay: 4, dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: [1, 1] });
      const core = new StdpPairCore({ regionWords: bytesToWords(stdpRegion.encode(stdp)), weightDependence: kind, nNeurons: 2, ring });
      const spikes: { time: number; neuron: number }[] = [];
      for (let t = 0; t < ticks; t++) {
        const n = k.tick(t, ring);
        for (let s = 0; s < n; s++) {
          core.processPostEvent(t, k.spikes[s]!);
          spikes.push({ time: t, neuron: k.spikes[s]! });
        }
        pre.forEach((ts, atom) => { if (ts.includes(t)) processSynapticRow(ring, ref, atom * stride, t, t & 15, 15, core); });
      }
      expect(spikes.length).toBeGreaterThan(2);
      expect(decodeSpikeRecords(host.recorded(nPtr[15]!, 3).bytes, 2)).toEqual(spikes);
      expect(Array.from(host.words(nPtr[6]!, matrix.length))).toEqual(Array.from(ref));
      expect(Array.from(ref)).not.toEqual(Array.from(matrix)); // learning happened
    });
  }
});

describe('simulation control', () => {
  it('a second run continues from the stored state; SYNC parity alternates', () => {
    const p = params({ i_offset: 0.9, tau_refrac: 3 });
    const traces: number[][] = [];
    // One run of 60 ticks.
    host = new Host();
    let ptr = host.writeCoreBlock(1, neuronRegions({ app: 'IF_curr_exp', params: p, nNeurons: 1 }));
    host.load('IF_curr_exp', [1]);
    runOnce(host, [1], 60, 0, Signal.SYNC0);
    traces.push(decodeWordRecords(host.recorded(ptr[15]!, 0).bytes, 1).map((r) => r.values[0]!));
    host.close();

    // 25 ticks, then 35 more.
    host = new Host();
    ptr = host.writeCoreBlock(1, neuronRegions({ app: 'IF_curr_exp', params: p, nNeurons: 1 }));
    host.load('IF_curr_exp', [1]);
    runOnce(host, [1], 25, 0, Signal.SYNC0);
    const first = decodeWordRecords(host.recorded(ptr[15]!, 0).bytes, 1);
    // The state written back into region 2 is the kernel's after 25 ticks.
    const k = new IfCurrExpCore(1, p);
    const ring = new RingBuffers({ nNeurons: 1, nSynapseTypes: 2, logNNeurons: 1, logNSynapseTypes: 1, logMaxDelay: 4, dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: [5, 5] });
    for (let t = 0; t < 25; t++) k.tick(t, ring);
    const stored = p.slice();
    k.store(stored);
    expect(Array.from(host.words(ptr[2]!, p.length))).toEqual(Array.from(stored));
    // Region 16 holds the initial values.
    expect(Array.from(host.words(ptr[16]!, p.length))).toEqual(Array.from(p));

    host.runtime(1, 60, 25);
    expect(host.state(1)).toBe(CpuState.SYNC1);
    host.signal(Signal.SYNC0); // wrong parity: still waiting
    host.run();
    expect(host.state(1)).toBe(CpuState.SYNC1);
    host.signal(Signal.SYNC1);
    host.run();
    expect(host.state(1)).toBe(CpuState.WAIT);
    const second = decodeWordRecords(host.recorded(ptr[15]!, 0).bytes, 1);
    expect(second[0]!.time).toBe(25);
    expect([...first, ...second].map((r) => r.values[0])).toEqual(traces[0]);

    host.stop(1);
    expect(host.state(1)).toBe(CpuState.EXIT);
  });

  it('a corrupted region stops the core in RTE naming the region', () => {
    host = new Host();
    const p = params({});
    const ptr = host.writeCoreBlock(1, neuronRegions({ app: 'IF_curr_exp', params: p, nNeurons: 1 }));
    host.chip().mem.writeU32(ptr[2]! + 8, 12345);
    host.load('IF_curr_exp', [1]);
    expect(host.state(1)).toBe(CpuState.RTE);
    expect(host.chip().vcpu8(1, VCPU.rt_code)).toBe(RtCode.API);
  });

  it('a core block written for another binary is refused', () => {
    host = new Host();
    host.writeCoreBlock(1, neuronRegions({ app: 'IF_curr_exp', params: params({}), nNeurons: 1 }));
    host.load('IF_curr_exp_stdp_mad_pair_additive', [1]);
    expect(host.state(1)).toBe(CpuState.RTE);
  });
});

