/**
 * Readout experiments on one simulated network: runs the recipe's layers once
 * (host float prototype), then trains the SVM on several feature variants.
 *   npx tsx src/convnet/prototype/sweep.ts <preset> '<json overrides>' '<json readout list>'
 * A readout is { pool: [gy, gx], window?: [size, stride], mode?: 'count'|'any'|'early', C }.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PRESETS } from '../presets.js';
import { SvmReadout, evaluate, type SvmBackend } from '../svm.js';
import type { Shape3 } from '../windowing.js';
import { deepMerge, runPrototype } from './run.js';

export interface ReadoutVariant {
  /** Grid of equal cells (ignored when `window` is given). */
  pool?: [number, number];
  /** Square pooling windows: [size, stride] over the map (overlapping if stride < size). */
  window?: [number, number];
  mode?: 'count' | 'any' | 'early';
  C: number;
  svm?: SvmBackend;
}

function cellsOf(side: number, v: ReadoutVariant, axis: 0 | 1): number[][] {
  // for every coordinate, the list of cells it falls in
  const out: number[][] = Array.from({ length: side }, () => []);
  if (v.window) {
    const [size, stride] = v.window;
    const n = Math.floor((side - size) / stride) + 1;
    for (let c = 0; c < n; c++) for (let i = c * stride; i < c * stride + size; i++) out[i]!.push(c);
  } else {
    const g = v.pool![axis];
    for (let i = 0; i < side; i++) out[i]!.push(Math.min(g - 1, Math.floor((i * g) / side)));
  }
  return out;
}

export function variantFeatures(ev: Int32Array, shape: Shape3, v: ReadoutVariant): Float32Array {
  const [H, W, K] = shape;
  const cy = cellsOf(H, v, 0);
  const cx = cellsOf(W, v, 1);
  const gy = Math.max(...cy.flat()) + 1;
  const gx = Math.max(...cx.flat()) + 1;
  const f = new Float32Array(gy * gx * K);
  for (let i = 0; i < ev.length; i += 2) {
    const n = ev[i]!;
    const t = ev[i + 1]!;
    const k = n % K;
    const x = Math.floor(n / K) % W;
    const y = Math.floor(n / K / W);
    const val = v.mode === 'early' ? Math.max(0, 16 - t) / 16 : 1;
    for (const a of cy[y]!) for (const b of cx[x]!) {
      const j = (a * gx + b) * K + k;
      if (v.mode === 'any' || v.mode === 'early') f[j] = Math.max(f[j]!, val);
      else f[j]! += val;
    }
  }
  return f;
}

const isMain = process.argv[1]?.endsWith('prototype/sweep.ts');
if (isMain) {
  const base = PRESETS[process.argv[2] ?? 'default']!;
  const over = process.argv[3] ? (JSON.parse(process.argv[3]) as unknown) : {};
  const variants = (process.argv[4] ? JSON.parse(process.argv[4]) : [{ pool: [4, 4], C: 0.1 }]) as ReadoutVariant[];
  console.log(JSON.stringify(over));
  // CACHE=file keeps the simulated spikes so further readouts skip the simulation
  const cache = process.env.CACHE;
  let e: NonNullable<Awaited<ReturnType<typeof runPrototype>>['events']>;
  if (cache && existsSync(cache)) {
    const j = JSON.parse(readFileSync(cache, 'utf8')) as { shape: Shape3; trainLabels: number[]; testLabels: number[]; train: number[][]; test: number[][] };
    e = { ...j, train: j.train.map((a) => Int32Array.from(a)), test: j.test.map((a) => Int32Array.from(a)) };
  } else {
    const r = await runPrototype(deepMerge(base, over), console.log, { keepEvents: true, skipSvm: true });
    e = r.events!;
    if (cache) writeFileSync(cache, JSON.stringify({ ...e, train: e.train.map((a) => Array.from(a)), test: e.test.map((a) => Array.from(a)) }));
  }
  for (const v of variants) {
    const t0 = Date.now();
    const fTr = e.train.map((x) => variantFeatures(x, e.shape, v));
    const fTe = e.test.map((x) => variantFeatures(x, e.shape, v));
    const svm = await SvmReadout.train(fTr, e.trainLabels, { C: v.C, backend: v.svm ?? 'libsvm' });
    const acc = evaluate(e.testLabels, svm.predict(fTe)).accuracy;
    console.log(`readout ${JSON.stringify(v)}: ${fTr[0]!.length} features, test ${(acc * 100).toFixed(2)}%, ${(Date.now() - t0) / 1000}s`);
  }
}
