import { describe, expect, it } from 'vitest';
import { ConfigError, modelFromRecipe, recipeFromConfig } from '../../src/convnet/config.js';
import { DEFAULT_RECIPE, PRESETS, SEED_RECIPE } from '../../src/convnet/presets.js';

describe('model configuration: every recipe field', () => {
  it('counts the real readout features: 7×7 windows × 32 maps = 1,568 for the default', () => {
    const m = modelFromRecipe(DEFAULT_RECIPE);
    expect(m.features).toBe(1568);
    let out = '';
    m.printStructure((s) => (out = s));
    expect(out).toContain('7×7×32 = 1568 features');
    expect(modelFromRecipe(SEED_RECIPE).features).toBe(9 * 9 * 4);
  });

  it('accepts the classifier window, solver and cross-validation keys', () => {
    const r = recipeFromConfig({ classifier: { window: [8, 4], svm: 'libsvm', C: 0.3, cv: { folds: 5, C: [0.1, 1] } } });
    expect(r.readout).toMatchObject({ window: [8, 4], svm: 'libsvm', C: 0.3, cv: { folds: 5, C: [0.1, 1] } });
    expect(modelFromRecipe(r).features).toBe(5 * 5 * 32);
    // null switches a preset's window or cross-validation off; a grid alone replaces the windows
    const g = recipeFromConfig({ classifier: { window: null, pool: [3, 3], cv: null } });
    expect(g.readout.window).toBeUndefined();
    expect(g.readout.cv).toBeUndefined();
    expect(modelFromRecipe(g).features).toBe(3 * 3 * 32);
    expect(recipeFromConfig({ classifier: { pool: [2, 2] } }).readout.window).toBeUndefined();
    expect(() => recipeFromConfig({ classifier: { svm: 'sklearn' } })).toThrow(/model\.classifier\.svm/);
    expect(recipeFromConfig({ classifier: { transform: 'none' } }).readout.transform).toBe('none');
    expect(recipeFromConfig({ layers: [{ kernels: 8, shape: [5, 5], train: { weightDependence: 'multiplicative' } }] }).layers[0]!.train.weightDependence).toBe('multiplicative');
    expect(() => recipeFromConfig({ layers: [{ kernels: 8, shape: [5, 5], train: { weightDependence: 'soft' } }] })).toThrow(/weightDependence/);
    expect(() => recipeFromConfig({ classifier: { transform: 'log' } })).toThrow(/model\.classifier\.transform/);
    expect(() => recipeFromConfig({ classifier: { cv: { folds: 1, C: [1] } } })).toThrow(/model\.classifier\.cv\.folds/);
    expect(() => recipeFromConfig({ classifier: { windw: [6, 3] } })).toThrow(/model\.classifier: unknown key "windw"/);
  });

  it('rejects a readout window larger than the last layer, at config time', () => {
    // 28 → 5×5 stride 4 → 6×6 maps: an 8×8 window cannot fit
    const bad = { layers: [{ kernels: 4, shape: [5, 5], stride: 4 }], classifier: { window: [8, 2] } };
    expect(() => recipeFromConfig(bad)).toThrow(ConfigError);
    expect(() => recipeFromConfig(bad)).toThrow(/readout window 8×8 does not fit the last layer's 6×6×4 output; use a window of at most 6/);
    expect(() => recipeFromConfig({ ...bad, classifier: { window: [6, 2] } })).not.toThrow();
  });

  it('accepts encoder fields (merged into the preset\'s encoder) and checks a new kind is complete', () => {
    const r = recipeFromConfig({ encoder: { windowMs: 10, dog: { threshold: 0.1 }, lateSpikeAt: null } });
    expect(r.encoder).toMatchObject({ kind: 'dog-latency', windowMs: 10, dog: { size: 7, threshold: 0.1 } });
    expect('lateSpikeAt' in r.encoder).toBe(false);
    const rate = recipeFromConfig({ slotMs: 60, encoder: { kind: 'rate', threshold: 80, activeMs: 50 } });
    expect(rate.encoder).toEqual({ kind: 'rate', threshold: 80, activeMs: 50 });
    expect(() => recipeFromConfig({ encoder: { kind: 'rate' } })).toThrow(/model\.encoder/);
    expect(() => recipeFromConfig({ encoder: { windowMS: 8 } })).toThrow(/unknown key "windowMS"/);
  });

  it('takes the image slot separately from the training slot and checks both fit their input', () => {
    expect(DEFAULT_RECIPE.imageSlotMs).toBe(60);
    expect(recipeFromConfig({ imageSlotMs: 100 })).toMatchObject({ slotMs: 30, imageSlotMs: 100 });
    expect(() => recipeFromConfig({ imageSlotMs: 5 })).toThrow(/model\.imageSlotMs: 5 ms is shorter than an image's input \(8 ms\); use at least 8/);
    expect(() => recipeFromConfig({ slotMs: 10 })).toThrow(/model\.slotMs: 10 ms is shorter than a training window's input \(11 ms\)/);
    expect(() => recipeFromConfig({ preset: 'seed', slotMs: 40 })).toThrow(/at least 50/);
  });

  it('accepts inference normalisation per layer', () => {
    const r = recipeFromConfig({ layers: [{ kernels: 8, shape: [5, 5], infer: { normalise: { sum: 20 } } }] });
    expect(r.layers[0]!.infer.normalise).toEqual({ sum: 20 });
    expect(() => recipeFromConfig({ layers: [{ kernels: 8, shape: [5, 5], infer: { normalise: { sum: -1 } } }] })).toThrow(/normalise\.sum/);
  });

  it('seed-fixed differs from seed only in the rebuild threshold; best is the default network with 64 kernels, another readout and distorted copies', () => {
    const s = PRESETS.seed!;
    const f = PRESETS['seed-fixed']!;
    expect({ ...f, name: s.name, description: s.description, layers: [] }).toEqual({ ...s, layers: [] });
    expect({ ...f.layers[0]!, infer: s.layers[0]!.infer }).toEqual(s.layers[0]);
    expect(f.layers[0]!.infer.neuron).toEqual({ ...s.layers[0]!.infer.neuron, v_thresh: -45 });
    // best = the default network with 64 kernels; readout windows 7×7 every 2, two distorted copies, its own C grid
    const b = PRESETS.best!;
    expect({ ...b, name: 'default', description: DEFAULT_RECIPE.description, layers: DEFAULT_RECIPE.layers, readout: DEFAULT_RECIPE.readout }).toEqual(DEFAULT_RECIPE);
    expect(b.layers).toEqual([{ ...DEFAULT_RECIPE.layers[0]!, kernels: 64 }]);
    expect({ ...b.readout, window: DEFAULT_RECIPE.readout.window, cv: DEFAULT_RECIPE.readout.cv, augment: undefined }).toEqual({ ...DEFAULT_RECIPE.readout, augment: undefined });
    expect(b.readout.window).toEqual([7, 2]);
    expect(b.readout.augment).toEqual({ copies: 2 });
    expect(modelFromRecipe(b).features).toBe(9 * 9 * 64);
    expect(DEFAULT_RECIPE.readout.augment).toBeUndefined();
  });

  it('takes distorted training copies for the SVM, and checks their settings', () => {
    const r = recipeFromConfig({ classifier: { augment: { copies: 3, rotateDeg: 5 } } });
    expect(r.readout.augment).toEqual({ copies: 3, rotateDeg: 5 });
    expect(recipeFromConfig({ preset: 'best', classifier: { augment: null } }).readout.augment).toBeUndefined();
    expect(() => recipeFromConfig({ classifier: { augment: { copies: 2, rotate: 5 } } })).toThrow(/model\.classifier\.augment: unknown key "rotate"/);
    expect(() => recipeFromConfig({ classifier: { augment: { copies: -1 } } })).toThrow(/model\.classifier\.augment\.copies/);
    expect(() => recipeFromConfig({ classifier: { augment: { rotateDeg: 5 } } })).toThrow(/model\.classifier\.augment\.copies/);
  });
});
