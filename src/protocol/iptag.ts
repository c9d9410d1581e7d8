import { defineStruct, type StructOf } from './struct.js';
import { type BodyCodec, type ScpBody, bits, field, ipFromWord, ipToWord, pack, requireArgs } from './body.js';
import { DecodeError } from './errors.js';

/**
 * IP tags: the iptag_t record (32 bytes, the CMD_IPTAG GET payload) and
 * CMD_IPTAG (26) argument packing (digest §7).
 */
const IPTAG_FIELDS = [
  ['ip', 0, 'u8[4]'],
  ['mac', 4, 'u8[6]'],
  ['tx_port', 10, 'u16'],
  ['timeout', 12, 'u16'],
  ['flags', 14, 'u16'],
  ['count', 16, 'u32'],
  ['rx_port', 20, 'u16'],
  ['dest_addr', 22, 'u16'],
  ['dest_port', 24, 'u8'],
] as const; // 25..31 pad
export type IpTagRecord = StructOf<typeof IPTAG_FIELDS>;
export const iptagRecord = defineStruct('iptag_t', 32, IPTAG_FIELDS);
export const IPTAG_SIZE = 32;
export const TAG_FIXED_SIZE = 8;
export const TAG_POOL_SIZE = 8;
export const TAG_TABLE_SIZE = 16;
/** Default transient-tag timeout (log value): 2^(9-1) ticks of 10 ms = 2.56 s. */
export const TAG_TTO_DEFAULT = 9;

/** iptag_t.flags bits. The CMD_IPTAG arg1 flag nibble [31:28] maps onto 0x0F00. */
export const IpTagFlag = {
  VALID: 0x8000,
  TRANSIENT: 0x4000,
  ARP: 0x2000,
  SPARE: 0x0800,
  USE_SENDER: 0x0400,
  REVERSE: 0x0200,
  STRIP: 0x0100,
} as const;

export const IptagOp = { NEW: 0, SET: 1, GET: 2, CLR: 3, TTO: 4 } as const;

/**
 * `flags` holds the 0x0F00 bits (STRIP, REVERSE, USE_SENDER, SPARE), `timeout`
 * the 4-bit log lifetime (0 = permanent), `sdpPortCpu` the SDP dest byte for
 * reverse tags, `destAddr` the (x<<8)|y chip for reverse tags, `port` the UDP
 * port (tx for forward, rx for reverse), `ip` the address ("0.0.0.0" = sender's).
 */
export interface IptagSet {
  op: 'set' | 'new';
  tag: number;
  flags: number;
  timeout: number;
  sdpPortCpu: number;
  destAddr: number;
  port: number;
  ip: string;
}

export type IptagRequest =
  | IptagSet
  | { op: 'get'; tag: number; count: number }
  | { op: 'clear'; tag: number }
  /** timeout ≥ 16 only reads the current value (ybug sends 255). */
  | { op: 'tto'; tag: number; timeout: number }
  | { op: 'unknown'; code: number; tag: number; arg2: number; arg3: number };

const C = 'CMD_IPTAG request';

function a1(code: number, tag: number, extra = 0): number {
  return (pack([field(C, 'op', code, 8), 16], [field(C, 'tag', tag, 8), 0]) + extra) >>> 0;
}

export const iptagRequest: BodyCodec<IptagRequest> = {
  encode(r) {
    const d = new Uint8Array(0);
    switch (r.op) {
      case 'set':
      case 'new': {
        if ((r.flags & ~0x0f00) !== 0) throw new RangeError(`${C}: flags may only hold 0x0F00 bits (STRIP, REVERSE, USE_SENDER), got 0x${r.flags.toString(16)}`);
        const extra = pack([r.flags >> 8, 28], [field(C, 'timeout', r.timeout, 4), 24], [field(C, 'sdpPortCpu', r.sdpPortCpu, 8), 8]);
        const arg2 = pack([field(C, 'destAddr', r.destAddr, 16), 16], [field(C, 'port', r.port, 16), 0]);
        return { args: [a1(r.op === 'new' ? 0 : 1, r.tag, extra), arg2, ipToWord(r.ip)], data: d };
      }
      case 'get': return { args: [a1(2, r.tag), field(C, 'count', r.count, 32), 0], data: d };
      case 'clear': return { args: [a1(3, r.tag), 0, 0], data: d };
      case 'tto': return { args: [a1(4, r.tag), field(C, 'timeout', r.timeout, 32), 0], data: d };
      case 'unknown':
        if (r.code <= 4) throw new RangeError(`${C}: op ${r.code} is known; use its own form`);
        return { args: [a1(r.code, r.tag), field(C, 'arg2', r.arg2, 32), field(C, 'arg3', r.arg3, 32)], data: d };
    }
  },
  decode(body: ScpBody): IptagRequest {
    const [w1, w2, w3] = requireArgs(C, body, 3);
    const code = bits(w1, 16, 8);
    const tag = bits(w1, 0, 8);
    switch (code) {
      case 0:
      case 1:
        return {
          op: code === 0 ? 'new' : 'set',
          tag,
          flags: bits(w1, 28, 4) << 8,
          timeout: bits(w1, 24, 4),
          sdpPortCpu: bits(w1, 8, 8),
          destAddr: bits(w2, 16, 16),
          port: bits(w2, 0, 16),
          ip: ipFromWord(w3),
        };
      case 2: return { op: 'get', tag, count: w2 };
      case 3: return { op: 'clear', tag };
      case 4: return { op: 'tto', tag, timeout: w2 };
      default: return { op: 'unknown', code, tag, arg2: w2, arg3: w3 };
    }
  },
  encodingLength: () => 12,
};

/** Reply to TTO: arg1 = fixed<<24 | pool<<16 | record size<<8 | previous tto. */
export interface TtoReply {
  fixed: number;
  pool: number;
  recordSize: number;
  tto: number;
}

export const ttoReply: BodyCodec<TtoReply> = {
  encode: (r) => ({
    args: [pack([field('TTO reply', 'fixed', r.fixed, 8), 24], [field('TTO reply', 'pool', r.pool, 8), 16], [field('TTO reply', 'recordSize', r.recordSize, 8), 8], [field('TTO reply', 'tto', r.tto, 8), 0])],
    data: new Uint8Array(0),
  }),
  decode(body) {
    const [w] = requireArgs('TTO reply', body, 1);
    return { fixed: bits(w, 24, 8), pool: bits(w, 16, 8), recordSize: bits(w, 8, 8), tto: bits(w, 0, 8) };
  },
  encodingLength: () => 4,
};

/** GET reply: `count` consecutive iptag_t records as raw data (no args). */
export function decodeGetReply(data: Uint8Array): IpTagRecord[] {
  if (data.length % IPTAG_SIZE !== 0) throw new DecodeError('CMD_IPTAG GET reply', `length ${data.length} is not a multiple of ${IPTAG_SIZE}`);
  const out: IpTagRecord[] = [];
  for (let o = 0; o < data.length; o += IPTAG_SIZE) out.push(iptagRecord.decode(data, o));
  return out;
}

export function encodeGetReply(records: IpTagRecord[]): Uint8Array {
  const out = new Uint8Array(records.length * IPTAG_SIZE);
  records.forEach((r, i) => iptagRecord.encode(r, out, i * IPTAG_SIZE));
  return out;
}

/** Lifetime in 10 ms ticks for a timeout log value (0 = permanent). */
export function timeoutTicks(t: number): number {
  return t === 0 ? 0 : 1 << (t - 1);
}
