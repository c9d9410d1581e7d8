/**
 * POPULATION_TABLE (region 5): the binary-search master population table.
 * [table_length][addr_list_length], entries of 5 words sorted by key, then
 * address-list words `row_length−1 : 8 | address/16 : 24` (0xFFFFFF = invalid).
 */
import { type RegionCodec, RegionFormatError, WordReader, bytesToWords, checkU32, checkUInt, wordsToBytes } from './words.js';

export const INVALID_ADDRESS = 0xffffff;
export const MAX_ROW_LENGTH = 256;
export const MAX_ADDRESS_LIST = 8191;

export interface AddressItem {
  /** Byte offset from the start of the synaptic matrix region (multiple of 16); null = invalid placeholder. */
  address: number | null;
  /** Row length in words, excluding the 3 header words (1..256). */
  rowLength: number;
}

export interface MasterPopEntry {
  key: number;
  mask: number;
  nColourBits: number;
  coreMask: number;
  maskShift: number;
  /** Neurons per source core × delay stages. */
  nNeurons: number;
  /** Address items (one per matrix of this source, e.g. undelayed and delayed). */
  items: AddressItem[];
}

export interface MasterPopTable {
  entries: MasterPopEntry[];
}

function itemWord(it: AddressItem): number {
  checkUInt(it.rowLength - 1, 8, 'row_length − 1');
  if (it.address === null) return ((INVALID_ADDRESS << 8) | (it.rowLength - 1)) >>> 0;
  if (it.address % 16 !== 0) throw new RangeError(`matrix address ${it.address} is not a multiple of 16 bytes`);
  const a = checkUInt(it.address / 16, 24, 'address/16');
  if (a === INVALID_ADDRESS) throw new RangeError(`matrix address ${it.address} collides with the invalid marker`);
  return ((a << 8) | (it.rowLength - 1)) >>> 0;
}

export const masterPopTable: RegionCodec<MasterPopTable> = {
  encodingLength: (t) => 4 * (2 + 5 * t.entries.length + t.entries.reduce((s, e) => s + e.items.length, 0)),
  encode(t) {
    const entries = [...t.entries].sort((a, b) => (a.key >>> 0) - (b.key >>> 0));
    const words: number[] = [entries.length, 0];
    const list: number[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (i > 0 && entries[i - 1]!.key >>> 0 === e.key >>> 0) throw new RangeError(`two master pop entries share key 0x${e.key.toString(16)}`);
      const start = list.length;
      checkUInt(start, 13, 'address list start');
      checkUInt(e.items.length, 16, 'address list count');
      words.push(
        checkU32(e.key, 'key'), checkU32(e.mask, 'mask'),
        (start | (checkUInt(e.nColourBits, 3, 'n_colour_bits') << 13) | (e.items.length << 16)) >>> 0,
        (checkUInt(e.coreMask, 16, 'core_mask') | (checkUInt(e.maskShift, 16, 'mask_shift') << 16)) >>> 0,
        (checkUInt(e.nNeurons, 16, 'n_neurons') | (Math.ceil(e.nNeurons / 32) << 16)) >>> 0,
      );
      for (const it of e.items) list.push(itemWord(it));
    }
    if (list.length > MAX_ADDRESS_LIST) throw new RangeError(`address list has ${list.length} items, limit ${MAX_ADDRESS_LIST}`);
    words[1] = list.length;
    return wordsToBytes([...words, ...list]);
  },
  decode(bytes) {
    const r = new WordReader(bytesToWords(bytes, 'master pop table'), 'master pop table');
    const n = r.u32('table_length');
    const nList = r.u32('addr_list_length');
    const raw = Array.from({ length: n }, () => r.array(5, 'entry'));
    const list = r.array(nList, 'address list');
    const entries = raw.map(([key, mask, w2, w3, w4]) => {
      const start = w2! & 0x1fff;
      const count = w2! >>> 16;
      if (start + count > list.length) throw new RegionFormatError(`master pop entry 0x${key!.toString(16)}: address items ${start}+${count} beyond list of ${list.length}`);
      return {
        key: key!, mask: mask!, nColourBits: (w2! >>> 13) & 7, coreMask: w3! & 0xffff, maskShift: w3! >>> 16, nNeurons: w4! & 0xffff,
        items: list.slice(start, start + count).map((w) => {
          const a = w >>> 8;
          return { address: a === INVALID_ADDRESS ? null : a * 16, rowLength: (w & 0xff) + 1 };
        }),
      };
    });
    return { entries };
  },
};

export interface RowLocation {
  /** Byte offset of the row from the start of the synaptic matrix region. */
  offset: number;
  /** Bytes to DMA: (row_length + 3) × 4. */
  bytes: number;
  rowIndex: number;
  colour: number;
}

/** Binary search (entries sorted by key) then the row address computation, as the firmware does. */
export function lookupRows(table: MasterPopTable, spikeKey: number): RowLocation[] {
  const k = spikeKey >>> 0;
  const es = table.entries;
  let lo = 0;
  let hi = es.length;
  let found: MasterPopEntry | undefined;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = es[mid]!;
    const masked = (k & e.mask) >>> 0;
    if (masked === e.key >>> 0) { found = e; break; }
    if ((e.key >>> 0) < masked) lo = mid + 1; else hi = mid;
  }
  if (!found) return [];
  const e = found;
  let local = (k & ~(e.mask | (e.coreMask << e.maskShift))) >>> 0;
  let colour = 0;
  if (e.nColourBits > 0) {
    colour = local & ((1 << e.nColourBits) - 1);
    local >>>= e.nColourBits;
  }
  const rowIndex = ((k >>> e.maskShift) & e.coreMask) * e.nNeurons + local;
  const out: RowLocation[] = [];
  for (const it of e.items) {
    if (it.address === null) continue;
    const stride = (it.rowLength + 3) * 4;
    out.push({ offset: it.address + rowIndex * stride, bytes: stride, rowIndex, colour });
  }
  return out;
}

/** Next matrix address allowed by the table (16-byte aligned). */
export function nextAllowedAddress(offset: number): number {
  return Math.ceil(offset / 16) * 16;
}
