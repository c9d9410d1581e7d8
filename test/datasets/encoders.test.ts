import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/datasets/random.js';
import { rateEncode, rateSpikeTimes } from '../../src/datasets/rate.js';
import { latencyEncode } from '../../src/datasets/latency.js';
import { dogFilter, dogKernel } from '../../src/datasets/dog.js';
import { splitMnist } from '../../src/datasets/mnist.js';

describe('Rng', () => {
  it('is reproducible per seed and uniform enough', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(new Rng(43).next()).not.toBe(xs[0]);
  });
  it('sample() gives distinct indices in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer(), (n, seed) => {
        const k = Math.floor(n / 2);
        const s = new Rng(seed).sample(n, k);
        expect(new Set(s).size).toBe(k);
        expect(s.every((i) => i >= 0 && i < n)).toBe(true);
      }),
    );
  });
});

describe('rate code (the seed network)', () => {
  it('gives one noise spike below threshold and regular trains above it, inside [0, 50]', () => {
    const rng = new Rng(1);
    expect(rateSpikeTimes(10, 10, rng)).toHaveLength(1);
    const t = rateSpikeTimes(255, 10, rng);
    expect(t.length).toBe(5);
    for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBe(10);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 20 }), fc.integer(), (I, ff, seed) => {
        const ts = rateSpikeTimes(I, ff, new Rng(seed));
        expect(ts.length).toBeGreaterThan(0);
        expect(ts.every((x) => x >= 0 && x <= 50)).toBe(true);
        expect(new Set(ts).size).toBe(ts.length);
      }),
    );
  });
  it('is deterministic per seed', () => {
    const img = splitMnist({ seed: 1 }).train.images[0]!.pixels;
    expect(rateEncode(img, new Rng(5), false)).toEqual(rateEncode(img, new Rng(5), false));
    expect(rateEncode(img, new Rng(5), false)).not.toEqual(rateEncode(img, new Rng(6), false));
  });
});

describe('latency code', () => {
  it('stronger inputs spike earlier, silent ones never (or late if asked)', () => {
    const t = latencyEncode([1, 0.5, 0.1, 0], { windowMs: 11, threshold: 0 });
    expect(t).toEqual([[0], [5], [9], []]);
    const late = latencyEncode([1, 0], { windowMs: 11, threshold: 0, lateSpikeAt: 15 });
    expect(late).toEqual([[0], [15]]);
    fc.assert(
      fc.property(fc.float({ min: 0, max: 1, noNaN: true }), fc.float({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [ta, tb] = latencyEncode([a, b], { windowMs: 16, threshold: 0 });
        if (a > b && b > 0) expect(ta![0]!).toBeLessThanOrEqual(tb![0]!);
      }),
    );
  });
});

describe('DoG filter', () => {
  it('has a zero-mean kernel peaking at the centre', () => {
    const k = dogKernel({ size: 7, sigmaCentre: 1, sigmaSurround: 2 });
    expect(Math.abs(k.reduce((s, x) => s + x, 0))).toBeLessThan(1e-9);
    expect(k[24]).toBe(1);
  });
  it('gives on/off channels in [0, 1], never both at one pixel, zero on a flat image', () => {
    const img = splitMnist({ seed: 1 }).train.images[3]!;
    const t = dogFilter(img);
    expect([t.height, t.width, t.channels]).toEqual([28, 28, 2]);
    let max = 0;
    for (let i = 0; i < t.data.length; i += 2) {
      expect(t.data[i]! > 0 && t.data[i + 1]! > 0).toBe(false);
      max = Math.max(max, t.data[i]!, t.data[i + 1]!);
    }
    expect(max).toBeCloseTo(1, 6);
    // interior of a flat image gives no response (only the zero-padded border does)
    const flat = dogFilter({ width: 28, height: 28, pixels: new Uint8Array(784).fill(200) });
    expect(flat.data[(14 * 28 + 14) * 2]).toBe(0);
    expect(flat.data[(14 * 28 + 14) * 2 + 1]).toBe(0);
  });
});
