/**
 * Prototype of the training recipe in a host-side float simulation of the same
 * dynamics the board runs. Usage:
 *   npx tsx src/convnet/prototype/run.ts <preset> [json-overrides] [--train N --test N]
 * Prints accuracy, wall times and the neuron-update / synaptic-event counts the
 * emulator will need.
 */
import { splitMnist, type LabelledSet } from '../../datasets/mnist.js';
import { Rng } from '../../datasets/random.js';
import type { SpikeTrains } from '../../datasets/spikes.js';
import { encodeImage, encodedShape } from '../encode.js';
import { PRESETS } from '../presets.js';
import { inferenceWeights, type Recipe } from '../recipe.js';
import { SvmReadout, evaluate } from '../svm.js';
import { cutWindow, windowOrigins, type Shape3 } from '../windowing.js';
import { ConvInference, eventsToTrains, trainLayer } from './network.js';
import { eventFeatures } from '../readout.js';

export function deepMerge<T>(base: T, over: unknown): T {
  if (Array.isArray(over) && Array.isArray(base)) return over.map((v, i) => deepMerge(base[i], v)) as T;
  if (over === null || typeof over !== 'object' || Array.isArray(over) || base === undefined) return over as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge((base as Record<string, unknown>)[k], v);
  return out as T;
}

export interface PrototypeResult {
  accuracy: number;
  trainAccuracy: number;
  seconds: Record<string, number>;
  counts: Record<string, number>;
  weights: Float32Array[];
  /** Last-layer spike events per image ([neuron, tick]* pairs) and their shape, for readout experiments. */
  events?: { train: Int32Array[]; test: Int32Array[]; shape: Shape3; trainLabels: number[]; testLabels: number[] };
}

export async function runPrototype(recipe: Recipe, log: (s: string) => void = console.log, opts: { keepEvents?: boolean; skipSvm?: boolean } = {}): Promise<PrototypeResult> {
  const t0 = Date.now();
  const seconds: Record<string, number> = {};
  const counts: Record<string, number> = { trainNeuronUpdates: 0, trainPlasticEvents: 0, inferNeuronUpdates: 0, inferSynapticEvents: 0 };
  const split = splitMnist(recipe.data);
  const rng = Rng.derive(recipe.seed, 'prototype');
  const encRng = Rng.derive(recipe.seed, 'encode');
  const shape0 = encodedShape(recipe.encoder, split.train.images[0]!);
  const encodeSet = (set: LabelledSet, forTraining: boolean) => set.images.map((im) => encodeImage(im, recipe.encoder, encRng, forTraining));
  let trainIn: SpikeTrains[] = encodeSet(split.train, false);
  let testIn: SpikeTrains[] = encodeSet(split.test, false);
  let trainEv: Int32Array[] = [];
  let testEv: Int32Array[] = [];
  const trainLate = recipe.encoder.kind !== 'rate' && recipe.encoder.lateSpikeAt !== undefined ? encodeSet(split.train, true) : trainIn;
  seconds.encode = (Date.now() - t0) / 1000;
  let shape: Shape3 = shape0;
  let trainSrc = trainLate;
  const weights: Float32Array[] = [];
  for (const [li, layer] of recipe.layers.entries()) {
    const g = { input: shape, shape: layer.shape, stride: layer.stride };
    const origins = windowOrigins(g);
    const nIn = layer.shape[0] * layer.shape[1] * shape[2];
    // sample training windows
    const t1 = Date.now();
    const windows: SpikeTrains[] = [];
    let tries = 0;
    while (windows.length < layer.trainWindows && tries < layer.trainWindows * 50) {
      tries++;
      const img = rng.int(trainSrc.length);
      const [oy, ox] = origins[rng.int(origins.length)]!;
      const win = cutWindow(trainSrc[img]!, g, oy, ox);
      let active = 0;
      for (const tr of win) if (tr.length && tr[0]! < (recipe.encoder.kind === 'rate' ? Infinity : recipe.encoder.windowMs)) active++;
      if (active < layer.minActiveInputs) continue;
      windows.push(win);
    }
    const w = new Float32Array(layer.kernels * nIn);
    const { mean, sd } = layer.train.initWeight;
    for (let i = 0; i < w.length; i++) w[i] = Math.min(layer.train.stdp.w_max, Math.max(layer.train.stdp.w_min, rng.normal(mean, sd)));
    const st = trainLayer(windows, recipe.slotMs, layer.kernels, layer.train.neuron, layer.train.stdp, layer.train.inhibition, w, false, layer.train.gate);
    counts.trainNeuronUpdates! += st.neuronUpdates;
    counts.trainPlasticEvents! += st.plasticEvents;
    seconds[`train${li + 1}`] = (Date.now() - t1) / 1000;
    const wMean = w.reduce((a, b) => a + b, 0) / w.length;
    let bin = 0;
    for (const v of w) if (v < 0.05 * layer.train.stdp.w_max || v > 0.95 * layer.train.stdp.w_max) bin++;
    log(`layer ${li + 1}: ${windows.length} windows (${tries} tried), post spikes ${st.postSpikes}, wins min/max ${Math.min(...st.wins)}/${Math.max(...st.wins)}, w mean ${wMean.toFixed(3)}, saturated ${((100 * bin) / w.length).toFixed(0)}%, post ticks ${st.postTicks.join(',')}, ${seconds[`train${li + 1}`]}s`);
    weights.push(w);
    if (process.env.TRAIN_ONLY) return { accuracy: 0, trainAccuracy: 0, seconds, counts, weights };
    // run the layer over all images
    const t2 = Date.now();
    const conv = new ConvInference(shape, layer.shape, layer.stride, layer.kernels, inferenceWeights(layer, w), layer.infer.neuron, layer.infer.inhibition);
    trainEv = trainIn.map((tr) => conv.runSlot(tr, recipe.imageSlotMs));
    testEv = testIn.map((tr) => conv.runSlot(tr, recipe.imageSlotMs));
    const last = li === recipe.layers.length - 1;
    const nOut = conv.pop.n;
    trainIn = last ? [] : trainEv.map((e) => eventsToTrains(e, nOut));
    testIn = last ? [] : testEv.map((e) => eventsToTrains(e, nOut));
    counts.inferNeuronUpdates! += conv.pop.updates;
    counts.inferSynapticEvents! += conv.synapticEvents;
    seconds[`infer${li + 1}`] = (Date.now() - t2) / 1000;
    shape = conv.out;
    trainSrc = trainIn;
    let spk = 0;
    for (const e of testEv) spk += e.length / 2;
    log(`layer ${li + 1} out ${shape.join('×')}: ${(spk / testEv.length).toFixed(1)} spikes/image, ${seconds[`infer${li + 1}`]}s`);
  }
  const events = opts.keepEvents ? { train: trainEv, test: testEv, shape, trainLabels: split.train.labels, testLabels: split.test.labels } : undefined;
  if (opts.skipSvm) return { accuracy: NaN, trainAccuracy: NaN, seconds, counts, weights, ...(events ? { events } : {}) };
  const t3 = Date.now();
  const fTrain = trainEv.map((e) => eventFeatures(e, shape, recipe.readout));
  const fTest = testEv.map((e) => eventFeatures(e, shape, recipe.readout));
  const svm = await SvmReadout.train(fTrain, split.train.labels, { C: recipe.readout.C, ...(recipe.readout.svm ? { backend: recipe.readout.svm } : {}) });
  seconds.svmTrain = (Date.now() - t3) / 1000;
  const acc = evaluate(split.test.labels, svm.predict(fTest)).accuracy;
  const trainAcc = evaluate(split.train.labels, svm.predict(fTrain)).accuracy;
  seconds.total = (Date.now() - t0) / 1000;
  log(`features ${fTrain[0]!.length}; test accuracy ${(acc * 100).toFixed(2)}% (train ${(trainAcc * 100).toFixed(2)}%); seconds ${JSON.stringify(seconds)}; counts ${JSON.stringify(counts)}`);
  return { accuracy: acc, trainAccuracy: trainAcc, seconds, counts, weights, ...(events ? { events } : {}) };
}

const isMain = process.argv[1]?.endsWith('prototype/run.ts');
if (isMain) {
  const name = process.argv[2] ?? 'default';
  const base = PRESETS[name];
  if (!base) throw new Error(`unknown preset ${name}; known: ${Object.keys(PRESETS).join(', ')}`);
  const over = process.argv[3] ? (JSON.parse(process.argv[3]) as unknown) : {};
  const recipe = deepMerge(base, over);
  console.log(JSON.stringify(over));
  await runPrototype(recipe);
}
