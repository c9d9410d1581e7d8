import { z } from 'zod';
import { PRESETS } from './presets.js';
import type { EncoderRecipe, LayerRecipe, ReadoutRecipe, Recipe } from './recipe.js';
import { Classifier, ConvLayer, ModelError, SpikingModel } from './model.js';
import { encodedShape } from './encode.js';

/**
 * The `model` section of spinnaker.config.json. Everything is optional: a
 * preset gives the defaults and the keys given here override them. Unknown
 * keys are errors (a typo must not silently fall back to a default).
 */
const pos = z.number().int().positive();
const neuron = z.strictObject({
  tau_m: z.number().positive(),
  cm: z.number().positive(),
  v_rest: z.number(),
  v_reset: z.number(),
  v_thresh: z.number(),
  tau_refrac: z.number().nonnegative(),
  tau_syn_E: z.number().positive(),
  tau_syn_I: z.number().positive(),
  i_offset: z.number(),
}).partial();
const stdp = z.strictObject({
  tau_plus: z.number().positive(),
  tau_minus: z.number().positive(),
  A_plus: z.number().nonnegative(),
  A_minus: z.number().nonnegative(),
  w_min: z.number(),
  w_max: z.number(),
}).partial();
const layer = z.strictObject({
  kernels: pos,
  shape: z.tuple([pos, pos]),
  stride: pos.optional(),
  trainWindows: pos.optional(),
  minActiveInputs: z.number().int().nonnegative().optional(),
  train: z.strictObject({
    neuron: neuron.optional(),
    stdp: stdp.optional(),
    weightDependence: z.enum(['additive', 'multiplicative']).optional(),
    inhibition: z.number().nonnegative().optional(),
    initWeight: z.strictObject({ mean: z.number(), sd: z.number().nonnegative() }).optional(),
    gate: z.strictObject({ atMs: z.number().int().nonnegative(), weight: z.number().nonnegative() }).nullable().optional(),
  }).optional(),
  infer: z.strictObject({
    neuron: neuron.optional(),
    inhibition: z.number().nonnegative().optional(),
    normalise: z.strictObject({ sum: z.number().positive() }).nullable().optional(),
  }).optional(),
});

/** Encoder keys; `kind` may be omitted to change fields of the preset's encoder. Checked again after the merge. */
const dog = z.strictObject({
  size: pos,
  sigmaCentre: z.number().positive(),
  sigmaSurround: z.number().positive(),
  threshold: z.number().nonnegative(),
  normalise: z.boolean(),
}).partial();
const encoderPatch = z.strictObject({
  kind: z.enum(['dog-latency', 'latency', 'rate']).optional(),
  dog: dog.optional(),
  windowMs: pos.optional(),
  lateSpikeAt: z.number().int().nonnegative().nullable().optional(),
  threshold: z.number().nonnegative().optional(),
  activeMs: pos.optional(),
});
const encoderFull = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dog-latency'), dog: dog.required(), windowMs: pos, lateSpikeAt: z.number().int().nonnegative().optional() }),
  z.strictObject({ kind: z.literal('latency'), windowMs: pos, threshold: z.number().nonnegative(), lateSpikeAt: z.number().int().nonnegative().optional() }),
  z.strictObject({ kind: z.literal('rate'), threshold: z.number().nonnegative(), activeMs: pos }),
]);

/** The SVM readout (`recipe.readout`). */
const classifier = z.strictObject({
  pool: z.tuple([pos, pos]).optional(),
  /** [size, stride] overlapping windows; null = use the `pool` grid instead. */
  window: z.tuple([pos, pos]).nullable().optional(),
  /** 'sqrt' = square root of every pooled count before the SVM; 'none' = the counts. */
  transform: z.enum(['none', 'sqrt']).optional(),
  C: z.number().positive().optional(),
  svm: z.enum(['linear', 'libsvm', 'ml-svm']).optional(),
  /** Choose C by k-fold cross-validation on the training features; null = use `C` as given. */
  cv: z.strictObject({ folds: z.number().int().min(2).max(10), C: z.array(z.number().positive()).min(1) }).nullable().optional(),
  /** Distorted copies of the training images for the SVM; null = none. */
  augment: z.strictObject({
    copies: z.number().int().min(0).max(20),
    rotateDeg: z.number().min(0).max(45).optional(),
    scale: z.number().min(0).max(0.5).optional(),
    shear: z.number().min(0).max(1).optional(),
    elasticAlpha: z.number().min(0).max(100).optional(),
    elasticSigma: z.number().positive().max(20).optional(),
  }).nullable().optional(),
});

export const modelConfigSchema = z.strictObject({
  preset: z.string().optional(),
  data: z.strictObject({
    digits: z.array(z.number().int().min(0).max(9)).min(1).optional(),
    train: pos.optional(),
    test: pos.optional(),
    seed: z.number().int().optional(),
  }).optional(),
  slotMs: pos.optional(),
  imageSlotMs: pos.optional(),
  seed: z.number().int().optional(),
  encoder: encoderPatch.optional(),
  layers: z.array(layer).min(1).optional(),
  classifier: classifier.optional(),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function formatIssues(err: z.ZodError, where: string): string {
  return err.issues
    .map((i) => {
      const path = [where, ...i.path.map(String)].join('.');
      if (i.code === 'unrecognized_keys') return `${path}: unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see docs/spikingconvnet.md)`;
      return `${path}: ${i.message}`;
    })
    .join('\n');
}

/** Validate a `model` config section and resolve it against its preset into a full Recipe. */
export function recipeFromConfig(section: unknown, where = 'model'): Recipe {
  const parsed = modelConfigSchema.safeParse(section ?? {});
  if (!parsed.success) throw new ConfigError(`invalid ${where} configuration:\n${formatIssues(parsed.error, where)}`);
  const cfg = parsed.data;
  const presetName = cfg.preset ?? 'default';
  const base = PRESETS[presetName];
  if (!base) throw new ConfigError(`${where}.preset: unknown preset "${presetName}"; known presets: ${Object.keys(PRESETS).join(', ')}`);
  const template = base.layers[base.layers.length - 1]!;
  const layers: LayerRecipe[] = cfg.layers
    ? cfg.layers.map((l, i) => {
        const b = base.layers[i] ?? template;
        return {
          kernels: l.kernels,
          shape: l.shape,
          stride: l.stride ?? 1,
          trainWindows: l.trainWindows ?? b.trainWindows,
          minActiveInputs: l.minActiveInputs ?? b.minActiveInputs,
          train: {
            neuron: { ...b.train.neuron, ...l.train?.neuron },
            stdp: { ...b.train.stdp, ...l.train?.stdp },
            weightDependence: l.train?.weightDependence ?? b.train.weightDependence,
            inhibition: l.train?.inhibition ?? b.train.inhibition,
            initWeight: l.train?.initWeight ?? b.train.initWeight,
            gate: l.train?.gate === null ? undefined : (l.train?.gate ?? b.train.gate),
          },
          infer: {
            neuron: { ...b.infer.neuron, ...l.infer?.neuron },
            inhibition: l.infer?.inhibition ?? b.infer.inhibition,
            ...(l.infer?.normalise === null ? {} : (l.infer?.normalise ?? b.infer.normalise) ? { normalise: l.infer?.normalise ?? b.infer.normalise } : {}),
          },
        };
      })
    : base.layers;
  const recipe: Recipe = {
    ...base,
    data: { ...base.data, ...cfg.data },
    encoder: mergeEncoder(base.encoder, cfg.encoder, where),
    slotMs: cfg.slotMs ?? base.slotMs,
    imageSlotMs: cfg.imageSlotMs ?? base.imageSlotMs,
    seed: cfg.seed ?? base.seed,
    layers,
    readout: mergeReadout(base.readout, cfg.classifier),
  };
  checkSlots(recipe, where);
  try {
    modelFromRecipe(recipe);
  } catch (e) {
    if (e instanceof ModelError) throw new ConfigError(`${where}: ${e.message}`);
    throw e;
  }
  return recipe;
}

/** The input of a training window (late spikes included) and of an image must fit their slots. */
function checkSlots(r: Recipe, where: string): void {
  const e = r.encoder;
  const imageInput = e.kind === 'rate' ? e.activeMs : e.windowMs;
  const windowInput = e.kind === 'rate' ? e.activeMs : Math.max(e.windowMs, (e.lateSpikeAt ?? -1) + 1);
  if (r.slotMs < windowInput) throw new ConfigError(`${where}.slotMs: ${r.slotMs} ms is shorter than a training window's input (${windowInput} ms); use at least ${windowInput}`);
  if (r.imageSlotMs < imageInput) throw new ConfigError(`${where}.imageSlotMs: ${r.imageSlotMs} ms is shorter than an image's input (${imageInput} ms); use at least ${imageInput} (the default, 60, lets membranes relax between images)`);
}

function mergeEncoder(base: EncoderRecipe, patch: z.infer<typeof encoderPatch> | undefined, where: string): EncoderRecipe {
  if (!patch) return base;
  const { lateSpikeAt, ...rest } = patch;
  const sameKind = !patch.kind || patch.kind === base.kind;
  const merged: Record<string, unknown> = sameKind ? { ...base, ...rest } : { ...rest };
  if (sameKind && base.kind === 'dog-latency' && patch.dog) merged.dog = { ...base.dog, ...patch.dog };
  if (lateSpikeAt === null) delete merged.lateSpikeAt;
  else if (lateSpikeAt !== undefined) merged.lateSpikeAt = lateSpikeAt;
  const full = encoderFull.safeParse(merged);
  if (!full.success) {
    throw new ConfigError(
      `invalid ${where} configuration:\n${formatIssues(full.error, `${where}.encoder`)}\n` +
        `(the ${merged.kind} encoder takes ${merged.kind === 'rate' ? 'threshold, activeMs' : merged.kind === 'latency' ? 'windowMs, threshold, lateSpikeAt' : 'dog {size, sigmaCentre, sigmaSurround, threshold, normalise}, windowMs, lateSpikeAt'}; a new kind needs all of them)`,
    );
  }
  return full.data as EncoderRecipe;
}

function mergeReadout(base: ReadoutRecipe, c: z.infer<typeof classifier> | undefined): ReadoutRecipe {
  if (!c) return base;
  const { window, cv, augment, ...rest } = c;
  const out: ReadoutRecipe = { ...base, ...rest };
  // A grid given without a window means the grid: it replaces the preset's windows.
  if (window === null || (window === undefined && c.pool)) delete out.window;
  else if (window !== undefined) out.window = window;
  if (cv === null) delete out.cv;
  else if (cv !== undefined) out.cv = cv;
  if (augment === null) delete out.augment;
  else if (augment !== undefined) out.augment = augment;
  return out;
}

/** The SpikingModel a recipe describes (validates that every layer fits its input). */
export function modelFromRecipe(recipe: Recipe): SpikingModel {
  const model = new SpikingModel({ input: encodedShape(recipe.encoder, { width: 28, height: 28 }) });
  for (const l of recipe.layers) model.add(new ConvLayer(l.kernels, l.shape, l.stride));
  model.add(new Classifier({ pool: recipe.readout.pool, window: recipe.readout.window, C: recipe.readout.C }));
  return model;
}
