/**
 * The FEC data-specification pointer table at the start of every core's
 * SDRAM block (the address in the core's user0): magic, version, then 32
 * descriptors {pointer, checksum, n_words}. Regions follow the table
 * consecutively in region-number order, each a whole number of words.
 */
import {
  type RegionCodec, RegionFormatError, WordReader, bytesToWords, checkU32, padToWord, regionChecksum, wordsToBytes,
} from './words.js';

export const DSG_MAGIC = 0xad130ad6;
export const DSG_VERSION = 0x00010000;
export const DSG_MAX_REGIONS = 32;
export const DSG_HEADER_BYTES = 8 + DSG_MAX_REGIONS * 12;

export interface RegionDescriptor {
  /** Absolute SDRAM address of the region; 0 = region absent. */
  pointer: number;
  /** Wrapped 32-bit sum of the written words (the core zeroes it after checking). */
  checksum: number;
  /** Number of written words covered by the checksum (0 = not checked). */
  nWords: number;
}

export interface DsgHeader {
  magic: number;
  version: number;
  /** Exactly 32 descriptors, indexed by region id. */
  regions: RegionDescriptor[];
}

export const dsgHeader: RegionCodec<DsgHeader> = {
  encodingLength: () => DSG_HEADER_BYTES,
  encode(h) {
    if (h.regions.length !== DSG_MAX_REGIONS) {
      throw new RangeError(`DSG header needs ${DSG_MAX_REGIONS} region descriptors, got ${h.regions.length}`);
    }
    const words = [checkU32(h.magic, 'magic'), checkU32(h.version, 'version')];
    h.regions.forEach((r, i) => {
      words.push(checkU32(r.pointer, `region ${i} pointer`), checkU32(r.checksum, `region ${i} checksum`),
        checkU32(r.nWords, `region ${i} n_words`));
    });
    return wordsToBytes(words);
  },
  decode(bytes) {
    if (bytes.length < DSG_HEADER_BYTES) {
      throw new RegionFormatError(`DSG header: need ${DSG_HEADER_BYTES} bytes, got ${bytes.length}`);
    }
    const r = new WordReader(bytesToWords(bytes.subarray(0, DSG_HEADER_BYTES)), 'DSG header');
    const magic = r.u32('magic');
    const version = r.u32('version');
    const regions: RegionDescriptor[] = [];
    for (let i = 0; i < DSG_MAX_REGIONS; i++) {
      regions.push({ pointer: r.u32('pointer'), checksum: r.u32('checksum'), nWords: r.u32('n_words') });
    }
    return { magic, version, regions };
  },
};

/** One region to place in a core block: its content and (optionally) a larger reserved size. */
export interface RegionContent {
  content?: Uint8Array;
  /** Bytes reserved; defaults to the content length. Rounded up to a word. */
  reserved?: number;
}

export interface CoreBlock {
  baseAddress: number;
  /** Total bytes to allocate: header + all reserved regions. */
  totalBytes: number;
  header: DsgHeader;
  /** Absolute address of each region (0 if absent), by region id. */
  pointers: number[];
  /** The bytes to write at baseAddress (header, regions, zero-filled gaps). */
  bytes: Uint8Array;
}

/** Size in bytes of the block the host must allocate for these regions. */
export function coreBlockSize(regions: readonly (RegionContent | undefined)[]): number {
  let total = DSG_HEADER_BYTES;
  for (const r of regions) if (r) total += reservedSize(r);
  return total;
}

function reservedSize(r: RegionContent): number {
  const len = r.content?.length ?? 0;
  const reserved = r.reserved ?? len;
  if (reserved < len) throw new RangeError(`region content (${len} B) exceeds its reservation (${reserved} B)`);
  return Math.ceil(reserved / 4) * 4;
}

/**
 * Lay out a core's regions after the pointer table as FEC's loader does and
 * produce the header (pointers, checksums, word counts) and the full image.
 */
export function buildCoreBlock(baseAddress: number, regions: readonly (RegionContent | undefined)[]): CoreBlock {
  if (regions.length > DSG_MAX_REGIONS) throw new RangeError(`at most ${DSG_MAX_REGIONS} regions, got ${regions.length}`);
  if (baseAddress % 4 !== 0) throw new RangeError(`core block base 0x${baseAddress.toString(16)} is not word aligned`);
  const totalBytes = coreBlockSize(regions);
  const bytes = new Uint8Array(totalBytes);
  const descs: RegionDescriptor[] = [];
  const pointers: number[] = [];
  let next = DSG_HEADER_BYTES;
  for (let i = 0; i < DSG_MAX_REGIONS; i++) {
    const r = regions[i];
    if (!r) {
      descs.push({ pointer: 0, checksum: 0, nWords: 0 });
      pointers.push(0);
      continue;
    }
    const pointer = (baseAddress + next) >>> 0;
    let checksum = 0;
    let nWords = 0;
    if (r.content && r.content.length > 0) {
      const padded = padToWord(r.content);
      bytes.set(padded, next);
      checksum = regionChecksum(padded);
      nWords = padded.length / 4;
    }
    descs.push({ pointer, checksum, nWords });
    pointers.push(pointer);
    next += reservedSize(r);
  }
  const header: DsgHeader = { magic: DSG_MAGIC, version: DSG_VERSION, regions: descs };
  bytes.set(dsgHeader.encode(header), 0);
  return { baseAddress, totalBytes, header, pointers, bytes };
}

/**
 * Check a header as the firmware does at start-up (magic, version, every
 * region's checksum); `readWords(address, n)` reads the loaded memory.
 */
export function verifyCoreBlock(
  header: DsgHeader,
  readWords: (address: number, nWords: number) => Uint32Array,
): void {
  if (header.magic !== DSG_MAGIC) {
    throw new RegionFormatError(`DSG magic 0x${header.magic.toString(16)} != 0x${DSG_MAGIC.toString(16)}: user0 does not point at a data-spec block`);
  }
  if (header.version !== DSG_VERSION) {
    throw new RegionFormatError(`DSG version 0x${header.version.toString(16)} != 0x${DSG_VERSION.toString(16)}`);
  }
  header.regions.forEach((r, i) => {
    if (r.pointer === 0 || r.nWords === 0) return;
    let sum = 0;
    for (const w of readWords(r.pointer, r.nWords)) sum = (sum + w) >>> 0;
    if (sum !== r.checksum) {
      throw new RegionFormatError(`region ${i} at 0x${r.pointer.toString(16)}: checksum ${r.checksum} != computed ${sum} (${r.nWords} words)`);
    }
  });
}
