import { describe, expect, it } from 'vitest';
import { linearScores, predictLinearSvm, trainLinearSvm } from '../../src/convnet/linear-svm.js';
import { inferenceWeights } from '../../src/convnet/recipe.js';
import { DEFAULT_RECIPE } from '../../src/convnet/presets.js';

describe('linear SVM (dual coordinate descent)', () => {
  it('separates a linearly separable problem with margin ≥ 1 on the training points', () => {
    const x = [[0, 0], [0, 1], [1, 0], [3, 3], [3, 4], [4, 3]];
    const y = [0, 0, 0, 1, 1, 1];
    const m = trainLinearSvm(x, y, { C: 100, eps: 1e-4 });
    expect(predictLinearSvm(m, x)).toEqual(y);
    for (const [i, r] of x.entries()) {
      const s = linearScores(m, r)[1]!; // class 1 vs rest
      expect(y[i] === 1 ? s : -s).toBeGreaterThan(0.9);
    }
  });
  it('matches the known optimum of a one-dimensional problem', () => {
    // points -1 (class 0) and +1 (class 1), no bias: w minimises w²/2 + C·2·max(0, 1 - w)² → w = 4C / (1 + 4C)
    const C = 0.5;
    const m = trainLinearSvm([[-1], [1]], [0, 1], { C, bias: 0, eps: 1e-9 });
    expect(m.w[1]![0]).toBeCloseTo((4 * C) / (1 + 4 * C), 6);
    expect(m.w[0]![0]).toBeCloseTo(-(4 * C) / (1 + 4 * C), 6);
  });
  it('is deterministic for a seed and rejects C ≤ 0', () => {
    const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 4) / 4]);
    const y = x.map((_, i) => i % 3);
    expect(trainLinearSvm(x, y, { C: 1 })).toEqual(trainLinearSvm(x, y, { C: 1 }));
    expect(() => trainLinearSvm(x, y, { C: 0 })).toThrow(/C must be > 0/);
  });
});

describe('inferenceWeights', () => {
  it('scales each kernel to the asked sum, leaves trained weights untouched', () => {
    const layer = { ...DEFAULT_RECIPE.layers[0]!, kernels: 2 };
    const w = new Float32Array([1, 1, 2, 0, 0, 0.5]);
    const out = inferenceWeights({ ...layer, infer: { ...layer.infer, normalise: { sum: 8 } } }, w);
    expect(Array.from(out)).toEqual([2, 2, 4, 0, 0, 8]);
    expect(Array.from(w)).toEqual([1, 1, 2, 0, 0, 0.5]);
    expect(Array.from(inferenceWeights(layer, w))).toEqual(Array.from(w));
  });
});
