/**
 * Spike trains as a SpikeSourceArray takes them: one sorted list of integer
 * spike times (ms, relative to the start of a presentation slot) per source
 * neuron. A neuron emits at most one spike per millisecond tick.
 */
export type SpikeTrains = number[][];

/** A dense feature map, row-major with the channel fastest: index = (y*width + x)*channels + c. */
export interface Tensor {
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
}

export function tensorIndex(t: { width: number; channels: number }, y: number, x: number, c: number): number {
  return (y * t.width + x) * t.channels + c;
}

/** Sort and drop duplicate times (one spike per tick per neuron). */
export function normaliseTrain(times: number[]): number[] {
  const s = times.slice().sort((a, b) => a - b);
  return s.filter((t, i) => i === 0 || t !== s[i - 1]);
}

export function countSpikes(trains: SpikeTrains): number {
  let n = 0;
  for (const t of trains) n += t.length;
  return n;
}
