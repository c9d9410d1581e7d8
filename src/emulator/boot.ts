import {
  BOOT_BLOCK_BYTES,
  BOOT_HEADER_BYTES,
  BOOT_IMAGE_MAX,
  BOOT_PROTOCOL_VERSION,
  BOOT_SV_BYTES,
  BOOT_SV_OFFSET,
  BootOpcode,
  blockContent,
  decode,
  imageScampVersion,
  startBlockCount,
} from '../protocol/boot.js';

/**
 * The boot ROM's side of the boot protocol (UDP 54321, big-endian; packets
 * decoded by src/protocol/boot.ts): START (1), BLOCK (3), END (5). Blocks
 * carry up to 256 words; the image is reassembled little-endian.
 */
export const BOOT_OP = { START: BootOpcode.START, BLOCK: BootOpcode.BLOCK, END: BootOpcode.END } as const;
export const BOOT_MAX_BYTES = BOOT_IMAGE_MAX;

export class BootReceiver {
  private blocks = new Map<number, Uint8Array>();
  private nBlocks = 0;
  private running = false;

  /** Feeds one datagram; returns the complete image when END arrives with every block. */
  receive(d: Uint8Array): Uint8Array | undefined {
    if (d.length < BOOT_HEADER_BYTES) return undefined;
    // Words beyond one block are never read.
    const p = decode(d.subarray(0, BOOT_HEADER_BYTES + BOOT_BLOCK_BYTES));
    if (p.version !== BOOT_PROTOCOL_VERSION) return undefined;
    const op = p.opcode & 0xffff;
    if (op === BootOpcode.START) {
      if (this.running || (p.operand1 & 0xff) !== 0) return undefined;
      this.running = true;
      this.nBlocks = startBlockCount(p);
      this.blocks.clear();
      return undefined;
    }
    if (op === BootOpcode.BLOCK) {
      if (!this.running) return undefined;
      // A trailing partial word is ignored; words the packet lacks stay zero.
      const { block, wordsPerBlock, bytes } = blockContent({ ...p, opcode: BootOpcode.BLOCK, data: p.data.subarray(0, p.data.length & ~3) });
      if (block >= this.nBlocks || this.blocks.has(block)) return undefined;
      const out = new Uint8Array(wordsPerBlock * 4);
      out.set(bytes.subarray(0, out.length));
      this.blocks.set(block, out);
      return undefined;
    }
    if (op === BootOpcode.END) {
      if (!this.running || !(p.operand1 & 1)) return undefined;
      this.running = false;
      if (this.blocks.size !== this.nBlocks) return undefined;
      const image = new Uint8Array(Math.min(BOOT_MAX_BYTES, this.nBlocks * BOOT_BLOCK_BYTES));
      for (const [i, b] of this.blocks) {
        const at = i * BOOT_BLOCK_BYTES;
        if (at < image.length) image.set(b.subarray(0, Math.min(b.length, image.length - at)), at);
      }
      return image;
    }
    return undefined;
  }
}

/** The SC&MP version string inside a boot image ("3.1.0", "4.0.0"), or undefined. */
export function imageVersion(image: Uint8Array): string | undefined {
  return imageScampVersion(image) ?? undefined;
}

/** sv 0x00–0x7F as the host packed them into the image (bytes 384–511). */
export function imageSv(image: Uint8Array): Uint8Array {
  const sv = new Uint8Array(BOOT_SV_BYTES);
  sv.set(image.subarray(BOOT_SV_OFFSET, BOOT_SV_OFFSET + BOOT_SV_BYTES));
  return sv;
}

/**
 * The build date compiled into an SC&MP image: tools/mkbuild emits
 * `const int build_date = <unix time>; const char build_name[] = "<name>";`
 * and the linker places build_date in the word just before the
 * word-aligned, NUL-terminated build_name ("scamp-3" in SC&MP 3.x and
 * 4.x images; in rig's scamp.boot 3.1.0 at 0x6888, date 0x588B1FA6 at
 * 0x6884). Undefined unless that word is a plausible time (2009 to 2^31).
 */
export function imageBuildDate(image: Uint8Array): number | undefined {
  const name = [0x73, 0x63, 0x61, 0x6d, 0x70, 0x2d]; // "scamp-"
  const dv = new DataView(image.buffer, image.byteOffset, image.length);
  for (let i = 4; i + 8 <= image.length; i += 4) {
    if (!name.every((b, j) => image[i + j] === b)) continue;
    let end = i + name.length;
    while (end < image.length && end - i < 16 && isNameChar(image[end]!)) end++;
    if (image[end] !== 0 || end - i >= 16) continue;
    const date = dv.getUint32(i - 4, true);
    if (date >= MIN_BUILD_DATE && date < 2 ** 31) return date;
  }
  return undefined;
}

/** Characters of a make target name ("scamp-3"), so file names such as "scamp-3.c" do not match. */
const isNameChar = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f;

/** 2009-01-01: earlier than any SpiNNaker build. */
const MIN_BUILD_DATE = 1230768000;
