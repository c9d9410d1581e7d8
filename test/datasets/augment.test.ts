import { describe, expect, it } from 'vitest';
import { DEFAULT_DISTORT, distort, distortedSet } from '../../src/datasets/augment.js';
import type { Image } from '../../src/datasets/mnist.js';
import { splitMnist } from '../../src/datasets/mnist.js';
import { Rng } from '../../src/datasets/random.js';

const NONE = { rotateDeg: 0, scale: 0, shear: 0, elasticAlpha: 0, elasticSigma: 4 };

/** A 28×28 image with one bright bar, columns 10..17 of row 14. */
function bar(): Image {
  const pixels = new Uint8Array(28 * 28);
  for (let x = 10; x < 18; x++) pixels[14 * 28 + x] = 200;
  return { width: 28, height: 28, pixels };
}

const ink = (im: Image) => im.pixels.reduce((a, b) => a + b, 0);

describe('distorted copies of training digits', () => {
  it('with every distortion off, a copy is the image itself', () => {
    const im = splitMnist({ train: 20, test: 10 }).train.images[3]!;
    expect(Array.from(distort(im, new Rng(1), NONE).pixels)).toEqual(Array.from(im.pixels));
  });

  it('is reproducible from the seed, different for another seed, and keeps size and roughly the ink', () => {
    const set = splitMnist({ train: 30, test: 10 }).train;
    const a = distortedSet(set, 1, 7);
    const b = distortedSet(set, 1, 7);
    const c = distortedSet(set, 2, 7);
    expect(a.labels).toEqual(set.labels);
    expect(a.ids).toEqual(set.ids);
    a.images.forEach((im, i) => {
      expect(Array.from(im.pixels)).toEqual(Array.from(b.images[i]!.pixels));
      expect(im.pixels).toHaveLength(784);
      expect(Array.from(im.pixels)).not.toEqual(Array.from(set.images[i]!.pixels));
      const ratio = ink(im) / ink(set.images[i]!);
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.35);
    });
    expect(a.images.some((im, i) => ink(im) !== ink(c.images[i]!))).toBe(true);
  });

  it('rotates about the image centre', () => {
    // A horizontal bar through the centre row, rotated by up to 10°, stays centred on row 14 at column 13.5.
    const im = bar();
    for (let s = 1; s <= 5; s++) {
      const out = distort(im, new Rng(s), { ...NONE, rotateDeg: 10 });
      let m = 0, my = 0, mx = 0;
      out.pixels.forEach((p, i) => {
        m += p;
        my += p * Math.floor(i / 28);
        mx += p * (i % 28);
      });
      expect(Math.abs(my / m - 14)).toBeLessThan(0.35);
      expect(Math.abs(mx / m - 13.5)).toBeLessThan(0.35);
    }
    expect(DEFAULT_DISTORT.rotateDeg).toBeGreaterThan(0);
  });
});
