import type { ChipMemory } from './memory.js';

/**
 * What the on-core APLX loader (sark_alib.s) would do with the table at
 * `address`: records of 4 LE words (opcode, w1, w2, w3) — 1 ACOPY, 2 RCOPY
 * (source relative to the record), 3 FILL, 4 EXEC, anything else END.
 * The emulator does not execute ARM code; it takes the extent of the image
 * (table plus every RCOPY source) so the board can identify it.
 */
export interface AplxLoad {
  /** The image bytes as loaded: from the table start to the end of the last relative copy. */
  image: Uint8Array;
  exec: number | undefined;
}

export class AplxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AplxError';
  }
}

const MAX_RECORDS = 64;
/** ITCM + DTCM are 96 KiB; no real image comes near this. */
const MAX_IMAGE = 1024 * 1024;

function roundUp32(n: number): number {
  return n === 0 ? 32 : Math.ceil(n / 32) * 32;
}

export function inspectAplx(mem: ChipMemory, address: number): AplxLoad {
  let extent = 0;
  let exec: number | undefined;
  for (let i = 0; i < MAX_RECORDS; i++) {
    const rec = address + 16 * i;
    if (!mem.isMapped(rec, 16)) throw new AplxError(`APLX table at 0x${address.toString(16)} runs outside memory at record ${i}`);
    const op = mem.readU32(rec);
    const w1 = mem.readU32(rec + 4);
    const w2 = mem.readU32(rec + 8);
    const w3 = mem.readU32(rec + 12);
    extent = Math.max(extent, 16 * (i + 1));
    if (op === 1 || op === 2) {
      const src = op === 2 ? rec + w2 : w2;
      const len = roundUp32(w3);
      if (len > MAX_IMAGE || !mem.isMapped(src >>> 0, len)) {
        throw new AplxError(`APLX record ${i} copies ${w3} bytes from 0x${(src >>> 0).toString(16)}, outside memory`);
      }
      if (op === 2) extent = Math.max(extent, (src >>> 0) - address + w3);
      void w1;
    } else if (op === 3) {
      if (w2 > MAX_IMAGE) throw new AplxError(`APLX record ${i} fills ${w2} bytes`);
    } else if (op === 4) {
      exec = w1;
      // The loader calls the entry point; c_main normally never returns.
      break;
    } else {
      break;
    }
  }
  if (extent > MAX_IMAGE) throw new AplxError(`APLX image of ${extent} bytes is too large`);
  return { image: mem.read(address, extent), exec };
}
