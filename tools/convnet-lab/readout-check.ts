/**
 * Research aid: pooled readout features from the raw counts that
 * dump-counts.ts saved, through the project's own cross-validation and
 * linear SVM; prints CV and test accuracy.
 *   npx tsx tools/convnet-lab/readout-check.ts <model-dir> <size> <stride> <none|sqrt> [C,C,..] [train-tags]
 */
import { readFileSync } from 'node:fs';
import { readoutFeatures, transformFeatures } from '../../src/convnet/readout.js';
import { SvmReadout, evaluate } from '../../src/convnet/svm.js';
import { crossValidateC } from '../../src/convnet/svm-cv.js';
import type { Shape3 } from '../../src/convnet/windowing.js';

const [dir = 'model', size = '6', stride = '3', transform = 'none', cs = '0.03,0.1,0.3', tags = 'train'] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(`${dir}/lab-meta.json`, 'utf8')) as { shape: Shape3; train: number[]; test: number[] };
const nOut = meta.shape[0] * meta.shape[1] * meta.shape[2];
const readout = { pool: [1, 1] as [number, number], window: [Number(size), Number(stride)] as [number, number], transform: transform as 'none' | 'sqrt' };
function features(tag: string): Float32Array[] {
  const counts = readFileSync(`${dir}/lab-${tag}-counts.u8`);
  const n = counts.length / nOut;
  // One "spike" per count at the image's slot start: readoutFeatures cuts slots of 1 ms.
  const trains: number[][] = Array.from({ length: nOut }, () => []);
  for (let i = 0; i < n; i++) for (let j = 0; j < nOut; j++) for (let c = 0; c < counts[i * nOut + j]!; c++) trains[j]!.push(i);
  return transformFeatures(readoutFeatures(trains, meta.shape, readout, 1, n), readout);
}
const t0 = performance.now();
const xtr = tags.split(',').flatMap(features);
const ytr = tags.split(',').flatMap(() => meta.train);
const xte = features('test');
const cv = crossValidateC(xtr, ytr, cs.split(',').map(Number), 3, 1);
console.log(`cv: ${cv.candidates.map((c) => `C ${c.C} ${(100 * c.accuracy).toFixed(2)}%`).join(', ')} → C ${cv.C}`);
const svm = await SvmReadout.train(xtr, ytr, { C: cv.C, backend: 'linear' });
console.log(`test accuracy ${(100 * evaluate(meta.test, svm.predict(xte)).accuracy).toFixed(2)}% (${xtr.length} training rows × ${xtr[0]!.length}; ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
