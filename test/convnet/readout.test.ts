import { describe, expect, it } from 'vitest';
import { eventFeatures, readoutCells, readoutFeatureCount, readoutFeatures, transformFeatures } from '../../src/convnet/readout.js';
import type { Shape3 } from '../../src/convnet/windowing.js';

describe('readout features', () => {
  const shape: Shape3 = [6, 6, 2];
  it('overlapping windows: cells per coordinate and feature count', () => {
    expect(readoutCells(6, { pool: [1, 1], window: [4, 2] }, 0)).toEqual([[0], [0], [0, 1], [0, 1], [1], [1]]);
    expect(readoutFeatureCount(shape, { pool: [1, 1], window: [4, 2] })).toBe(2 * 2 * 2);
    expect(readoutFeatureCount([24, 24, 32], { pool: [4, 4], window: [6, 3] })).toBe(7 * 7 * 32);
    expect(() => readoutCells(6, { pool: [1, 1], window: [7, 1] }, 0)).toThrow(/does not fit/);
  });
  it('a spike counts in every window that covers it; grid cells are disjoint', () => {
    const n = (y: number, x: number, k: number) => (y * 6 + x) * 2 + k;
    const ev = Int32Array.from([n(2, 3, 1), 4, n(0, 0, 0), 5, n(0, 0, 0), 9]);
    const win = eventFeatures(ev, shape, { pool: [1, 1], window: [4, 2] });
    // (2,3) lies in windows rows {0,1} × cols {0,1}; map 1
    expect(Array.from(win)).toEqual([2, 1, 0, 1, 0, 1, 0, 1]);
    const grid = eventFeatures(ev, shape, { pool: [2, 2] });
    expect(Array.from(grid)).toEqual([2, 0, 0, 1, 0, 0, 0, 0]);
  });
  it('whole-run trains are cut per slot and match the per-image events', () => {
    const trains: number[][] = Array.from({ length: 72 }, () => []);
    trains[5]!.push(3, 33, 34); // slot 0 once, slot 1 twice
    trains[70]!.push(61); // slot 2 (ignored: only 2 images)
    const f = readoutFeatures(trains, shape, { pool: [3, 3] }, 30, 2);
    expect(f).toHaveLength(2);
    expect(Array.from(f[0]!)).toEqual(Array.from(eventFeatures(Int32Array.from([5, 3]), shape, { pool: [3, 3] })));
    expect(f[1]!.reduce((a, b) => a + b, 0)).toBe(2);
  });
  it('the sqrt transform takes the root of every pooled count; none leaves them', () => {
    const rows = () => [Float32Array.from([0, 1, 4, 9]), Float32Array.from([16, 2, 0, 25])];
    expect(transformFeatures(rows(), { transform: 'sqrt' }).map((r) => Array.from(r))).toEqual([[0, 1, 2, 3], [4, Math.fround(Math.SQRT2), 0, 5]]);
    expect(transformFeatures(rows(), { transform: 'none' }).map((r) => Array.from(r))).toEqual(rows().map((r) => Array.from(r)));
    expect(transformFeatures(rows(), {}).map((r) => Array.from(r))).toEqual(rows().map((r) => Array.from(r)));
  });
});
