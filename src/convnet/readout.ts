import type { SpikeTrains } from '../datasets/spikes.js';
import type { ReadoutRecipe } from './recipe.js';
import type { Shape3 } from './windowing.js';

/**
 * SVM features from the last layer's spikes: spike counts summed per map over
 * pooling cells. Either a gy×gx grid of equal, disjoint cells (`pool`), or,
 * when `window: [size, stride]` is given, square windows of size×size every
 * `stride` neurons (overlapping when stride < size; ⌊(H − size)/stride⌋ + 1
 * per side). Feature index (cy·gx + cx)·K + k.
 */

/** For each coordinate 0..side-1 along one axis, the cells it falls in. */
export function readoutCells(side: number, readout: Pick<ReadoutRecipe, 'pool' | 'window'>, axis: 0 | 1): number[][] {
  const out: number[][] = Array.from({ length: side }, () => []);
  if (readout.window) {
    const [size, stride] = readout.window;
    if (!(size >= 1 && stride >= 1 && size <= side)) throw new RangeError(`readout window ${size} (stride ${stride}) does not fit a map side of ${side}; use 1..${side}`);
    const n = Math.floor((side - size) / stride) + 1;
    for (let c = 0; c < n; c++) for (let i = c * stride; i < c * stride + size; i++) out[i]!.push(c);
  } else {
    const g = readout.pool[axis];
    for (let i = 0; i < side; i++) out[i]!.push(Math.min(g - 1, Math.floor((i * g) / side)));
  }
  return out;
}

/** Grid size [gy, gx] of the readout on a map of shape [H, W, ·]. */
export function readoutGrid(shape: Shape3, readout: Pick<ReadoutRecipe, 'pool' | 'window'>): [number, number] {
  if (readout.window) {
    const [size, stride] = readout.window;
    return [Math.floor((shape[0] - size) / stride) + 1, Math.floor((shape[1] - size) / stride) + 1];
  }
  return [readout.pool[0], readout.pool[1]];
}

export function readoutFeatureCount(shape: Shape3, readout: Pick<ReadoutRecipe, 'pool' | 'window'>): number {
  const [gy, gx] = readoutGrid(shape, readout);
  return gy * gx * shape[2];
}

/** Per-neuron list of feature indices its spikes add to. */
function featureMap(shape: Shape3, readout: Pick<ReadoutRecipe, 'pool' | 'window'>): number[][] {
  const [H, W, K] = shape;
  const cy = readoutCells(H, readout, 0);
  const cx = readoutCells(W, readout, 1);
  const gx = readoutGrid(shape, readout)[1];
  const out: number[][] = [];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let k = 0; k < K; k++) {
        const f: number[] = [];
        for (const a of cy[y]!) for (const b of cx[x]!) f.push((a * gx + b) * K + k);
        out.push(f);
      }
  return out;
}

/**
 * Features of `images` consecutive slots of `slotMs` from a whole run's spike
 * trains of the last layer (neuron (y·W + x)·K + k); a spike belongs to the
 * image of its slot.
 */
export function readoutFeatures(trains: SpikeTrains, shape: Shape3, readout: Pick<ReadoutRecipe, 'pool' | 'window'>, slotMs: number, images: number): Float32Array[] {
  const fm = featureMap(shape, readout);
  const d = readoutFeatureCount(shape, readout);
  const out = Array.from({ length: images }, () => new Float32Array(d));
  trains.forEach((times, n) => {
    const fs = fm[n];
    if (!fs || times.length === 0) return;
    for (const t of times) {
      const img = Math.floor(t / slotMs);
      if (img < 0 || img >= images) continue;
      const row = out[img]!;
      for (const f of fs) row[f]! += 1;
    }
  });
  return out;
}

/** The readout's transform applied to pooled counts, in place; returns the same rows. */
export function transformFeatures(rows: Float32Array[], readout: Pick<ReadoutRecipe, 'transform'>): Float32Array[] {
  if ((readout.transform ?? 'none') === 'sqrt') for (const r of rows) for (let i = 0; i < r.length; i++) r[i] = Math.sqrt(r[i]!);
  return rows;
}

/** The same features from one image's flat [neuron, tick]* spike pairs (prototype). */
export function eventFeatures(events: Int32Array, shape: Shape3, readout: Pick<ReadoutRecipe, 'pool' | 'window'>): Float32Array {
  const fm = featureMap(shape, readout);
  const row = new Float32Array(readoutFeatureCount(shape, readout));
  for (let i = 0; i < events.length; i += 2) for (const f of fm[events[i]!]!) row[f]! += 1;
  return row;
}
