import { relative } from 'node:path';
import { DEFAULT_DISTORT, distortedSet } from '../../datasets/augment.js';
import { type LabelledSet, type Split, splitMnist } from '../../datasets/mnist.js';
import { Rng } from '../../datasets/random.js';
import { rateEncode } from '../../datasets/rate.js';
import type { SpikeTrains } from '../../datasets/spikes.js';
import { plotConfusion, plotKernels, plotPerClass, plotRaster, plotVoltages } from '../../plots/index.js';
import type { FixedConvLayer, SpikingBackend } from '../backend.js';
import { modelFromRecipe } from '../config.js';
import { encodeImage, encodedShape } from '../encode.js';
import type { LayerInfo } from '../model.js';
import { type Recipe, inferenceWeights } from '../recipe.js';
import { readoutFeatures, transformFeatures } from '../readout.js';
import { SvmReadout, evaluate } from '../svm.js';
import { type CvResult, type DerivedRows, crossValidateC } from '../svm-cv.js';
import { type Shape3, cutWindow, scheduleWindows, windowOrigins, windowPixels } from '../windowing.js';
import { type FeatureSet, featureKey, loadCachedFeatures, saveCachedFeatures } from './feature-cache.js';
import { slotTrains } from './features.js';
import { ModelDir, type SavedLayer, type TestResults, WorkflowError } from './model-dir.js';
import { type BarFactory, silentBars } from './progress.js';

export interface WorkflowContext {
  dir: ModelDir;
  backend: SpikingBackend;
  /** Where the networks run, for messages and saved metadata. */
  boardLabel: string;
  /** A configuration given on this invocation (config file, --preset, data flags); later steps check it against the saved one. */
  recipe?: Recipe | undefined;
  log?: (line: string) => void;
  bars?: BarFactory;
  /** Inference calls carry at most this many images and input spikes each (send buffers, recordings). */
  batch?: { maxImages?: number; maxSpikes?: number };
  /** Called as each step starts (the CLI names it if the user interrupts). */
  onStep?: (name: string) => void;
}

const log = (ctx: WorkflowContext, s: string) => (ctx.log ?? (() => {}))(s);
const bars = (ctx: WorkflowContext) => ctx.bars ?? silentBars;
const secondsSince = (t0: number) => (performance.now() - t0) / 1000;

/** The parts of a recipe that define the model and its training (everything but name and description). */
function essence(r: Recipe): string {
  const { name: _n, description: _d, ...rest } = r;
  return JSON.stringify(rest);
}

/** The recipe the model directory was made with, checked against one given now. */
export function modelRecipe(ctx: WorkflowContext): Recipe {
  if (!ctx.dir.has('recipe.json')) throw new WorkflowError(`the model configuration was not found in ${ctx.dir.show('recipe.json')}: run \`spinn loaddata\` first`);
  const saved = ctx.dir.loadRecipe();
  if (ctx.recipe && essence(ctx.recipe) !== essence(saved)) {
    throw new WorkflowError(
      `${ctx.dir.show()} holds a model made with another configuration (preset '${saved.name}', saved in ${ctx.dir.show('recipe.json')}); ` +
        'run `spinn loaddata` with the new configuration first, or use another --model-dir',
    );
  }
  return saved;
}

function loadSplit(ctx: WorkflowContext): Split {
  if (!ctx.dir.has('split.json')) throw new WorkflowError(`the dataset split was not found in ${ctx.dir.show('split.json')}: run \`spinn loaddata\` first`);
  return ctx.dir.loadSplit();
}

/** Step `loaddata`: split the corpus (seeded) and save the split and the configuration. */
export function loaddata(ctx: WorkflowContext, recipe: Recipe): Split {
  ctx.onStep?.('loaddata');
  modelFromRecipe(recipe);
  const split = splitMnist(recipe.data);
  ctx.dir.saveSplit(split);
  ctx.dir.saveRecipe(recipe);
  const o = split.options;
  log(ctx, `loaddata: ${split.train.ids.length} training and ${split.test.ids.length} test images of digits ${o.digits.join(',')} (seed ${o.seed}), preset '${recipe.name}'; saved ${ctx.dir.show('split.json')} and ${ctx.dir.show('recipe.json')}`);
  return split;
}

function layerInfos(recipe: Recipe): readonly LayerInfo[] {
  return modelFromRecipe(recipe).layers;
}

function checkLayerNumber(recipe: Recipe, n: number): void {
  const count = recipe.layers.length;
  if (!Number.isInteger(n) || n < 1 || n > count) {
    throw new WorkflowError(`layer ${n} does not exist: the model has ${count} conv layer${count > 1 ? 's' : ''} (${count > 1 ? `1..${count}` : '1'}); use --layer ${count > 1 ? `1..${count}` : '1'} or --layer svm`);
  }
}

/** The saved weights of layer n, checked against the model's geometry. */
function savedLayer(dir: ModelDir, info: LayerInfo): SavedLayer {
  const l = dir.loadLayer(info.index);
  const want = { kernels: info.layer.kernels, shape: info.layer.shape, stride: info.layer.stride, input: info.input };
  const got = { kernels: l.kernels, shape: l.shape, stride: l.stride, input: l.input };
  if (JSON.stringify(want) !== JSON.stringify(got)) {
    throw new WorkflowError(`${dir.show(dir.layerFile(info.index))} holds a layer of ${JSON.stringify(got)} but the model needs ${JSON.stringify(want)}: run \`spinn train --layer ${info.index}\` again`);
  }
  return l;
}

function fixedLayer(recipe: Recipe, info: LayerInfo, saved: SavedLayer): FixedConvLayer {
  const r = recipe.layers[info.index - 1]!;
  return { input: info.input, output: info.output, shape: info.layer.shape, stride: info.layer.stride, weights: inferenceWeights(r, Float32Array.from(saved.weights.flat())), params: r.infer.neuron, inhibition: r.infer.inhibition };
}

/** The images `indices` of a set as input spike trains, each with its own seeded generator (keyed by image id). */
export function encodeSet(recipe: Recipe, set: LabelledSet, indices: number[], forTraining: boolean): SpikeTrains[] {
  return indices.map((i) => encodeImage(set.images[i]!, recipe.encoder, Rng.derive(recipe.seed, `encode-${set.ids[i]}${forTraining ? '-train' : ''}`), forTraining));
}

interface BatchOutput {
  /** Index of the first image of the batch in the input list. */
  first: number;
  images: number;
  /** Last layer's spike trains over the batch's slots. */
  trains: SpikeTrains;
}

/**
 * Run images (already encoded) through fixed layers, in batches that fit the
 * board, one slot per image, and hand each batch's last-layer spikes to
 * `each`. A backend with `concurrency` > 1 (BoardPool) gets that many batches
 * at once; `each` may then see them out of order.
 */
async function runThrough(
  ctx: WorkflowContext, recipe: Recipe, layers: FixedConvLayer[], inputs: SpikeTrains[], what: string, each: (b: BatchOutput) => void | Promise<void>,
): Promise<void> {
  const parallel = Math.max(1, (ctx.backend as { concurrency?: number }).concurrency ?? 1);
  const maxImages = Math.min(ctx.batch?.maxImages ?? 4000, Math.max(1, Math.ceil(inputs.length / parallel)));
  const maxSpikes = ctx.batch?.maxSpikes ?? 1_500_000;
  const slot = recipe.imageSlotMs;
  const batches: Array<[number, number]> = [];
  for (let first = 0; first < inputs.length; ) {
    let end = first;
    let spikes = 0;
    while (end < inputs.length && end - first < maxImages) {
      let s = 0;
      for (const t of inputs[end]!) s += t.length;
      if (end > first && spikes + s > maxSpikes) break;
      spikes += s;
      end++;
    }
    batches.push([first, end]);
    first = end;
  }
  const bar = bars(ctx)(what, inputs.length * slot, 'ms');
  const done = new Array<number>(batches.length).fill(0);
  const report = () => bar.update(done.reduce((a, b) => a + b, 0));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const b = next++;
      const [first, end] = batches[b]!;
      const batch = inputs.slice(first, end);
      const res = await ctx.backend.runInference(
        { input: { shape: layers[0]!.input, spikes: scheduleWindows(batch, slot) }, layers, durationMs: batch.length * slot, recordLayers: [layers.length - 1] },
        (d) => {
          done[b] = d;
          report();
        },
      );
      await each({ first, images: batch.length, trains: res.spikes[0]! });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, lane));
  } finally {
    bar.stop();
  }
}

/**
 * Pooled last-layer spike counts of every image of a set; also keeps the spike
 * trains of the first `keep` images. Features are cached in the model
 * directory (feature-cache.ts): with the same layers, images and readout
 * pooling, only the `keep` images run again.
 */
async function features(
  ctx: WorkflowContext, recipe: Recipe, layers: FixedConvLayer[], set: LabelledSet, which: FeatureSet, what: string, keep = 0, variant?: unknown,
): Promise<{ x: Float32Array[]; kept: SpikeTrains[]; cached: boolean }> {
  const key = featureKey(recipe, layerInfos(recipe).map((i) => savedLayer(ctx.dir, i)), set.ids, variant);
  const cached = loadCachedFeatures(ctx.dir, which, key);
  if (cached && cached.length === set.ids.length) {
    log(ctx, `${what}: features of ${cached.length} images from ${ctx.dir.show(`features-${which}-${key}.npy`)} (layers and readout unchanged)`);
    const kept = keep > 0 ? (await simulate(ctx, recipe, layers, set, Array.from({ length: Math.min(keep, set.ids.length) }, (_, i) => i), `${what} (first ${keep} for the plots)`, keep)).kept : [];
    return { x: cached, kept, cached: true };
  }
  const r = await simulate(ctx, recipe, layers, set, set.images.map((_, i) => i), what, keep);
  saveCachedFeatures(ctx.dir, which, key, r.x);
  return { ...r, cached: false };
}

async function simulate(ctx: WorkflowContext, recipe: Recipe, layers: FixedConvLayer[], set: LabelledSet, idx: number[], what: string, keep: number): Promise<{ x: Float32Array[]; kept: SpikeTrains[] }> {
  const inputs = encodeSet(recipe, set, idx, false);
  const last = layers[layers.length - 1]!;
  const x: Float32Array[] = new Array(inputs.length);
  const kept: SpikeTrains[] = [];
  await runThrough(ctx, recipe, layers, inputs, what, ({ first, images, trains }) => {
    readoutFeatures(trains, last.output, recipe.readout, recipe.imageSlotMs, images).forEach((f, i) => (x[first + i] = f));
    if (first < keep) {
      // The first `keep` images may span several batches (small runs are split over the boards).
      const k = Math.min(keep - first, images);
      const m = slotTrains(trains, recipe.imageSlotMs, Array.from({ length: k }, (_, i) => i));
      for (let i = 0; i < k; i++) kept[first + i] = m.get(i)!;
    }
  });
  return { x, kept: kept.filter((t) => t !== undefined) };
}

/**
 * Features of the recipe's distorted copies of the training images
 * (`readout.augment`), each copy run through the layers like the originals
 * and cached on its own; row i is a copy of training image `of[i]`.
 */
async function distortedFeatures(
  ctx: WorkflowContext, recipe: Recipe, layers: FixedConvLayer[], train: LabelledSet,
): Promise<DerivedRows | undefined> {
  const aug = recipe.readout.augment;
  if (!aug || aug.copies === 0) return undefined;
  const { copies, ...given } = aug;
  const options = { ...DEFAULT_DISTORT, ...given };
  const x: Float32Array[] = [];
  const of: number[] = [];
  for (let copy = 1; copy <= copies; copy++) {
    const set = distortedSet(train, copy, recipe.seed, options);
    const r = await features(ctx, recipe, layers, set, `aug${copy}`, `svm features (distorted copy ${copy} of ${copies})`, 0, { distort: options, copy });
    x.push(...transformFeatures(r.x, recipe.readout));
    of.push(...set.ids.map((_, i) => i));
  }
  return { x, of };
}

/** Every conv layer of the model, rebuilt from the weights saved in `dir`. */
export function savedLayers(dir: ModelDir, recipe: Recipe): FixedConvLayer[] {
  return layerInfos(recipe).map((info) => fixedLayer(recipe, info, savedLayer(dir, info)));
}

export interface TrainLayerSummary {
  layer: number;
  windows: number;
  postSpikes: number[];
  meanWeight: number;
  saturated: number;
  seconds: number;
  plots: string[];
}

/**
 * Step `train --layer n`: sample stride windows (seeded) from the training
 * images — for n ≥ 2 from the output of layers 1..n−1 rebuilt with their saved
 * weights — present one per slot to K neurons with STDP and lateral inhibition
 * on the board, read the weights back and save them (JSON and .npy).
 */
export async function trainLayer(ctx: WorkflowContext, n: number): Promise<TrainLayerSummary> {
  ctx.onStep?.(`train --layer ${n}`);
  const t0 = performance.now();
  const recipe = modelRecipe(ctx);
  checkLayerNumber(recipe, n);
  const infos = layerInfos(recipe);
  const info = infos[n - 1]!;
  const lr = recipe.layers[n - 1]!;
  const lower = infos.slice(0, n - 1).map((i) => fixedLayer(recipe, i, savedLayer(ctx.dir, i)));
  const split = loadSplit(ctx);
  const rng = Rng.derive(recipe.seed, `train-layer-${n}`);
  const g = { input: info.input, shape: info.layer.shape, stride: info.layer.stride };
  const origins = windowOrigins(g);

  // The images windows are drawn from, as spike trains of the layer below.
  let source: (img: number) => SpikeTrains;
  let pool: number;
  let active: (w: SpikeTrains) => number;
  if (n === 1) {
    pool = split.train.images.length;
    const cache = new Map<number, SpikeTrains>();
    source = (img) => {
      let t = cache.get(img);
      if (!t) cache.set(img, (t = encodeSet(recipe, split.train, [img], true)[0]!));
      return t;
    };
    const early = recipe.encoder.kind === 'rate' ? Infinity : recipe.encoder.windowMs;
    active = (w) => w.reduce((a, t) => a + (t.length > 0 && t[0]! < early ? 1 : 0), 0);
  } else {
    pool = Math.min(split.train.images.length, lr.trainWindows);
    const outputs: SpikeTrains[] = new Array(pool);
    const inputs = encodeSet(recipe, split.train, Array.from({ length: pool }, (_, i) => i), false);
    await runThrough(ctx, recipe, lower, inputs, `layers 1..${n - 1} (input)`, ({ first, images, trains }) => {
      const m = slotTrains(trains, recipe.imageSlotMs, Array.from({ length: images }, (_, i) => i));
      for (let i = 0; i < images; i++) outputs[first + i] = m.get(i)!;
    });
    source = (img) => outputs[img]!;
    active = (w) => w.reduce((a, t) => a + (t.length > 0 ? 1 : 0), 0);
  }

  // The rate code (the seed's) encodes each training window on its own, with a fire factor from the
  // window's pixel sum, as the original's input_windowed_spikes did; other codes cut the encoded image.
  const enc = recipe.encoder;
  const cut = n === 1 && enc.kind === 'rate'
    ? (img: number, oy: number, ox: number) => rateEncode(windowPixels(split.train.images[img]!.pixels, 28, g, oy, ox), Rng.derive(recipe.seed, `encode-${split.train.ids[img]}-window-${oy}-${ox}`), true, { threshold: enc.threshold, activeMs: enc.activeMs })
    : (img: number, oy: number, ox: number) => cutWindow(source(img), g, oy, ox);
  const windows: SpikeTrains[] = [];
  let tries = 0;
  while (windows.length < lr.trainWindows && tries < lr.trainWindows * 50) {
    tries++;
    const img = rng.int(pool);
    const [oy, ox] = origins[rng.int(origins.length)]!;
    const w = cut(img, oy, ox);
    if (active(w) < lr.minActiveInputs) continue;
    windows.push(w.map((t) => t.filter((x) => x < recipe.slotMs)));
  }
  if (windows.length === 0) throw new WorkflowError(`layer ${n}: no window of the training images has ${lr.minActiveInputs} active inputs; lower minActiveInputs or check the layers below (they may be silent)`);
  if (windows.length < lr.trainWindows) log(ctx, `layer ${n}: only ${windows.length} of ${lr.trainWindows} windows have at least ${lr.minActiveInputs} active inputs; training on those`);

  const K = info.layer.kernels;
  const nPre = info.synapsesPerNeuron;
  const { mean, sd } = lr.train.initWeight;
  const { w_min, w_max } = lr.train.stdp;
  const init = new Float32Array(K * nPre);
  for (let i = 0; i < init.length; i++) init[i] = Math.min(w_max, Math.max(w_min, rng.normal(mean, sd)));
  const durationMs = windows.length * recipe.slotMs;
  const bar = bars(ctx)(`train layer ${n}`, durationMs, 'ms');
  let res;
  try {
    res = await ctx.backend.trainLayer(
      {
        source: scheduleWindows(windows, recipe.slotMs),
        neurons: { n: K, params: lr.train.neuron },
        plastic: { stdp: lr.train.stdp, initialWeights: init, weightDependence: lr.train.weightDependence },
        inhibition: lr.train.inhibition,
        ...(lr.train.gate ? { gate: { spikes: windows.map((_, s) => s * recipe.slotMs + lr.train.gate!.atMs), weight: lr.train.gate.weight } } : {}),
        durationMs,
        record: { spikes: true },
      },
      (done) => bar.update(done),
    );
  } finally {
    bar.stop();
  }
  const w = res.weights;
  const rows = Array.from({ length: K }, (_, k) => Array.from(w.subarray(k * nPre, (k + 1) * nPre)));
  const postSpikes = (res.spikes ?? []).map((t) => t.length);
  const seconds = secondsSince(t0);
  ctx.dir.saveLayer({
    format: 'spinn-layer/1', layer: n, kernels: K, shape: info.layer.shape, stride: info.layer.stride, input: info.input, output: info.output,
    weights: rows, training: { windows: windows.length, board: ctx.boardLabel, seconds, postSpikes },
  });
  let sum = 0;
  let sat = 0;
  for (const v of w) {
    sum += v;
    if (v <= w_min + 0.05 * (w_max - w_min) || v >= w_max - 0.05 * (w_max - w_min)) sat++;
  }
  const plots = [
    await plotKernels(ctx.dir.plot(`layer${n}-kernels.svg`), w, K, info.layer.shape, info.input[2], `Layer ${n}: learned kernels`),
  ];
  if (res.spikes) {
    const shown = Math.min(windows.length, 100) * recipe.slotMs;
    plots.push(await plotRaster(ctx.dir.plot(`layer${n}-training-raster.svg`), res.spikes.map((t) => t.filter((x) => x < shown)), `Layer ${n} training: spikes of the ${K} kernel neurons (first ${shown / recipe.slotMs} windows)`));
  }
  const summary: TrainLayerSummary = { layer: n, windows: windows.length, postSpikes, meanWeight: sum / w.length, saturated: sat / w.length, seconds, plots };
  log(
    ctx,
    `train --layer ${n}: ${windows.length} windows × ${recipe.slotMs} ms on ${ctx.boardLabel}; post spikes per kernel ${Math.min(...postSpikes)}..${Math.max(...postSpikes)}; ` +
      `mean weight ${summary.meanWeight.toFixed(3)}, ${(100 * summary.saturated).toFixed(0)}% at a bound; saved ${ctx.dir.show(`layer${n}.json`)} and .npy (${seconds.toFixed(1)} s)`,
  );
  return summary;
}

/** Step `train --layer svm`: pooled last-layer spike counts of the training images → linear SVM, saved. */
export async function trainSvm(ctx: WorkflowContext): Promise<{ trainAccuracy: number; features: number; C: number; cv?: CvResult; seconds: number }> {
  ctx.onStep?.('train --layer svm');
  const t0 = performance.now();
  const recipe = modelRecipe(ctx);
  const layers = savedLayers(ctx.dir, recipe);
  const split = loadSplit(ctx);
  const x = transformFeatures((await features(ctx, recipe, layers, split.train, 'train', 'svm features (train)')).x, recipe.readout);
  const derived = await distortedFeatures(ctx, recipe, layers, split.train);
  const backend = recipe.readout.svm ?? 'linear';
  let C = recipe.readout.C;
  let cv: CvResult | undefined;
  if (recipe.readout.cv && backend === 'linear') {
    const t1 = performance.now();
    cv = crossValidateC(x, split.train.labels, recipe.readout.cv.C, recipe.readout.cv.folds, recipe.seed, derived);
    C = cv.C;
    log(ctx, `train --layer svm: ${cv.folds}-fold cross-validation on the training features: ${cv.candidates.map((c) => `C ${c.C} → ${(100 * c.accuracy).toFixed(2)}%`).join(', ')}; using C ${C} (${secondsSince(t1).toFixed(1)} s)`);
  } else if (recipe.readout.cv) {
    log(ctx, `train --layer svm: cross-validation is only done for the linear solver; using C ${C} with ${backend}`);
  }
  const rows = derived ? [...x, ...derived.x] : x;
  const labels = derived ? [...split.train.labels, ...derived.of.map((i) => split.train.labels[i]!)] : split.train.labels;
  const svm = await SvmReadout.train(rows, labels, { C, backend });
  svm.save(ctx.dir.path('svm.json'));
  const trainAccuracy = evaluate(split.train.labels, svm.predict(x)).accuracy;
  const seconds = secondsSince(t0);
  const copies = derived ? ` (+ ${derived.x.length} distorted copies)` : '';
  log(ctx, `train --layer svm: ${x.length} images${copies} × ${x[0]?.length ?? 0} features, C ${C}; training accuracy ${(100 * trainAccuracy).toFixed(2)}%; saved ${ctx.dir.show('svm.json')} (${seconds.toFixed(1)} s)`);
  return { trainAccuracy, features: x[0]?.length ?? 0, C, ...(cv ? { cv } : {}), seconds };
}

/** Step `test`: the test images through the layers and the SVM; accuracy, confusion, plots, results.json. */
export async function test(ctx: WorkflowContext): Promise<TestResults> {
  ctx.onStep?.('test');
  const t0 = performance.now();
  const recipe = modelRecipe(ctx);
  const layers = savedLayers(ctx.dir, recipe);
  if (!ctx.dir.has('svm.json')) throw new WorkflowError(`the SVM readout was not found in ${ctx.dir.show('svm.json')}: run \`spinn train --layer svm\` first`);
  const svm = await SvmReadout.load(ctx.dir.path('svm.json'));
  const split = loadSplit(ctx);
  const { x: counts, kept } = await features(ctx, recipe, layers, split.test, 'test', 'test images', 3);
  const x = transformFeatures(counts, recipe.readout);
  const predicted = svm.predict(x);
  const ev = evaluate(split.test.labels, predicted, [...new Set(split.options.digits)].sort((a, b) => a - b));
  const last = layers.length - 1;
  const plots = [
    await plotConfusion(ctx.dir.plot('confusion.svg'), ev.confusion, ev.classes, `Confusion matrix (test accuracy ${(100 * ev.accuracy).toFixed(2)}%)`),
    await plotPerClass(ctx.dir.plot('per-class.svg'), ev.perClass, ev.classes),
  ];
  if (kept.length > 0) {
    const joined = kept[0]!.map((_, nrn) => kept.flatMap((tr, i) => tr[nrn]!.map((t) => t + i * recipe.imageSlotMs)));
    plots.push(await plotRaster(ctx.dir.plot(`layer${last + 1}-raster.svg`), joined, `Layer ${last + 1}: spikes for the first ${kept.length} test images (labels ${split.test.labels.slice(0, kept.length).join(', ')})`));
    // Membrane voltage during the first test image of the maps at the most active position of the last
    // layer: one extra short run of just that position's receptive field (the same dynamics, few cores).
    const [, W, K] = layers[last]!.output;
    const counts = kept[0]!.map((t) => t.length);
    const best = counts.reduce((b, c, i) => (c > counts[b]! ? i : b), 0);
    const pos = Math.floor(best / K);
    const crop = cropToPosition(layers, encodeSet(recipe, split.test, [0], false)[0]!, Math.floor(pos / W), pos % W);
    const maps = Array.from({ length: K }, (_, k) => k).sort((a, b) => counts[pos * K + b]! - counts[pos * K + a]! || a - b).slice(0, 4);
    const res = await ctx.backend.runInference({ input: crop.input, layers: crop.layers, durationMs: recipe.imageSlotMs, recordLayers: [last], recordVoltage: { layer: last, neurons: maps } });
    if (res.voltages) {
      const [y, x] = [Math.floor(pos / W), pos % W];
      plots.push(await plotVoltages(ctx.dir.plot(`layer${last + 1}-voltages.svg`), res.voltages.map((v, i) => ({ label: `map ${maps[i]} at (${y}, ${x})`, v })), recipe.layers[last]!.infer.neuron.v_thresh, `Layer ${last + 1}: membrane voltage during test image 1 (label ${split.test.labels[0]})`));
    }
  }
  const results: TestResults = {
    accuracy: ev.accuracy, confusion: ev.confusion, perClass: ev.perClass, classes: ev.classes, images: x.length,
    preset: recipe.name, board: ctx.boardLabel, seconds: secondsSince(t0), plots: plots.map((p) => ctx.dir.show(relative(ctx.dir.dir, p))),
  };
  ctx.dir.saveResults(results);
  log(ctx, `test: accuracy ${(100 * ev.accuracy).toFixed(2)}% on ${x.length} test images (${results.seconds.toFixed(1)} s)`);
  return results;
}

/**
 * The input patch and layer stack that reach one output position (oy, ox) of
 * the last layer: its receptive field, cropped exactly, so the neurons at that
 * position see the same spikes as in the whole network. Their index in the
 * cropped last layer is the map number k.
 */
export function cropToPosition(layers: FixedConvLayer[], input: SpikeTrains, oy: number, ox: number): { input: { shape: Shape3; spikes: SpikeTrains }; layers: FixedConvLayer[] } {
  const sizes: Array<[number, number]> = [[1, 1]];
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    const [h, w] = sizes[0]!;
    sizes.unshift([(h - 1) * l.stride + l.shape[0], (w - 1) * l.stride + l.shape[1]]);
  }
  const step = layers.reduce((a, l) => a * l.stride, 1);
  const [H0, W0, C0] = layers[0]!.input;
  const [rh, rw] = sizes[0]!;
  const spikes: SpikeTrains = [];
  for (let y = 0; y < rh; y++) for (let x = 0; x < rw; x++) for (let c = 0; c < C0; c++) spikes.push(input[((oy * step + y) * W0 + ox * step + x) * C0 + c] ?? []);
  void H0;
  const cropped = layers.map((l, i) => ({ ...l, input: [sizes[i]![0], sizes[i]![1], l.input[2]] as Shape3, output: [sizes[i + 1]![0], sizes[i + 1]![1], l.output[2]] as Shape3 }));
  return { input: { shape: [rh, rw, C0], spikes }, layers: cropped };
}

export interface WorkflowSummary {
  results: TestResults;
  seconds: Record<string, number>;
}

/** Every step in order: loaddata, train --layer 1..n, train --layer svm, test. */
export async function workflow(ctx: WorkflowContext, recipe: Recipe): Promise<WorkflowSummary> {
  const seconds: Record<string, number> = {};
  const time = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    seconds[name] = secondsSince(t0);
    return r;
  };
  await time('loaddata', () => loaddata(ctx, recipe));
  const c = { ...ctx, recipe };
  for (let n = 1; n <= recipe.layers.length; n++) await time(`train --layer ${n}`, () => trainLayer(c, n));
  await time('train --layer svm', () => trainSvm(c));
  const results = await time('test', () => test(c));
  return { results, seconds };
}

export type { Shape3 };
