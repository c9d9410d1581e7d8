/**
 * `neuron_recording.h`: the word variables (V, gsyn_exc, gsyn_inh) and the
 * spike bitfield, their sampling counters and record buffers, written to
 * the FEC recording channels exactly as the firmware lays them out.
 */
import { neuronRecording } from '../../../regions/index.js';
import type { Recorder } from '../fec/recording.js';

interface WordVar {
  rate: number;
  nRec: number;
  index: Uint16Array;
  /** Every neuron recorded, neuron i at slot i: values are copied in one block. */
  identity: boolean;
  /** [time][value per recorded neuron][one dummy slot]. */
  buf: Int32Array;
  bytes: Uint8Array;
  count: number;
  increment: number;
}

interface BitVar {
  rate: number;
  nRec: number;
  index: Uint16Array;
  /** [time][bitfield of get_bit_field_size(n_rec + 1) words]. */
  buf: Uint32Array;
  nWords: number;
  bytes: Uint8Array;
  count: number;
  increment: number;
}

export const SPIKE_CHANNEL = 3;
export const PACKETS_CHANNEL = 5;

export class NeuronRecording {
  words: WordVar[] = [];
  bits: BitVar[] = [];

  constructor(private readonly nNeurons: number) {}

  /** The region bytes of the last decode: a resume with the same bytes only restarts (decoding is the slow part). */
  private loaded: Uint8Array | null = null;

  /** `neuron_recording_read_in_elements` + `reset_record_counter` (at start and on every resume). */
  load(regionBytes: Uint8Array): void {
    if (this.loaded !== null && sameBytes(this.loaded, regionBytes)) {
      this.restart();
      return;
    }
    this.decode(regionBytes);
    this.loaded = regionBytes.slice();
  }

  /** Counters and buffers exactly as a fresh decode of the same bytes leaves them. */
  private restart(): void {
    for (const w of this.words) {
      w.count = w.rate === 0 ? 2 : w.rate;
      w.buf.fill(0);
    }
    for (const b of this.bits) {
      b.count = b.rate === 0 ? 2 : b.rate;
      b.buf.fill(0);
    }
  }

  private decode(regionBytes: Uint8Array): void {
    const r = neuronRecording(this.nNeurons).decode(regionBytes);
    this.words = r.words.map((v) => {
      const buf = new Int32Array(1 + v.nNeuronsRecording + 1);
      const index = Uint16Array.from(v.indices);
      return {
        rate: v.rate, nRec: v.nNeuronsRecording, index, identity: v.nNeuronsRecording === this.nNeurons && index.every((s, n) => s === n), buf,
        bytes: new Uint8Array(buf.buffer, 0, 4 + 4 * v.nNeuronsRecording),
        count: v.rate === 0 ? 2 : v.rate, increment: v.rate === 0 ? 0 : 1,
      };
    });
    this.bits = r.bitfields.map((v) => {
      const nWords = Math.ceil((v.nNeuronsRecording + 1) / 32);
      const buf = new Uint32Array(1 + nWords);
      const index = Uint16Array.from(v.indices);
      return {
        rate: v.rate, nRec: v.nNeuronsRecording, index, buf, nWords,
        bytes: new Uint8Array(buf.buffer, 0, 4 + 4 * Math.ceil(v.nNeuronsRecording / 32)),
        count: v.rate === 0 ? 2 : v.rate, increment: v.rate === 0 ? 0 : 1,
      };
    });
  }

  /** `neuron_recording_setup_for_next_recording`: clear bitfields at the start of a sampling interval. */
  setupForNext(): void {
    for (const b of this.bits) if (b.count === 1) b.buf.fill(0, 1);
  }

  /** Per-neuron values of word variable `v` (called after the update with the kernel's recorded arrays). */
  setValues(v: number, values: Int32Array): void {
    const w = this.words[v];
    if (!w || w.rate === 0) return;
    const idx = w.index, buf = w.buf;
    if (w.identity && values.length === this.nNeurons) {
      buf.set(values, 1);
      return;
    }
    for (let n = 0; n < this.nNeurons; n++) buf[1 + idx[n]!] = values[n]!;
  }

  /** `neuron_recording_record_bit` for the first bitfield variable (spikes). */
  spike(neuron: number): void {
    const b = this.bits[0];
    if (!b) return;
    const i = b.index[neuron]!;
    b.buf[1 + (i >>> 5)] |= 1 << (i & 31);
  }

  get anyWord(): boolean {
    return this.words.some((w) => w.rate !== 0);
  }

  /** `neuron_recording_record(time)`. */
  record(time: number, rec: Recorder): void {
    for (let i = this.words.length; i > 0; i--) {
      const w = this.words[i - 1]!;
      if (w.count === w.rate) {
        w.count = 1;
        w.buf[0] = time;
        rec.record(i - 1, w.bytes);
      } else {
        w.count += w.increment;
      }
    }
    for (let i = this.bits.length; i > 0; i--) {
      const b = this.bits[i - 1]!;
      if (b.count === b.rate) {
        b.count = 1;
        let empty = true;
        for (let k = 1; k <= b.nWords; k++) if (b.buf[k] !== 0) { empty = false; break; }
        if (empty) continue;
        b.buf[0] = time;
        rec.record(i + this.words.length - 1, b.bytes);
      } else {
        b.count += b.increment;
      }
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
