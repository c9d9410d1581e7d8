/**
 * The SpikingConvNet workflow end to end on the embedded emulator (real UDP on
 * loopback), at a tiny size: 2 digits, 40 training / 20 test images, a
 * two-layer model of 4 kernels each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BoardBackend } from '../../src/convnet/board-backend.js';
import { recipeFromConfig } from '../../src/convnet/config.js';
import { ModelDir, type WorkflowContext, decodeNpy, loaddata, test as testStep, trainLayer, trainSvm } from '../../src/convnet/workflow/index.js';

const MODEL = {
  preset: 'default',
  data: { digits: [0, 1], train: 40, test: 20 },
  layers: [
    { kernels: 4, shape: [5, 5], stride: 3, trainWindows: 40 },
    { kernels: 4, shape: [3, 3], stride: 2, trainWindows: 30, minActiveInputs: 1, train: { neuron: { v_thresh: -60 } }, infer: { neuron: { v_thresh: -55 } } },
  ],
  classifier: { pool: [1, 1] },
};

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'spinn-workflow-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function context(dir: string, given = true): WorkflowContext {
  return { dir: new ModelDir(dir), backend: new BoardBackend({ board: 'emulator' }), boardLabel: 'emulator', recipe: given ? recipeFromConfig(MODEL) : undefined };
}

describe('workflow steps (library)', () => {
  it('loaddata → train --layer 1 → train --layer 2 → train --layer svm → test, each saving its results', async () => {
    const dir = join(root, 'lib');
    const ctx = context(dir);
    const split = loaddata(ctx, ctx.recipe!);
    expect(split.train.ids).toHaveLength(40);
    const savedSplit = JSON.parse(readFileSync(join(dir, 'split.json'), 'utf8'));
    expect(savedSplit.train).toEqual(split.train.ids);
    expect(new Set([...savedSplit.train, ...savedSplit.test]).size).toBe(60);

    // A later invocation without an explicit configuration uses the saved one.
    const later = context(dir, false);
    const l1 = await trainLayer(later, 1);
    expect(l1.windows).toBe(40);
    const saved1 = JSON.parse(readFileSync(join(dir, 'layer1.json'), 'utf8'));
    expect(saved1.weights).toHaveLength(4);
    expect(saved1.weights[0]).toHaveLength(50);
    const npy = decodeNpy(readFileSync(join(dir, 'layer1.npy')));
    expect(npy.shape).toEqual([4, 5, 5, 2]);
    expect(Array.from(npy.data)).toEqual(saved1.weights.flat());
    // Weights as the board stores them: 16-bit integers over a power-of-two scale, changed by STDP.
    for (const w of saved1.weights.flat()) expect(Number.isInteger(w * 65536)).toBe(true);

    const l2 = await trainLayer(later, 2);
    expect(l2.windows).toBeGreaterThan(0);
    const npy2 = decodeNpy(readFileSync(join(dir, 'layer2.npy')));
    expect(npy2.shape).toEqual([4, 3, 3, 4]);

    const svm = await trainSvm(later);
    expect(svm.features).toBe(4);
    expect(existsSync(join(dir, 'svm.json'))).toBe(true);

    const r = await testStep(later);
    expect(r.images).toBe(20);
    expect(r.classes).toEqual([0, 1]);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).accuracy).toBe(r.accuracy);
    const plots = readdirSync(join(dir, 'plots')).sort();
    expect(plots).toEqual(['confusion.svg', 'layer1-kernels.svg', 'layer1-training-raster.svg', 'layer2-kernels.svg', 'layer2-raster.svg', 'layer2-training-raster.svg', 'layer2-voltages.svg', 'per-class.svg']);
    for (const p of plots) expect(readFileSync(join(dir, 'plots', p), 'utf8')).toMatch(/^<svg/);
    // Nothing half-written is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 180000);

  it('says which command to run first when an input is missing, and rejects layers the model does not have', async () => {
    const dir = join(root, 'missing');
    const ctx = context(dir);
    await expect(trainLayer(ctx, 1)).rejects.toThrow(/recipe\.json: run `spinn loaddata` first/);
    loaddata(ctx, ctx.recipe!);
    await expect(trainLayer(ctx, 2)).rejects.toThrow(/layer 1 weights not found in .*layer1\.json: run `spinn train --layer 1` first/);
    await expect(trainLayer(ctx, 3)).rejects.toThrow('layer 3 does not exist: the model has 2 conv layers (1..2); use --layer 1..2 or --layer svm');
    await expect(trainSvm(ctx)).rejects.toThrow(/run `spinn train --layer 1` first/);
    await expect(testStep(ctx)).rejects.toThrow(/run `spinn train --layer 1` first/);
    // A different configuration than the one the directory was made with.
    const other = { ...ctx, recipe: recipeFromConfig({ ...MODEL, seed: 7 }) };
    await expect(trainLayer(other, 1)).rejects.toThrow(/another configuration .*run `spinn loaddata` with the new configuration first/);
  }, 60000);
});
