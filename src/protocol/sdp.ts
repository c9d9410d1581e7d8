import { Parser } from 'binary-parser';
import { DecodeError, requireLength } from './errors.js';

/**
 * SDP header as carried in a UDP datagram to/from SC&MP on port 17893:
 * 2 pad bytes, then flags, tag, dest port/cpu, srce port/cpu, dest (y, x), srce (y, x).
 */
export interface SdpHeader {
  flags: number;
  tag: number;
  destPort: number; // 0..7
  destCpu: number; // 0..31
  srcePort: number;
  srceCpu: number;
  destX: number;
  destY: number;
  srceX: number;
  srceY: number;
}

export interface SdpMessage {
  header: SdpHeader;
  /** Everything after the 8-byte SDP header (the SCP part for port 0). */
  payload: Uint8Array;
}

export const SDP_PAD_BYTES = 2;
export const SDP_HEADER_BYTES = 8;
/** SC&MP drops datagrams whose SDP part exceeds 8 + 16 + 256 bytes. */
export const SDP_MAX_BYTES = 280;

export const SDP_FLAG_REPLY_EXPECTED = 0x80;
export const SDP_FLAG_CHECKSUM = 0x40;
export const SDP_FLAG_NO_P2P = 0x20;
export const SDP_FLAGS_REQUEST = 0x87;
export const SDP_FLAGS_NO_REPLY = 0x07;
/** Port/cpu byte 0xFF = PORT_ETH: the Ethernet (host). */
export const SDP_PORT_CPU_ETH = 0xff;
/** Tag 0xFF with reply-expected asks SC&MP for a transient tag. */
export const SDP_TAG_TRANSIENT = 0xff;

const headerParser = new Parser()
  .endianness('little')
  .skip(SDP_PAD_BYTES)
  .uint8('flags')
  .uint8('tag')
  .uint8('destPortCpu')
  .uint8('srcePortCpu')
  .uint8('destY')
  .uint8('destX')
  .uint8('srceY')
  .uint8('srceX');

function packPortCpu(port: number, cpu: number): number {
  return ((port & 0x7) << 5) | (cpu & 0x1f);
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`SDP ${name} must be an integer 0..${max}, got ${value}`);
  }
}

export function encodingLength(msg: SdpMessage): number {
  return SDP_PAD_BYTES + SDP_HEADER_BYTES + msg.payload.length;
}

/** Encodes a datagram (with the 2-byte pad). */
export function encode(msg: SdpMessage, buf?: Uint8Array, offset = 0): Uint8Array {
  const h = msg.header;
  checkField('flags', h.flags, 0xff);
  checkField('tag', h.tag, 0xff);
  checkField('destPort', h.destPort, 7);
  checkField('destCpu', h.destCpu, 31);
  checkField('srcePort', h.srcePort, 7);
  checkField('srceCpu', h.srceCpu, 31);
  for (const k of ['destX', 'destY', 'srceX', 'srceY'] as const) checkField(k, h[k], 0xff);
  const length = encodingLength(msg);
  const out = buf ?? new Uint8Array(length);
  if (out.length - offset < length) throw new RangeError(`SDP encode needs ${length} bytes, buffer has ${out.length - offset}`);
  out[offset] = 0;
  out[offset + 1] = 0;
  out[offset + 2] = h.flags;
  out[offset + 3] = h.tag;
  out[offset + 4] = packPortCpu(h.destPort, h.destCpu);
  out[offset + 5] = packPortCpu(h.srcePort, h.srceCpu);
  out[offset + 6] = h.destY;
  out[offset + 7] = h.destX;
  out[offset + 8] = h.srceY;
  out[offset + 9] = h.srceX;
  out.set(msg.payload, offset + 10);
  return out;
}

/** Decodes a datagram (with the 2-byte pad). The payload is a view, not a copy. */
export function decode(bytes: Uint8Array, offset = 0): SdpMessage {
  requireLength('SDP', bytes, offset, SDP_PAD_BYTES + SDP_HEADER_BYTES);
  if (bytes.length - offset - SDP_PAD_BYTES > SDP_MAX_BYTES) {
    throw new DecodeError('SDP', `message of ${bytes.length - offset - SDP_PAD_BYTES} bytes exceeds the ${SDP_MAX_BYTES}-byte limit`);
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, SDP_PAD_BYTES + SDP_HEADER_BYTES);
  const raw = headerParser.parse(view) as Record<string, number>;
  return {
    header: {
      flags: raw.flags,
      tag: raw.tag,
      destPort: raw.destPortCpu >> 5,
      destCpu: raw.destPortCpu & 0x1f,
      srcePort: raw.srcePortCpu >> 5,
      srceCpu: raw.srcePortCpu & 0x1f,
      destX: raw.destX,
      destY: raw.destY,
      srceX: raw.srceX,
      srceY: raw.srceY,
    },
    payload: bytes.subarray(offset + SDP_PAD_BYTES + SDP_HEADER_BYTES),
  };
}

/** The header of the reply SC&MP would form for a request: ports and addresses swapped. */
export function replyHeader(request: SdpHeader, flags = SDP_FLAGS_NO_REPLY): SdpHeader {
  return {
    flags,
    tag: request.tag,
    destPort: request.srcePort,
    destCpu: request.srceCpu,
    srcePort: request.destPort,
    srceCpu: request.destCpu,
    destX: request.srceX,
    destY: request.srceY,
    srceX: request.destX,
    srceY: request.destY,
  };
}
