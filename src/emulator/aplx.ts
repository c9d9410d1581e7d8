import { type AplxRecord, APLX_RECORD_BYTES, decode, loadSteps } from '../protocol/aplx.js';
import { DecodeError } from '../protocol/errors.js';
import type { ChipMemory } from './memory.js';

/**
 * What the on-core APLX loader (sark_alib.s) would do with the table at
 * `address`, decoded and validated by src/protocol/aplx.ts. The emulator
 * does not execute ARM code; it takes the extent of the image (table plus
 * every RCOPY source) so the board can identify it, and checks that every
 * copy reads from emulated memory.
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

/** ITCM + DTCM are 96 KiB; no real image comes near this. */
const MAX_IMAGE = 1024 * 1024;

const hex = (a: number) => `0x${(a >>> 0).toString(16)}`;

export function inspectAplx(mem: ChipMemory, address: number): AplxLoad {
  // The file's length is not known on the chip: decode what memory holds from `address` on.
  const window = mem.mappedLength(address, MAX_IMAGE);
  if (window < APLX_RECORD_BYTES) throw new AplxError(`APLX at ${hex(address)} lies outside memory`);
  const file = mem.read(address, window);
  let records: AplxRecord[];
  try {
    records = decode(file).records;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    throw new AplxError(`APLX at ${hex(address)} (${window} bytes of memory from there) cannot be loaded: ${e.message.slice(e.codec.length + 2)}`);
  }
  // The loader jumps to the entry point at EXEC; c_main normally never returns, so later records are never run.
  const execAt = records.findIndex((r) => r.op === 'exec');
  const reached = execAt < 0 ? records : records.slice(0, execAt + 1);
  let extent = APLX_RECORD_BYTES * reached.length;
  let exec: number | undefined;
  loadSteps({ records: reached, file }, address).forEach((step, i) => {
    const r = reached[i];
    if (step.kind === 'exec') exec = step.entry;
    else if (step.length > MAX_IMAGE) throw new AplxError(`APLX record ${i} ${step.kind === 'fill' ? 'fills' : 'copies'} ${step.length} bytes, more than a core's memory`);
    else if (step.kind === 'copy' && !mem.isMapped(step.src, step.length)) {
      throw new AplxError(`APLX record ${i} copies ${step.length} bytes from ${hex(step.src)}, outside memory`);
    }
    if (r.op === 'rcopy') extent = Math.max(extent, APLX_RECORD_BYTES * i + r.srcOffset + r.length);
  });
  return { image: file.slice(0, extent), exec };
}
