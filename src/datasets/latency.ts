import type { SpikeTrains } from './spikes.js';

/**
 * Latency (time-to-first-spike) code: each input in [0, 1] above `threshold`
 * spikes once, the stronger the earlier: t = round((1 - x) * (windowMs - 1)).
 * Inputs at or below threshold stay silent, unless `lateSpikeAt` is set: then
 * they spike once at that time. Pair-rule STDP only depresses a synapse when
 * its input spikes after the neuron fired, so a late spike from silent inputs
 * is what lets them be depressed (Kheradpisheh's rule depresses them too).
 */
export interface LatencyOptions {
  windowMs: number;
  threshold: number;
  lateSpikeAt?: number | undefined;
}

export const DEFAULT_LATENCY: LatencyOptions = { windowMs: 8, threshold: 0 };

export function latencyTime(x: number, opts: LatencyOptions): number | undefined {
  if (x > opts.threshold) {
    const v = Math.min(1, x);
    return Math.round((1 - v) * (opts.windowMs - 1));
  }
  return opts.lateSpikeAt;
}

export function latencyEncode(values: ArrayLike<number>, opts: LatencyOptions = DEFAULT_LATENCY): SpikeTrains {
  const out: SpikeTrains = [];
  for (let i = 0; i < values.length; i++) {
    const t = latencyTime(values[i]!, opts);
    out.push(t === undefined || t === null ? [] : [t]);
  }
  return out;
}
