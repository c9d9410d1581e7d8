/**
 * SVM readout benchmark: the linear dual-coordinate-descent solver (one-vs-rest),
 * libsvm (WASM, linear C-SVC) and ml-svm (pure JS SMO, one-vs-rest) on the MNIST split, features = raw pixels (784) or a random
 * projection to D spike-count-like features. Prints one line per figure.
 *   npx tsx tools/bench/svm.ts [--n 8000] [--ml-n 1000,2000]
 */
import { splitMnist } from '../../src/datasets/mnist.js';
import { SvmReadout, evaluate } from '../../src/convnet/svm.js';

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1]! : d;
};
const n = Number(arg('--n', '8000'));
const mlNs = arg('--ml-n', '1000,2000').split(',').map(Number);
const split = splitMnist({ seed: 1 });
const feats = (imgs: { pixels: Uint8Array }[]) => imgs.map((im) => Array.from(im.pixels));
const xTest = feats(split.test.images);

async function run(backend: 'libsvm' | 'ml-svm' | 'linear', N: number, C: number) {
  const x = feats(split.train.images.slice(0, N));
  const y = split.train.labels.slice(0, N);
  const t0 = performance.now();
  const svm = await SvmReadout.train(x, y, { backend, C });
  const t1 = performance.now();
  const acc = evaluate(split.test.labels, svm.predict(xTest)).accuracy;
  const t2 = performance.now();
  console.log(
    `svm ${backend} C=${C}: train ${N}×784 in ${((t1 - t0) / 1000).toFixed(1)} s, predict 2000 in ${((t2 - t1) / 1000).toFixed(1)} s, test accuracy ${(acc * 100).toFixed(2)}%`,
  );
}

for (const C of [0.01, 0.1]) await run('linear', n, C);
for (const C of [0.1]) await run('libsvm', n, C);
for (const N of mlNs) await run('ml-svm', N, 0.1);
