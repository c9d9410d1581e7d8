import { predictLinearSvm, trainLinearSvmPath } from './linear-svm.js';

/**
 * Choosing the linear SVM's C by k-fold cross-validation on training features
 * only. Folds are stratified per class and drawn with a seeded shuffle; the
 * features are scaled per column by the training rows' maximum (as
 * SvmReadout does). For each fold the C values are trained in ascending order,
 * each warm-started from the previous one. Ties go to the smaller C.
 */
export interface CvResult {
  /** The chosen C. */
  C: number;
  /** Candidate C values, ascending, and their mean validation accuracy. */
  candidates: Array<{ C: number; accuracy: number }>;
  folds: number;
}

function shuffled(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Fold number of every row: each class's rows dealt round-robin over the folds after a seeded shuffle. */
export function stratifiedFolds(labels: number[], folds: number, seed: number): number[] {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`cross-validation needs at least 2 folds, got ${folds}`);
  const fold = new Array<number>(labels.length).fill(0);
  const seen = new Map<number, number>();
  for (const i of shuffled(labels.length, seed)) {
    const k = seen.get(labels[i]!) ?? 0;
    fold[i] = k % folds;
    seen.set(labels[i]!, k + 1);
  }
  return fold;
}

function scaleColumns(x: ArrayLike<number>[]): Float64Array[] {
  const d = x[0]?.length ?? 0;
  const m = new Float64Array(d);
  for (const r of x) for (let j = 0; j < d; j++) if (r[j]! > m[j]!) m[j] = r[j]!;
  return x.map((r) => Float64Array.from({ length: d }, (_, j) => (m[j]! > 0 ? r[j]! / m[j]! : 0)));
}

export function crossValidateC(x: ArrayLike<number>[], labels: number[], Cs: number[], folds: number, seed = 1): CvResult {
  if (x.length !== labels.length) throw new RangeError(`${x.length} feature rows but ${labels.length} labels`);
  if (Cs.length === 0) throw new RangeError('cross-validation needs at least one C value');
  if (x.length < folds * 2) throw new RangeError(`${x.length} training rows are too few for ${folds}-fold cross-validation`);
  const sorted = [...new Set(Cs)].sort((a, b) => a - b);
  const fold = stratifiedFolds(labels, folds, seed);
  const xs = scaleColumns(x);
  const correct = new Array<number>(sorted.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const tr = fold.flatMap((v, i) => (v === f ? [] : [i]));
    const va = fold.flatMap((v, i) => (v === f ? [i] : []));
    const models = trainLinearSvmPath(tr.map((i) => xs[i]!), tr.map((i) => labels[i]!), sorted, { seed });
    const vx = va.map((i) => xs[i]!);
    models.forEach((m, c) => {
      const p = predictLinearSvm(m, vx);
      va.forEach((i, k) => {
        if (p[k] === labels[i]) correct[c]!++;
      });
    });
  }
  const candidates = sorted.map((C, i) => ({ C, accuracy: correct[i]! / x.length }));
  const best = candidates.reduce((b, c) => (c.accuracy > b.accuracy ? c : b));
  return { C: best.C, candidates, folds };
}
