import { describe, expect, it } from 'vitest';
import { Classifier, ConvLayer, ModelError, SpikingModel } from '../../src/convnet/model.js';
import { ConfigError, recipeFromConfig, modelFromRecipe } from '../../src/convnet/config.js';
import { PRESETS } from '../../src/convnet/presets.js';

describe('SpikingModel', () => {
  it('computes T(n+1) = (T(n) - k)/stride + 1 and takes depth from the kernel count', () => {
    const m = new SpikingModel({ input: [28, 28, 1] }).add(new ConvLayer(4, [4, 4], 3)).add(new ConvLayer(8, [3, 3], 1)).add(new Classifier());
    expect(m.layers[0]!.output).toEqual([9, 9, 4]);
    expect(m.layers[1]!.input).toEqual([9, 9, 4]);
    expect(m.layers[1]!.output).toEqual([7, 7, 8]);
    // every layer-2 neuron sees all 4 maps of layer 1
    expect(m.layers[1]!.synapsesPerNeuron).toBe(3 * 3 * 4);
    expect(m.features).toBe(7 * 7 * 8);
    let out = '';
    m.printStructure((s) => (out = s));
    expect(out).toContain('9×9×4');
    expect(out).toContain('7×7×8');
    expect(out.split('\n')).toHaveLength(5);
  });

  it('rejects a layer that does not fit its input, naming it', () => {
    const m = new SpikingModel({ input: [28, 28, 1] }).add(new ConvLayer(16, [5, 5], 10));
    expect(m.output).toEqual([3, 3, 16]);
    expect(() => m.add(new ConvLayer(4, [5, 5], 1))).toThrow('layer 2 (5×5, stride 1) does not fit its 3×3×16 input');
    expect(() => new ConvLayer(0, [3, 3])).toThrow(ModelError);
    expect(() => new SpikingModel({ input: [28, 28, 1] }).add(new Classifier())).toThrow(/at least one ConvLayer/);
  });
});

describe('model configuration', () => {
  it('resolves presets and overrides', () => {
    const r = recipeFromConfig({ preset: 'seed', data: { seed: 9 } });
    expect(r.layers[0]!.kernels).toBe(4);
    expect(r.data.digits).toEqual([0, 1, 7, 8]);
    expect(r.data.seed).toBe(9);
    for (const p of Object.values(PRESETS)) expect(() => modelFromRecipe(p)).not.toThrow();
  });

  it('names unknown keys', () => {
    expect(() => recipeFromConfig({ layers: [{ kernels: 4, shape: [3, 3], strid: 2 }] })).toThrow(/model\.layers\.0: unknown key "strid"/);
    expect(() => recipeFromConfig({ classifer: {} })).toThrow(ConfigError);
    expect(() => recipeFromConfig({ preset: 'nope' })).toThrow(/unknown preset "nope"/);
  });

  it('rejects layers that do not fit, with the layer named', () => {
    expect(() => recipeFromConfig({ layers: [{ kernels: 16, shape: [5, 5], stride: 10 }, { kernels: 4, shape: [5, 5] }] })).toThrow(
      /layer 2 \(5×5, stride 1\) does not fit its 3×3×16 input/,
    );
  });
});
