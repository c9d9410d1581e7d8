import { NetworkError } from './errors.js';
import { Rng } from './random.js';

/**
 * Explicit connections in typed arrays. `weight` and `delay` are a single
 * number when uniform (no per-connection storage), else one value per connection.
 * Weights in nA (current-based), delays in ms.
 */
export interface Connections {
  readonly n: number;
  readonly pre: Uint32Array;
  readonly post: Uint32Array;
  readonly weight: number | Float64Array;
  readonly delay: number | Float64Array;
}

export interface ExpandContext {
  readonly preSize: number;
  readonly postSize: number;
  /** pre and post are the same population (for allowSelfConnections). */
  readonly samePopulation: boolean;
  /** Seed used when the connector has none. */
  readonly seed: number;
}

/** Per-connection weight/delay from the connector; undefined where the projection's value applies. */
export interface Expanded {
  pre: Uint32Array;
  post: Uint32Array;
  n: number;
  weight?: Float64Array;
  delay?: Float64Array;
}

export interface OneToOneConnector {
  readonly kind: 'OneToOne';
}
export interface AllToAllConnector {
  readonly kind: 'AllToAll';
  readonly allowSelfConnections: boolean;
}
export interface FixedProbabilityConnector {
  readonly kind: 'FixedProbability';
  readonly p: number;
  readonly allowSelfConnections: boolean;
  readonly seed?: number;
}
export interface FromListConnector {
  readonly kind: 'FromList';
  /** [pre, post] or [pre, post, weight] or [pre, post, weight, delay]. */
  readonly list: readonly (readonly number[])[];
}
/** Shape of a layer: height x width x depth (channels). Neuron index = (c * height + y) * width + x. */
export interface Shape3 {
  readonly height: number;
  readonly width: number;
  readonly depth: number;
}
export interface ConvolutionConnector {
  readonly kind: 'Convolution';
  readonly inputShape: Shape3;
  readonly outputShape: Shape3;
  /** Kernel height and width. */
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  /** weights[((oc * inDepth + ic) * kh + ky) * kw + kx] in nA. */
  readonly weights: Float64Array;
  readonly strideY: number;
  readonly strideX: number;
  readonly padding: number;
  /** Leave out connections whose kernel weight is exactly 0. */
  readonly skipZeros: boolean;
}

export type Connector = OneToOneConnector | AllToAllConnector | FixedProbabilityConnector | FromListConnector | ConvolutionConnector;

export function OneToOneConnector(): OneToOneConnector {
  return { kind: 'OneToOne' };
}

export function AllToAllConnector(o: { allowSelfConnections?: boolean } = {}): AllToAllConnector {
  return { kind: 'AllToAll', allowSelfConnections: o.allowSelfConnections ?? true };
}

export function FixedProbabilityConnector(p: number, o: { allowSelfConnections?: boolean; seed?: number } = {}): FixedProbabilityConnector {
  if (!(p >= 0 && p <= 1)) throw new NetworkError(`FixedProbabilityConnector p must be in [0, 1], got ${p}`);
  return { kind: 'FixedProbability', p, allowSelfConnections: o.allowSelfConnections ?? true, ...(o.seed !== undefined ? { seed: o.seed } : {}) };
}

export function FromListConnector(list: readonly (readonly number[])[]): FromListConnector {
  list.forEach((c, i) => {
    if (!Array.isArray(c) || c.length < 2 || c.length > 4 || c.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new NetworkError(`FromListConnector entry ${i} must be [pre, post, weight?, delay?] of numbers, got ${JSON.stringify(c)}`);
    }
  });
  return { kind: 'FromList', list };
}

export interface ConvolutionOptions {
  inputShape: Shape3 | readonly [number, number, number];
  /** Computed from the input, kernel, stride and padding when omitted; checked when given. */
  outputShape?: Shape3 | readonly [number, number, number];
  /** kernel[outChannel][inChannel][ky][kx], or a flat array with kernelShape. */
  kernel: readonly (readonly (readonly (readonly number[])[])[])[] | Float64Array | readonly number[];
  /** [outDepth, inDepth, kh, kw]; required for a flat kernel. */
  kernelShape?: readonly [number, number, number, number];
  stride?: number | readonly [number, number];
  padding?: number;
  skipZeros?: boolean;
}

function shape3(s: Shape3 | readonly [number, number, number], what: string): Shape3 {
  const r = Array.isArray(s) ? { height: s[0]!, width: s[1]!, depth: s[2]! } : (s as Shape3);
  for (const k of ['height', 'width', 'depth'] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 1) throw new NetworkError(`ConvolutionConnector ${what}.${k} must be a positive integer, got ${r[k]}`);
  }
  return { height: r.height, width: r.width, depth: r.depth };
}

export function ConvolutionConnector(o: ConvolutionOptions): ConvolutionConnector {
  const input = shape3(o.inputShape, 'inputShape');
  let outD: number, inD: number, kh: number, kw: number;
  let weights: Float64Array;
  if (o.kernelShape) {
    [outD, inD, kh, kw] = o.kernelShape;
    const flat = o.kernel as Float64Array | readonly number[];
    if (typeof (flat as ArrayLike<unknown>)[0] !== 'number' && flat.length > 0) throw new NetworkError('ConvolutionConnector: with kernelShape, kernel must be a flat array');
    weights = Float64Array.from(flat as ArrayLike<number>);
  } else {
    const k = o.kernel as readonly (readonly (readonly (readonly number[])[])[])[];
    if (!Array.isArray(k) || !Array.isArray(k[0]) || !Array.isArray(k[0][0]) || !Array.isArray(k[0][0][0])) {
      throw new NetworkError('ConvolutionConnector kernel must be nested [outChannel][inChannel][ky][kx], or flat with kernelShape');
    }
    outD = k.length;
    inD = k[0]!.length;
    kh = k[0]![0]!.length;
    kw = k[0]![0]![0]!.length;
    weights = new Float64Array(outD * inD * kh * kw);
    let i = 0;
    for (let oc = 0; oc < outD; oc++)
      for (let ic = 0; ic < inD; ic++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++) {
            const v = k[oc]?.[ic]?.[y]?.[x];
            if (typeof v !== 'number') throw new NetworkError(`ConvolutionConnector kernel[${oc}][${ic}][${y}][${x}] is missing: the kernel must be rectangular`);
            weights[i++] = v;
          }
  }
  if (weights.length !== outD * inD * kh * kw) throw new NetworkError(`ConvolutionConnector kernel has ${weights.length} values; kernelShape needs ${outD * inD * kh * kw}`);
  if (weights.some((w) => !Number.isFinite(w))) throw new NetworkError('ConvolutionConnector kernel values must be finite numbers');
  if (inD !== input.depth) throw new NetworkError(`ConvolutionConnector kernel has ${inD} input channels but inputShape.depth is ${input.depth}`);
  const [sy, sx] = typeof o.stride === 'number' || o.stride === undefined ? [o.stride ?? 1, o.stride ?? 1] : o.stride;
  const padding = o.padding ?? 0;
  if (!Number.isInteger(sy) || !Number.isInteger(sx) || sy < 1 || sx < 1) throw new NetworkError(`ConvolutionConnector stride must be positive integers, got ${JSON.stringify(o.stride)}`);
  if (!Number.isInteger(padding) || padding < 0) throw new NetworkError(`ConvolutionConnector padding must be an integer >= 0, got ${padding}`);
  const derived: Shape3 = {
    height: Math.floor((input.height + 2 * padding - kh) / sy) + 1,
    width: Math.floor((input.width + 2 * padding - kw) / sx) + 1,
    depth: outD,
  };
  if (derived.height < 1 || derived.width < 1) throw new NetworkError(`ConvolutionConnector kernel ${kh}x${kw} does not fit the ${input.height}x${input.width} input`);
  const output = o.outputShape ? shape3(o.outputShape, 'outputShape') : derived;
  if (output.height !== derived.height || output.width !== derived.width || output.depth !== derived.depth) {
    throw new NetworkError(
      `ConvolutionConnector outputShape ${output.height}x${output.width}x${output.depth} does not match input ${input.height}x${input.width}x${input.depth}, kernel ${outD}x${inD}x${kh}x${kw}, stride ${sy}x${sx}, padding ${padding}: expected ${derived.height}x${derived.width}x${derived.depth}`,
    );
  }
  return { kind: 'Convolution', inputShape: input, outputShape: output, kernelHeight: kh, kernelWidth: kw, weights, strideY: sy, strideX: sx, padding, skipZeros: o.skipZeros ?? false };
}

/** Neurons a connector needs on each side, or undefined when any size fits. */
export function requiredSizes(c: Connector): { pre?: number; post?: number } {
  if (c.kind === 'Convolution') {
    return { pre: c.inputShape.height * c.inputShape.width * c.inputShape.depth, post: c.outputShape.height * c.outputShape.width * c.outputShape.depth };
  }
  return {};
}

class Growable {
  pre: Uint32Array;
  post: Uint32Array;
  n = 0;
  constructor(cap: number) {
    this.pre = new Uint32Array(Math.max(16, cap));
    this.post = new Uint32Array(Math.max(16, cap));
  }
  push(a: number, b: number): void {
    if (this.n === this.pre.length) {
      const np = new Uint32Array(this.n * 2);
      np.set(this.pre);
      this.pre = np;
      const nq = new Uint32Array(this.n * 2);
      nq.set(this.post);
      this.post = nq;
    }
    this.pre[this.n] = a;
    this.post[this.n++] = b;
  }
  done(): Expanded {
    return { pre: this.pre.subarray(0, this.n), post: this.post.subarray(0, this.n), n: this.n };
  }
}

/** Expand a connector into explicit (pre, post[, weight, delay]) arrays, ordered by pre then post. */
export function expandConnector(c: Connector, ctx: ExpandContext): Expanded {
  const { preSize, postSize } = ctx;
  switch (c.kind) {
    case 'OneToOne': {
      if (preSize !== postSize) throw new NetworkError(`OneToOneConnector needs populations of equal size, got ${preSize} -> ${postSize}`);
      const pre = new Uint32Array(preSize);
      for (let i = 0; i < preSize; i++) pre[i] = i;
      return { pre, post: pre.slice(), n: preSize };
    }
    case 'AllToAll': {
      const skipSelf = ctx.samePopulation && !c.allowSelfConnections;
      const n = preSize * postSize - (skipSelf ? Math.min(preSize, postSize) : 0);
      const pre = new Uint32Array(n);
      const post = new Uint32Array(n);
      let k = 0;
      for (let i = 0; i < preSize; i++)
        for (let j = 0; j < postSize; j++) {
          if (skipSelf && i === j) continue;
          pre[k] = i;
          post[k++] = j;
        }
      return { pre, post, n };
    }
    case 'FixedProbability': {
      const rng = new Rng(c.seed ?? ctx.seed);
      const skipSelf = ctx.samePopulation && !c.allowSelfConnections;
      const total = preSize * postSize;
      const g = new Growable(Math.ceil(total * c.p * 1.05) + 16);
      if (c.p >= 1) {
        for (let i = 0; i < preSize; i++) for (let j = 0; j < postSize; j++) if (!(skipSelf && i === j)) g.push(i, j);
        return g.done();
      }
      if (c.p <= 0) return g.done();
      // Geometric skipping: O(connections), not O(pre x post).
      const logq = Math.log1p(-c.p);
      let idx = -1;
      for (;;) {
        idx += 1 + Math.floor(Math.log(1 - rng.next()) / logq);
        if (idx >= total) break;
        const i = Math.floor(idx / postSize);
        const j = idx - i * postSize;
        if (skipSelf && i === j) continue;
        g.push(i, j);
      }
      return g.done();
    }
    case 'FromList': {
      const n = c.list.length;
      const pre = new Uint32Array(n);
      const post = new Uint32Array(n);
      const hasW = n > 0 && c.list.every((e) => e.length >= 3);
      const hasD = n > 0 && c.list.every((e) => e.length >= 4);
      if (c.list.some((e) => e.length >= 3) && !hasW) throw new NetworkError('FromListConnector: give a weight for every entry or for none');
      if (c.list.some((e) => e.length >= 4) && !hasD) throw new NetworkError('FromListConnector: give a delay for every entry or for none');
      const weight = hasW ? new Float64Array(n) : undefined;
      const delay = hasD ? new Float64Array(n) : undefined;
      for (let k = 0; k < n; k++) {
        const e = c.list[k]!;
        const a = e[0]!;
        const b = e[1]!;
        if (!Number.isInteger(a) || a < 0 || a >= preSize) throw new NetworkError(`FromListConnector entry ${k}: pre index ${a} is outside 0..${preSize - 1}`);
        if (!Number.isInteger(b) || b < 0 || b >= postSize) throw new NetworkError(`FromListConnector entry ${k}: post index ${b} is outside 0..${postSize - 1}`);
        pre[k] = a;
        post[k] = b;
        if (weight) weight[k] = e[2]!;
        if (delay) delay[k] = e[3]!;
      }
      return { pre, post, n, ...(weight ? { weight } : {}), ...(delay ? { delay } : {}) };
    }
    case 'Convolution': {
      const req = requiredSizes(c);
      if (preSize !== req.pre || postSize !== req.post) {
        throw new NetworkError(`ConvolutionConnector needs ${req.pre} pre and ${req.post} post neurons (its shapes), got ${preSize} -> ${postSize}`);
      }
      const { inputShape: I, outputShape: O, kernelHeight: kh, kernelWidth: kw, strideY: sy, strideX: sx, padding: pad } = c;
      const g = new Growable(O.height * O.width * O.depth * I.depth * kh * kw);
      const w: number[] = [];
      for (let ic = 0; ic < I.depth; ic++)
        for (let iy = 0; iy < I.height; iy++)
          for (let ix = 0; ix < I.width; ix++) {
            const preIdx = (ic * I.height + iy) * I.width + ix;
            for (let oc = 0; oc < O.depth; oc++)
              for (let ky = 0; ky < kh; ky++) {
                const ty = iy + pad - ky;
                if (ty < 0 || ty % sy !== 0) continue;
                const oy = ty / sy;
                if (oy >= O.height) continue;
                for (let kx = 0; kx < kw; kx++) {
                  const tx = ix + pad - kx;
                  if (tx < 0 || tx % sx !== 0) continue;
                  const ox = tx / sx;
                  if (ox >= O.width) continue;
                  const wt = c.weights[((oc * I.depth + ic) * kh + ky) * kw + kx]!;
                  if (c.skipZeros && wt === 0) continue;
                  g.push(preIdx, (oc * O.height + oy) * O.width + ox);
                  w.push(wt);
                }
              }
          }
      return { ...g.done(), weight: Float64Array.from(w) };
    }
  }
}
