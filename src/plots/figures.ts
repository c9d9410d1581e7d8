import type { TopLevelSpec } from 'vega-lite';
import type { SpikeTrains } from '../datasets/spikes.js';
import { writeSvg } from './render.js';

/**
 * The figures of the SpikingConvNet workflow, as Vega-Lite specs rendered to
 * SVG. Each `*Spec` function is pure (data → spec); each `plot*` writes a file
 * atomically and returns its path.
 */

/**
 * Learned kernels as heatmaps, one panel per (kernel, input map).
 * weights: K × (kh*kw*C), [k][(dy*kw + dx)*C + c].
 */
export function kernelsSpec(weights: Float32Array, K: number, shape: [number, number], depth: number, title = 'Learned kernels'): TopLevelSpec {
  const [kh, kw] = shape;
  const values: Array<{ kernel: string; map: string; x: number; y: number; w: number }> = [];
  const n = kh * kw * depth;
  for (let k = 0; k < K; k++) {
    for (let dy = 0; dy < kh; dy++) {
      for (let dx = 0; dx < kw; dx++) {
        for (let c = 0; c < depth; c++) {
          values.push({ kernel: `k${k}`, map: `map ${c}`, x: dx, y: dy, w: weights[k * n + (dy * kw + dx) * depth + c]! });
        }
      }
    }
  }
  const cell = 8;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    facet: { column: { field: 'kernel', type: 'ordinal', sort: null, title: null }, row: { field: 'map', type: 'ordinal', title: null } },
    spec: {
      width: kw * cell,
      height: kh * cell,
      mark: 'rect',
      encoding: {
        x: { field: 'x', type: 'ordinal', axis: null },
        y: { field: 'y', type: 'ordinal', axis: null },
        color: { field: 'w', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'weight' },
      },
    },
    config: { view: { stroke: null } },
  };
}

/** Spike raster: one dot per spike, neuron index against time. */
export function rasterSpec(trains: SpikeTrains, title = 'Spikes'): TopLevelSpec {
  const values: Array<{ t: number; n: number }> = [];
  trains.forEach((times, n) => {
    for (const t of times) values.push({ t, n });
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 600,
    height: 300,
    data: { values },
    mark: { type: 'tick', orient: 'vertical', thickness: 1 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time (ms)' },
      y: { field: 'n', type: 'quantitative', title: 'neuron', scale: { domain: [0, Math.max(1, trains.length - 1)] } },
    },
  };
}

/** Membrane voltages (one line per trace, mV per ms tick); optional threshold line. */
export function voltageSpec(traces: Array<{ label: string; v: ArrayLike<number> }>, threshold?: number, title = 'Membrane voltage'): TopLevelSpec {
  const values: Array<{ t: number; v: number; neuron: string }> = [];
  for (const tr of traces) for (let t = 0; t < tr.v.length; t++) values.push({ t, v: tr.v[t]!, neuron: tr.label });
  const line = {
    mark: { type: 'line' as const, strokeWidth: 1 },
    encoding: {
      x: { field: 't', type: 'quantitative' as const, title: 'time (ms)' },
      y: { field: 'v', type: 'quantitative' as const, title: 'V (mV)', scale: { zero: false } },
      color: { field: 'neuron', type: 'nominal' as const },
    },
  };
  const layers: unknown[] = [line];
  if (threshold !== undefined) {
    layers.push({ data: { values: [{ th: threshold }] }, mark: { type: 'rule', strokeDash: [4, 4], color: 'grey' }, encoding: { y: { field: 'th', type: 'quantitative' } } });
  }
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: 600, height: 250, data: { values }, layer: layers } as TopLevelSpec;
}

/** Confusion matrix: confusion[true][predicted] with counts printed in the cells. */
export function confusionSpec(confusion: number[][], classes: number[], title = 'Confusion matrix'): TopLevelSpec {
  const values: Array<{ truth: string; predicted: string; n: number }> = [];
  confusion.forEach((row, i) => row.forEach((n, j) => values.push({ truth: String(classes[i]), predicted: String(classes[j]), n })));
  const order = classes.map(String);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 30 * classes.length,
    height: 30 * classes.length,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted' },
      y: { field: 'truth', type: 'ordinal', sort: order, title: 'true' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'n', type: 'quantitative', scale: { scheme: 'blues' }, title: 'images' } } },
      { mark: { type: 'text', fontSize: 9 }, encoding: { text: { field: 'n', type: 'quantitative' } } },
    ],
  };
}

/** Accuracy per class as bars. */
export function perClassSpec(perClass: number[], classes: number[], title = 'Accuracy per class'): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 30 * classes.length,
    height: 200,
    data: { values: perClass.map((a, i) => ({ digit: String(classes[i]), accuracy: a })) },
    mark: 'bar',
    encoding: {
      x: { field: 'digit', type: 'ordinal', sort: classes.map(String) },
      y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%' } },
    },
  };
}

/**
 * An STDP window: weight change against Δt = t_post − t_pre (ms), one point
 * per measured pair, joined by a line, with the zero axes drawn.
 */
export function stdpWindowSpec(points: Array<{ dt: number; dw: number }>, title = 'STDP window', yTitle = 'Δw (nA)'): TopLevelSpec {
  const x = { field: 'dt', type: 'quantitative' as const, title: 'Δt = t_post − t_pre (ms)' };
  const y = { field: 'dw', type: 'quantitative' as const, title: yTitle };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 500,
    height: 300,
    layer: [
      { data: { values: [{ z: 0 }] }, mark: { type: 'rule', color: 'grey' }, encoding: { y: { field: 'z', type: 'quantitative' } } },
      { data: { values: [{ z: 0 }] }, mark: { type: 'rule', color: 'grey', strokeDash: [4, 4] }, encoding: { x: { field: 'z', type: 'quantitative' } } },
      { data: { values: points }, mark: { type: 'line', strokeWidth: 1, color: 'steelblue' }, encoding: { x, y } },
      { data: { values: points }, mark: { type: 'point', filled: true, size: 16, color: 'steelblue' }, encoding: { x, y } },
    ],
  } as TopLevelSpec;
}

export const plotKernels = (path: string, ...a: Parameters<typeof kernelsSpec>) => writeSvg(path, kernelsSpec(...a));
export const plotRaster = (path: string, ...a: Parameters<typeof rasterSpec>) => writeSvg(path, rasterSpec(...a));
export const plotVoltages = (path: string, ...a: Parameters<typeof voltageSpec>) => writeSvg(path, voltageSpec(...a));
export const plotConfusion = (path: string, ...a: Parameters<typeof confusionSpec>) => writeSvg(path, confusionSpec(...a));
export const plotPerClass = (path: string, ...a: Parameters<typeof perClassSpec>) => writeSvg(path, perClassSpec(...a));
export const plotStdpWindow = (path: string, ...a: Parameters<typeof stdpWindowSpec>) => writeSvg(path, stdpWindowSpec(...a));
