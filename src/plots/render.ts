import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../datasets/atomic.js';

/** Render a Vega-Lite spec to an SVG string, headlessly (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Render and write atomically; returns the path. */
export async function writeSvg(path: string, spec: TopLevelSpec): Promise<string> {
  writeFileAtomic(path, await renderSvg(spec));
  return path;
}
