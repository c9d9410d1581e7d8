import type { Image } from '../datasets/mnist.js';
import type { Rng } from '../datasets/random.js';
import { dogFilter, intensityTensor } from '../datasets/dog.js';
import { latencyEncode } from '../datasets/latency.js';
import { rateEncode } from '../datasets/rate.js';
import type { SpikeTrains, Tensor } from '../datasets/spikes.js';
import type { EncoderRecipe } from './recipe.js';
import type { Shape3 } from './windowing.js';

/** Shape of the encoded input layer: 28×28×2 for DoG (on/off), 28×28×1 otherwise. */
export function encodedShape(enc: EncoderRecipe, image: { width: number; height: number }): Shape3 {
  return [image.height, image.width, enc.kind === 'dog-latency' ? 2 : 1];
}

/** The real-valued input maps (0..1) an encoder turns into spikes. */
export function inputTensor(image: Image, enc: EncoderRecipe): Tensor {
  return enc.kind === 'dog-latency' ? dogFilter(image, enc.dog) : intensityTensor(image);
}

/**
 * Encode one image into spike trains over its input neurons (flat [y][x][c],
 * channel fastest), times relative to the slot start. `forTraining` adds the
 * late spike of silent inputs (latency codes with lateSpikeAt), which is what
 * lets pair STDP depress them; inference leaves silent inputs silent.
 */
export function encodeImage(image: Image, enc: EncoderRecipe, rng: Rng, forTraining = false): SpikeTrains {
  switch (enc.kind) {
    case 'rate':
      return rateEncode(image.pixels, rng, false, { threshold: enc.threshold, activeMs: enc.activeMs });
    case 'latency':
    case 'dog-latency': {
      const t = inputTensor(image, enc);
      const threshold = enc.kind === 'latency' ? enc.threshold : 0;
      return latencyEncode(t.data, { windowMs: enc.windowMs, threshold, lateSpikeAt: forTraining ? enc.lateSpikeAt : undefined });
    }
  }
}
