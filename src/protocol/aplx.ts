import { DecodeError } from './errors.js';

/**
 * APLX files (digest §5.2): a table of 16-byte records (opcode, w1, w2, w3;
 * LE u32) ending with END, followed by the images the records copy.
 * Copies and fills move 32-byte chunks, so lengths round up to 32; a zero
 * length would make the on-chip loader run away and is rejected.
 */
export const AplxOpcode = { ACOPY: 1, RCOPY: 2, FILL: 3, EXEC: 4, END: 0xff } as const;
export const APLX_RECORD_BYTES = 16;

export type AplxRecord =
  | { op: 'acopy'; dest: number; src: number; length: number }
  /** srcOffset is relative to the start of this record. */
  | { op: 'rcopy'; dest: number; srcOffset: number; length: number }
  | { op: 'fill'; dest: number; length: number; word: number }
  | { op: 'exec'; entry: number }
  /** Any opcode other than 1..4 ends the table; 0xFF from mkaplx. */
  | { op: 'end'; code: number };

export interface Aplx {
  records: AplxRecord[];
  /** The whole file (table + images). */
  file: Uint8Array;
}

const CODEC = 'APLX';

function u32(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${CODEC}: ${name} must be a u32, got ${v}`);
  return v;
}

/** Encodes the record table (ending in one END record). */
export function encodeTable(records: AplxRecord[]): Uint8Array {
  const last = records[records.length - 1];
  if (!last || last.op !== 'end') throw new RangeError(`${CODEC}: the record table must end with an END record`);
  if (records.slice(0, -1).some((r) => r.op === 'end')) throw new RangeError(`${CODEC}: END may only be the last record`);
  const out = new Uint8Array(records.length * APLX_RECORD_BYTES);
  const dv = new DataView(out.buffer);
  records.forEach((r, i) => {
    const w = (k: number, v: number, n: string) => dv.setUint32(i * 16 + 4 * k, u32(n, v), true);
    switch (r.op) {
      case 'acopy': w(0, 1, 'op'); w(1, r.dest, 'dest'); w(2, r.src, 'src'); w(3, r.length, 'length'); break;
      case 'rcopy': w(0, 2, 'op'); w(1, r.dest, 'dest'); w(2, r.srcOffset, 'srcOffset'); w(3, r.length, 'length'); break;
      case 'fill': w(0, 3, 'op'); w(1, r.dest, 'dest'); w(2, r.length, 'length'); w(3, r.word, 'word'); break;
      case 'exec': w(0, 4, 'op'); w(1, r.entry, 'entry'); break;
      case 'end':
        if (r.code >= 1 && r.code <= 4) throw new RangeError(`${CODEC}: END code ${r.code} is a real opcode`);
        w(0, r.code, 'code');
        break;
    }
  });
  return out;
}

/** A whole file: the table followed by `images`. */
export function encode(records: AplxRecord[], images: Uint8Array = new Uint8Array(0)): Uint8Array {
  const table = encodeTable(records);
  const out = new Uint8Array(table.length + images.length);
  out.set(table);
  out.set(images, table.length);
  return out;
}

export function encodingLength(records: AplxRecord[], images: Uint8Array = new Uint8Array(0)): number {
  return records.length * APLX_RECORD_BYTES + images.length;
}

/**
 * Decodes and validates an APLX file. Errors name the record and the problem:
 * a file shorter than one record, a table without END, a zero-length copy or
 * fill, or an RCOPY whose source lies outside the file.
 */
export function decode(file: Uint8Array): Aplx {
  if (file.length < APLX_RECORD_BYTES) throw new DecodeError(CODEC, `file of ${file.length} bytes is shorter than one 16-byte record`);
  const dv = new DataView(file.buffer, file.byteOffset, file.length);
  const records: AplxRecord[] = [];
  for (let off = 0; ; off += APLX_RECORD_BYTES) {
    const n = off / APLX_RECORD_BYTES;
    if (off + APLX_RECORD_BYTES > file.length) throw new DecodeError(CODEC, `record table runs off the end of the ${file.length}-byte file without an END record (after ${n} records)`);
    const op = dv.getUint32(off, true);
    const [w1, w2, w3] = [dv.getUint32(off + 4, true), dv.getUint32(off + 8, true), dv.getUint32(off + 12, true)];
    if (op === 1 || op === 2 || op === 3) {
      const length = op === 3 ? w2 : w3;
      if (length === 0) throw new DecodeError(CODEC, `record ${n} (${op === 3 ? 'FILL' : op === 1 ? 'ACOPY' : 'RCOPY'}) has length 0, which the loader cannot execute`);
    }
    if (op === 1) records.push({ op: 'acopy', dest: w1, src: w2, length: w3 });
    else if (op === 2) {
      if (off + w2 + w3 > file.length) {
        throw new DecodeError(CODEC, `record ${n} (RCOPY) reads ${w3} bytes from file offset ${off + w2}, beyond the ${file.length}-byte file`);
      }
      records.push({ op: 'rcopy', dest: w1, srcOffset: w2, length: w3 });
    } else if (op === 3) records.push({ op: 'fill', dest: w1, length: w2, word: w3 });
    else if (op === 4) records.push({ op: 'exec', entry: w1 });
    else {
      records.push({ op: 'end', code: op });
      return { records, file };
    }
  }
}

/** Bytes a copy or fill really moves: the length rounded up to 32. */
export function chunkedLength(length: number): number {
  return Math.ceil(length / 32) * 32;
}

/** One step of the on-chip loader, in absolute addresses, with lengths rounded up to 32. */
export type AplxStep =
  | { kind: 'copy'; dest: number; src: number; length: number }
  | { kind: 'fill'; dest: number; length: number; word: number }
  | { kind: 'exec'; entry: number };

/**
 * What the loader does for a file stored at `loadAddress` (e.g. sdram_sys):
 * RCOPY sources become absolute (record address + offset). The emulator
 * applies the steps to chip memory in order.
 */
export function loadSteps(aplx: Aplx, loadAddress: number): AplxStep[] {
  return aplx.records.flatMap((r, i): AplxStep[] => {
    switch (r.op) {
      case 'acopy': return [{ kind: 'copy', dest: r.dest, src: r.src, length: chunkedLength(r.length) }];
      case 'rcopy': return [{ kind: 'copy', dest: r.dest, src: (loadAddress + i * APLX_RECORD_BYTES + r.srcOffset) >>> 0, length: chunkedLength(r.length) }];
      case 'fill': return [{ kind: 'fill', dest: r.dest, length: chunkedLength(r.length), word: r.word }];
      case 'exec': return [{ kind: 'exec', entry: r.entry }];
      case 'end': return [];
    }
  });
}
