import { DecodeError, requireLength } from './errors.js';

/**
 * SCP packet: the payload of an SDP message to port 0.
 * cmd_rc (u16), seq (u16), then up to three u32 args, then data.
 * Requests always carry all three args (SC&MP answers RC_LEN otherwise);
 * replies carry as many args as the command's handler returns.
 */
export interface ScpPacket {
  cmdRc: number;
  seq: number;
  args: number[]; // 0..3 uint32 values
  data: Uint8Array;
}

export const SCP_HEADER_BYTES = 4;
export const SCP_MAX_DATA = 256;

export function encodingLength(p: ScpPacket): number {
  return SCP_HEADER_BYTES + 4 * p.args.length + p.data.length;
}

export function encode(p: ScpPacket, buf?: Uint8Array, offset = 0): Uint8Array {
  if (p.args.length > 3) throw new RangeError(`SCP carries at most 3 args, got ${p.args.length}`);
  if (!Number.isInteger(p.cmdRc) || p.cmdRc < 0 || p.cmdRc > 0xffff) throw new RangeError(`SCP cmd_rc must be 0..65535, got ${p.cmdRc}`);
  if (!Number.isInteger(p.seq) || p.seq < 0 || p.seq > 0xffff) throw new RangeError(`SCP seq must be 0..65535, got ${p.seq}`);
  const length = encodingLength(p);
  const out = buf ?? new Uint8Array(length);
  if (out.length - offset < length) throw new RangeError(`SCP encode needs ${length} bytes, buffer has ${out.length - offset}`);
  const dv = new DataView(out.buffer, out.byteOffset + offset, length);
  dv.setUint16(0, p.cmdRc, true);
  dv.setUint16(2, p.seq, true);
  p.args.forEach((a, i) => dv.setUint32(4 + 4 * i, a >>> 0, true));
  out.set(p.data, offset + SCP_HEADER_BYTES + 4 * p.args.length);
  return out;
}

/**
 * Decodes an SCP packet. `nArgs` says how many u32 args precede the data
 * (3 for requests; per command for replies). If fewer bytes are present than
 * nArgs needs, only the whole args present are decoded.
 */
export function decode(bytes: Uint8Array, nArgs = 3, offset = 0): ScpPacket {
  requireLength('SCP', bytes, offset, SCP_HEADER_BYTES);
  if (nArgs < 0 || nArgs > 3) throw new DecodeError('SCP', `nArgs must be 0..3, got ${nArgs}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.length - offset);
  const available = Math.floor((bytes.length - offset - SCP_HEADER_BYTES) / 4);
  const n = Math.min(nArgs, available);
  const args: number[] = [];
  for (let i = 0; i < n; i++) args.push(dv.getUint32(4 + 4 * i, true));
  return {
    cmdRc: dv.getUint16(0, true),
    seq: dv.getUint16(2, true),
    args,
    data: bytes.subarray(offset + SCP_HEADER_BYTES + 4 * n),
  };
}

/** Decodes a request: SC&MP requires all three args (SDP length ≥ 24). */
export function decodeRequest(bytes: Uint8Array, offset = 0): ScpPacket {
  requireLength('SCP request', bytes, offset, SCP_HEADER_BYTES + 12);
  return decode(bytes, 3, offset);
}
