import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cutWindow, neuronIndex, scheduleWindows, splitSlots, windowCount, windowOrigins, type Shape3 } from '../../src/convnet/windowing.js';

describe('windowing', () => {
  it('counts every stride window (81 for 28×28, 4×4, stride 3; the seed had 49)', () => {
    expect(windowCount({ input: [28, 28, 1], shape: [4, 4], stride: 3 })).toBe(81);
    expect(windowOrigins({ input: [28, 28, 1], shape: [4, 4], stride: 3 })).toHaveLength(81);
    expect(windowCount({ input: [9, 9, 4], shape: [3, 3], stride: 1 })).toBe(49);
  });

  it('cuts windows with the depth offset: every map of the layer below is present', () => {
    const shape: Shape3 = [5, 5, 3];
    // neuron n spikes once at time n % 50, so each source can be identified
    const trains = Array.from({ length: 75 }, (_, n) => [n]);
    const w = cutWindow(trains, { input: shape, shape: [2, 2], stride: 2 }, 1, 1);
    expect(w).toHaveLength(12);
    // (dy, dx, c) = (1, 0, 2) ↔ input (3, 2, 2)
    expect(w[(1 * 2 + 0) * 3 + 2]).toEqual([neuronIndex(shape, 3, 2, 2)]);
    expect(new Set(w.map((t) => t[0]! % 3))).toEqual(new Set([0, 1, 2]));
  });

  it('schedules one window per slot and splits back losslessly', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.array(fc.integer({ min: 0, max: 19 }), { maxLength: 3 }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (wins) => {
        const sorted = wins.map((w) => w.map((t) => [...new Set(t)].sort((a, b) => a - b)));
        const all = scheduleWindows(sorted, 20);
        expect(splitSlots(all, 20, sorted.length)).toEqual(sorted);
      }),
    );
    expect(() => scheduleWindows([[[25]]], 20)).toThrow(/does not fit a 20 ms slot/);
  });
});
