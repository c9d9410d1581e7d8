import { DecodeError, requireLength } from './errors.js';

/**
 * EIEIO packets (FEC eieio.h; neural-formats §4.2), used by the spike-source
 * send buffers. Data header: a LE u16
 *   [7:0] count, [9:8] tag, [11:10] type, [12] payload is timestamp,
 *   [13] payload prefix present, [14] prefix upper half (F), [15] key prefix present (P);
 * then an optional u16 key prefix, an optional payload prefix (u16 for 16-bit
 * types, u32 for 32-bit), then `count` events.
 * Command packets have P = 0, F = 1: header = 0x4000 | 14-bit command.
 */
export const EieioType = { KEY_16: 0, KEY_PAYLOAD_16: 1, KEY_32: 2, KEY_PAYLOAD_32: 3 } as const;
export const EieioCommand = {
  EVENT_PADDING: 2,
  EVENT_STOP: 3,
  STOP_SENDING_REQUESTS: 4,
  START_SENDING_REQUESTS: 5,
  SPINNAKER_REQUEST_BUFFERS: 6,
  HOST_SEND_SEQUENCED_DATA: 7,
  SPINNAKER_REQUEST_READ_DATA: 8,
  HOST_DATA_READ: 9,
  HOST_DATA_READ_ACK: 12,
} as const;
/** Largest EIEIO packet the spike-source reads (one SDP data area). */
export const EIEIO_MAX_BYTES = 272;

export interface EieioEvent {
  key: number;
  /** Present exactly for the KEY_PAYLOAD types. */
  payload?: number;
}

export interface EieioData {
  kind: 'data';
  type: number;
  tag: number;
  payloadIsTimestamp: boolean;
  /** F bit: the key prefix goes in the upper half of the key. */
  prefixUpper: boolean;
  keyPrefix: number | null;
  payloadPrefix: number | null;
  events: EieioEvent[];
}

export interface EieioCommandPacket {
  kind: 'command';
  command: number;
  /** Bytes after the header (command-specific). */
  data: Uint8Array;
}

export type EieioPacket = EieioData | EieioCommandPacket;

const C = 'EIEIO';

function is32(type: number): boolean {
  return type >= 2;
}

function hasPayload(type: number): boolean {
  return type === 1 || type === 3;
}

function eventBytes(type: number): number {
  return (is32(type) ? 4 : 2) * (hasPayload(type) ? 2 : 1);
}

export function encodingLength(p: EieioPacket): number {
  if (p.kind === 'command') return 2 + p.data.length;
  return 2 + (p.keyPrefix !== null ? 2 : 0) + (p.payloadPrefix !== null ? (is32(p.type) ? 4 : 2) : 0) + p.events.length * eventBytes(p.type);
}

function check(name: string, v: number, bits: number): number {
  const max = bits === 32 ? 0xffffffff : 2 ** bits - 1;
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${C}: ${name} must be an integer 0..${max}, got ${v}`);
  return v;
}

export function encode(p: EieioPacket, buf?: Uint8Array, offset = 0): Uint8Array {
  const len = encodingLength(p);
  const out = buf ?? new Uint8Array(len);
  if (out.length - offset < len) throw new RangeError(`${C} encode needs ${len} bytes, buffer has ${out.length - offset}`);
  const dv = new DataView(out.buffer, out.byteOffset + offset, len);
  if (p.kind === 'command') {
    dv.setUint16(0, 0x4000 | check('command', p.command, 14), true);
    out.set(p.data, offset + 2);
    return out;
  }
  check('type', p.type, 2);
  if (p.events.length > 255) throw new RangeError(`${C}: at most 255 events per packet, got ${p.events.length}`);
  if (p.prefixUpper && p.keyPrefix === null) throw new RangeError(`${C}: prefixUpper needs a key prefix (P=0, F=1 is a command header)`);
  const header =
    p.events.length |
    (check('tag', p.tag, 2) << 8) |
    (p.type << 10) |
    (p.payloadIsTimestamp ? 1 << 12 : 0) |
    (p.payloadPrefix !== null ? 1 << 13 : 0) |
    (p.prefixUpper ? 1 << 14 : 0) |
    (p.keyPrefix !== null ? 1 << 15 : 0);
  dv.setUint16(0, header, true);
  let o = 2;
  const wide = is32(p.type);
  const put = (name: string, v: number) => {
    if (wide) dv.setUint32(o, check(name, v, 32), true);
    else dv.setUint16(o, check(name, v, 16), true);
    o += wide ? 4 : 2;
  };
  if (p.keyPrefix !== null) {
    dv.setUint16(o, check('keyPrefix', p.keyPrefix, 16), true);
    o += 2;
  }
  if (p.payloadPrefix !== null) put('payloadPrefix', p.payloadPrefix);
  p.events.forEach((e, i) => {
    put(`events[${i}].key`, e.key);
    if (hasPayload(p.type)) {
      if (e.payload === undefined) throw new RangeError(`${C}: events[${i}] needs a payload for type ${p.type}`);
      put(`events[${i}].payload`, e.payload);
    } else if (e.payload !== undefined) throw new RangeError(`${C}: events[${i}] has a payload but type ${p.type} carries none`);
  });
  return out;
}

/** Decodes one packet at `offset`; returns it with the number of bytes it used (commands take no data here). */
export function decodeAt(bytes: Uint8Array, offset = 0): { packet: EieioPacket; length: number } {
  requireLength(C, bytes, offset, 2);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.length - offset);
  const h = dv.getUint16(0, true);
  if ((h & 0xc000) === 0x4000) return { packet: { kind: 'command', command: h & 0x3fff, data: new Uint8Array(0) }, length: 2 };
  const type = (h >> 10) & 3;
  const count = h & 0xff;
  const wide = is32(type);
  const keyPrefixed = (h & 0x8000) !== 0;
  const payloadPrefixed = (h & 0x2000) !== 0;
  const need = 2 + (keyPrefixed ? 2 : 0) + (payloadPrefixed ? (wide ? 4 : 2) : 0) + count * eventBytes(type);
  if (bytes.length - offset < need) throw new DecodeError(C, `header 0x${h.toString(16).padStart(4, '0')} announces ${count} events (${need} bytes) but ${bytes.length - offset} remain`);
  let o = 2;
  const take = () => {
    const v = wide ? dv.getUint32(o, true) : dv.getUint16(o, true);
    o += wide ? 4 : 2;
    return v;
  };
  let keyPrefix: number | null = null;
  if (keyPrefixed) {
    keyPrefix = dv.getUint16(o, true);
    o += 2;
  }
  const payloadPrefix = payloadPrefixed ? take() : null;
  const events: EieioEvent[] = [];
  for (let i = 0; i < count; i++) {
    const key = take();
    events.push(hasPayload(type) ? { key, payload: take() } : { key });
  }
  return {
    packet: { kind: 'data', type, tag: (h >> 8) & 3, payloadIsTimestamp: (h & 0x1000) !== 0, prefixUpper: (h & 0x4000) !== 0, keyPrefix, payloadPrefix, events },
    length: need,
  };
}

/** Decodes a whole datagram/buffer as one packet: a command keeps the trailing bytes as its data; a data packet must fill it exactly. */
export function decode(bytes: Uint8Array, offset = 0): EieioPacket {
  const { packet, length } = decodeAt(bytes, offset);
  if (packet.kind === 'command') return { ...packet, data: Uint8Array.from(bytes.subarray(offset + 2)) };
  if (length !== bytes.length - offset) throw new DecodeError(C, `${bytes.length - offset - length} bytes follow the ${length}-byte data packet`);
  return packet;
}

/**
 * Reads a spike-source send buffer: packets back to back, padding (0x4002)
 * skipped, ending at a stop command (0x4003) or the end of the bytes.
 */
export function decodeSendBuffer(bytes: Uint8Array): EieioData[] {
  const out: EieioData[] = [];
  let o = 0;
  while (o + 2 <= bytes.length) {
    const { packet, length } = decodeAt(bytes, o);
    o += length;
    if (packet.kind === 'command') {
      if (packet.command === EieioCommand.EVENT_STOP) break;
      if (packet.command === EieioCommand.EVENT_PADDING) continue;
      throw new DecodeError(C, `command ${packet.command} at offset ${o - 2} in a send buffer`);
    }
    out.push(packet);
  }
  return out;
}

/** The SSA send-buffer packet for one tick: header count | 0x3800, u32 timestamp, u32 keys. */
export function timedKeys32(time: number, keys: number[]): EieioData {
  return { kind: 'data', type: EieioType.KEY_32, tag: 0, payloadIsTimestamp: true, prefixUpper: false, keyPrefix: null, payloadPrefix: time, events: keys.map((key) => ({ key })) };
}

/** Most keys per timed KEY_32 packet within EIEIO_MAX_BYTES: (272 - 6) / 4 = 66. */
export const MAX_KEYS_PER_TIMED_PACKET = Math.floor((EIEIO_MAX_BYTES - 6) / 4);
