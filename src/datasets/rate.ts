import type { Rng } from './random.js';
import { normaliseTrain, type SpikeTrains } from './spikes.js';

/**
 * The original SpikingConvNet's rate code, reproduced with a seeded generator.
 * Inputs are 0..255 intensities. Spikes fall in [0, activeMs] of each slot.
 *  - pixel >= threshold: interval t_d = floor(255/I * fireFactor); if t_d >= activeMs a
 *    single spike at randint(0, activeMs); else spikes at offset + i*t_d (i < 10, < activeMs)
 *    with offset = randint(0, t_d).
 *  - pixel < threshold: one noise spike at randint(0, activeMs).
 * fireFactor is 10 for a whole image, and min(20, floor(6*sum/2500)) for a window.
 * Difference from the original: when t_d = 0 the original emits ten spikes in the
 * same millisecond; a spike source can only emit one per tick, so we keep one.
 */
export interface RateCodeOptions {
  threshold: number;
  activeMs: number;
}

export const SEED_RATE_CODE: RateCodeOptions = { threshold: 80, activeMs: 50 };

export function rateFireFactorForWindow(window: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < window.length; i++) sum += window[i]!;
  return Math.min(20, Math.floor((6 * sum) / 2500));
}

export function rateSpikeTimes(intensity: number, fireFactor: number, rng: Rng, opts: RateCodeOptions = SEED_RATE_CODE): number[] {
  const { threshold, activeMs } = opts;
  if (intensity < threshold) return [rng.randint(0, activeMs)];
  const td = Math.floor((255 / intensity) * fireFactor);
  if (td >= activeMs) return [rng.randint(0, activeMs)];
  const offset = rng.randint(0, td);
  const out: number[] = [];
  for (let i = 0; i < 10; i++) {
    const z = i * td + offset;
    if (z >= activeMs) break;
    out.push(z);
  }
  return normaliseTrain(out);
}

/** Rate-code a whole image or a window. `window: true` uses the window fire factor. */
export function rateEncode(pixels: ArrayLike<number>, rng: Rng, window: boolean, opts: RateCodeOptions = SEED_RATE_CODE): SpikeTrains {
  const ff = window ? rateFireFactorForWindow(pixels) : 10;
  const out: SpikeTrains = [];
  for (let i = 0; i < pixels.length; i++) out.push(rateSpikeTimes(pixels[i]!, ff, rng, opts));
  return out;
}
