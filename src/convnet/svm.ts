import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../datasets/atomic.js';
import { Rng } from '../datasets/random.js';
import { predictLinearSvm, trainLinearSvm, type LinearSvmModel } from './linear-svm.js';

/**
 * Linear SVM readout of spike-count features. Three backends:
 *  - 'linear' (default): LIBLINEAR's dual coordinate descent (./linear-svm.ts),
 *    one-vs-rest, squared hinge loss; seconds for thousands of features, and
 *    more accurate than libsvm's one-vs-one on spike-count features.
 *  - 'libsvm': libsvm 3.22 compiled to WebAssembly (npm `libsvm-js`),
 *    C-SVC with a linear kernel, one-vs-one multi-class.
 *  - 'ml-svm': the pure-JS simplified SMO of npm `ml-svm` (binary only), wrapped
 *    one-vs-rest. Kept for comparison: see tools/bench/svm.ts and docs/spikingconvnet.md.
 * Features are scaled per column by the training set's maximum (so spike counts
 * land in [0, 1]); the scale is saved with the model.
 */
export type SvmBackend = 'libsvm' | 'ml-svm' | 'linear';

export interface SvmOptions {
  C: number;
  backend: SvmBackend;
}

export const DEFAULT_SVM: SvmOptions = { C: 1, backend: 'linear' };

export interface SvmJson {
  format: 'spinn-svm/1';
  backend: SvmBackend;
  options: SvmOptions;
  classes: number[];
  scale: number[];
  /** libsvm: its own text model; ml-svm: one JSON model per class (one-vs-rest); linear: weights per class. */
  model: string | unknown[] | LinearSvmModel;
}

type Row = ArrayLike<number>;

interface LibsvmInstance {
  train(x: number[][], y: number[]): void;
  predict(x: number[][]): number[];
  serializeModel(): string;
  free(): void;
}
interface LibsvmCtor {
  new (opts: Record<string, unknown>): LibsvmInstance;
  load(model: string): LibsvmInstance;
  KERNEL_TYPES: Record<string, number>;
  SVM_TYPES: Record<string, number>;
}
interface MlSvmInstance {
  train(x: number[][], y: number[]): void;
  marginOne(x: number[]): number;
  toJSON(): unknown;
}
interface MlSvmCtor {
  new (opts: Record<string, unknown>): MlSvmInstance;
  load(model: unknown): MlSvmInstance;
}

const require = createRequire(import.meta.url);
let libsvm: Promise<LibsvmCtor> | undefined;
/**
 * libsvm-js first tries to stream-compile its .wasm through fetch(), which
 * cannot take a file path in Node, then falls back to reading the file; the
 * two console lines it prints about that are noise, so they are dropped.
 */
function loadLibsvm(): Promise<LibsvmCtor> {
  if (!libsvm) {
    const warn = console.warn;
    const error = console.error;
    const quiet = (orig: typeof console.warn) => (...a: unknown[]) => {
      if (!/wasm streaming compile failed|falling back to ArrayBuffer/.test(String(a[0]))) orig(...a);
    };
    console.warn = quiet(warn);
    console.error = quiet(error);
    libsvm = (require('libsvm-js') as Promise<LibsvmCtor>).finally(() => {
      console.warn = warn;
      console.error = error;
    });
  }
  return libsvm;
}

function columnScale(x: Row[]): number[] {
  const d = x[0]?.length ?? 0;
  const s = new Array<number>(d).fill(0);
  for (const r of x) for (let j = 0; j < d; j++) if (r[j]! > s[j]!) s[j] = r[j]!;
  return s.map((v) => (v > 0 ? 1 / v : 0));
}

function scaled(x: Row[], scale: number[]): number[][] {
  return x.map((r) => scale.map((s, j) => r[j]! * s));
}

export class SvmReadout {
  private constructor(
    readonly json: SvmJson,
    private readonly lib?: LibsvmInstance,
    private readonly ovr?: MlSvmInstance[],
    private readonly linear?: LinearSvmModel,
  ) {}

  static async train(features: Row[], labels: number[], options: Partial<SvmOptions> = {}): Promise<SvmReadout> {
    const opts = { ...DEFAULT_SVM, ...options };
    if (features.length !== labels.length) throw new RangeError(`${features.length} feature rows but ${labels.length} labels`);
    if (features.length < 2) throw new RangeError('an SVM needs at least 2 training rows');
    const classes = [...new Set(labels)].sort((a, b) => a - b);
    if (classes.length < 2) throw new RangeError(`an SVM needs at least 2 classes, got only ${classes.join(',')}`);
    const scale = columnScale(features);
    const x = scaled(features, scale);
    if (opts.backend === 'libsvm') {
      const SVM = await loadLibsvm();
      const svm = new SVM({ kernel: SVM.KERNEL_TYPES.LINEAR, type: SVM.SVM_TYPES.C_SVC, cost: opts.C, quiet: true });
      svm.train(x, labels);
      const json: SvmJson = { format: 'spinn-svm/1', backend: 'libsvm', options: opts, classes, scale, model: svm.serializeModel() };
      return new SvmReadout(json, svm);
    }
    if (opts.backend === 'linear') {
      const m = trainLinearSvm(x, labels, { C: opts.C });
      const json: SvmJson = { format: 'spinn-svm/1', backend: 'linear', options: opts, classes, scale, model: m };
      return new SvmReadout(json, undefined, undefined, m);
    }
    const MlSvm = require('ml-svm') as MlSvmCtor;
    const ovr = classes.map((c) => {
      const rng = new Rng(c + 1); // ml-svm defaults to Math.random
      const m = new MlSvm({ C: opts.C, kernel: 'linear', whitening: false, random: () => rng.next() });
      m.train(x, labels.map((l) => (l === c ? 1 : -1)));
      return m;
    });
    const json: SvmJson = { format: 'spinn-svm/1', backend: 'ml-svm', options: opts, classes, scale, model: ovr.map((m) => m.toJSON()) };
    return new SvmReadout(json, undefined, ovr);
  }

  static async fromJson(json: SvmJson): Promise<SvmReadout> {
    if (json?.format !== 'spinn-svm/1') throw new Error('not a saved SVM readout (format spinn-svm/1 expected); run `spinn train --layer svm` to make one');
    if (json.backend === 'libsvm') {
      const SVM = await loadLibsvm();
      return new SvmReadout(json, SVM.load(json.model as string));
    }
    if (json.backend === 'linear') return new SvmReadout(json, undefined, undefined, json.model as LinearSvmModel);
    const MlSvm = require('ml-svm') as MlSvmCtor;
    return new SvmReadout(json, undefined, (json.model as unknown[]).map((m) => MlSvm.load(m)));
  }

  static async load(path: string): Promise<SvmReadout> {
    return SvmReadout.fromJson(JSON.parse(readFileSync(path, 'utf8')) as SvmJson);
  }

  save(path: string): void {
    writeJsonAtomic(path, this.json);
  }

  predict(features: Row[]): number[] {
    const x = scaled(features, this.json.scale);
    if (this.lib) return this.lib.predict(x);
    if (this.linear) return predictLinearSvm(this.linear, x);
    const ovr = this.ovr!;
    return x.map((r) => {
      let best = 0;
      let bestM = -Infinity;
      ovr.forEach((m, k) => {
        const v = m.marginOne(r);
        if (v > bestM) {
          bestM = v;
          best = k;
        }
      });
      return this.json.classes[best]!;
    });
  }
}

export interface Evaluation {
  accuracy: number;
  classes: number[];
  /** confusion[true][predicted], rows and columns in `classes` order. */
  confusion: number[][];
  perClass: number[];
}

export function evaluate(truth: number[], predicted: number[], classes?: number[]): Evaluation {
  const cls = classes ?? [...new Set(truth)].sort((a, b) => a - b);
  const pos = new Map(cls.map((c, i) => [c, i]));
  const confusion = cls.map(() => cls.map(() => 0));
  let ok = 0;
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    if (t === p) ok++;
    const r = pos.get(t);
    const c = pos.get(p);
    if (r !== undefined && c !== undefined) confusion[r]![c]!++;
  });
  const perClass = confusion.map((row, i) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n ? row[i]! / n : 0;
  });
  return { accuracy: truth.length ? ok / truth.length : 0, classes: cls, confusion, perClass };
}
