/**
 * The boot ROM's side of the boot protocol (UDP 54321, big-endian):
 * START (1), BLOCK (3), END (5). Blocks carry up to 256 words, each sent
 * big-endian; the image is reassembled little-endian.
 */
export const BOOT_OP = { START: 1, BLOCK: 3, END: 5 } as const;
export const BOOT_MAX_BYTES = 32 * 1024;
const SCAMP_ID = 'SC&MP/SpiNNaker\0';

export class BootReceiver {
  private blocks = new Map<number, Uint8Array>();
  private nBlocks = 0;
  private running = false;

  /** Feeds one datagram; returns the complete image when END arrives with every block. */
  receive(d: Uint8Array): Uint8Array | undefined {
    if (d.length < 18) return undefined;
    const v = new DataView(d.buffer, d.byteOffset, d.length);
    if (v.getUint16(0) !== 1) return undefined;
    const op = v.getUint32(2) & 0xffff;
    const op1 = v.getUint32(6);
    const op3 = v.getUint32(14);
    if (op === BOOT_OP.START) {
      if (this.running || (op1 & 0xff) !== 0) return undefined;
      this.running = true;
      this.nBlocks = 1 + (op3 & 0xff);
      this.blocks.clear();
      return undefined;
    }
    if (op === BOOT_OP.BLOCK) {
      if (!this.running) return undefined;
      const block = op1 & 0xff;
      const words = 1 + ((op1 >>> 8) & 0xff);
      if (block >= this.nBlocks || this.blocks.has(block)) return undefined;
      const n = Math.min(words, Math.floor((d.length - 18) / 4));
      const out = new Uint8Array(words * 4);
      const ov = new DataView(out.buffer);
      for (let i = 0; i < n; i++) ov.setUint32(4 * i, v.getUint32(18 + 4 * i), true);
      this.blocks.set(block, out);
      return undefined;
    }
    if (op === BOOT_OP.END) {
      if (!this.running || !(op1 & 1)) return undefined;
      this.running = false;
      if (this.blocks.size !== this.nBlocks) return undefined;
      const image = new Uint8Array(Math.min(BOOT_MAX_BYTES, this.nBlocks * 1024));
      for (const [i, b] of this.blocks) if (i * 1024 < image.length) image.set(b.subarray(0, Math.min(b.length, image.length - i * 1024)), i * 1024);
      return image;
    }
    return undefined;
  }
}

/** The SC&MP version string inside a boot image ("3.1.0", "4.0.0"), or undefined. */
export function imageVersion(image: Uint8Array): string | undefined {
  const s = Buffer.from(image).toString('latin1');
  const i = s.indexOf(SCAMP_ID);
  if (i < 0) return undefined;
  const start = i + SCAMP_ID.length;
  const end = s.indexOf('\0', start);
  const v = s.slice(start, end < 0 ? undefined : end);
  return /^\d+\.\d+\.\d+/.test(v) ? v : undefined;
}

/** sv 0x00–0x7F as the host packed them into the image (bytes 384–511). */
export function imageSv(image: Uint8Array): Uint8Array {
  const sv = new Uint8Array(128);
  sv.set(image.subarray(384, 512));
  return sv;
}
