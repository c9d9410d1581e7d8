/**
 * Distorted copies of training digits, to give the readout more examples of
 * what pooling alone does not forgive: slants, slightly bigger or smaller
 * digits, wobbly strokes. Random affine (rotation, scale, shear) composed with
 * an elastic field (Simard, Steinkraus & Platt 2003: per-pixel random
 * displacements smoothed by a Gaussian), sampled bilinearly about the image
 * centre; pixels from outside the image are 0. Seeded: the same Rng state
 * gives the same copy.
 */
import type { Image } from './mnist.js';
import { Rng } from './random.js';

export interface DistortOptions {
  /** Largest rotation either way, degrees. */
  rotateDeg: number;
  /** Largest relative change of size per axis (0.1 = ±10 %). */
  scale: number;
  /** Largest shear factor either way. */
  shear: number;
  /** Elastic field strength in pixels before smoothing (Simard's alpha); 0 turns it off. */
  elasticAlpha: number;
  /** Gaussian smoothing of the elastic field, pixels (Simard's sigma). */
  elasticSigma: number;
}

export const DEFAULT_DISTORT: DistortOptions = { rotateDeg: 10, scale: 0.1, shear: 0.1, elasticAlpha: 20, elasticSigma: 4 };

function gaussianKernel(sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma);
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/** One pass of a separable blur with zero padding, along x (dx 1, dy 0) or along y (dx 0, dy 1). */
function blurPass(field: Float64Array, w: number, h: number, kernel: Float64Array, dx: number, dy: number): Float64Array {
  const r = (kernel.length - 1) / 2;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) {
        const xx = x + i * dx, yy = y + i * dy;
        if (xx >= 0 && xx < w && yy >= 0 && yy < h) s += field[yy * w + xx]! * kernel[i + r]!;
      }
      out[y * w + x] = s;
    }
  return out;
}

/** Separable Gaussian blur with zero padding. */
function blur(field: Float64Array, w: number, h: number, kernel: Float64Array): Float64Array {
  return blurPass(blurPass(field, w, h, kernel, 1, 0), w, h, kernel, 0, 1);
}

function sample(img: Image, x: number, y: number): number {
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const fx = x - x0, fy = y - y0;
  const at = (xx: number, yy: number): number =>
    xx >= 0 && xx < img.width && yy >= 0 && yy < img.height ? img.pixels[yy * img.width + xx]! : 0;
  return (
    at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy
  );
}

/** One randomly distorted copy of `img` (same size and label). */
export function distort(img: Image, rng: Rng, options: DistortOptions = DEFAULT_DISTORT): Image {
  const { width: w, height: h } = img;
  const uniform = (a: number): number => (rng.next() * 2 - 1) * a;
  const angle = (uniform(options.rotateDeg) * Math.PI) / 180;
  const sx = 1 + uniform(options.scale), sy = 1 + uniform(options.scale);
  const shear = uniform(options.shear);
  // Inverse map: for each output pixel, where to read in the input.
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const a = cos / sx, b = (sin + shear * cos) / sx;
  const c = -sin / sy, d = (cos - shear * sin) / sy;
  let dxField = new Float64Array(w * h), dyField = new Float64Array(w * h);
  if (options.elasticAlpha > 0) {
    for (let i = 0; i < w * h; i++) {
      dxField[i] = uniform(1);
      dyField[i] = uniform(1);
    }
    const kernel = gaussianKernel(options.elasticSigma);
    dxField = blur(dxField, w, h, kernel).map((v) => v * options.elasticAlpha);
    dyField = blur(dyField, w, h, kernel).map((v) => v * options.elasticAlpha);
  }
  const cx = (w - 1) / 2, cy = (h - 1) / 2;
  const pixels = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const ox = x - cx, oy = y - cy;
      const srcX = a * ox + b * oy + cx + dxField[y * w + x]!;
      const srcY = c * ox + d * oy + cy + dyField[y * w + x]!;
      pixels[y * w + x] = Math.min(255, Math.max(0, Math.round(sample(img, srcX, srcY))));
    }
  return { ...img, pixels };
}

/**
 * Copy number `copy` (1, 2, …) of a labelled set, every image distorted; the
 * generator is seeded with seed + copy − 1, so a copy is the same every run.
 */
export function distortedSet<S extends { images: Image[] }>(set: S, copy: number, seed: number, options: DistortOptions = DEFAULT_DISTORT): S {
  const rng = new Rng(seed + copy - 1);
  return { ...set, images: set.images.map((im) => distort(im, rng, options)) };
}
