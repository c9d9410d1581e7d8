import { DecodeError } from './errors.js';

/**
 * The part of an SCP packet after cmd_rc and seq: up to three u32 args and
 * data. Command codecs encode their typed request/reply into a body and
 * decode it back; `scp.encode({ cmdRc, seq, ...body })` puts it on the wire.
 */
export interface ScpBody {
  args: number[];
  data: Uint8Array;
}

/** A codec between a typed value and an SCP body (dns-packet style). */
export interface BodyCodec<T> {
  encode(value: T): ScpBody;
  decode(body: ScpBody): T;
  /** Bytes the body occupies after cmd_rc/seq (4 per arg + data). */
  encodingLength(value: T): number;
}

export const EMPTY = new Uint8Array(0);

export function bodyLength(b: ScpBody): number {
  return 4 * b.args.length + b.data.length;
}

/** Checks that `value` is an integer fitting in `width` bits; names the field on failure. */
export function field(codec: string, name: string, value: number, width: number): number {
  const max = width >= 32 ? 0xffffffff : 2 ** width - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${codec}: ${name} must be an integer 0..${max}, got ${value}`);
  }
  return value;
}

/** Extracts bits [shift+width-1 : shift] of a u32. */
export function bits(word: number, shift: number, width: number): number {
  return width >= 32 ? word >>> 0 : Math.floor((word >>> 0) / 2 ** shift) % 2 ** width;
}

/** Packs (value, shift) pairs into a u32 (no overlap checks; callers range-check first). */
export function pack(...parts: [value: number, shift: number][]): number {
  let w = 0;
  for (const [v, s] of parts) w += v * 2 ** s;
  return w >>> 0;
}

export function requireArgs(codec: string, body: ScpBody, n: number): number[] {
  if (body.args.length < n) throw new DecodeError(codec, `needs ${n} args, got ${body.args.length}`);
  for (const a of body.args.slice(0, n)) {
    if (!Number.isInteger(a) || a < 0 || a > 0xffffffff) throw new DecodeError(codec, `arg ${a} is not a u32`);
  }
  return body.args;
}

/** Dotted-quad IPv4 from 4 bytes, first octet first. */
export function ipFromBytes(b: ArrayLike<number>): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

export function ipToBytes(ip: string): Uint8Array {
  const parts = ip.split('.');
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (nums.length !== 4 || nums.some((n) => !(n >= 0 && n <= 255))) {
    throw new RangeError(`"${ip}" is not a dotted-quad IPv4 address`);
  }
  return Uint8Array.from(nums);
}

/** IPv4 as the LE u32 SC&MP uses in args (first octet in the low byte). */
export function ipToWord(ip: string): number {
  const b = ipToBytes(ip);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

export function ipFromWord(w: number): string {
  return ipFromBytes([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);
}
