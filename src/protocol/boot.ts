import { DecodeError, requireLength } from './errors.js';
import { defineStruct } from './struct.js';
import { type Sv, sv, svDefaults } from './sv.js';

/**
 * Boot-ROM protocol on UDP 54321 (digest §8). Every field is BIG-endian:
 * version u16 (= 1), opcode u32, three u32 operands, then data words, each
 * the byte-swap of the image's little-endian word.
 */
export const BOOT_PROTOCOL_VERSION = 1;
export const BootOpcode = { START: 1, BLOCK: 3, END: 5, HELLO: 65 } as const;
export const BOOT_HEADER_BYTES = 18;
export const BOOT_BLOCK_BYTES = 1024;
export const BOOT_MAX_BLOCKS = 32;
export const BOOT_IMAGE_MAX = BOOT_BLOCK_BYTES * BOOT_MAX_BLOCKS;
/** HELLO operand 3, "CPTS" read big-endian. */
export const BOOT_HELLO_MAGIC = 0x43505453;
/** Offset of the sv initial values (sv 0x00–0x7F) inside scamp.boot. */
export const BOOT_SV_OFFSET = 384;
export const BOOT_SV_BYTES = 128;

export interface BootPacket {
  version: number;
  opcode: number;
  operand1: number;
  operand2: number;
  operand3: number;
  /** Data exactly as on the wire (big-endian words). */
  data: Uint8Array;
}

const header = defineStruct(
  'boot packet',
  BOOT_HEADER_BYTES,
  [
    ['version', 0, 'u16'],
    ['opcode', 2, 'u32'],
    ['operand1', 6, 'u32'],
    ['operand2', 10, 'u32'],
    ['operand3', 14, 'u32'],
  ] as const,
  { littleEndian: false },
);

export function encodingLength(p: BootPacket): number {
  return BOOT_HEADER_BYTES + p.data.length;
}

export function encode(p: BootPacket, buf?: Uint8Array, offset = 0): Uint8Array {
  if (p.data.length > BOOT_BLOCK_BYTES) throw new RangeError(`boot packet data is at most ${BOOT_BLOCK_BYTES} bytes, got ${p.data.length}`);
  const out = buf ?? new Uint8Array(encodingLength(p));
  header.encode(p, out, offset);
  out.set(p.data, offset + BOOT_HEADER_BYTES);
  return out;
}

/** Decodes a boot datagram. The version is returned as found; the ROM ignores packets whose version is not 1. */
export function decode(bytes: Uint8Array, offset = 0): BootPacket {
  requireLength('boot packet', bytes, offset, BOOT_HEADER_BYTES);
  const data = bytes.subarray(offset + BOOT_HEADER_BYTES);
  if (data.length > BOOT_BLOCK_BYTES) throw new DecodeError('boot packet', `data of ${data.length} bytes exceeds the ${BOOT_BLOCK_BYTES}-byte block`);
  return { ...header.decode(bytes, offset), data: Uint8Array.from(data) };
}

/** Byte-swaps each 32-bit word (LE image ↔ BE wire). A trailing partial word is zero-padded. */
export function swapWords(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  for (let i = 0; i < bytes.length; i++) out[(i & ~3) + 3 - (i & 3)] = bytes[i];
  return out;
}

/** The START, BLOCK… and END packets that boot an image (as ybug, rig and SpiNNMan send them). */
export function imagePackets(image: Uint8Array): BootPacket[] {
  if (image.length === 0 || image.length > BOOT_IMAGE_MAX) {
    throw new RangeError(`boot image must be 1..${BOOT_IMAGE_MAX} bytes, got ${image.length}`);
  }
  const nBlocks = Math.ceil(image.length / BOOT_BLOCK_BYTES);
  const pkt = (opcode: number, operand1: number, operand3: number, data: Uint8Array = new Uint8Array(0)): BootPacket => ({
    version: BOOT_PROTOCOL_VERSION, opcode, operand1, operand2: 0, operand3, data,
  });
  const out = [pkt(BootOpcode.START, 0, nBlocks - 1)];
  for (let b = 0; b < nBlocks; b++) {
    const chunk = image.subarray(b * BOOT_BLOCK_BYTES, (b + 1) * BOOT_BLOCK_BYTES);
    out.push(pkt(BootOpcode.BLOCK, (255 << 8) | b, 0, swapWords(chunk)));
  }
  out.push(pkt(BootOpcode.END, 1, 0));
  return out;
}

/** What a BLOCK packet says: block number, words per block, and its image bytes (LE). */
export function blockContent(p: BootPacket): { block: number; wordsPerBlock: number; bytes: Uint8Array } {
  if (p.opcode !== BootOpcode.BLOCK) throw new DecodeError('boot packet', `opcode ${p.opcode} is not BLOCK (3)`);
  if (p.data.length % 4 !== 0) throw new DecodeError('boot packet', `block data of ${p.data.length} bytes is not whole words`);
  return { block: p.operand1 & 0xff, wordsPerBlock: 1 + ((p.operand1 >>> 8) & 0xff), bytes: swapWords(p.data) };
}

/** START: number of blocks the ROM will expect (1 + operand3 low byte). */
export function startBlockCount(p: BootPacket): number {
  return 1 + (p.operand3 & 0xff);
}

/** HELLO the ROM broadcasts every 4096 ms (production chip: version 2, subversion 1). */
export function helloPacket(version = 2, subversion = 1): BootPacket {
  return { version: BOOT_PROTOCOL_VERSION, opcode: BootOpcode.HELLO, operand1: ((version << 24) | (subversion << 16)) >>> 0, operand2: 0, operand3: BOOT_HELLO_MAGIC, data: new Uint8Array(0) };
}

// ---- sv initial values inside the boot image (§8.3) -----------------------------

/** Board-specific values hosts write at boot. */
export function boardBootValues(hwVer: 3 | 5 | number): Partial<Sv> {
  return { hw_ver: hwVer, led0: hwVer === 3 ? 0x00000502 : 0x00000001 };
}

/**
 * The 128-byte sv block a host puts at bytes 384–511 of the image:
 * sark.struct defaults, board values, unix_time = boot_sig = now, root_chip = 1,
 * then any overrides.
 */
export function bootSvBlock(opts: { hwVer: number; unixTime: number; overrides?: Partial<Sv> }): Uint8Array {
  const values: Sv = { ...svDefaults(), ...boardBootValues(opts.hwVer), unix_time: opts.unixTime, boot_sig: opts.unixTime, root_chip: 1, ...opts.overrides };
  return sv.encode(values).subarray(0, BOOT_SV_BYTES);
}

/** A copy of `image` with the sv block written at its place. */
export function withSvBlock(image: Uint8Array, block: Uint8Array): Uint8Array {
  if (block.length !== BOOT_SV_BYTES) throw new RangeError(`sv block must be ${BOOT_SV_BYTES} bytes, got ${block.length}`);
  if (image.length < BOOT_SV_OFFSET + BOOT_SV_BYTES) throw new RangeError(`boot image of ${image.length} bytes is too short to hold the sv block at ${BOOT_SV_OFFSET}`);
  const out = Uint8Array.from(image);
  out.set(block, BOOT_SV_OFFSET);
  return out;
}

/** sv fields 0x00–0x7F as found in an image; fields at 0x80 and above decode as zero. */
export function readSvBlock(image: Uint8Array): Sv {
  requireLength('boot image', image, 0, BOOT_SV_OFFSET + BOOT_SV_BYTES);
  const full = new Uint8Array(256);
  full.set(image.subarray(BOOT_SV_OFFSET, BOOT_SV_OFFSET + BOOT_SV_BYTES));
  return sv.decode(full);
}

const SCAMP_ID_BYTES = new TextEncoder().encode('SC&MP/SpiNNaker\0');

/** The SC&MP version string ("3.1.0", "4.0.0") that follows "SC&MP/SpiNNaker\0" in a boot image, or null. */
export function imageScampVersion(image: Uint8Array): string | null {
  outer: for (let i = 0; i + SCAMP_ID_BYTES.length < image.length; i++) {
    for (let j = 0; j < SCAMP_ID_BYTES.length; j++) if (image[i + j] !== SCAMP_ID_BYTES[j]) continue outer;
    const start = i + SCAMP_ID_BYTES.length;
    let end = start;
    while (end < image.length && image[end] !== 0 && end - start < 32) end++;
    const s = String.fromCharCode(...image.subarray(start, end));
    return /^\d+\.\d+\.\d+/.test(s) ? s : null;
  }
  return null;
}
