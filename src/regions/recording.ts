/**
 * Recording: the FEC RECORDING region header (any binary), the neuron
 * recording metadata region (NEURON_RECORDING, region 9) and decoders of
 * the records the neuron core writes (V as S1615 per sampled tick; spikes
 * as bitfields, written only on ticks where a recorded neuron spiked).
 */
import { type RegionCodec, RegionFormatError, WordReader, bytesToWords, checkU32, wordsToBytes } from './words.js';

export interface RecordingChannel {
  /** Bytes reserved for this channel per run (written by the host). */
  space: number;
  /** Bytes recorded (written by the core on pause). */
  size: number;
  missing: boolean;
  /** SDRAM address of the recorded data (set by the core at start). */
  dataPointer: number;
}

export interface RecordingHeader {
  channels: RecordingChannel[];
}

export const recordingHeader: RegionCodec<RecordingHeader> = {
  encodingLength: (h) => 4 * (1 + 3 * h.channels.length),
  encode(h) {
    const w = [h.channels.length];
    for (const c of h.channels) {
      if (c.size >= 2 ** 31) throw new RangeError(`recording size ${c.size} does not fit 31 bits`);
      w.push(checkU32(c.space, 'space'), (c.size | (c.missing ? 0x80000000 : 0)) >>> 0, checkU32(c.dataPointer, 'data pointer'));
    }
    return wordsToBytes(w);
  },
  decode(bytes) {
    const r = new WordReader(bytesToWords(bytes, 'recording header'), 'recording header');
    const n = r.u32('n_regions');
    const channels: RecordingChannel[] = [];
    for (let i = 0; i < n; i++) {
      const space = r.u32('space');
      const sm = r.u32('size');
      channels.push({ space, size: sm & 0x7fffffff, missing: sm >>> 31 === 1, dataPointer: r.u32('data') });
    }
    return { channels };
  },
};

/** The header the host writes: spaces, zero sizes and pointers. */
export function makeRecordingHeader(spaces: readonly number[]): RecordingHeader {
  return { channels: spaces.map((space) => ({ space, size: 0, missing: false, dataPointer: 0 })) };
}

/** Channel numbers of the combined neuron + synapse core (IF_curr_exp family). */
export const NeuronChannel = { V: 0, GSYN_EXC: 1, GSYN_INH: 2, SPIKES: 3, REWIRING: 4, PACKETS: 5 } as const;
export const NEURON_RECORDING_CHANNELS = 6;

export interface RecordedVariable {
  /** Sampling interval in ticks; 0 = off. */
  rate: number;
  nNeuronsRecording: number;
  /** Per neuron: its index among the recorded neurons, or nNeuronsRecording if not recorded. */
  indices: number[];
}

export interface WordVariable extends RecordedVariable {
  elementSize: number;
}

export interface NeuronRecording {
  words: WordVariable[];
  bitfields: RecordedVariable[];
}

const evenCeil = (n: number) => n + (n & 1);

function idxWords(indices: readonly number[], n: number): number[] {
  if (indices.length !== n) throw new RangeError(`recording indices: ${indices.length} for ${n} neurons`);
  const m = evenCeil(n);
  const out: number[] = [];
  for (let i = 0; i < m; i += 2) out.push(((indices[i] ?? 0) & 0xffff) | (((indices[i + 1] ?? 0) & 0xffff) << 16));
  return out.map((x) => x >>> 0);
}

/** Encode/decode need the number of neurons on the core; make a codec for it. */
export function neuronRecording(nNeurons: number): RegionCodec<NeuronRecording> {
  const m = evenCeil(nNeurons);
  return {
    encodingLength: (r) => 4 * (2 + r.words.length * (3 + m / 2) + r.bitfields.length * (2 + m / 2)),
    encode(r) {
      const w: number[] = [r.words.length, r.bitfields.length];
      for (const v of r.words) w.push(v.rate, v.nNeuronsRecording, v.elementSize, ...idxWords(v.indices, nNeurons));
      for (const v of r.bitfields) w.push(v.rate, v.nNeuronsRecording, ...idxWords(v.indices, nNeurons));
      return wordsToBytes(w);
    },
    decode(bytes) {
      const rd = new WordReader(bytesToWords(bytes, 'neuron recording'), 'neuron recording');
      const nw = rd.u32('n_recorded_vars');
      const nb = rd.u32('n_bitfield_vars');
      const unpack = (ws: number[]) => ws.flatMap((x) => [x & 0xffff, x >>> 16]).slice(0, nNeurons);
      const words: WordVariable[] = [];
      for (let i = 0; i < nw; i++) {
        const rate = rd.u32('rate');
        const nNeuronsRecording = rd.u32('n_neurons_recording');
        const elementSize = rd.u32('element_size');
        words.push({ rate, nNeuronsRecording, elementSize, indices: unpack(rd.array(m / 2, 'indices')) });
      }
      const bitfields: RecordedVariable[] = [];
      for (let i = 0; i < nb; i++) {
        const rate = rd.u32('rate');
        const nNeuronsRecording = rd.u32('n_neurons_recording');
        bitfields.push({ rate, nNeuronsRecording, indices: unpack(rd.array(m / 2, 'indices')) });
      }
      return { words, bitfields };
    },
  };
}

/** Recording metadata for IF_curr_exp: word vars v, gsyn_exc, gsyn_inh; bitfield var spikes. */
export function makeIfCurrExpRecording(nNeurons: number, record: { v?: number[] | boolean; gsyn_exc?: number[] | boolean; gsyn_inh?: number[] | boolean; spikes?: number[] | boolean }, rate = 1): NeuronRecording {
  const sel = (x: number[] | boolean | undefined): RecordedVariable => {
    const list = x === true ? Array.from({ length: nNeurons }, (_, i) => i) : Array.isArray(x) ? [...x].sort((a, b) => a - b) : [];
    const indices = new Array<number>(nNeurons).fill(list.length);
    list.forEach((n, i) => {
      if (!(n >= 0 && n < nNeurons)) throw new RangeError(`recorded neuron ${n} outside 0..${nNeurons - 1}`);
      indices[n] = i;
    });
    return { rate: list.length ? rate : 0, nNeuronsRecording: list.length, indices };
  };
  return {
    words: [record.v, record.gsyn_exc, record.gsyn_inh].map((x) => ({ ...sel(x), elementSize: 4 })),
    bitfields: [sel(record.spikes)],
  };
}

/** Decode a word-variable channel: records {u32 time, n × s1615}. Values stay raw int32. */
export function decodeWordRecords(data: Uint8Array, nRecording: number): { time: number; values: Int32Array }[] {
  const recBytes = 4 + 4 * nRecording;
  if (data.length % recBytes !== 0) throw new RegionFormatError(`word recording of ${data.length} bytes is not a multiple of ${recBytes}`);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: { time: number; values: Int32Array }[] = [];
  for (let o = 0; o < data.length; o += recBytes) {
    const values = new Int32Array(nRecording);
    for (let i = 0; i < nRecording; i++) values[i] = dv.getInt32(o + 4 + 4 * i, true);
    out.push({ time: dv.getUint32(o, true), values });
  }
  return out;
}

export function encodeWordRecords(records: readonly { time: number; values: ArrayLike<number> }[]): Uint8Array {
  return wordsToBytes(records.flatMap((r) => [r.time, ...Array.from(r.values)]));
}

/** Bitfield words per record for n recorded neurons (the core stores one spare bit). */
export const bitfieldWords = (nRecording: number) => Math.ceil(nRecording / 32);

/** Decode a spike channel: records {u32 time, ceil(n/32) words}; bit i of word w = recorded neuron 32w+i. */
export function decodeSpikeRecords(data: Uint8Array, nRecording: number): { time: number; neuron: number }[] {
  const nw = bitfieldWords(nRecording);
  const recBytes = 4 + 4 * nw;
  if (data.length % recBytes !== 0) throw new RegionFormatError(`spike recording of ${data.length} bytes is not a multiple of ${recBytes}`);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: { time: number; neuron: number }[] = [];
  for (let o = 0; o < data.length; o += recBytes) {
    const time = dv.getUint32(o, true);
    for (let w = 0; w < nw; w++) {
      const bits = dv.getUint32(o + 4 + 4 * w, true);
      for (let b = 0; b < 32; b++) if ((bits >>> b) & 1) {
        const n = 32 * w + b;
        if (n < nRecording) out.push({ time, neuron: n });
      }
    }
  }
  return out;
}

/** Encode spike records as the core writes them: one record per tick with at least one spike. */
export function encodeSpikeRecords(spikes: readonly { time: number; neuron: number }[], nRecording: number): Uint8Array {
  const nw = bitfieldWords(nRecording);
  const byTime = new Map<number, number[]>();
  for (const s of spikes) {
    if (!(s.neuron >= 0 && s.neuron < nRecording)) throw new RangeError(`spike neuron ${s.neuron} outside 0..${nRecording - 1}`);
    let bits = byTime.get(s.time);
    if (!bits) byTime.set(s.time, (bits = new Array<number>(nw).fill(0)));
    bits[s.neuron >> 5] = (bits[s.neuron >> 5]! | (1 << (s.neuron & 31))) >>> 0;
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  return wordsToBytes(times.flatMap((t) => [t, ...byTime.get(t)!]));
}
