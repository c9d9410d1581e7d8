import type { Shape3 } from './windowing.js';
import { outSide } from './windowing.js';
import { readoutFeatureCount, readoutGrid } from './readout.js';

/** Thrown for a model that cannot be built; the message names the layer and the fix. */
export class ModelError extends Error {
  override name = 'ModelError';
}

/** A convolutional layer of `kernels` feature maps, each kh×kw over ALL maps of the layer below. */
export class ConvLayer {
  readonly kind = 'conv';
  constructor(
    readonly kernels: number,
    readonly shape: [number, number],
    readonly stride = 1,
  ) {
    if (!Number.isInteger(kernels) || kernels < 1) throw new ModelError(`ConvLayer needs a positive integer number of kernels, got ${kernels}`);
    if (shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new ModelError(`ConvLayer shape must be [kh, kw] with positive integers, got ${JSON.stringify(shape)}`);
    }
    if (!Number.isInteger(stride) || stride < 1) throw new ModelError(`ConvLayer stride must be a positive integer, got ${stride}`);
  }
}

/**
 * The linear SVM readout on the last layer's spike counts, summed per map over
 * a gy×gx grid (`pool`) or over size×size windows every `stride` neurons
 * (`window: [size, stride]`, replaces `pool`); see readout.ts.
 */
export class Classifier {
  readonly kind = 'classifier';
  constructor(readonly options: { pool?: [number, number]; window?: [number, number] | undefined; C?: number } = {}) {}
}

export interface LayerInfo {
  index: number;
  layer: ConvLayer;
  input: Shape3;
  output: Shape3;
  neurons: number;
  synapsesPerNeuron: number;
}

const dims = (s: Shape3) => s.join('×');

/**
 * SpikingModel: input → ConvLayer… → Classifier. Tensor sizes follow
 * T(n+1) = (T(n) - k) / stride + 1 (rounded down), and depth(n+1) = kernels(n+1):
 * every kernel sums over every feature map of the layer below.
 */
export class SpikingModel {
  readonly input: Shape3;
  private readonly convs: LayerInfo[] = [];
  classifier: Classifier | undefined;

  constructor(opts: { input: Shape3 }) {
    const ok = opts.input.length === 3 && opts.input.every((v) => Number.isInteger(v) && v >= 1);
    if (!ok) throw new ModelError(`input must be [height, width, depth] with positive integers, got ${JSON.stringify(opts.input)}`);
    this.input = [...opts.input];
  }

  add(layer: ConvLayer | Classifier): this {
    if (this.classifier) throw new ModelError('the Classifier must be the last layer; add ConvLayers before it');
    if (layer instanceof Classifier) {
      if (this.convs.length === 0) throw new ModelError('add at least one ConvLayer before the Classifier');
      const { pool, window } = layer.options;
      const out = this.output;
      if (window) {
        const [size, stride] = window;
        if (!Number.isInteger(size) || !Number.isInteger(stride) || size < 1 || stride < 1) {
          throw new ModelError(`Classifier window must be [size, stride] with positive integers, got ${JSON.stringify(window)}`);
        }
        if (size > Math.min(out[0], out[1])) {
          throw new ModelError(`Classifier readout window ${size}×${size} does not fit the last layer's ${dims(out)} output; use a window of at most ${Math.min(out[0], out[1])} or a smaller pool`);
        }
      } else if (pool && (pool[0] < 1 || pool[1] < 1 || pool[0] > out[0] || pool[1] > out[1])) {
        throw new ModelError(`Classifier pool ${pool[0]}×${pool[1]} does not fit the last layer's ${dims(out)} output; use 1..${out[0]} × 1..${out[1]}`);
      }
      this.classifier = layer;
      return this;
    }
    const input = this.output;
    const index = this.convs.length + 1;
    const [kh, kw] = layer.shape;
    if (kh > input[0] || kw > input[1]) {
      throw new ModelError(
        `layer ${index} (${kh}×${kw}, stride ${layer.stride}) does not fit its ${dims(input)} input; use a kernel of at most ${input[0]}×${input[1]} or remove a layer`,
      );
    }
    const output: Shape3 = [outSide(input[0], kh, layer.stride), outSide(input[1], kw, layer.stride), layer.kernels];
    this.convs.push({ index, layer, input, output, neurons: output[0] * output[1] * output[2], synapsesPerNeuron: kh * kw * input[2] });
    return this;
  }

  get layers(): readonly LayerInfo[] {
    return this.convs;
  }

  get output(): Shape3 {
    return this.convs.length ? this.convs[this.convs.length - 1]!.output : this.input;
  }

  /** The classifier's readout (pool defaults to every neuron). */
  private get readout(): { pool: [number, number]; window?: [number, number] | undefined } {
    const out = this.output;
    const o = this.classifier?.options ?? {};
    return { pool: o.pool ?? [out[0], out[1]], window: o.window };
  }

  /** Number of SVM features: gy·gx·K of the last layer, for the grid or the overlapping windows. */
  get features(): number {
    return readoutFeatureCount(this.output, this.readout);
  }

  structure(): string {
    const rows: string[][] = [['layer', 'kind', 'kernel', 'stride', 'input', 'output', 'neurons', 'synapses']];
    rows.push(['0', 'input', '', '', '', dims(this.input), String(this.input[0] * this.input[1] * this.input[2]), '']);
    for (const l of this.convs) {
      rows.push([
        String(l.index),
        `conv ${l.layer.kernels}`,
        `${l.layer.shape[0]}×${l.layer.shape[1]}`,
        String(l.layer.stride),
        dims(l.input),
        dims(l.output),
        String(l.neurons),
        String(l.neurons * l.synapsesPerNeuron),
      ]);
    }
    if (this.classifier) {
      const r = this.readout;
      const [gy, gx] = readoutGrid(this.output, r);
      const how = r.window ? `win ${r.window[0]}×${r.window[0]}` : `pool ${gy}×${gx}`;
      rows.push([String(this.convs.length + 1), 'svm', how, r.window ? String(r.window[1]) : '', dims(this.output), `${gy}×${gx}×${this.output[2]} = ${this.features} features`, '', '']);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    return rows.map((r) => r.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
  }

  printStructure(write: (s: string) => void = console.log): void {
    write(this.structure());
  }
}
