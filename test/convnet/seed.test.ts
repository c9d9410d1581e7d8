import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recipeFromConfig } from '../../src/convnet/config.js';
import { HostFloatBackend } from '../../src/convnet/prototype/backend.js';
import { windowPixels } from '../../src/convnet/windowing.js';
import { ModelDir, loaddata, trainLayer } from '../../src/convnet/workflow/index.js';
import { rateFireFactorForWindow } from '../../src/datasets/rate.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'spinn-seed-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the seed network', () => {
  it('cuts window pixels with the stride', () => {
    const px = Uint8Array.from({ length: 28 * 28 }, (_, i) => i % 251);
    const w = windowPixels(px, 28, { input: [28, 28, 1], shape: [4, 4], stride: 3 }, 2, 1);
    expect(w[0]).toBe(px[6 * 28 + 3]);
    expect(w[15]).toBe(px[9 * 28 + 6]);
    expect(rateFireFactorForWindow(w)).toBe(Math.min(20, Math.floor((6 * w.reduce((a, b) => a + b, 0)) / 2500)));
  });

  it('fires and learns during training with its own parameters (per-window rate code, v_thresh −5 mV)', async () => {
    const recipe = recipeFromConfig({ preset: 'seed', data: { train: 40, test: 8 } });
    const ctx = { dir: new ModelDir(join(root, 'seed')), backend: new HostFloatBackend(), boardLabel: 'host', recipe };
    loaddata(ctx, recipe);
    const s = await trainLayer(ctx, 1);
    expect(s.windows).toBe(324);
    // The whole-image code (fire factor 10) gave 0 post spikes here; the 2060 ms refractory period caps each kernel at ~16.
    expect(s.postSpikes.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const p of s.postSpikes) expect(p).toBeLessThanOrEqual(Math.ceil((324 * 100) / 2060));
    expect(Math.abs(s.meanWeight - 0.3)).toBeGreaterThan(0.001);
  });
});
