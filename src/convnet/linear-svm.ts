/**
 * Linear SVM trained by dual coordinate descent (Hsieh, Chang, Lin, Keerthi &
 * Sundararajan, ICML 2008; the algorithm of LIBLINEAR's default solver
 * `-s 1`, L2-regularised squared-hinge loss), one-vs-rest, with a bias term
 * as an extra constant feature (as LIBLINEAR's `-B 1`). There is no maintained
 * LIBLINEAR port for Node, and libsvm's kernel solver needs minutes for a few
 * thousand features on 8,000 rows; this one needs seconds, because a pass over
 * the data costs one sparse dot product and one sparse update per row.
 * Deterministic: the visiting order comes from a seeded generator.
 */
import { Rng } from '../datasets/random.js';
export interface LinearSvmOptions {
  C: number;
  /** Stop when the projected-gradient spread of an epoch falls below this (LIBLINEAR's eps, 0.1). */
  eps: number;
  maxEpochs: number;
  /** Value of the constant bias feature (LIBLINEAR -B); 0 = no bias. */
  bias: number;
  seed: number;
}

export const LINEAR_SVM_DEFAULTS: LinearSvmOptions = { C: 1, eps: 0.1, maxEpochs: 1000, bias: 1, seed: 1 };

/** A trained one-vs-rest model: w[c] has d + 1 entries (the last one multiplies the bias feature). */
export interface LinearSvmModel {
  classes: number[];
  bias: number;
  w: number[][];
}

interface SparseRows {
  idx: Int32Array[];
  val: Float64Array[];
  sq: Float64Array;
}

function sparse(x: ArrayLike<number>[], bias: number): SparseRows {
  const idx: Int32Array[] = [];
  const val: Float64Array[] = [];
  const sq = new Float64Array(x.length);
  x.forEach((r, n) => {
    const is: number[] = [];
    const vs: number[] = [];
    for (let j = 0; j < r.length; j++) {
      const v = r[j]!;
      if (v !== 0) {
        is.push(j);
        vs.push(v);
        sq[n]! += v * v;
      }
    }
    if (bias !== 0) {
      is.push(r.length);
      vs.push(bias);
      sq[n]! += bias * bias;
    }
    idx.push(Int32Array.from(is));
    val.push(Float64Array.from(vs));
  });
  return { idx, val, sq };
}

/**
 * Binary problem, y in {+1, -1}: returns w (d + 1 entries). `warm` (alpha and
 * the w it gives, updated in place) starts from an earlier solution, as
 * LIBLINEAR's C search does: the squared-hinge dual has no upper bound on
 * alpha, so a solution for a smaller C is a feasible start for a larger one.
 */
function trainBinary(rows: SparseRows, y: Int8Array, d: number, o: LinearSvmOptions, warm?: { alpha: Float64Array; w: Float64Array }): Float64Array {
  const n = y.length;
  const w = warm?.w ?? new Float64Array(d + 1);
  const alpha = warm?.alpha ?? new Float64Array(n);
  const diag = 1 / (2 * o.C);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(o.seed >>> 0);
  const rand = () => rng.next();
  // Shrinking (as LIBLINEAR): a row at alpha = 0 whose gradient exceeds the
  // last epoch's largest projected gradient is unlikely to move, so it leaves
  // the active set; when the active set has converged, every row is checked again.
  let active = n;
  let pgMaxOld = Infinity;
  for (let epoch = 0; epoch < o.maxEpochs; epoch++) {
    for (let i = active - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s++) {
      const i = order[s]!;
      const is = rows.idx[i]!;
      const vs = rows.val[i]!;
      let dot = 0;
      for (let k = 0; k < is.length; k++) dot += w[is[k]!]! * vs[k]!;
      const yi = y[i]!;
      const G = yi * dot - 1 + diag * alpha[i]!;
      let PG = G;
      if (alpha[i] === 0) {
        if (G > pgMaxOld) {
          active--;
          order[s] = order[active]!;
          order[active] = i;
          s--;
          continue;
        }
        if (G > 0) PG = 0;
      }
      if (PG > pgMax) pgMax = PG;
      if (PG < pgMin) pgMin = PG;
      if (Math.abs(PG) > 1e-12) {
        const old = alpha[i]!;
        const a = Math.max(old - G / (rows.sq[i]! + diag), 0);
        alpha[i] = a;
        const step = (a - old) * yi;
        for (let k = 0; k < is.length; k++) w[is[k]!]! += step * vs[k]!;
      }
    }
    if (pgMax - pgMin <= o.eps) {
      if (active === n) break;
      active = n;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  return w;
}

export function trainLinearSvm(x: ArrayLike<number>[], labels: number[], options: Partial<LinearSvmOptions> = {}): LinearSvmModel {
  const o = { ...LINEAR_SVM_DEFAULTS, ...options };
  if (!(o.C > 0)) throw new RangeError(`the SVM cost C must be > 0, got ${o.C}`);
  const d = x[0]?.length ?? 0;
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const rows = sparse(x, o.bias);
  const w = classes.map((c) => {
    const y = Int8Array.from(labels, (l) => (l === c ? 1 : -1));
    return Array.from(trainBinary(rows, y, d, o));
  });
  return { classes, bias: o.bias, w };
}

/**
 * One model per C (ascending order recommended), each started from the
 * solution of the previous C: cheaper than training each C from scratch.
 */
export function trainLinearSvmPath(x: ArrayLike<number>[], labels: number[], Cs: number[], options: Partial<Omit<LinearSvmOptions, 'C'>> = {}): LinearSvmModel[] {
  const o = { ...LINEAR_SVM_DEFAULTS, ...options };
  for (const C of Cs) if (!(C > 0)) throw new RangeError(`the SVM cost C must be > 0, got ${C}`);
  const d = x[0]?.length ?? 0;
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const rows = sparse(x, o.bias);
  const out: LinearSvmModel[] = Cs.map(() => ({ classes, bias: o.bias, w: [] }));
  for (const c of classes) {
    const y = Int8Array.from(labels, (l) => (l === c ? 1 : -1));
    const warm = { alpha: new Float64Array(y.length), w: new Float64Array(d + 1) };
    Cs.forEach((C, i) => out[i]!.w.push(Array.from(trainBinary(rows, y, d, { ...o, C }, warm))));
  }
  return out;
}

/** Decision values of one row for every class. */
export function linearScores(m: LinearSvmModel, r: ArrayLike<number>): number[] {
  return m.w.map((w) => {
    const d = w.length - 1;
    let s = w[d]! * m.bias;
    for (let j = 0; j < d; j++) if (r[j] !== 0) s += w[j]! * r[j]!;
    return s;
  });
}

export function predictLinearSvm(m: LinearSvmModel, x: ArrayLike<number>[]): number[] {
  return x.map((r) => {
    const s = linearScores(m, r);
    let best = 0;
    for (let c = 1; c < s.length; c++) if (s[c]! > s[best]!) best = c;
    return m.classes[best]!;
  });
}
