/**
 * BoardBackend on the embedded emulator (real UDP on loopback), checked
 * against the host float reference of the same contract.
 */
import { describe, expect, it } from 'vitest';
import { BoardBackend, fromMapMajor, toMapMajor } from '../../src/convnet/board-backend.js';
import { HostFloatBackend } from '../../src/convnet/prototype/backend.js';
import { BoardPool } from '../../src/convnet/board/pool.js';
import { encodeImage, encodedShape } from '../../src/convnet/encode.js';
import { DEFAULT_RECIPE } from '../../src/convnet/presets.js';
import { cutWindow, scheduleWindows, windowOrigins, type Shape3 } from '../../src/convnet/windowing.js';
import { splitMnist } from '../../src/datasets/mnist.js';
import { Rng } from '../../src/datasets/random.js';
import type { SpikeTrains } from '../../src/datasets/spikes.js';

const recipe = DEFAULT_RECIPE;
const L = recipe.layers[0]!;
const shape = encodedShape(recipe.encoder, { width: 28, height: 28 });
const split = splitMnist({ digits: [0, 1], train: 20, test: 10, seed: 1 });

function trainingWindows(n: number, rng: Rng): SpikeTrains[] {
  const g = { input: shape, shape: L.shape, stride: L.stride };
  const origins = windowOrigins(g);
  const out: SpikeTrains[] = [];
  while (out.length < n) {
    const tr = encodeImage(split.train.images[rng.int(split.train.images.length)]!, recipe.encoder, rng, true);
    const [oy, ox] = origins[rng.int(origins.length)]!;
    const w = cutWindow(tr, g, oy, ox);
    if (w.filter((t) => t.length > 0 && t[0]! < 8).length >= 8) out.push(w);
  }
  return out;
}

/** Spikes of b matched one-to-one by a spike of a within ±1 ms, over all spikes of a. */
function matchedWithin1(a: SpikeTrains, b: SpikeTrains): number {
  let matched = 0;
  let total = 0;
  a.forEach((ta, i) => {
    const tb = [...(b[i] ?? [])];
    total += Math.max(ta.length, tb.length);
    for (const t of ta) {
      const j = tb.findIndex((u) => Math.abs(u - t) <= 1);
      if (j >= 0) {
        matched++;
        tb.splice(j, 1);
      }
    }
  });
  return total ? matched / total : 1;
}

describe('BoardBackend', () => {
  it('map-major numbering round-trips', () => {
    const s: Shape3 = [3, 4, 2];
    const trains = Array.from({ length: 24 }, (_, i) => [i]);
    const mm = toMapMajor(trains, s);
    expect(mm[(1 * 3 + 2) * 4 + 3]).toEqual([(2 * 4 + 3) * 2 + 1]);
    expect(fromMapMajor(mm, s)).toEqual(trains);
  });

  it('trainLayer: STDP weights read back quantised, close to the float reference; spikes and V recorded', async () => {
    const rng = new Rng(3);
    const wins = trainingWindows(8, rng);
    const K = 4;
    const init = new Float32Array(K * 50).map(() => Math.min(1, Math.max(0, rng.normal(0.6, 0.1))));
    const run = {
      source: scheduleWindows(wins, recipe.slotMs),
      neurons: { n: K, params: { ...L.train.neuron, tau_refrac: 60 } },
      plastic: { stdp: L.train.stdp, initialWeights: init },
      inhibition: L.train.inhibition,
      gate: { spikes: wins.map((_, s) => s * recipe.slotMs + 10), weight: 30 },
      durationMs: wins.length * recipe.slotMs,
      record: { spikes: true, voltageOf: [0, 3] },
    };
    const progress: number[] = [];
    const board = await new BoardBackend({ board: 'emulator', chunkMs: 90 }).trainLayer(run, (d) => progress.push(d));
    const host = await new HostFloatBackend().trainLayer({ ...run, plastic: { ...run.plastic, initialWeights: Float32Array.from(init) } });
    expect(progress).toEqual([0, 90, 180, 240]);
    expect(board.weights).toHaveLength(K * 50);
    // Board weights are 16-bit integers over a power-of-two scale.
    for (const w of board.weights) expect(Number.isInteger(w * 65536)).toBe(true);
    let changed = 0;
    let sum = 0;
    let max = 0;
    board.weights.forEach((w, i) => {
      if (Math.abs(w - init[i]!) > 1e-3) changed++;
      const d = Math.abs(w - host.weights[i]!);
      sum += d;
      max = Math.max(max, d);
    });
    expect(changed).toBeGreaterThan(50);
    expect(sum / board.weights.length).toBeLessThan(0.01);
    expect(max).toBeLessThan(0.06);
    const spikes = board.spikes!.flat().length;
    expect(spikes).toBeGreaterThan(4);
    expect(matchedWithin1(board.spikes!, host.spikes!)).toBeGreaterThan(0.7);
    expect(board.voltages).toHaveLength(2);
    expect(board.voltages![0]).toHaveLength(run.durationMs);
    expect(board.voltages![0]![0]).toBe(L.train.neuron.v_rest);
  }, 120000);

  it('trainLayer with multiplicative weight dependence: a potentiated weight steps by A+·(w_max − w), so no weight is pushed past the bounds and none ends on them', async () => {
    const rng = new Rng(3);
    const wins = trainingWindows(8, rng);
    const K = 4;
    const init = new Float32Array(K * 50).fill(0.5);
    const run = {
      source: scheduleWindows(wins, recipe.slotMs),
      neurons: { n: K, params: { ...L.train.neuron, tau_refrac: 60 } },
      plastic: { stdp: { ...L.train.stdp, A_plus: 0.5, A_minus: 0.5 }, initialWeights: init },
      inhibition: L.train.inhibition,
      durationMs: wins.length * recipe.slotMs,
    };
    const backend = new BoardBackend({ board: 'emulator' });
    const add = await backend.trainLayer({ ...run, plastic: { ...run.plastic, weightDependence: 'additive' } });
    const mul = await backend.trainLayer({ ...run, plastic: { ...run.plastic, weightDependence: 'multiplicative' } });
    // Additive steps of 0.5 from 0.5 land on the bounds; multiplicative steps halve the distance to them.
    const onBound = (w: Float32Array) => w.filter((v) => v <= 0 || v >= 1).length;
    expect(onBound(add.weights)).toBeGreaterThan(20);
    expect(onBound(mul.weights)).toBe(0);
    expect(mul.weights.filter((v) => Math.abs(v - 0.5) > 0.05).length).toBeGreaterThan(20);
  }, 120000);

  it('runInference: two fixed conv layers give the float reference spike trains up to fixed-point rounding', async () => {
    const rng = new Rng(5);
    const K = 4;
    const w1 = new Float32Array(K * 50).map(() => (rng.next() < 0.3 ? 0 : 0.4 + rng.next()));
    const w2 = new Float32Array(3 * 3 * 3 * K).map(() => 0.5 + rng.next());
    const imgs = split.test.images.slice(0, 4).map((im) => encodeImage(im, recipe.encoder, rng, false));
    const run = {
      input: { shape, spikes: scheduleWindows(imgs, recipe.slotMs) },
      layers: [
        { input: shape, output: [24, 24, K] as Shape3, shape: L.shape, stride: 1, weights: w1, params: L.infer.neuron, inhibition: 0 },
        { input: [24, 24, K] as Shape3, output: [11, 11, 3] as Shape3, shape: [3, 3] as [number, number], stride: 2, weights: w2, params: L.infer.neuron, inhibition: 2 },
      ],
      durationMs: imgs.length * recipe.slotMs,
      recordLayers: [0, 1],
      recordVoltage: { layer: 0, neurons: [0, 100, 1000] },
    };
    const board = await new BoardBackend({ board: 'emulator' }).runInference(run);
    const host = await new HostFloatBackend().runInference(run);
    for (const li of [0, 1]) {
      const b = board.spikes[li]!;
      const h = host.spikes[li]!;
      expect(b).toHaveLength(h.length);
      const nb = b.flat().length;
      expect(nb).toBeGreaterThan(100);
      expect(Math.abs(nb - h.flat().length)).toBeLessThanOrEqual(0.02 * nb);
      const identical = b.filter((t, i) => t.join() === h[i]!.join()).length;
      expect(identical / b.length).toBeGreaterThan(0.95);
    }
    expect(board.voltages!.map((v) => v.length)).toEqual([120, 120, 120]);
  }, 120000);

  it("an image's spikes do not depend on the image before it with the default image slot; with the 30 ms training slot they do", async () => {
    const rng = new Rng(11);
    const K = 4;
    const w1 = new Float32Array(K * 50).map(() => (rng.next() < 0.3 ? 0 : 0.4 + 0.8 * rng.next()));
    const layers = [{ input: shape, output: [24, 24, K] as Shape3, shape: L.shape, stride: 1, weights: w1, params: L.infer.neuron, inhibition: 0 }];
    const enc = (i: number) => encodeImage(split.test.images[i]!, recipe.encoder, rng, false);
    const [a, b, x] = [enc(0), enc(1), enc(2)];
    const be = new BoardBackend({ board: 'emulator' });
    // Spike counts of image x (second slot) after image a, and after image b.
    const second = async (before: SpikeTrains, slot: number) => {
      const res = await be.runInference({ input: { shape, spikes: scheduleWindows([before, x], slot) }, layers, durationMs: 2 * slot, recordLayers: [0] });
      return res.spikes[0]!.map((t) => t.filter((u) => u >= slot).length);
    };
    const changed = async (slot: number) => {
      const [afterA, afterB] = [await second(a, slot), await second(b, slot)];
      return { changed: afterA.filter((c, i) => c !== afterB[i]).length, spiking: afterA.filter((c) => c > 0).length };
    };
    const long = await changed(recipe.imageSlotMs);
    const short = await changed(recipe.slotMs);
    expect(recipe.imageSlotMs).toBeGreaterThan(recipe.slotMs);
    expect(long.spiking).toBeGreaterThan(50);
    expect(short.changed).toBeGreaterThan(50);
    expect(long.changed).toBeLessThan(short.changed / 5);
  }, 120000);

  it('BoardPool: calls in flight at once on boards in worker threads give what one BoardBackend gives', async () => {
    const rng = new Rng(9);
    const K = 3;
    const w1 = new Float32Array(K * 50).map(() => (rng.next() < 0.3 ? 0 : 0.4 + rng.next()));
    const layers = [{ input: shape, output: [24, 24, K] as Shape3, shape: L.shape, stride: 1, weights: w1, params: L.infer.neuron, inhibition: 0 }];
    const runs = [0, 2].map((i) => ({
      input: { shape, spikes: scheduleWindows(split.test.images.slice(i, i + 2).map((im) => encodeImage(im, recipe.encoder, rng, false)), recipe.slotMs) },
      layers, durationMs: 2 * recipe.slotMs, recordLayers: [0],
    }));
    const pool = new BoardPool({ board: 'emulator', workers: 2 });
    try {
      const progress: number[][] = [[], []];
      const both = await Promise.all(runs.map((r, i) => pool.runInference(r, (d) => progress[i]!.push(d))));
      const one = new BoardBackend({ board: 'emulator' });
      for (let i = 0; i < 2; i++) {
        expect(both[i]!.spikes).toEqual((await one.runInference(runs[i]!)).spikes);
        expect(both[i]!.spikes[0]!.flat().length).toBeGreaterThan(0);
        expect(progress[i]!.at(-1)).toBe(60);
      }
      await expect(pool.runInference({ ...runs[0]!, durationMs: 0 })).rejects.toThrow(/durationMs must be a positive whole number/);
    } finally {
      await pool.close();
    }
  }, 120000);

  it('refuses a run whose input spikes would not fit the send buffers, before touching the board', async () => {
    const be = new BoardBackend({ board: 'emulator', maxSourceSpikes: 10 });
    const run = { input: { shape: [2, 2, 1] as Shape3, spikes: [[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]] }, layers: [], durationMs: 10, recordLayers: [] };
    await expect(be.runInference(run)).rejects.toThrow(/12 input spikes in one run exceed the 10/);
  });
});
