import { type AccessType, type ByteMemory, MemoryFault, readTyped, writeTyped } from './memory.js';

/**
 * One core's tightly-coupled memories as that core's READ/WRITE/FILL see
 * them: ITCM at 0x00000000 (32 KiB) and DTCM at 0x00400000 (64 KiB).
 * SC&MP and SARK check only the length and type of a READ, so the monitor
 * (`sw 0` in ybug) and an application core answer with their own TCM.
 *
 * The emulator runs no ARM code, so nothing is placed there: both read as
 * zeros until written over SCP (neither the SC&MP image nor an APLX is
 * copied in), and writes are kept. Allocated on first write.
 */
export const ITCM_BASE = 0x00000000;
export const ITCM_SIZE = 0x8000;
export const DTCM_BASE = 0x00400000;
export const DTCM_SIZE = 0x10000;

/** True if `address` lies in a TCM (an access running past its end faults). */
export function inTcm(address: number): boolean {
  const a = address >>> 0;
  return a < ITCM_BASE + ITCM_SIZE || (a >= DTCM_BASE && a < DTCM_BASE + DTCM_SIZE);
}

export class CoreTcm implements ByteMemory {
  private itcm: Uint8Array | undefined;
  private dtcm: Uint8Array | undefined;

  private span(address: number, length: number, create: boolean): { bytes: Uint8Array | undefined; off: number } {
    const a = address >>> 0;
    if (a + length <= ITCM_BASE + ITCM_SIZE) {
      if (create) this.itcm ??= new Uint8Array(ITCM_SIZE);
      return { bytes: this.itcm, off: a - ITCM_BASE };
    }
    if (a >= DTCM_BASE && a + length <= DTCM_BASE + DTCM_SIZE) {
      if (create) this.dtcm ??= new Uint8Array(DTCM_SIZE);
      return { bytes: this.dtcm, off: a - DTCM_BASE };
    }
    throw new MemoryFault(a, length);
  }

  read(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.readInto(address, out);
    return out;
  }

  readInto(address: number, out: Uint8Array): void {
    const { bytes, off } = this.span(address, out.length, false);
    if (bytes) out.set(bytes.subarray(off, off + out.length));
    else out.fill(0);
  }

  write(address: number, data: Uint8Array): void {
    const { bytes, off } = this.span(address, data.length, true);
    bytes!.set(data, off);
  }

  readTyped(address: number, length: number, type: AccessType, buffer: Uint8Array): void {
    readTyped(this, address, length, type, buffer);
  }

  writeTyped(address: number, length: number, type: AccessType, data: Uint8Array): void {
    writeTyped(this, address, length, type, data);
  }

  /** sark_word_set: floor(bytes/4) words from the aligned address; all or nothing. */
  fillWords(address: number, word: number, bytes: number): void {
    const n = Math.floor(bytes / 4);
    if (n === 0) return;
    const chunk = new Uint8Array(n * 4);
    const dv = new DataView(chunk.buffer);
    for (let i = 0; i < n; i++) dv.setUint32(4 * i, word >>> 0, true);
    this.write((address & ~3) >>> 0, chunk);
  }
}
