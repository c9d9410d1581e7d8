/**
 * Kernel-only throughput of one emulated neuron core: IF_curr_exp neuron
 * updates/s, static synaptic events/s and plastic (pair STDP, additive)
 * synaptic events/s. One summary line per figure.
 *
 *   npx tsx tools/bench/neuron-kernel.ts [--quick]
 */
import { IfCurrExpCore, RingBuffers, packNeuronParams, processSynapticRow, getNBits, type IfCurrExpRawParams } from '../../src/emulator/apps/neuron/index.js';
import { StdpPairCore } from '../../src/emulator/apps/stdp/index.js';
import { encodeS1615, expLut } from '../../src/fixed/index.js';

const quick = process.argv.includes('--quick');
const N = 256;
const DELAY_BITS = 4;

let seed = 12345;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

function neuron(iOffset: number): IfCurrExpRawParams {
  return {
    vInit: encodeS1615(-65), vRest: encodeS1615(-65), cm: encodeS1615(1), tauM: encodeS1615(20), iOffset: encodeS1615(iOffset),
    vReset: encodeS1615(-65), tauRefracMs: encodeS1615(2), refractTimerInit: 0, timeStepMs: encodeS1615(1),
    vThresh: encodeS1615(-50), tauSynE: encodeS1615(5), isynExcInit: 0, tauSynI: encodeS1615(5), isynInhInit: 0,
  };
}

function makeRing(shifts = [6, 6]) {
  return new RingBuffers({
    nNeurons: N, nSynapseTypes: 2, logNNeurons: getNBits(N), logNSynapseTypes: 1, logMaxDelay: DELAY_BITS,
    dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: shifts,
  });
}

function rate(count: number, ms: number) {
  return (count / ms) * 1000;
}
function fmt(x: number) {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`;
}

// Static rows: 64 source neurons, each a row of 100 synapses onto random targets.
function staticMatrix(rowLen: number, nRows: number) {
  const stride = 3 + rowLen;
  const words = new Uint32Array(nRows * stride);
  for (let r = 0; r < nRows; r++) {
    const b = r * stride;
    words[b + 1] = rowLen;
    for (let k = 0; k < rowLen; k++) {
      const delay = 1 + Math.floor(rnd() * 3), type = rnd() < 0.8 ? 0 : 1, idx = Math.floor(rnd() * N);
      words[b + 3 + k] = ((Math.floor(rnd() * 400) << 16) | (delay << (getNBits(N) + 1)) | (type << getNBits(N)) | idx) >>> 0;
    }
  }
  return { words, stride };
}

function benchNeurons(input: boolean) {
  const ticks = quick ? 500 : 4000;
  const params = Array.from({ length: N }, () => neuron(input ? 0 : 0.5 + rnd() * 1.5));
  const core = new IfCurrExpCore(N, packNeuronParams(1, params));
  const ring = makeRing();
  const m = staticMatrix(100, 64);
  // warm-up
  for (let t = 0; t < 200; t++) core.tick(t, ring);
  const t0 = performance.now();
  let spikes = 0;
  for (let t = 200; t < 200 + ticks; t++) {
    spikes += core.tick(t, ring);
    if (input) for (let r = 0; r < 4; r++) processSynapticRow(ring, m.words, ((t * 4 + r) % 64) * m.stride, t, t & 15, 15);
  }
  const ms = performance.now() - t0;
  const label = input ? 'with 400 static events/tick' : 'i_offset drive, no synaptic input';
  console.log(`neuron updates/s (IF_curr_exp, ${N} neurons, ${label}): ${fmt(rate(N * ticks, ms))}/s  [${spikes} spikes]`);
}

function benchStatic() {
  const ring = makeRing();
  const m = staticMatrix(100, 64);
  const rows = quick ? 20000 : 200000;
  const core = new IfCurrExpCore(N, packNeuronParams(1, Array.from({ length: N }, () => neuron(0))));
  let t = 0;
  const t0 = performance.now();
  for (let r = 0; r < rows; r++) {
    if (r % 64 === 63) core.transfer(t++, ring); // keep slots draining as ticks pass
    processSynapticRow(ring, m.words, (r % 64) * m.stride, t, t & 15, 15);
  }
  const ms = performance.now() - t0;
  console.log(`static synaptic events/s (rows of 100, ring ${ring.ring.length} entries): ${fmt(rate(rows * 100, ms))}/s`);
}

function benchPlastic() {
  const ring = makeRing([6, 6]);
  const plus = expLut(1, 20), minus = expLut(1, 20);
  const wp = [0, 1, 0.01, 0.012].map((x) => encodeS1615(x) >>> 0);
  const regionWords = Uint32Array.from([1, ...plus.words, ...minus.words, ...wp, ...wp]);
  const stdp = new StdpPairCore({ regionWords, weightDependence: 'additive', nNeurons: N, ring });
  const nSyn = 100, nRows = 64;
  const pp = 2 + nSyn / 2;
  const stride = 1 + pp + 2 + nSyn / 2;
  const words = new Uint32Array(nRows * stride);
  const half = new Uint16Array(words.buffer);
  for (let r = 0; r < nRows; r++) {
    const b = r * stride;
    words[b] = pp;
    words[b + 1 + pp + 1] = nSyn;
    for (let k = 0; k < nSyn; k++) {
      half[(b + 3) * 2 + k] = 100 + Math.floor(rnd() * 200);
      half[(b + 1 + pp + 2) * 2 + k] = (1 << (getNBits(N) + 1)) | Math.floor(rnd() * N);
    }
  }
  const ticks = quick ? 200 : 2000;
  let events = 0;
  const t0 = performance.now();
  for (let t = 0; t < ticks; t++) {
    for (let n = 0; n < N; n++) if (rnd() < 0.02) stdp.processPostEvent(t, n); // ~20 Hz post rate
    ring.flushSlot(t);
    ring.slotDirty[t & 15] = 0;
    for (let r = 0; r < 8; r++) {
      processSynapticRow(ring, words, ((t * 8 + r) % nRows) * stride, t, t & 15, 15, stdp);
      events += nSyn;
    }
  }
  const ms = performance.now() - t0;
  console.log(`plastic synaptic events/s (pair STDP additive, rows of ${nSyn}, ~20 Hz post): ${fmt(rate(events, ms))}/s`);
}

benchNeurons(false);
benchNeurons(true);
benchStatic();
benchPlastic();
