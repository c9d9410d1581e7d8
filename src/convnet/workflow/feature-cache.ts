import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../../datasets/atomic.js';
import type { Recipe } from '../recipe.js';
import type { ModelDir, SavedLayer } from './model-dir.js';
import { decodeNpy, encodeNpy } from './npy.js';

/**
 * The readout features of the training or test images, cached in the model
 * directory as `features-<set>-<key>.npy` (float32, images × features), so
 * that `train --layer svm` and `test` need not run the network again when
 * only the SVM settings (C, solver, cross-validation) change. The key hashes
 * everything the features depend on: every layer's saved weights, the
 * encoder, slot length, seed, the layers' rebuild parameters, the readout
 * pooling, the image ids and, for distorted copies, how they were made. The
 * key is part of the file name, so one atomic write both stores and
 * validates an entry.
 */
export function featureKey(recipe: Recipe, layers: SavedLayer[], ids: number[], variant?: unknown): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({
    encoder: recipe.encoder,
    imageSlotMs: recipe.imageSlotMs,
    seed: recipe.seed,
    layers: recipe.layers.map((l) => ({ kernels: l.kernels, shape: l.shape, stride: l.stride, infer: l.infer })),
    readout: { pool: recipe.readout.pool, window: recipe.readout.window ?? null },
    ids,
    ...(variant === undefined ? {} : { variant }),
  }));
  for (const l of layers) h.update(new Uint8Array(Float32Array.from(l.weights.flat()).buffer));
  return h.digest('hex').slice(0, 16);
}

/** Training images, test images, or distorted copy N of the training images. */
export type FeatureSet = 'train' | 'test' | `aug${number}`;

const fileName = (set: FeatureSet, key: string) => `features-${set}-${key}.npy`;

export function loadCachedFeatures(dir: ModelDir, set: FeatureSet, key: string): Float32Array[] | undefined {
  const name = fileName(set, key);
  if (!dir.has(name)) return undefined;
  try {
    const { shape, data } = decodeNpy(readFileSync(dir.path(name)));
    const [n, d] = shape as [number, number];
    return Array.from({ length: n }, (_, i) => data.slice(i * d, (i + 1) * d));
  } catch {
    return undefined;
  }
}

/** Store the features under their key and remove entries of the same set with other keys. */
export function saveCachedFeatures(dir: ModelDir, set: FeatureSet, key: string, x: Float32Array[]): void {
  const d = x[0]?.length ?? 0;
  const flat = new Float32Array(x.length * d);
  x.forEach((r, i) => flat.set(r, i * d));
  const name = fileName(set, key);
  writeFileAtomic(dir.path(name), encodeNpy(flat, [x.length, d]));
  for (const f of readdirSync(dir.dir)) {
    if (f !== name && f.startsWith(`features-${set}-`) && f.endsWith('.npy')) rmSync(dir.path(f), { force: true });
  }
}
