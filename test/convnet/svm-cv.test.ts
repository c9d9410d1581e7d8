import { describe, expect, it } from 'vitest';
import { predictLinearSvm, trainLinearSvm, trainLinearSvmPath } from '../../src/convnet/linear-svm.js';
import { crossValidateC, stratifiedFolds } from '../../src/convnet/svm-cv.js';
import { Rng } from '../../src/datasets/random.js';

/** Three noisy Gaussian classes in 6 dimensions, non-negative like spike counts. */
function blobs(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const centres = [[4, 0, 0, 2, 0, 1], [0, 4, 0, 0, 2, 1], [0, 0, 4, 2, 2, 1]];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push(centres[c]!.map((m) => Math.max(0, m + rng.normal(0, 1.5))));
    y.push(c);
  }
  return { x, y };
}

describe('cross-validation of the SVM cost C', () => {
  it('deals each class evenly over the folds, deterministically', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : 1));
    const f = stratifiedFolds(labels, 3, 5);
    expect(f).toEqual(stratifiedFolds(labels, 3, 5));
    for (let k = 0; k < 3; k++) {
      const zeros = f.filter((v, i) => v === k && labels[i] === 0).length;
      const ones = f.filter((v, i) => v === k && labels[i] === 1).length;
      expect(Math.abs(zeros - 70 / 3)).toBeLessThan(1);
      expect(Math.abs(ones - 10)).toBeLessThanOrEqual(1);
    }
    expect(() => stratifiedFolds(labels, 1, 1)).toThrow(/at least 2 folds/);
  });

  it('warm-started path reaches the same solutions as training each C alone', () => {
    const { x, y } = blobs(150, 3);
    const Cs = [0.01, 0.1, 1];
    const path = trainLinearSvmPath(x, y, Cs, { eps: 1e-6, maxEpochs: 100000 });
    Cs.forEach((C, i) => {
      const alone = trainLinearSvm(x, y, { C, eps: 1e-6, maxEpochs: 100000 });
      path[i]!.w.forEach((w, c) => w.forEach((v, j) => expect(v).toBeCloseTo(alone.w[c]![j]!, 3)));
    });
  });

  it('reports each candidate and rejects a C far too small to fit', () => {
    const { x, y } = blobs(300, 7);
    const r = crossValidateC(x, y, [1, 1e-5, 0.1], 3, 1);
    expect(r.candidates.map((c) => c.C)).toEqual([1e-5, 0.1, 1]);
    expect(r.C).not.toBe(1e-5);
    const chosen = r.candidates.find((c) => c.C === r.C)!;
    expect(chosen.accuracy).toBe(Math.max(...r.candidates.map((c) => c.accuracy)));
    expect(chosen.accuracy).toBeGreaterThan(r.candidates[0]!.accuracy);
    // the chosen model generalises to fresh data from the same distribution
    const fresh = blobs(300, 8);
    const m = trainLinearSvm(x, y, { C: r.C });
    const acc = predictLinearSvm(m, fresh.x).filter((p, i) => p === fresh.y[i]).length / 300;
    expect(acc).toBeGreaterThan(0.8);
    expect(() => crossValidateC(x.slice(0, 4), y.slice(0, 4), [1], 3)).toThrow(/too few/);
  });

  it("keeps derived rows (distorted copies) in their original's fold and never validates on them", () => {
    // Every row is one-hot in its own column and labelled at random: nothing generalises,
    // so only an exact copy of a validation row in the training side could classify it.
    const rng = new Rng(4);
    const n = 150;
    const x = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
    const y = Array.from({ length: n }, () => rng.int(3));
    const grouped = crossValidateC(x, y, [1], 3, 1, { x: x.map((r) => [...r]), of: x.map((_, i) => i) });
    expect(grouped.candidates[0]!.accuracy).toBeLessThan(0.55);
    // The same copies as ordinary rows land in other folds and leak the answer.
    const leaky = crossValidateC([...x, ...x], [...y, ...y], [1], 3, 1);
    expect(leaky.candidates[0]!.accuracy).toBeGreaterThan(0.75);
    expect(() => crossValidateC(x, y, [1], 3, 1, { x: x.slice(0, 2), of: [0] })).toThrow(/derived rows/);
  });
});
