/**
 * Per-neuron post-synaptic spike history (`post_events.h`): a permanent
 * placeholder at index 0 (time 0, trace 0) and up to 15 real events; when
 * full, the oldest real event (index 1) is dropped.
 */
export const MAX_POST_SYNAPTIC_EVENTS = 16;

export class PostHistory {
  /** count_minus_one per neuron. */
  readonly countMinusOne: Uint32Array;
  /** times[neuron * 16 + i]. */
  readonly times: Uint32Array;
  /** traces[neuron * 16 + i] (int16). */
  readonly traces: Int16Array;

  constructor(readonly nNeurons: number) {
    this.countMinusOne = new Uint32Array(nNeurons);
    this.times = new Uint32Array(nNeurons * MAX_POST_SYNAPTIC_EVENTS);
    this.traces = new Int16Array(nNeurons * MAX_POST_SYNAPTIC_EVENTS);
  }

  /** `post_events_add`. */
  add(neuron: number, time: number, trace: number): void {
    const base = neuron * MAX_POST_SYNAPTIC_EVENTS;
    const cm1 = this.countMinusOne[neuron]!;
    if (cm1 < MAX_POST_SYNAPTIC_EVENTS - 1) {
      const i = cm1 + 1;
      this.countMinusOne[neuron] = i;
      this.times[base + i] = time;
      this.traces[base + i] = trace;
    } else {
      this.times.copyWithin(base + 1, base + 2, base + MAX_POST_SYNAPTIC_EVENTS);
      this.traces.copyWithin(base + 1, base + 2, base + MAX_POST_SYNAPTIC_EVENTS);
      this.times[base + MAX_POST_SYNAPTIC_EVENTS - 1] = time;
      this.traces[base + MAX_POST_SYNAPTIC_EVENTS - 1] = trace;
    }
  }

  /** The events of one neuron, placeholder included (for inspection and tests). */
  events(neuron: number): { countMinusOne: number; times: number[]; traces: number[] } {
    const base = neuron * MAX_POST_SYNAPTIC_EVENTS;
    const cm1 = this.countMinusOne[neuron]!;
    return {
      countMinusOne: cm1,
      times: Array.from(this.times.subarray(base, base + cm1 + 1)),
      traces: Array.from(this.traces.subarray(base, base + cm1 + 1)),
    };
  }
}
