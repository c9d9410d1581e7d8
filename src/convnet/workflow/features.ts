import type { SpikeTrains } from '../../datasets/spikes.js';

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
