import type { SpikeTrains } from '../datasets/spikes.js';

/** A feature-map shape: [height, width, depth]. */
export type Shape3 = [number, number, number];

/** Output side of a layer: (T - k) / stride + 1, rounded down. */
export function outSide(input: number, kernel: number, stride: number): number {
  return Math.floor((input - kernel) / stride) + 1;
}

export interface WindowGeometry {
  input: Shape3;
  shape: [number, number];
  stride: number;
}

/** Number of stride windows in one image: every output position (all H1×W1 of them). */
export function windowCount(g: WindowGeometry): number {
  return outSide(g.input[0], g.shape[0], g.stride) * outSide(g.input[1], g.shape[1], g.stride);
}

/** Window origins in presentation order: row by row, then column (offset_y, then offset_x). */
export function windowOrigins(g: WindowGeometry): Array<[number, number]> {
  const h = outSide(g.input[0], g.shape[0], g.stride);
  const w = outSide(g.input[1], g.shape[1], g.stride);
  const out: Array<[number, number]> = [];
  for (let oy = 0; oy < h; oy++) for (let ox = 0; ox < w; ox++) out.push([oy, ox]);
  return out;
}

/**
 * Flat index of input neuron (y, x, c) in a layer of shape [H, W, C]: the
 * channel (feature map) is fastest. Every window takes all C maps of the layer
 * below, so the depth offset c is part of every source index.
 */
export function neuronIndex(shape: Shape3, y: number, x: number, c: number): number {
  return (y * shape[1] + x) * shape[2] + c;
}

/** Index of an input inside a window: (dy, dx, c), channel fastest. Same order as kernel weights. */
export function windowInputIndex(shape: [number, number], depth: number, dy: number, dx: number, c: number): number {
  return (dy * shape[1] + dx) * depth + c;
}

/** The spike trains of one window (kh*kw*C sources) cut out of a whole layer's spike trains. */
export function cutWindow(trains: SpikeTrains, g: WindowGeometry, oy: number, ox: number): SpikeTrains {
  const [, , C] = g.input;
  const [kh, kw] = g.shape;
  const out: SpikeTrains = new Array(kh * kw * C);
  for (let dy = 0; dy < kh; dy++) {
    for (let dx = 0; dx < kw; dx++) {
      const y = oy * g.stride + dy;
      const x = ox * g.stride + dx;
      for (let c = 0; c < C; c++) {
        out[windowInputIndex(g.shape, C, dy, dx, c)] = trains[neuronIndex(g.input, y, x, c)] ?? [];
      }
    }
  }
  return out;
}

/**
 * Lay windows one after another, each in its own slot of `slotMs`: slot s holds
 * window s, its spike times shifted by s * slotMs. Times must lie in [0, slotMs).
 * Returns spike trains for a kh*kw*C SpikeSourceArray over windows.length slots.
 */
export function scheduleWindows(windows: SpikeTrains[], slotMs: number): SpikeTrains {
  const n = windows[0]?.length ?? 0;
  const out: SpikeTrains = Array.from({ length: n }, () => []);
  windows.forEach((w, s) => {
    if (w.length !== n) throw new RangeError(`window ${s} has ${w.length} sources, expected ${n}`);
    const base = s * slotMs;
    for (let i = 0; i < n; i++) {
      for (const t of w[i]!) {
        if (t < 0 || t >= slotMs) throw new RangeError(`spike at ${t} ms does not fit a ${slotMs} ms slot`);
        out[i]!.push(base + t);
      }
    }
  });
  return out;
}

/** Split spike trains recorded over consecutive slots back into per-slot trains (times relative to the slot). */
export function splitSlots(trains: SpikeTrains, slotMs: number, slots: number): SpikeTrains[] {
  const out: SpikeTrains[] = Array.from({ length: slots }, () => trains.map(() => [] as number[]));
  trains.forEach((train, i) => {
    for (const t of train) {
      const s = Math.floor(t / slotMs);
      if (s >= 0 && s < slots) out[s]![i]!.push(t - s * slotMs);
    }
  });
  return out;
}

/** The kh·kw pixels (row-major, one channel) of window (oy, ox) of a `width`-wide image. */
export function windowPixels(pixels: ArrayLike<number>, width: number, g: WindowGeometry, oy: number, ox: number): Uint8Array {
  const [kh, kw] = g.shape;
  const out = new Uint8Array(kh * kw);
  for (let dy = 0; dy < kh; dy++) for (let dx = 0; dx < kw; dx++) out[dy * kw + dx] = pixels[(oy * g.stride + dy) * width + ox * g.stride + dx]!;
  return out;
}
