import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../datasets/atomic.js';
import { type Split, splitFromJson, splitToJson, type SplitOptions } from '../../datasets/mnist.js';
import type { Recipe } from '../recipe.js';
import type { Shape3 } from '../windowing.js';
import { encodeNpy } from './npy.js';

/** A problem the user can fix; the message says how. */
export class WorkflowError extends Error {
  override name = 'WorkflowError';
}

/** One trained layer as saved: K kernels of kh×kw×C, [k][(dy·kw + dx)·C + c]. */
export interface SavedLayer {
  format: 'spinn-layer/1';
  layer: number;
  kernels: number;
  shape: [number, number];
  stride: number;
  input: Shape3;
  output: Shape3;
  /** K rows of kh·kw·C weights (nA), as read back from the board. */
  weights: number[][];
  training: { windows: number; board: string; seconds: number; postSpikes: number[] };
}

export interface TestResults {
  accuracy: number;
  confusion: number[][];
  perClass: number[];
  classes: number[];
  images: number;
  preset: string;
  board: string;
  seconds: number;
  plots: string[];
}

/**
 * The model directory: every step reads its inputs from here and writes its
 * results here, each file atomically (temp file + rename).
 *   recipe.json  split.json  layer<N>.json/.npy  svm.json  results.json  plots/*.svg
 */
export class ModelDir {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** The path as the user should see it (relative to the working directory when inside it). */
  show(name = ''): string {
    const p = this.path(name);
    const r = relative(process.cwd(), p);
    return r && !r.startsWith('..') ? r : p;
  }

  plot(name: string): string {
    return this.path(join('plots', name));
  }

  private readJson<T>(name: string, missing: string): T {
    const p = this.path(name);
    if (!existsSync(p)) throw new WorkflowError(`${missing} not found in ${this.show(name)}`);
    try {
      return JSON.parse(readFileSync(p, 'utf8')) as T;
    } catch (e) {
      throw new WorkflowError(`${this.show(name)} is not valid JSON (${(e as Error).message}); delete it and run the step that makes it again`);
    }
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  saveRecipe(recipe: Recipe): void {
    writeJsonAtomic(this.path('recipe.json'), { format: 'spinn-recipe/1', recipe });
  }

  loadRecipe(): Recipe {
    const j = this.readJson<{ format?: string; recipe: Recipe }>('recipe.json', 'the model configuration (recipe.json)');
    if (j.format !== 'spinn-recipe/1') throw new WorkflowError(`${this.show('recipe.json')} is not a saved model configuration; run \`spinn loaddata\` first`);
    // Saved before images had their own slot length: they ran in training-window slots.
    return { ...j.recipe, imageSlotMs: j.recipe.imageSlotMs ?? j.recipe.slotMs };
  }

  saveSplit(split: Split): void {
    writeJsonAtomic(this.path('split.json'), { format: 'spinn-split/1', ...splitToJson(split) });
  }

  loadSplit(): Split {
    const j = this.readJson<{ format?: string; options: SplitOptions; train: number[]; test: number[] }>('split.json', 'the dataset split (split.json)');
    if (j.format !== 'spinn-split/1') throw new WorkflowError(`${this.show('split.json')} is not a saved split; run \`spinn loaddata\` first`);
    return splitFromJson(j);
  }

  layerFile(n: number): string {
    return `layer${n}.json`;
  }

  saveLayer(l: SavedLayer): void {
    const flat = Float32Array.from(l.weights.flat());
    writeFileAtomic(this.path(`layer${l.layer}.npy`), encodeNpy(flat, [l.kernels, l.shape[0], l.shape[1], l.input[2]]));
    writeJsonAtomic(this.path(this.layerFile(l.layer)), l);
  }

  loadLayer(n: number): SavedLayer {
    const name = this.layerFile(n);
    if (!this.has(name)) throw new WorkflowError(`layer ${n} weights not found in ${this.show(name)}: run \`spinn train --layer ${n}\` first`);
    const l = this.readJson<SavedLayer>(name, `layer ${n} weights`);
    if (l.format !== 'spinn-layer/1') throw new WorkflowError(`${this.show(name)} is not a saved layer; run \`spinn train --layer ${n}\` again`);
    return l;
  }

  saveResults(r: TestResults): void {
    writeJsonAtomic(this.path('results.json'), r);
  }
}
