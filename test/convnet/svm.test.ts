import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SvmReadout, evaluate } from '../../src/convnet/svm.js';
import { Rng } from '../../src/datasets/random.js';

function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([c === 0 ? 5 : 0, c === 1 ? 5 : 0, c === 2 ? 5 : 0].map((v) => v + rng.normal(0, 1)).map((v) => Math.max(0, v)));
    y.push([0, 1, 7][c]!);
  }
  return { x, y };
}

describe('SVM readout', () => {
  for (const backend of ['libsvm', 'ml-svm', 'linear'] as const) {
    it(`${backend}: learns separable classes and survives save/load`, async () => {
      const tr = blobs(150, 1);
      const te = blobs(60, 2);
      const svm = await SvmReadout.train(tr.x, tr.y, { backend });
      const e = evaluate(te.y, svm.predict(te.x));
      expect(e.accuracy).toBeGreaterThan(0.9);
      const dir = mkdtempSync(join(tmpdir(), 'svm-'));
      svm.save(join(dir, 'svm.json'));
      expect(readdirSync(dir)).toEqual(['svm.json']);
      const back = await SvmReadout.load(join(dir, 'svm.json'));
      expect(back.predict(te.x)).toEqual(svm.predict(te.x));
    });
  }
  it('evaluate() builds the confusion matrix and per-class accuracy', () => {
    const e = evaluate([0, 0, 1, 1], [0, 1, 1, 1]);
    expect(e.confusion).toEqual([[1, 1], [0, 2]]);
    expect(e.perClass).toEqual([0.5, 1]);
    expect(e.accuracy).toBe(0.75);
  });
  it('refuses a file that is not a saved SVM', async () => {
    await expect(SvmReadout.fromJson({} as never)).rejects.toThrow(/spinn train --layer svm/);
  });
});
