import type { SpikeTrains } from '../../datasets/spikes.js';
import type { Shape3 } from '../windowing.js';

/**
 * Spike counts of a layer per image, summed on a gy×gx grid of equal cells per
 * map: gy·gx·K features, index (cy·gx + cx)·K + k. `trains` cover `images`
 * consecutive slots of `slotMs`; a spike belongs to the image of its slot.
 */
export function pooledFeatures(trains: SpikeTrains, shape: Shape3, pool: [number, number], slotMs: number, images: number): Float32Array[] {
  const [H, W, K] = shape;
  const [gy, gx] = pool;
  const out = Array.from({ length: images }, () => new Float32Array(gy * gx * K));
  trains.forEach((times, n) => {
    if (times.length === 0) return;
    const k = n % K;
    const x = Math.floor(n / K) % W;
    const y = Math.floor(n / K / W);
    const cy = Math.min(gy - 1, Math.floor((y * gy) / H));
    const cx = Math.min(gx - 1, Math.floor((x * gx) / W));
    const f = (cy * gx + cx) * K + k;
    for (const t of times) {
      const img = Math.floor(t / slotMs);
      if (img >= 0 && img < images) out[img]![f]! += 1;
    }
  });
  return out;
}

/** The spike trains of the chosen slots (times relative to their slot). */
export function slotTrains(trains: SpikeTrains, slotMs: number, slots: Iterable<number>): Map<number, SpikeTrains> {
  const out = new Map<number, SpikeTrains>();
  for (const s of slots) out.set(s, trains.map(() => []));
  trains.forEach((times, n) => {
    for (const t of times) {
      const s = Math.floor(t / slotMs);
      out.get(s)?.[n]!.push(t - s * slotMs);
    }
  });
  return out;
}
