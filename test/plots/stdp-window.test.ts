import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plotStdpWindow, stdpWindowSpec } from '../../src/plots/figures.js';

describe('STDP window plot', () => {
  it('one point per Δt, both zero axes, axis titles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plots-stdp-'));
    const points = [-20, -10, -1, 1, 10, 20].map((dt) => ({ dt, dw: dt < 0 ? -0.1 * Math.exp(dt / 20) : 0.1 * Math.exp(-dt / 20) }));
    const svg = readFileSync(await plotStdpWindow(join(dir, 'w.svg'), points), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const marks = (kind: string) => (svg.match(new RegExp(`aria-roledescription="${kind}"`, 'g')) ?? []).length;
    expect(marks('point')).toBe(points.length);
    expect(marks('line mark')).toBe(1);
    expect(marks('rule mark')).toBe(2);
    expect(svg).toContain('Δt = t_post − t_pre (ms)');
    expect(svg).toContain('Δw (nA)');
    expect(readdirSync(dir)).toEqual(['w.svg']);
  });

  it('the spec carries the data unchanged', () => {
    const points = [{ dt: -3, dw: -0.0078125 }, { dt: 4, dw: 0.005859375 }];
    const spec = stdpWindowSpec(points, 't', 'Δ raw') as { layer: Array<{ data: { values: unknown } }> };
    expect(spec.layer[2]!.data.values).toEqual(points);
  });
});
