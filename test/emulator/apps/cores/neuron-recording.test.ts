/**
 * NeuronRecording on resume: the same region bytes are not decoded again,
 * the counters and buffers restart; what it records afterwards must equal
 * what a freshly decoded NeuronRecording records.
 */
import { describe, expect, it } from 'vitest';
import { NeuronRecording } from '../../../../src/emulator/apps/neuron-core/index.js';
import type { Recorder } from '../../../../src/emulator/apps/fec/recording.js';
import { makeIfCurrExpRecording, neuronRecording } from '../../../../src/regions/index.js';

const N = 40;

/** Collects every record as [channel, ...bytes]. */
function sink(out: number[][]): Recorder {
  return { record: (channel: number, bytes: Uint8Array) => (out.push([channel, ...bytes]), true) } as unknown as Recorder;
}

/** Ticks of spikes and values, deterministic from the tick. */
function drive(rec: NeuronRecording, from: number, to: number, out: number[][]): void {
  const values = new Int32Array(N);
  for (let t = from; t < to; t++) {
    rec.setupForNext();
    for (let n = 0; n < N; n++) values[n] = (t * 131 + n * 17) | 0;
    for (let n = t % 7; n < N; n += 9) rec.spike(n);
    for (let v = 0; v < 3; v++) rec.setValues(v, values);
    rec.record(t, sink(out));
  }
}

describe('NeuronRecording restart', () => {
  for (const rate of [1, 3]) {
    it(`records after a resume what a fresh decode records (rate ${rate}, resumed mid-interval)`, () => {
      const bytes = neuronRecording(N).encode(makeIfCurrExpRecording(N, { v: [0, 5, 39], gsyn_exc: true, spikes: true }, rate));
      const resumed = new NeuronRecording(N);
      resumed.load(bytes);
      drive(resumed, 0, 11, []);
      resumed.load(bytes.slice());
      const a: number[][] = [];
      drive(resumed, 11, 30, a);

      const fresh = new NeuronRecording(N);
      fresh.load(bytes);
      const b: number[][] = [];
      drive(fresh, 11, 30, b);
      expect(a).toEqual(b);
      expect(a.length).toBeGreaterThan(0);
    });
  }

  it('decodes again when the region changed', () => {
    const rec = new NeuronRecording(N);
    rec.load(neuronRecording(N).encode(makeIfCurrExpRecording(N, { spikes: true })));
    expect(rec.anyWord).toBe(false);
    rec.load(neuronRecording(N).encode(makeIfCurrExpRecording(N, { v: true, spikes: true })));
    expect(rec.anyWord).toBe(true);
  });
});
