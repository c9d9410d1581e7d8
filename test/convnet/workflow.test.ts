/**
 * The SpikingConvNet workflow end to end on the embedded emulator (real UDP on
 * loopback), at a tiny size: 2 digits, 40 training / 20 test images, a
 * two-layer model of 4 kernels each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BoardBackend } from '../../src/convnet/board-backend.js';
import { recipeFromConfig } from '../../src/convnet/config.js';
import { readoutFeatureCount } from '../../src/convnet/readout.js';
import { ModelDir, type WorkflowContext, cropToPosition, decodeNpy, encodeNpy, loaddata, test as testStep, trainLayer, trainSvm } from '../../src/convnet/workflow/index.js';
import { HostFloatBackend } from '../../src/convnet/prototype/backend.js';
import { DEFAULT_RECIPE } from '../../src/convnet/presets.js';
import { Rng } from '../../src/datasets/random.js';
import type { Shape3 } from '../../src/convnet/windowing.js';

const MODEL = {
  preset: 'default',
  data: { digits: [0, 1], train: 40, test: 20 },
  layers: [
    { kernels: 4, shape: [5, 5], stride: 2, trainWindows: 40 },
    { kernels: 4, shape: [3, 3], stride: 1, trainWindows: 30, minActiveInputs: 1, train: { neuron: { v_thresh: -60 } }, infer: { neuron: { v_thresh: -55 } } },
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
    const r0 = recipeFromConfig(MODEL);
    expect(svm.features).toBe(readoutFeatureCount([10, 10, 4], r0.readout));
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

describe('distorted training copies (readout.augment)', () => {
  it('runs each copy through the layers, caches it on its own, and trains the SVM on originals plus copies', async () => {
    const dir = join(root, 'augment');
    const model = {
      preset: 'default',
      data: { digits: [0, 1], train: 30, test: 10 },
      layers: [{ kernels: 4, shape: [5, 5], stride: 2, trainWindows: 30 }],
      classifier: { pool: [2, 2], augment: { copies: 2 }, cv: { folds: 2, C: [0.1, 1] } },
    };
    const lines: string[] = [];
    const ctx: WorkflowContext = { ...context(dir), recipe: recipeFromConfig(model), log: (l) => lines.push(l) };
    loaddata(ctx, ctx.recipe!);
    await trainLayer(ctx, 1);
    await trainSvm(ctx);
    const files = readdirSync(dir);
    const rows = (prefix: string) => {
      const f = files.find((n) => n.startsWith(prefix) && n.endsWith('.npy'));
      expect(f, prefix).toBeDefined();
      return decodeNpy(readFileSync(join(dir, f!)));
    };
    const [orig, aug1, aug2] = [rows('features-train-'), rows('features-aug1-'), rows('features-aug2-')];
    expect(orig.shape).toEqual([30, 16]);
    expect(aug1.shape).toEqual([30, 16]);
    expect(Array.from(aug1.data)).not.toEqual(Array.from(orig.data));
    expect(Array.from(aug2.data)).not.toEqual(Array.from(aug1.data));
    expect(lines.some((l) => l.includes('30 images (+ 60 distorted copies) × 16 features'))).toBe(true);
    // Again: every set comes from its cache, nothing runs.
    lines.length = 0;
    await trainSvm(ctx);
    for (const set of ['train', 'aug1', 'aug2']) expect(lines.some((l) => l.includes(`features of 30 images from`) && l.includes(`features-${set}-`))).toBe(true);
    // Other distortion settings are other copies: the cache must not answer for them.
    lines.length = 0;
    const other: WorkflowContext = { ...ctx, recipe: undefined };
    const saved = JSON.parse(readFileSync(join(dir, 'recipe.json'), 'utf8'));
    saved.recipe.readout.augment = { copies: 1, rotateDeg: 20 };
    writeFileSync(join(dir, 'recipe.json'), JSON.stringify(saved));
    await trainSvm(other);
    expect(lines.some((l) => l.includes('features-aug1-'))).toBe(false);
    expect(lines.some((l) => l.includes('30 images (+ 30 distorted copies)'))).toBe(true);
  }, 120000);
});

describe('workflow pieces', () => {
  it('.npy files carry the header numpy expects and read back exactly', () => {
    const data = Float32Array.from([0.5, -1, 0.25, 3, 0, 1.5]);
    const bytes = encodeNpy(data, [2, 3]);
    expect(bytes.length % 64).toBe((data.length * 4) % 64);
    const header = Buffer.from(bytes.subarray(10, 10 + (bytes[8]! | (bytes[9]! << 8)))).toString('latin1');
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect((10 + header.length) % 64).toBe(0);
    expect(decodeNpy(bytes)).toEqual({ shape: [2, 3], data });
  });

  it('cropToPosition: the receptive field of one output position gives exactly the spikes of the whole network there', async () => {
    const rng = new Rng(11);
    const p = DEFAULT_RECIPE.layers[0]!.infer.neuron;
    const layers = [
      { input: [12, 12, 2] as Shape3, output: [5, 5, 3] as Shape3, shape: [4, 4] as [number, number], stride: 2, weights: new Float32Array(3 * 32).map(() => rng.next() * 4), params: p, inhibition: 0 },
      { input: [5, 5, 3] as Shape3, output: [2, 2, 2] as Shape3, shape: [3, 3] as [number, number], stride: 2, weights: new Float32Array(2 * 27).map(() => rng.next() * 6), params: p, inhibition: 1 },
    ];
    const spikes = Array.from({ length: 12 * 12 * 2 }, () => (rng.next() < 0.4 ? [rng.int(8)] : []));
    const host = new HostFloatBackend();
    const full = (await host.runInference({ input: { shape: [12, 12, 2], spikes }, layers, durationMs: 30, recordLayers: [1] })).spikes[0]!;
    expect(full.flat().length).toBeGreaterThan(0);
    for (const [oy, ox] of [[0, 0], [1, 1], [0, 1]] as const) {
      const crop = cropToPosition(layers, spikes, oy, ox);
      expect(crop.input.shape).toEqual([8, 8, 2]);
      const part = (await host.runInference({ input: crop.input, layers: crop.layers, durationMs: 30, recordLayers: [1] })).spikes[0]!;
      expect(part).toEqual([0, 1].map((k) => full[(oy * 2 + ox) * 2 + k]));
    }
  });
});
