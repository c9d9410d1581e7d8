import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plotConfusion, plotKernels, plotPerClass, plotRaster, plotVoltages } from '../../src/plots/figures.js';

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

describe('plots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plots-'));

  it('kernels: one cell per weight (K × kh × kw × depth rects)', async () => {
    const K = 3;
    const w = Float32Array.from({ length: K * 4 * 4 * 2 }, (_, i) => (i % 7) / 7);
    const p = await plotKernels(join(dir, 'kernels.svg'), w, K, [4, 4], 2);
    const svg = readFileSync(p, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // every heatmap cell is one graphics-symbol (plus a few for the legend)
    const cells = count(svg, /role="graphics-symbol"/g);
    expect(cells).toBeGreaterThanOrEqual(K * 4 * 4 * 2);
    expect(cells).toBeLessThan(K * 4 * 4 * 2 + 16);
  });

  it('confusion matrix: n² cells with their counts as text', async () => {
    const conf = [[5, 1, 0], [0, 7, 2], [1, 0, 9]];
    const svg = readFileSync(await plotConfusion(join(dir, 'confusion.svg'), conf, [0, 1, 7]), 'utf8');
    expect(count(svg, /role="graphics-symbol"/g)).toBeGreaterThanOrEqual(9 + 9);
    expect(svg).toContain('>9<');
    expect(svg).toContain('>7<');
  });

  it('raster, voltages and per-class accuracy render', async () => {
    const r = readFileSync(await plotRaster(join(dir, 'raster.svg'), [[1, 5], [], [3]]), 'utf8');
    expect(count(r, /role="graphics-symbol"/g)).toBeGreaterThanOrEqual(3);
    const v = readFileSync(await plotVoltages(join(dir, 'v.svg'), [{ label: 'n0', v: [-65, -60, -55, -65] }], -50), 'utf8');
    expect(v).toContain('V (mV)');
    const a = readFileSync(await plotPerClass(join(dir, 'acc.svg'), [0.9, 0.95, 1], [0, 1, 7]), 'utf8');
    expect(count(a, /role="graphics-symbol"/g)).toBeGreaterThanOrEqual(3);
    // atomic writes leave no temporary files behind
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
