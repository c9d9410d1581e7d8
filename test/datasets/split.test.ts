import { describe, expect, it } from 'vitest';
import { digitCounts, splitMnist, splitFromJson, splitToJson, loadCorpus } from '../../src/datasets/mnist.js';

describe('MNIST corpus', () => {
  it('has 10,000 28×28 digits with 0..255 pixels and all ten classes', () => {
    const c = loadCorpus();
    expect(c.pixels.length).toBe(10000);
    expect(digitCounts().reduce((a, b) => a + b, 0)).toBe(10000);
    let max = 0;
    for (const p of c.pixels.slice(0, 50)) for (const v of p) max = Math.max(max, v);
    expect(c.pixels[0]!.length).toBe(784);
    expect(max).toBe(255);
  });
});

describe('splitMnist', () => {
  const split = splitMnist({ seed: 7 });

  it('gives disjoint train and test sets of the requested sizes', () => {
    expect(split.train.images.length).toBe(8000);
    expect(split.test.images.length).toBe(2000);
    const train = new Set(split.train.ids);
    expect(train.size).toBe(8000);
    expect(split.test.ids.some((id) => train.has(id))).toBe(false);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const again = splitMnist({ seed: 7 });
    expect(again.test.ids).toEqual(split.test.ids);
    const other = splitMnist({ seed: 8 });
    expect(other.test.ids).not.toEqual(split.test.ids);
  });

  it('stratifies per digit (each digit within one image of its share)', () => {
    const counts = digitCounts();
    for (let d = 0; d < 10; d++) {
      const nTest = split.test.labels.filter((l) => l === d).length;
      expect(Math.abs(nTest - (2000 * counts[d]!) / 10000)).toBeLessThanOrEqual(1);
    }
  });

  it('honours a digit subset and labels match the corpus', () => {
    const s = splitMnist({ digits: [0, 1, 7, 8], train: 400, test: 100, seed: 3 });
    expect(new Set(s.train.labels)).toEqual(new Set([0, 1, 7, 8]));
    const c = loadCorpus();
    s.test.ids.forEach((id, i) => expect(c.labels[id]).toBe(s.test.labels[i]));
  });

  it('round-trips through JSON', () => {
    const back = splitFromJson(JSON.parse(JSON.stringify(splitToJson(split))));
    expect(back.test.labels).toEqual(split.test.labels);
    expect(back.train.images[5]!.pixels).toEqual(split.train.images[5]!.pixels);
  });

  it('rejects impossible requests with a clear message', () => {
    expect(() => splitMnist({ digits: [0], train: 1000, test: 100 })).toThrow(/only 1001 images/);
    expect(() => splitMnist({ digits: [11] })).toThrow(/0..9/);
  });
});
