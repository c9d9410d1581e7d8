/**
 * The Brian2 comparison harness (tools/bench/brian2/): the workload it
 * generates, the agreement of its two emulator paths, and that Brian2 is fed
 * the same events. No timings are asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brianPython, runBrian } from '../../tools/bench/brian2/brian.js';
import { runEmulator } from '../../tools/bench/brian2/emulator-runner.js';
import { meanPlasticWeight, runKernels, setupKernels } from '../../tools/bench/brian2/kernel-runner.js';
import { type WorkloadSpec, makeWorkload, writeWorkloadJson } from '../../tools/bench/brian2/workload.js';

const base: WorkloadSpec = {
  name: 'test', nPre: 200, nPost: 300, p: 0.1, rateHz: 20, durationMs: 300, wLo: 0.1, wHi: 0.5, delayMs: 1, seed: 5,
};
const stdp = { tau_plus: 20, tau_minus: 20, A_plus: 0.02, A_minus: 0.012, w_min: 0, w_max: 0.5 };

describe('workload', () => {
  it('is deterministic for a seed and different for another', () => {
    const a = makeWorkload(base), b = makeWorkload(base), c = makeWorkload({ ...base, seed: 6 });
    expect(Array.from(a.src)).toEqual(Array.from(b.src));
    expect(Array.from(a.post)).toEqual(Array.from(b.post));
    expect(Array.from(a.src)).not.toEqual(Array.from(c.src));
  });

  it('has at most one spike per source per tick, and counts events as spikes × out-degree', () => {
    const w = makeWorkload(base);
    let events = 0;
    for (let t = 0; t < base.durationMs; t++) {
      const seen = new Set<number>();
      for (let k = w.tickStart[t]!; k < w.tickStart[t + 1]!; k++) {
        expect(seen.has(w.src[k]!)).toBe(false);
        seen.add(w.src[k]!);
        events += w.pre.filter((p) => p === w.src[k]).length;
      }
    }
    expect(w.expectedEvents).toBe(events);
    // 60,000 candidate pairs at p = 0.1: 6000 ± a generous 6 sigma.
    expect(Math.abs(w.pre.length - 6000)).toBeLessThan(6 * Math.sqrt(6000 * 0.9));
    // 60,000 source-ticks at 20 Hz: 1200 spikes expected.
    expect(Math.abs(w.src.length - 1200)).toBeLessThan(6 * Math.sqrt(1200));
  });

  it('gives Brian2 the weights the board stores, within half a storage step of the requested ones', () => {
    const w = makeWorkload(base);
    const s = setupKernels(w);
    const step = 2 ** (s.shifts[0]! - 15);
    for (let k = 0; k < w.weight.length; k++) {
      expect(Math.abs(s.boardWeights[k]! - w.weight[k]!)).toBeLessThanOrEqual(step / 2);
      expect(Number.isInteger(s.boardWeights[k]! / step)).toBe(true);
    }
    const dir = mkdtempSync(join(tmpdir(), 'brian2-harness-'));
    try {
      writeWorkloadJson(join(dir, 'w.json'), w, s.boardWeights);
      const json = JSON.parse(readFileSync(join(dir, 'w.json'), 'utf8'));
      expect(json.syn_w_nA).toEqual(Array.from(s.boardWeights));
      expect(json.spike_indices.length).toBe(w.src.length);
      expect(json.dt_ms).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the full emulated path and the kernels', () => {
  for (const plastic of [false, true]) {
    it(`process the same events and fire the same spikes (${plastic ? 'pair STDP' : 'static'}, 2 neuron cores)`, async () => {
      const w = makeWorkload({ ...base, ...(plastic ? { stdp } : {}) });
      const setup = setupKernels(w);
      const k = runKernels(w, setup);
      const e = await runEmulator(w);
      expect(k.nCores).toBe(2);
      expect(e.neuronCores).toBe(2);
      expect(k.events).toBe(w.expectedEvents);
      expect(e.events).toBe(w.expectedEvents);
      expect(k.postSpikes).toBeGreaterThan(0);
      expect(e.postSpikes).toBe(k.postSpikes);
      expect(e.neuronUpdates).toBe(w.spec.nPost * (w.spec.durationMs - 1));
      if (plastic) {
        const kw = meanPlasticWeight(setup);
        expect(kw).not.toBe(w.weight.reduce((a, x) => a + x, 0) / w.weight.length);
        expect(e.meanWeight).toBeCloseTo(kw, 12);
      }
    });
  }
});

const hasBrian = spawnSync(brianPython(), ['-c', 'import brian2'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasBrian)('Brian2 side (numpy target, no compilation)', () => {
  it('runs the same workload and counts the same events and neuron updates', () => {
    const w = makeWorkload({ ...base, durationMs: 100, stdp });
    const s = setupKernels(w);
    const dir = mkdtempSync(join(tmpdir(), 'brian2-harness-'));
    try {
      writeWorkloadJson(join(dir, 'w.json'), w, s.boardWeights);
      const b = runBrian(join(dir, 'w.json'), 'numpy', 1);
      expect(b.target).toBe('numpy');
      expect(b.events).toBe(w.expectedEvents);
      expect(b.neuron_updates).toBe(w.spec.nPost * w.spec.durationMs);
      expect(b.post_spikes).toBeGreaterThan(0);
      expect(b.mean_weight_nA).toBeGreaterThan(0);
      expect(b.mean_weight_nA).toBeLessThanOrEqual(stdp.w_max);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
