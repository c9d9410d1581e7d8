import type { Image } from './mnist.js';
import type { Tensor } from './spikes.js';

/**
 * Difference-of-Gaussians filter with on- and off-centre channels, as in
 * Kheradpisheh et al. (2018): a size×size kernel G(sigmaCentre) - G(sigmaSurround),
 * made zero-mean and scaled to a peak of 1, convolved with zero padding (the
 * output keeps the image size). Channel 0 = on-centre (positive response),
 * channel 1 = off-centre (negative response). Responses below `threshold`
 * (on the 0..1 scale of the input) are zeroed; each image is then scaled so
 * its strongest response is 1 (unless `normalise` is false).
 */
export interface DogOptions {
  size: number;
  sigmaCentre: number;
  sigmaSurround: number;
  threshold: number;
  normalise: boolean;
}

export const DEFAULT_DOG: DogOptions = { size: 7, sigmaCentre: 1, sigmaSurround: 2, threshold: 0.05, normalise: true };

export function dogKernel(opts: Pick<DogOptions, 'size' | 'sigmaCentre' | 'sigmaSurround'>): Float64Array {
  const { size, sigmaCentre: s1, sigmaSurround: s2 } = opts;
  if (size % 2 !== 1) throw new RangeError(`DoG size must be odd, got ${size}`);
  const r = (size - 1) / 2;
  const k = new Float64Array(size * size);
  for (let y = -r; y <= r; y++) {
    for (let x = -r; x <= r; x++) {
      const d2 = x * x + y * y;
      const g1 = Math.exp(-d2 / (2 * s1 * s1)) / (2 * Math.PI * s1 * s1);
      const g2 = Math.exp(-d2 / (2 * s2 * s2)) / (2 * Math.PI * s2 * s2);
      k[(y + r) * size + (x + r)] = g1 - g2;
    }
  }
  let mean = 0;
  for (const v of k) mean += v;
  mean /= k.length;
  let peak = 0;
  for (let i = 0; i < k.length; i++) {
    k[i]! -= mean;
    peak = Math.max(peak, Math.abs(k[i]!));
  }
  for (let i = 0; i < k.length; i++) k[i]! /= peak;
  return k;
}

export function dogFilter(image: Image, opts: DogOptions = DEFAULT_DOG): Tensor {
  const { width: W, height: H, pixels } = image;
  const k = dogKernel(opts);
  const size = opts.size;
  const r = (size - 1) / 2;
  const data = new Float32Array(W * H * 2);
  let peak = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let acc = 0;
      for (let dy = -r; dy <= r; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= H) continue;
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= W) continue;
          acc += k[(dy + r) * size + (dx + r)]! * (pixels[yy * W + xx]! / 255);
        }
      }
      const on = acc > opts.threshold ? acc : 0;
      const off = -acc > opts.threshold ? -acc : 0;
      const i = (y * W + x) * 2;
      data[i] = on;
      data[i + 1] = off;
      peak = Math.max(peak, on, off);
    }
  }
  if (opts.normalise && peak > 0) for (let i = 0; i < data.length; i++) data[i]! /= peak;
  return { height: H, width: W, channels: 2, data };
}

/** The plain image as a one-channel tensor on the 0..1 scale. */
export function intensityTensor(image: Image): Tensor {
  const data = new Float32Array(image.width * image.height);
  for (let i = 0; i < data.length; i++) data[i] = image.pixels[i]! / 255;
  return { height: image.height, width: image.width, channels: 1, data };
}
