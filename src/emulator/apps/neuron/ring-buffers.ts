/**
 * The neuron core's input ring buffers (`synapses.c`): one uint16 per
 * [delay slot][synapse type][neuron], neuron index fastest, with the
 * firmware's saturating accumulation and its masks.
 */
import { FirmwareError } from './errors.js';
import type { SynapseParams } from './synapse-params.js';

/** Maximum ring-buffer entries the firmware allocates in DTCM (MAX_RING_BUFFER_BITS = 14). */
export const MAX_RING_BUFFER_BITS = 14;

export class RingBuffers {
  readonly ring: Uint16Array;
  /** The same memory as `ring`, two entries per element (for fast zero scans). */
  readonly ring32: Uint32Array;
  readonly nSynapseTypes: number;
  readonly nNeuronsPeak: number;
  readonly indexBits: number;
  readonly indexMask: number;
  readonly typeBits: number;
  readonly typeMask: number;
  /** index bits + type bits: the shift of the delay field in a synaptic word. */
  readonly typeIndexBits: number;
  readonly typeIndexMask: number;
  readonly delayBits: number;
  readonly delayMask: number;
  readonly delayMaskShifted: number;
  readonly mask: number;
  /** Left shift per synapse type (ring value → s16.15 input). */
  readonly shifts: Uint32Array;
  /**
   * One flag per delay slot: set when anything was added to the slot since
   * it was last transferred. A clear slot holds only zeros, so the transfer
   * may skip it without changing any result.
   */
  readonly slotDirty: Uint8Array;

  /** `synapses_saturation_count`: static-synapse accumulations that hit 0xFFFF. */
  saturationCount = 0;
  /** `skipped_synapses`: synapses that arrived too late for their delay. */
  skippedSynapses = 0;
  /** `late_spikes` (the firmware adds colour_delay & 1 per row). */
  lateSpikes = 0;
  maxLateSpike = 0;
  /** `num_fixed_pre_synaptic_events`. */
  fixedPreSynapticEvents = 0;

  constructor(p: SynapseParams) {
    const bits = p.logNNeurons + p.logNSynapseTypes + p.logMaxDelay;
    if (bits > 24) throw new FirmwareError(`ring buffer of 2^${bits} entries cannot be allocated`, 'RTE_ENOMEM');
    this.nSynapseTypes = p.nSynapseTypes;
    this.indexBits = p.logNNeurons;
    this.indexMask = (1 << this.indexBits) - 1;
    this.typeBits = p.logNSynapseTypes;
    this.typeMask = (1 << this.typeBits) - 1;
    this.typeIndexBits = this.indexBits + this.typeBits;
    this.typeIndexMask = (1 << this.typeIndexBits) - 1;
    this.delayBits = p.logMaxDelay;
    this.delayMask = (1 << this.delayBits) - 1;
    this.delayMaskShifted = this.delayMask << this.typeIndexBits;
    this.nNeuronsPeak = 1 << this.indexBits;
    this.mask = (1 << bits) - 1;
    this.ring = new Uint16Array(Math.max(2, 1 << bits));
    this.ring32 = new Uint32Array(this.ring.buffer);
    this.shifts = Uint32Array.from(p.ringBufferShifts);
    if (this.shifts.length < this.nSynapseTypes) throw new FirmwareError(`need ${this.nSynapseTypes} ring-buffer shifts, got ${this.shifts.length}`);
    this.slotDirty = new Uint8Array(1 << this.delayBits);
  }

  /** Ring index of (time + delay already added, type, neuron). */
  index(time: number, type: number, neuron: number): number {
    return (((time & this.delayMask) << this.typeIndexBits) | (type << this.indexBits) | neuron) >>> 0;
  }

  /** First ring index of the slot `time` lands in (`synapse_row_get_first_ring_buffer_index`). */
  slotStart(time: number): number {
    return (time & this.delayMask) << this.typeIndexBits;
  }

  /**
   * Saturating accumulation of a uint16 weight at a ring index: if the sum
   * sets bit 16 the entry becomes 0xFFFF. Returns true when it saturated.
   * Callers count saturations in their own counter, as the firmware does.
   */
  accumulate(index: number, weight: number): boolean {
    const ring = this.ring;
    let acc = ring[index]! + weight;
    const sat = acc & 0x10000;
    this.slotDirty[index >>> this.typeIndexBits] = 1;
    if (sat !== 0) {
      acc = sat - 1;
      ring[index] = acc;
      return true;
    }
    ring[index] = acc;
    return false;
  }

  /** A static synapse's contribution (`process_fixed_synapses` for one word already indexed). */
  addStatic(index: number, weight: number): void {
    if (this.accumulate(index, weight)) this.saturationCount++;
  }

  /**
   * `process_fixed_synapses`: add every fixed (static) synaptic word of a row
   * into the ring buffers. `fixedBase` is the word index of `num_fixed`.
   */
  processFixedSynapses(words: Uint32Array, fixedBase: number, time: number, colourDelay: number): void {
    const nFixed = words[fixedBase]!;
    this.fixedPreSynapticEvents += nFixed;
    const delayMaskShifted = this.delayMaskShifted;
    const colourDelayShifted = colourDelay << this.typeIndexBits;
    const maskedTime = ((time - colourDelay) & this.delayMask) << this.typeIndexBits;
    const mask = this.mask;
    const ring = this.ring;
    const dirty = this.slotDirty;
    const slotShift = this.typeIndexBits;
    let p = fixedBase + 2;
    const end = p + nFixed;
    if (end > words.length) throw new FirmwareError(`synaptic row claims ${nFixed} fixed synapses but only ${words.length - fixedBase - 2} words follow`);
    for (; p < end; p++) {
      const w = words[p]!;
      const d = w & delayMaskShifted;
      if (d !== 0 && d <= colourDelayShifted) {
        this.skippedSynapses++;
        continue;
      }
      const idx = (w + maskedTime) & mask;
      let acc = ring[idx]! + (w >>> 16);
      dirty[idx >>> slotShift] = 1;
      if (acc & 0x10000) {
        acc = 0xffff;
        this.saturationCount++;
      }
      ring[idx] = acc;
    }
  }

  /** The colour delay of a spike (`synapses_process_synaptic_row`), counting late spikes as the firmware does. */
  colourDelay(time: number, spikeColour: number, colourMask: number): number {
    const colourDelay = ((time & colourMask) - spikeColour) & colourMask;
    this.lateSpikes += colourDelay & 1;
    if (colourDelay > this.maxLateSpike) this.maxLateSpike = colourDelay;
    return colourDelay;
  }

  /** `synapses_flush_ring_buffers(time)`: zero the slot of `time`. */
  flushSlot(time: number): void {
    const start = this.slotStart(time);
    this.ring.fill(0, start, start + this.nSynapseTypes * this.nNeuronsPeak);
  }

  /** `synapses_resume(0)`: a reset clears everything. */
  clearAll(): void {
    this.ring.fill(0);
    this.slotDirty.fill(0);
  }
}

/** Word offsets within a synaptic row (neural-formats §2.3). */
export interface RowLayout {
  /** Words in the plastic region (word 0 of the row). */
  plasticSize: number;
  /** Word index of `num_fixed` (= plasticSize + 1). */
  fixedBase: number;
}

export function rowLayout(words: Uint32Array, rowStart: number): RowLayout {
  const plasticSize = words[rowStart]!;
  return { plasticSize, fixedBase: rowStart + 1 + plasticSize };
}

/** What processes the plastic part of a row (the STDP kernel); returns write_back. */
export interface PlasticRowProcessor {
  processPlasticRow(words: Uint32Array, rowStart: number, time: number, colourDelay: number): boolean;
}

/**
 * `synapses_process_synaptic_row`: the plastic part first (if the row has
 * one), then the fixed synapses. Returns whether the plastic region must be
 * written back (it already is, in place, in `words`).
 */
export function processSynapticRow(
  ring: RingBuffers,
  words: Uint32Array,
  rowStart: number,
  time: number,
  spikeColour: number,
  colourMask: number,
  plastic?: PlasticRowProcessor,
): boolean {
  const colourDelay = ring.colourDelay(time, spikeColour, colourMask);
  const plasticSize = words[rowStart]!;
  let writeBack = false;
  if (plasticSize > 0) {
    if (!plastic) throw new FirmwareError('a plastic synaptic row reached a core without synapse dynamics (static binary)');
    writeBack = plastic.processPlasticRow(words, rowStart, time, colourDelay);
  }
  ring.processFixedSynapses(words, rowStart + 1 + plasticSize, time, colourDelay);
  return writeBack;
}
