/**
 * FEC `data_specification.c` as the core runs it at start-up: the block at
 * user0, its magic and version, every region's checksum, then the zeroing
 * of checksum and n_words in SDRAM.
 */
import { DSG_HEADER_BYTES, DSG_MAX_REGIONS, dsgHeader, verifyCoreBlock } from '../../../regions/index.js';
import type { CoreApi } from '../app.js';
import { FirmwareFault, RTE_API } from './fault.js';

export interface DataSpecBlock {
  base: number;
  /** Absolute address of each region, 0 when absent. */
  pointers: number[];
}

/** Reads `n` little-endian words of chip memory (one copy, no per-word decoding). */
export function readWords(api: CoreApi, address: number, n: number): Uint32Array {
  if (n === 0) return new Uint32Array(0);
  const b = api.read(address, 4 * n);
  return b.byteOffset % 4 === 0 ? new Uint32Array(b.buffer, b.byteOffset, n) : new Uint32Array(b.slice().buffer);
}

export function wordBytes(words: Uint32Array): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

export function openDataSpec(api: CoreApi): DataSpecBlock {
  const base = api.getUser(0);
  if (base === 0) throw new FirmwareFault('user0 is 0: the host did not write the address of this core\'s data-spec block', RTE_API);
  let header;
  try {
    header = dsgHeader.decode(api.read(base, DSG_HEADER_BYTES));
    verifyCoreBlock(header, (a, n) => readWords(api, a, n));
  } catch (e) {
    throw new FirmwareFault(`data spec block at user0 = 0x${base.toString(16)}: ${e instanceof Error ? e.message : String(e)}`, RTE_API);
  }
  for (let i = 0; i < DSG_MAX_REGIONS; i++) {
    const r = header.regions[i]!;
    if (r.nWords !== 0 || r.checksum !== 0) {
      api.writeU32(base + 8 + 12 * i + 4, 0);
      api.writeU32(base + 8 + 12 * i + 8, 0);
    }
  }
  return { base, pointers: header.regions.map((r) => r.pointer) };
}

/** The address of a region the binary needs; a clear fault when the host left it out. */
export function region(block: DataSpecBlock, id: number, name: string): number {
  const p = block.pointers[id] ?? 0;
  if (p === 0) throw new FirmwareFault(`region ${id} (${name}) is missing from the data-spec block at 0x${block.base.toString(16)}`, RTE_API);
  return p;
}

/** Bytes from a region's start to the next region above it (undefined for the highest one). */
export function regionExtent(block: DataSpecBlock, id: number): number | undefined {
  const p = block.pointers[id]!;
  let next: number | undefined;
  for (const q of block.pointers) if (q > p && (next === undefined || q < next)) next = q;
  return next === undefined ? undefined : next - p;
}
