import type { DistortOptions } from '../datasets/augment.js';
import type { DogOptions } from '../datasets/dog.js';
import type { SplitOptions } from '../datasets/mnist.js';
import type { NeuronParams, StdpParams } from './params.js';
import type { SvmBackend } from './svm.js';

/** How images become spikes. */
export type EncoderRecipe =
  | { kind: 'dog-latency'; dog: DogOptions; windowMs: number; lateSpikeAt?: number | undefined }
  | { kind: 'latency'; windowMs: number; threshold: number; lateSpikeAt?: number | undefined }
  | { kind: 'rate'; threshold: number; activeMs: number };

/** One convolutional layer and how it is trained and run. */
export interface LayerRecipe {
  kernels: number;
  shape: [number, number];
  stride: number;
  /** Number of stride windows (sampled from the training images) presented during STDP training. */
  trainWindows: number;
  /** Skip windows with fewer input spikes than this when sampling training windows (0 = keep all). */
  minActiveInputs: number;
  train: {
    neuron: NeuronParams;
    stdp: StdpParams;
    /**
     * How an update scales with the weight: 'additive' (AdditiveWeightDependence,
     * fixed steps clipped to [w_min, w_max]) or 'multiplicative'
     * (MultiplicativeWeightDependence: potentiation × (w_max − w), depression ×
     * (w − w_min), so weights settle inside the range). Omitted = 'additive'.
     */
    weightDependence?: 'additive' | 'multiplicative' | undefined;
    /** Static inhibitory weight (nA) between the K neurons of the training population, all-to-all, delay 1. */
    inhibition: number;
    initWeight: { mean: number; sd: number };
    /**
     * Window-end gate: one extra source neuron spiking at `atMs` of every slot,
     * static inhibitory weight `weight` (nA) onto all K neurons. It arrives with
     * the late spikes of silent inputs and cancels their excitation, so they
     * can be depressed without making a neuron fire. Omit for none.
     */
    gate?: { atMs: number; weight: number } | undefined;
  };
  /** Cell parameters and inhibition between maps at the same position when the trained layer is rebuilt. */
  infer: {
    neuron: NeuronParams;
    inhibition: number;
    /**
     * Optional host-side rescaling of the trained weights before the layer is
     * rebuilt (see `inferenceWeights`): each kernel is scaled so the sum of its
     * weights equals `sum` (nA). Same effect as a per-kernel threshold, with one
     * set of cell parameters. Omit to use the weights as trained.
     */
    normalise?: { sum: number } | undefined;
  };
}

/**
 * The weights a trained layer is rebuilt with: the trained K × nIn weights,
 * each kernel's row scaled to sum to `infer.normalise.sum` if asked (rows
 * that sum to 0 stay 0); otherwise a copy of the trained weights.
 */
export function inferenceWeights(layer: Pick<LayerRecipe, 'infer' | 'kernels'>, trained: Float32Array): Float32Array {
  const out = Float32Array.from(trained);
  const norm = layer.infer.normalise;
  if (!norm) return out;
  const K = layer.kernels;
  if (out.length % K !== 0) throw new RangeError(`${out.length} weights do not split into ${K} kernels`);
  const nIn = out.length / K;
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let i = 0; i < nIn; i++) s += out[k * nIn + i]!;
    const f = s > 0 ? norm.sum / s : 0;
    for (let i = 0; i < nIn; i++) out[k * nIn + i]! *= f;
  }
  return out;
}

export type ReadoutTransform = 'none' | 'sqrt';

export interface ReadoutRecipe {
  /** Sum the last layer's spike counts over a gy×gx grid of equal cells per map (1×1 = global). */
  pool: [number, number];
  /**
   * Optional overlapping pooling instead of the grid: size×size windows every
   * `stride` neurons, per map (see readout.ts). Replaces `pool` when given.
   */
  window?: [number, number] | undefined;
  /**
   * Applied to every pooled count before the SVM: 'sqrt' (the square root,
   * which damps the large counts of big cells so that sparse ones still
   * matter) or 'none' (counts as they are). Omitted = 'none'.
   */
  transform?: ReadoutTransform | undefined;
  C: number;
  /** SVM solver (svm.ts); omitted = the library default ('linear'). */
  svm?: SvmBackend | undefined;
  /**
   * Choose C among `C` by `folds`-fold cross-validation on the training
   * features only (linear solver); `C` above is then only the fallback for
   * other solvers. Omit to use `C` as given.
   */
  cv?: { folds: number; C: number[] } | undefined;
  /**
   * Train the SVM also on `copies` randomly distorted copies of every training
   * image (src/datasets/augment.ts: small rotation, scale, shear and an
   * elastic wobble; copy k seeded with recipe.seed + k − 1), each run through
   * the trained layers like the originals. Cross-validation keeps an image's
   * copies in its fold and validates on originals only. The layers are still
   * trained on the original images. Omit (or copies 0) for none.
   */
  augment?: ({ copies: number } & Partial<DistortOptions>) | undefined;
}

export interface Recipe {
  name: string;
  description: string;
  data: SplitOptions;
  encoder: EncoderRecipe;
  /** Length of one training-window slot (ms = ticks): the input window plus a quiet gap. */
  slotMs: number;
  /**
   * Length of one image's slot when images run through the trained layers
   * (features, test). Longer than `slotMs` so that the membranes relax before
   * the next image: with 30 ms, a neuron still 5–7 mV depolarised from the
   * previous image fired more easily, and features depended on it.
   */
  imageSlotMs: number;
  layers: LayerRecipe[];
  readout: ReadoutRecipe;
  /** Seed for weights and window sampling. */
  seed: number;
}
