import { defineStruct, type StructOf } from './struct.js';
import { DecodeError } from './errors.js';

/**
 * Layouts that tools walk in target memory (digest §4.2, §4.5): the heap
 * root (heap_t), the block header (block_t), IOBUF blocks, app_data_t, and
 * the fixed SysRAM/SDRAM addresses of a chip.
 */

// Address map (buffered aliases; the unbuffered alias is +0x10000000).
export const SDRAM_BASE = 0x60000000;
export const SDRAM_BASE_UNBUFFERED = 0x70000000;
export const SDRAM_SIZE = 128 * 1024 * 1024;
export const SYSRAM_BASE = 0xe5000000;
export const SYSRAM_BASE_UNBUFFERED = 0xf5000000;
export const SYSRAM_SIZE = 32 * 1024;
export const ROUTER_BASE = 0xe1000000;
export const P2P_TABLE_BASE = 0xe1010000;
/** Start of user SysRAM (sv.sysram_base). */
export const SYSRAM_USER_BASE = 0xe5000100;
/** Top of user SysRAM; the vcpu blocks start here. */
export const SYS_USER_TOP = 0xe5007000;
export const BOARD_INFO_BASE = 0xe5007900;
export const SV_RANDOM_BASE = 0xe5007ea0;
export const SV_VECTORS_BASE = 0xe5007ee0;
export const SV_SROM_BASE = 0xe5007fe0;
/** Application load area, sv.sdram_sys on 128 MB SDRAM. */
export const SDRAM_SYS = 0x67800000;
export const SDRAM_SYS_SIZE = 256 * 1024;
/** Words 4 and 5 of SysRAM: APLX address and (app_flags << 8) | app_id for core start-up. */
export const SYSRAM_APLX_ADDR = 0xe5000010;
export const SYSRAM_APP_WORD = 0xe5000014;

/** Maps an unbuffered alias (0x7…, 0xF…) to the buffered one (0x6…, 0xE…); other addresses unchanged. */
export function bufferedAddress(addr: number): number {
  const top = addr >>> 28;
  return top === 0x7 || top === 0xf ? (addr - 0x10000000) >>> 0 : addr >>> 0;
}

const HEAP_FIELDS = [
  ['free', 0, 'u32'],
  ['first', 4, 'u32'],
  ['last', 8, 'u32'],
  ['free_bytes', 12, 'u32'],
] as const;
export type HeapRoot = StructOf<typeof HEAP_FIELDS>;
export const heapRoot = defineStruct('heap_t', 16, HEAP_FIELDS);

const BLOCK_FIELDS = [
  ['next', 0, 'u32'],
  ['free', 4, 'u32'],
] as const;
export type BlockHeader = StructOf<typeof BLOCK_FIELDS>;
export const blockHeader = defineStruct('block_t', 8, BLOCK_FIELDS);
export const BLOCK_OVERHEAD = 8;

/** The block_t.free word of an allocated block: 0xFFFF0000 | app_id << 8 | tag. */
export function allocatedBlockWord(appId: number, tag: number): number {
  if (!(appId >= 0 && appId <= 255 && tag >= 0 && tag <= 255)) throw new RangeError(`app_id and tag must be 0..255, got ${appId}, ${tag}`);
  return (0xffff0000 | (appId << 8) | tag) >>> 0;
}

export type BlockState = { allocated: true; appId: number; tag: number } | { allocated: false; nextFree: number };

/** Interprets a block_t.free word: an allocation mark or the next free block (0 = none). */
export function blockState(free: number): BlockState {
  if ((free >>> 16) === 0xffff) return { allocated: true, appId: (free >>> 8) & 0xff, tag: free & 0xff };
  return { allocated: false, nextFree: free >>> 0 };
}

const IOBUF_FIELDS = [
  ['next', 0, 'u32'],
  ['unix_time', 4, 'u32'],
  ['time_ms', 8, 'u32'],
  ['ptr', 12, 'u32'], // bytes of text used
] as const;
export type IobufHeader = StructOf<typeof IOBUF_FIELDS>;
/** Header of an IOBUF block in sys_heap; `iobuf_size` bytes of text follow. */
export const iobufHeader = defineStruct('iobuf_t', 16, IOBUF_FIELDS);

/** Splits one IOBUF block (header + text area) into header and the used text. */
export function decodeIobufBlock(bytes: Uint8Array): { header: IobufHeader; text: Uint8Array } {
  const header = iobufHeader.decode(bytes);
  if (header.ptr > bytes.length - 16) {
    throw new DecodeError('iobuf_t', `ptr ${header.ptr} exceeds the ${bytes.length - 16} text bytes read`);
  }
  return { header, text: bytes.subarray(16, 16 + header.ptr) };
}

const APP_DATA_FIELDS = [
  ['cores', 0, 'u8'],
  ['clean', 1, 'u8'],
  ['sema', 2, 'u8'],
  ['lead', 3, 'u8'],
  ['mask', 4, 'u32'],
] as const;
export type AppData = StructOf<typeof APP_DATA_FIELDS>;
/** app_data_t; sv.app_data points at 256 of them (2048 bytes). */
export const appData = defineStruct('app_data_t', 8, APP_DATA_FIELDS);
export const APP_DATA_COUNT = 256;

/** Index into sv.alloc_tag for (app_id, tag). */
export function allocTagIndex(appId: number, tag: number): number {
  return ((appId & 0xff) << 8) | (tag & 0xff);
}

/** SDRAM heap start for a given sdram_heap boot value (words above sdram_base 0x60240000). */
export const SDRAM_USER_BASE = 0x60240000;
