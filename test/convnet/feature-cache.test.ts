import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InferenceRun, LayerTrainingRun, SpikingBackend } from '../../src/convnet/backend.js';
import { recipeFromConfig } from '../../src/convnet/config.js';
import { HostFloatBackend } from '../../src/convnet/prototype/backend.js';
import { featureKey, loadCachedFeatures, saveCachedFeatures } from '../../src/convnet/workflow/feature-cache.js';
import { ModelDir, type SavedLayer, loaddata, test as testStep, trainLayer, trainSvm } from '../../src/convnet/workflow/index.js';

const MODEL = { preset: 'default', data: { digits: [0, 1], train: 40, test: 20 }, layers: [{ kernels: 4, shape: [5, 5], stride: 2, trainWindows: 40 }], classifier: { window: [6, 3] } };

/** The host float backend, counting the images it is asked to run. */
class Counting implements SpikingBackend {
  readonly name = 'counting host float';
  /** As a BoardPool of two: the workflow splits runs into two batches. */
  readonly concurrency = 2;
  inner = new HostFloatBackend();
  inferenceTicks = 0;
  trainLayer(run: LayerTrainingRun) {
    return this.inner.trainLayer(run);
  }
  runInference(run: InferenceRun) {
    this.inferenceTicks += run.durationMs;
    return this.inner.runInference(run);
  }
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'spinn-features-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const layer = (w: number): SavedLayer => ({
  format: 'spinn-layer/1', layer: 1, kernels: 1, shape: [1, 1], stride: 1, input: [2, 2, 1], output: [2, 2, 1], weights: [[w]],
  training: { windows: 1, board: 'test', seconds: 0, postSpikes: [0] },
});

describe('feature cache', () => {
  it('keys on the weights, the images and the readout pooling, not on the SVM settings', () => {
    const r = recipeFromConfig(MODEL);
    const k = featureKey(r, [layer(0.5)], [1, 2, 3]);
    expect(featureKey(r, [layer(0.5)], [1, 2, 3])).toBe(k);
    expect(featureKey(r, [layer(0.25)], [1, 2, 3])).not.toBe(k);
    expect(featureKey(r, [layer(0.5)], [1, 2, 4])).not.toBe(k);
    expect(featureKey(recipeFromConfig({ ...MODEL, classifier: { window: [4, 2] } }), [layer(0.5)], [1, 2, 3])).not.toBe(k);
    expect(featureKey(recipeFromConfig({ ...MODEL, classifier: { window: [6, 3], C: 3, cv: null } }), [layer(0.5)], [1, 2, 3])).toBe(k);
    expect(featureKey(recipeFromConfig({ ...MODEL, layers: [{ ...MODEL.layers[0]!, infer: { neuron: { v_thresh: -50 } } }] }), [layer(0.5)], [1, 2, 3])).not.toBe(k);
  });

  it('stores float32 rows exactly and keeps one entry per set', () => {
    const dir = new ModelDir(join(root, 'store'));
    const x = [Float32Array.from([1, 2, 3]), Float32Array.from([0, 0.5, 7])];
    saveCachedFeatures(dir, 'train', 'aaaa', x);
    expect(loadCachedFeatures(dir, 'train', 'aaaa')).toEqual(x);
    expect(loadCachedFeatures(dir, 'train', 'bbbb')).toBeUndefined();
    expect(loadCachedFeatures(dir, 'test', 'aaaa')).toBeUndefined();
    saveCachedFeatures(dir, 'train', 'bbbb', x);
    saveCachedFeatures(dir, 'test', 'aaaa', x);
    expect(readdirSync(dir.dir).filter((f) => f.startsWith('features-')).sort()).toEqual(['features-test-aaaa.npy', 'features-train-bbbb.npy']);
  });

  it('train --layer svm and test run the network again only when the features can have changed', async () => {
    const backend = new Counting();
    const dir = join(root, 'wf');
    const ctx = { dir: new ModelDir(dir), backend, boardLabel: 'host', recipe: recipeFromConfig(MODEL) };
    loaddata(ctx, ctx.recipe);
    await trainLayer(ctx, 1);
    const s1 = await trainSvm(ctx);
    const slot = ctx.recipe.imageSlotMs;
    expect(backend.inferenceTicks).toBe(40 * slot);
    const t1 = await testStep(ctx);
    expect(backend.inferenceTicks).toBe(60 * slot + slot); // + the voltage plot's one-image run

    backend.inferenceTicks = 0;
    const s2 = await trainSvm(ctx);
    expect(backend.inferenceTicks).toBe(0);
    expect(s2.trainAccuracy).toBe(s1.trainAccuracy);
    const t2 = await testStep(ctx);
    expect(backend.inferenceTicks).toBe(3 * slot + slot); // only the three images of the raster plot, and the voltage run
    expect(t2.accuracy).toBe(t1.accuracy);
    expect(t2.confusion).toEqual(t1.confusion);
    // The raster still shows three images although the three-image run was split into two batches.
    expect(readFileSync(join(dir, 'plots', 'layer1-raster.svg'), 'utf8')).toContain('first 3 test images');

    // New layer weights (training is deterministic, so change one as another run could): the cache no longer applies.
    const saved = ctx.dir.loadLayer(1);
    saved.weights[0]![0] = saved.weights[0]![0]! + 0.125;
    ctx.dir.saveLayer(saved);
    backend.inferenceTicks = 0;
    await trainSvm({ ...ctx, recipe: undefined });
    expect(backend.inferenceTicks).toBe(40 * slot);
  });
});
