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
