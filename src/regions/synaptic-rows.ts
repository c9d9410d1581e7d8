/**
 * SYNAPTIC_MATRIX rows (region 6): static rows (fixed words) and plastic
 * rows (STDP, weight-only synapse structure with the pair rule's pre-trace
 * header). Every row of a matrix block is padded to the same length.
 *
 * Row = [pp_size][plastic region (pp_size words)][num_fixed][num_plastic]
 *       [num_fixed fixed words][ceil(num_plastic/2) control words]
 * Fixed word = weight:16 | delay:D | type:T | index:N (index in the LSBs).
 */
import { RegionFormatError, bytesToWords, checkUInt, getNBits, wordsToBytes } from './words.js';

export const ROW_HEADER_WORDS = 3;
/** Plastic header of the pair rule: {u32 prev_time; s16 prev_trace; pad}. */
export const PLASTIC_HEADER_WORDS = 2;

export interface RowLayout {
  /** N = get_n_bits(max atoms per core of the post population). */
  indexBits: number;
  /** T = get_n_bits(n synapse types). */
  typeBits: number;
  /** D = get_n_bits(max delay slots per core). */
  delayBits: number;
}

export function rowLayout(maxAtomsPerCore: number, nSynapseTypes: number, maxDelaySlots: number): RowLayout {
  return { indexBits: getNBits(maxAtomsPerCore), typeBits: getNBits(nSynapseTypes), delayBits: getNBits(maxDelaySlots) };
}

/** One synapse in a row; weight is the stored uint16. */
export interface RowSynapse {
  post: number;
  type: number;
  delaySteps: number;
  weight: number;
}

export interface Connection extends RowSynapse {
  pre: number;
}

export interface PlasticRow {
  prevTime: number;
  /** int16 pre-synaptic trace (2048 = 1.0). */
  prevTrace: number;
  synapses: RowSynapse[];
}

function control(s: RowSynapse, l: RowLayout): number {
  checkUInt(s.post, l.indexBits, 'post index');
  checkUInt(s.type, l.typeBits, 'synapse type');
  const maxDelay = 2 ** l.delayBits;
  if (!Number.isInteger(s.delaySteps) || s.delaySteps < 1 || s.delaySteps > maxDelay) {
    throw new RangeError(`delay ${s.delaySteps} steps outside 1..${maxDelay} for a ${l.delayBits}-bit delay field`);
  }
  // A delay of exactly 2^D wraps to 0 in the field, as on the host.
  const d = s.delaySteps & (maxDelay - 1);
  return ((d << (l.typeBits + l.indexBits)) | (s.type << l.indexBits) | s.post) >>> 0;
}

function fromControl(c: number, l: RowLayout): Omit<RowSynapse, 'weight'> {
  const post = c & ((1 << l.indexBits) - 1);
  const type = (c >>> l.indexBits) & ((1 << l.typeBits) - 1);
  const d = (c >>> (l.indexBits + l.typeBits)) & ((1 << l.delayBits) - 1);
  return { post, type, delaySteps: d === 0 ? 2 ** l.delayBits : d };
}

function checkControlWidth(l: RowLayout): void {
  if (l.indexBits + l.typeBits + l.delayBits > 16) {
    throw new RangeError(`row layout needs ${l.indexBits}+${l.typeBits}+${l.delayBits} > 16 bits for index, type and delay`);
  }
}

/** Words of a static row (no padding). */
export function encodeStaticRow(synapses: readonly RowSynapse[], l: RowLayout): number[] {
  checkControlWidth(l);
  return [0, synapses.length, 0, ...synapses.map((s) => ((checkUInt(s.weight, 16, 'weight') << 16) | control(s, l)) >>> 0)];
}

export function staticRowWords(nSynapses: number): number {
  return nSynapses;
}

export function plasticRowWords(nSynapses: number): number {
  return PLASTIC_HEADER_WORDS + Math.ceil(nSynapses / 2) + Math.ceil(nSynapses / 2);
}

/** Words of a plastic row (no padding). */
export function encodePlasticRow(row: PlasticRow, l: RowLayout): number[] {
  checkControlWidth(l);
  const n = row.synapses.length;
  const half = Math.ceil(n / 2);
  const ppSize = PLASTIC_HEADER_WORDS + half;
  const out = new Array<number>(1 + ppSize + 2 + half).fill(0);
  out[0] = ppSize;
  out[1] = row.prevTime >>> 0;
  out[2] = row.prevTrace & 0xffff;
  row.synapses.forEach((s, i) => {
    const wi = 3 + (i >> 1);
    const ci = 1 + ppSize + 2 + (i >> 1);
    const shift = (i & 1) * 16;
    out[wi] = (out[wi]! | (checkUInt(s.weight, 16, 'weight') << shift)) >>> 0;
    out[ci] = (out[ci]! | (control(s, l) << shift)) >>> 0;
  });
  out[1 + ppSize] = 0;
  out[1 + ppSize + 1] = n;
  return out;
}

export interface DecodedRow {
  plastic: PlasticRow | null;
  fixed: RowSynapse[];
  /** Words the row's content occupies (header included). */
  usedWords: number;
}

/** Decode one row from its words (padding after the content is ignored). */
export function decodeRow(words: ArrayLike<number>, l: RowLayout, what = 'row'): DecodedRow {
  const at = (i: number) => {
    if (i >= words.length) throw new RegionFormatError(`${what}: truncated at word ${i} of ${words.length}`);
    return words[i]! >>> 0;
  };
  const ppSize = at(0);
  const nFixed = at(1 + ppSize);
  const nPlastic = at(2 + ppSize);
  const fixedStart = 3 + ppSize;
  const fixed: RowSynapse[] = [];
  for (let i = 0; i < nFixed; i++) {
    const w = at(fixedStart + i);
    fixed.push({ ...fromControl(w & 0xffff, l), weight: w >>> 16 });
  }
  let plastic: PlasticRow | null = null;
  if (ppSize > 0 || nPlastic > 0) {
    if (nPlastic > 0 && ppSize < PLASTIC_HEADER_WORDS + Math.ceil(nPlastic / 2)) {
      throw new RegionFormatError(`${what}: plastic region of ${ppSize} words cannot hold ${nPlastic} weights`);
    }
    const ctrlStart = fixedStart + nFixed;
    const synapses: RowSynapse[] = [];
    for (let i = 0; i < nPlastic; i++) {
      const shift = (i & 1) * 16;
      const weight = (at(3 + (i >> 1)) >>> shift) & 0xffff;
      const c = (at(ctrlStart + (i >> 1)) >>> shift) & 0xffff;
      synapses.push({ ...fromControl(c, l), weight });
    }
    const trace = at(2) & 0xffff;
    plastic = { prevTime: at(1), prevTrace: trace >= 0x8000 ? trace - 0x10000 : trace, synapses };
  }
  return { plastic, fixed, usedWords: fixedStart + nFixed + Math.ceil(nPlastic / 2) };
}

export interface SynapticMatrix {
  nRows: number;
  /** Row length in words excluding the 3 header words (what the master pop table stores). */
  rowLength: number;
  plastic: boolean;
  /** nRows × (rowLength + 3) words. */
  words: Uint32Array;
}

/**
 * Build a matrix block from connections (pre = row index, post = local
 * target index). Within a row, synapses keep the order they were given.
 */
export function buildSynapticMatrix(opts: {
  nRows: number; connections: readonly Connection[]; layout: RowLayout; plastic: boolean; rowLength?: number;
}): SynapticMatrix {
  const rows: RowSynapse[][] = Array.from({ length: opts.nRows }, () => []);
  for (const c of opts.connections) {
    if (!Number.isInteger(c.pre) || c.pre < 0 || c.pre >= opts.nRows) throw new RangeError(`connection pre ${c.pre} outside 0..${opts.nRows - 1}`);
    rows[c.pre]!.push({ post: c.post, type: c.type, delaySteps: c.delaySteps, weight: c.weight });
  }
  const encoded = rows.map((r) => (opts.plastic ? encodePlasticRow({ prevTime: 0, prevTrace: 0, synapses: r }, opts.layout) : encodeStaticRow(r, opts.layout)));
  const needed = Math.max(1, ...encoded.map((e) => e.length - ROW_HEADER_WORDS));
  const rowLength = opts.rowLength ?? needed;
  if (rowLength < needed) throw new RangeError(`row length ${rowLength} words is shorter than the longest row (${needed})`);
  if (rowLength > 256) throw new RangeError(`longest row needs ${rowLength} words; the master population table allows at most 256 (split the source population or reduce fan-out)`);
  const stride = rowLength + ROW_HEADER_WORDS;
  const words = new Uint32Array(opts.nRows * stride);
  encoded.forEach((e, i) => words.set(e, i * stride));
  return { nRows: opts.nRows, rowLength, plastic: opts.plastic, words };
}

/** Decode a whole matrix block back into connections (exact stored values). */
export function decodeSynapticMatrix(words: Uint32Array, nRows: number, rowLength: number, layout: RowLayout): { connections: Connection[]; plasticHeaders: ({ prevTime: number; prevTrace: number } | null)[] } {
  const stride = rowLength + ROW_HEADER_WORDS;
  if (words.length < nRows * stride) throw new RegionFormatError(`matrix of ${nRows} rows × ${stride} words needs ${nRows * stride} words, got ${words.length}`);
  const connections: Connection[] = [];
  const plasticHeaders: ({ prevTime: number; prevTrace: number } | null)[] = [];
  for (let r = 0; r < nRows; r++) {
    const row = decodeRow(words.subarray(r * stride, (r + 1) * stride), layout, `row ${r}`);
    if (row.usedWords > stride) throw new RegionFormatError(`row ${r} uses ${row.usedWords} words, more than the stride ${stride}`);
    for (const s of row.plastic?.synapses ?? []) connections.push({ pre: r, ...s });
    for (const s of row.fixed) connections.push({ pre: r, ...s });
    plasticHeaders.push(row.plastic ? { prevTime: row.plastic.prevTime, prevTrace: row.plastic.prevTrace } : null);
  }
  return { connections, plasticHeaders };
}

export function matrixToBytes(m: SynapticMatrix): Uint8Array {
  return wordsToBytes(m.words);
}

export function matrixFromBytes(bytes: Uint8Array): Uint32Array {
  return bytesToWords(bytes, 'synaptic matrix');
}
