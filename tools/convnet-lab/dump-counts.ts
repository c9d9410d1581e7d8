/**
 * Research aid: run every training and test image of a trained model
 * directory through its fixed layers on the (emulated) board and save the
 * last layer's raw per-neuron spike counts and first-spike ticks, so that
 * readouts can be compared without running the network again
 * (tools/convnet-lab/readout-check.ts).
 *   npx tsx tools/convnet-lab/dump-counts.ts <model-dir> [workers]
 * Writes <model-dir>/lab-{train,test}-{counts,first}.u8 and lab-meta.json.
 */
import { writeFileAtomic } from '../../src/datasets/atomic.js';
import { loadConfig } from '../../src/config/index.js';
import { BoardPool } from '../../src/convnet/board/pool.js';
import { scheduleWindows } from '../../src/convnet/windowing.js';
import { ModelDir, encodeSet, savedLayers } from '../../src/convnet/workflow/index.js';
import type { Image } from '../../src/datasets/mnist.js';
import { distortedSet } from '../../src/datasets/augment.js';

const dir = new ModelDir(process.argv[2] ?? 'model');
const workers = Number(process.argv[3] ?? 2);
const recipe = dir.loadRecipe();
const split = dir.loadSplit();
const layers = savedLayers(dir, recipe);
const last = layers[layers.length - 1]!;
const nOut = last.output[0] * last.output[1] * last.output[2];
const backend = new BoardPool({ board: 'emulator', config: loadConfig(), workers });
const slot = recipe.imageSlotMs;
const batchSize = 500;
// LAB_SHIFTS="dy,dx;dy,dx": instead, dump the training images shifted by these pixel offsets (zero fill).
const shifts = (process.env.LAB_SHIFTS ?? '').split(';').filter(Boolean).map((s) => s.split(',').map(Number) as [number, number]);
function shifted(img: Image, dy: number, dx: number): Image {
  const p = new Uint8Array(img.pixels.length);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const sy = y - dy, sx = x - dx;
    if (sy >= 0 && sy < img.height && sx >= 0 && sx < img.width) p[y * img.width + x] = img.pixels[sy * img.width + sx]!;
  }
  return { ...img, pixels: p };
}
// LAB_AUG="first,count": instead, dump distorted copies first..first+count-1 of the training images (as `readout.augment` makes them).
const aug = (process.env.LAB_AUG ?? '').split(',').filter(Boolean).map(Number);
const augCopies = aug.length ? Array.from({ length: aug[1] ?? 1 }, (_, i) => aug[0]! + i) : [];
const plan: Array<{ which: 'train' | 'test'; tag: string; shift?: [number, number]; augCopy?: number }> = shifts.length
  ? shifts.map((s) => ({ which: 'train' as const, tag: `train-s${s[0]}_${s[1]}`, shift: s }))
  : augCopies.length
    ? augCopies.map((k) => ({ which: 'train' as const, tag: `train-aug${k}`, augCopy: k }))
    : [{ which: 'train', tag: 'train' }, { which: 'test', tag: 'test' }];
try {
  for (const { which, tag, shift, augCopy } of plan) {
    const plain = split[which];
    const set = shift
      ? { ...plain, images: plain.images.map((im) => shifted(im, shift[0], shift[1])) }
      : augCopy !== undefined
        ? distortedSet(plain, augCopy, recipe.seed)
        : plain;
    const n = set.images.length;
    const counts = new Uint8Array(n * nOut);
    const first = new Uint8Array(n * nOut).fill(255);
    const t0 = performance.now();
    const jobs: Array<Promise<void>> = [];
    let done = 0;
    for (let b = 0; b < n; b += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - b) }, (_, i) => b + i);
      const inputs = encodeSet(recipe, set, idx, false);
      jobs.push(
        backend.runInference({ input: { shape: layers[0]!.input, spikes: scheduleWindows(inputs, slot) }, layers, durationMs: idx.length * slot, recordLayers: [layers.length - 1] }).then((res) => {
          res.spikes[0]!.forEach((times, nrn) => {
            for (const t of times) {
              const img = b + Math.floor(t / slot);
              const o = img * nOut + nrn;
              if (counts[o]! < 255) counts[o]!++;
              const rel = t % slot;
              if (rel < first[o]!) first[o] = rel;
            }
          });
          done += idx.length;
          process.stderr.write(`\r${which}: ${done}/${n} images (${((performance.now() - t0) / 1000).toFixed(0)} s)   `);
        }),
      );
    }
    await Promise.all(jobs);
    process.stderr.write('\n');
    writeFileAtomic(dir.path(`lab-${tag}-counts.u8`), counts);
    writeFileAtomic(dir.path(`lab-${tag}-first.u8`), first);
  }
  if (!shifts.length && !augCopies.length) writeFileAtomic(dir.path('lab-meta.json'), JSON.stringify({ shape: last.output, slotMs: slot, train: split.train.labels, test: split.test.labels }));
} finally {
  await backend.close();
}
