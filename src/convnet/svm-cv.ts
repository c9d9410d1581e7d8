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

/**
 * Extra training rows derived from the originals (distorted copies): row i
 * belongs to original `of[i]`. They join the training side of every fold
 * their original is not in and are never validated on, so a copy of a
 * validation image never helps to classify it.
 */
export interface DerivedRows {
  x: ArrayLike<number>[];
  of: number[];
}

export function crossValidateC(x: ArrayLike<number>[], labels: number[], Cs: number[], folds: number, seed = 1, derived?: DerivedRows): CvResult {
  if (x.length !== labels.length) throw new RangeError(`${x.length} feature rows but ${labels.length} labels`);
  if (Cs.length === 0) throw new RangeError('cross-validation needs at least one C value');
  if (x.length < folds * 2) throw new RangeError(`${x.length} training rows are too few for ${folds}-fold cross-validation`);
  const sorted = [...new Set(Cs)].sort((a, b) => a - b);
  const fold = stratifiedFolds(labels, folds, seed);
  if (derived && derived.x.length !== derived.of.length) throw new RangeError(`${derived.x.length} derived rows but ${derived.of.length} origins`);
  const all = scaleColumns(derived ? [...x, ...derived.x] : x);
  const xs = all.slice(0, x.length);
  const dxs = all.slice(x.length);
  const correct = new Array<number>(sorted.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const tr = fold.flatMap((v, i) => (v === f ? [] : [i]));
    const va = fold.flatMap((v, i) => (v === f ? [i] : []));
    const extra = derived ? derived.of.flatMap((o, i) => (fold[o] === f ? [] : [i])) : [];
    const models = trainLinearSvmPath(
      [...tr.map((i) => xs[i]!), ...extra.map((i) => dxs[i]!)],
      [...tr.map((i) => labels[i]!), ...extra.map((i) => labels[derived!.of[i]!]!)],
      sorted,
      { seed },
    );
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
