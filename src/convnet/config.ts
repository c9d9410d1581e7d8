import { z } from 'zod';
import { PRESETS } from './presets.js';
import type { LayerRecipe, Recipe } from './recipe.js';
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
    inhibition: z.number().nonnegative().optional(),
    initWeight: z.strictObject({ mean: z.number(), sd: z.number().nonnegative() }).optional(),
    gate: z.strictObject({ atMs: z.number().int().nonnegative(), weight: z.number().nonnegative() }).nullable().optional(),
  }).optional(),
  infer: z.strictObject({ neuron: neuron.optional(), inhibition: z.number().nonnegative().optional() }).optional(),
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
  seed: z.number().int().optional(),
  layers: z.array(layer).min(1).optional(),
  classifier: z.strictObject({ pool: z.tuple([pos, pos]).optional(), C: z.number().positive().optional() }).optional(),
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
            inhibition: l.train?.inhibition ?? b.train.inhibition,
            initWeight: l.train?.initWeight ?? b.train.initWeight,
            gate: l.train?.gate === null ? undefined : (l.train?.gate ?? b.train.gate),
          },
          infer: { neuron: { ...b.infer.neuron, ...l.infer?.neuron }, inhibition: l.infer?.inhibition ?? b.infer.inhibition },
        };
      })
    : base.layers;
  const recipe: Recipe = {
    ...base,
    data: { ...base.data, ...cfg.data },
    slotMs: cfg.slotMs ?? base.slotMs,
    seed: cfg.seed ?? base.seed,
    layers,
    readout: { ...base.readout, ...cfg.classifier },
  };
  try {
    modelFromRecipe(recipe);
  } catch (e) {
    if (e instanceof ModelError) throw new ConfigError(`${where}: ${e.message}`);
    throw e;
  }
  return recipe;
}

/** The SpikingModel a recipe describes (validates that every layer fits its input). */
export function modelFromRecipe(recipe: Recipe): SpikingModel {
  const model = new SpikingModel({ input: encodedShape(recipe.encoder, { width: 28, height: 28 }) });
  for (const l of recipe.layers) model.add(new ConvLayer(l.kernels, l.shape, l.stride));
  model.add(new Classifier({ pool: recipe.readout.pool, C: recipe.readout.C }));
  return model;
}
