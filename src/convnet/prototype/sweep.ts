/**
 * Readout experiments on one simulated network: runs the recipe's layers once
 * (host float prototype), then trains the SVM on several feature variants.
 *   npx tsx src/convnet/prototype/sweep.ts <preset> '<json overrides>' '<json readout list>'
 * A readout is a ReadoutRecipe: { pool: [gy, gx], window?: [size, stride], C, svm? }.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PRESETS } from '../presets.js';
import { SvmReadout, evaluate } from '../svm.js';
import type { Shape3 } from '../windowing.js';
import type { ReadoutRecipe } from '../recipe.js';
import { eventFeatures } from '../readout.js';
import { deepMerge, runPrototype } from './run.js';

export type ReadoutVariant = ReadoutRecipe;

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
    const fTr = e.train.map((x) => eventFeatures(x, e.shape, v));
    const fTe = e.test.map((x) => eventFeatures(x, e.shape, v));
    const svm = await SvmReadout.train(fTr, e.trainLabels, { C: v.C, backend: v.svm ?? 'linear' });
    const acc = evaluate(e.testLabels, svm.predict(fTe)).accuracy;
    console.log(`readout ${JSON.stringify(v)}: ${fTr[0]!.length} features, test ${(acc * 100).toFixed(2)}%, ${(Date.now() - t0) / 1000}s`);
  }
}
