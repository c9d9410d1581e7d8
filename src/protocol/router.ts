import { DecodeError } from './errors.js';
import { defineStruct, type StructOf } from './struct.js';
import { type BodyCodec, type ScpBody, bits, field, pack, requireArgs } from './body.js';

/**
 * Multicast router entries and CMD_RTR (digest §6.2).
 * rtr_entry_t (16 bytes): next u16, free u16, route u32, key u32, mask u32.
 * The same layout is used for tables the host writes for CMD_RTR load and
 * for sv.rtr_copy (1025 entries, read by ybug rtr_dump and rig).
 */
const RTR_ENTRY_FIELDS = [
  ['next', 0, 'u16'],
  ['free', 2, 'u16'],
  ['route', 4, 'u32'],
  ['key', 8, 'u32'],
  ['mask', 12, 'u32'],
] as const;
export type RtrEntry = StructOf<typeof RTR_ENTRY_FIELDS>;
export const rtrEntry = defineStruct('rtr_entry_t', 16, RTR_ENTRY_FIELDS);
export const RTR_ENTRY_SIZE = 16;
export const RTR_ENTRIES = 1024;
/** sv.rtr_copy holds one more entry than the hardware (the allocator's end marker). */
export const RTR_COPY_ENTRIES = 1025;
export const RTR_ALLOC_MAX = 1023;
/** rtr_copy values of an unused entry. */
export const RTR_UNUSED_ROUTE = 0xff000000;
export const RTR_UNUSED_KEY = 0xffffffff;
export const RTR_UNUSED_MASK = 0;
/** Entry 0 belongs to SC&MP: signals and time sync. */
export const RTR_SIGNAL_KEY = 0xffff5554;
export const RTR_SIGNAL_MASK = 0xfffffffe;

/** Encodes a table of entries back to back (what rig/ybug write before CMD_RTR load). */
export function encodeTable(entries: RtrEntry[]): Uint8Array {
  const out = new Uint8Array(entries.length * RTR_ENTRY_SIZE);
  entries.forEach((e, i) => rtrEntry.encode(e, out, i * RTR_ENTRY_SIZE));
  return out;
}

export function decodeTable(bytes: Uint8Array): RtrEntry[] {
  if (bytes.length % RTR_ENTRY_SIZE !== 0) throw new DecodeError('rtr_entry_t table', `length ${bytes.length} is not a multiple of ${RTR_ENTRY_SIZE}`);
  const out: RtrEntry[] = [];
  for (let o = 0; o < bytes.length; o += RTR_ENTRY_SIZE) out.push(rtrEntry.decode(bytes, o));
  return out;
}

/** Route word: bits [5:0] links E, NE, N, W, SW, S; bits [23:6] virtual cores 0..17. */
export interface Route {
  links: number[];
  cores: number[];
}

export function encodeRoute(r: Route): number {
  let w = 0;
  for (const l of r.links) w |= 1 << (Number.isInteger(l) && l >= 0 && l <= 5 ? l : rangeErr('link', l, 5));
  for (const c of r.cores) w |= 1 << (6 + (Number.isInteger(c) && c >= 0 && c <= 17 ? c : rangeErr('core', c, 17)));
  return w >>> 0;
}

function rangeErr(what: string, v: number, max: number): never {
  throw new RangeError(`route ${what} must be 0..${max}, got ${v}`);
}

export function decodeRoute(word: number): Route {
  const links: number[] = [];
  const cores: number[] = [];
  for (let l = 0; l < 6; l++) if (word & (1 << l)) links.push(l);
  for (let c = 0; c < 18; c++) if (word & (1 << (6 + c))) cores.push(c);
  return { links, cores };
}

/** rtr_copy.free of a used entry: 0x8000 | setter's virtual core << 8 | app_id. */
export function usedEntryFree(appId: number, core: number): number {
  return 0x8000 | (field('rtr_copy', 'core', core, 5) << 8) | field('rtr_copy', 'appId', appId, 8);
}

export type CopyEntryState =
  | { used: false }
  | { used: true; appId: number; core: number; route: number; key: number; mask: number };

/**
 * Interprets an rtr_copy entry: route ≥ 0xFF000000 means unused. The setter's
 * core takes 5 bits (virtual cores reach 17); rig masks only 4.
 */
export function copyEntryState(e: RtrEntry): CopyEntryState {
  if (e.route >= RTR_UNUSED_ROUTE) return { used: false };
  return { used: true, appId: e.free & 0xff, core: (e.free >> 8) & 0x1f, route: e.route, key: e.key, mask: e.mask };
}

// ---- CMD_RTR (29): a1 = count<<16 | app_id<<8 | op --------------------------------

export const RtrOp = { INIT: 0, CLEAR: 1, LOAD: 2, FIXED_ROUTE: 3 } as const;

export type RtrRequest =
  | { op: 'init'; appId: number }
  | { op: 'clear'; appId: number; first: number; count: number }
  /** count 0 = take the count from table[0].free. */
  | { op: 'load'; appId: number; address: number; base: number; count: number }
  | { op: 'readFixedRoute'; appId: number }
  | { op: 'setFixedRoute'; appId: number; route: number }
  | { op: 'unknown'; code: number; appId: number; count: number; arg2: number; arg3: number };

const RTR = 'CMD_RTR request';

function a1(code: number, appId: number, count = 0): number {
  return pack([field(RTR, 'count', count, 16), 16], [field(RTR, 'appId', appId, 8), 8], [field(RTR, 'op', code, 8), 0]);
}

export const rtrRequest: BodyCodec<RtrRequest> = {
  encode(r) {
    const d = new Uint8Array(0);
    switch (r.op) {
      case 'init': return { args: [a1(0, r.appId), 0, 0], data: d };
      case 'clear': return { args: [a1(1, r.appId, r.count), field(RTR, 'first', r.first, 32), 0], data: d };
      case 'load': return { args: [a1(2, r.appId, r.count), field(RTR, 'address', r.address, 32), field(RTR, 'base', r.base, 32)], data: d };
      case 'readFixedRoute': return { args: [a1(3, r.appId), 0x80000000, 0], data: d };
      case 'setFixedRoute': return { args: [a1(3, r.appId), field(RTR, 'route', r.route, 24), 0], data: d };
      case 'unknown':
        if (r.code <= 3) throw new RangeError(`${RTR}: op ${r.code} is known; use its own form`);
        return { args: [a1(r.code, r.appId, r.count), field(RTR, 'arg2', r.arg2, 32), field(RTR, 'arg3', r.arg3, 32)], data: d };
    }
  },
  decode(body: ScpBody): RtrRequest {
    const [w1, w2, w3] = requireArgs(RTR, body, 3);
    const op = bits(w1, 0, 8);
    const appId = bits(w1, 8, 8);
    const count = bits(w1, 16, 16);
    switch (op) {
      case 0: return { op: 'init', appId };
      case 1: return { op: 'clear', appId, first: w2, count };
      case 2: return { op: 'load', appId, address: w2, base: w3, count };
      case 3: return w2 & 0x80000000 ? { op: 'readFixedRoute', appId } : { op: 'setFixedRoute', appId, route: w2 & 0xffffff };
      default: return { op: 'unknown', code: op, appId, count, arg2: w2, arg3: w3 };
    }
  },
  encodingLength: () => 12,
};

// ---- P2P table (0xE1010000): 3 bits per chip, 8 chips per word ------------------

export const P2P_NO_ROUTE = 6;
export const P2P_SELF = 7;
/** Reset value of every P2P word: all eight entries "no route". */
export const P2P_WORD_RESET = 0x00db6db6;

/** Word index and bit offset of chip (x, y)'s entry. */
export function p2pEntryPosition(x: number, y: number): { word: number; shift: number } {
  const index = (field('p2p', 'x', x, 8) << 8) | field('p2p', 'y', y, 8);
  return { word: index >> 3, shift: 3 * (index & 7) };
}

/** Bytes read by rig/SpiNNMan for one column of `height` chips. */
export function p2pColumnBytes(height: number): number {
  return ((height + 7) >> 3) * 4;
}

/** Packs a column of entries (y = 0..n-1) into LE words, unused slots "no route". */
export function encodeP2pColumn(entries: number[]): Uint8Array {
  const out = new Uint8Array(p2pColumnBytes(entries.length));
  const dv = new DataView(out.buffer);
  for (let w = 0; w < out.length / 4; w++) {
    let word = 0;
    for (let i = 0; i < 8; i++) {
      const y = w * 8 + i;
      const e = y < entries.length ? field('p2p', `entry[${y}]`, entries[y], 3) : P2P_NO_ROUTE;
      word |= e << (3 * i);
    }
    dv.setUint32(4 * w, word >>> 0, true);
  }
  return out;
}

export function decodeP2pColumn(bytes: Uint8Array, height: number): number[] {
  if (bytes.length < p2pColumnBytes(height)) throw new DecodeError('P2P column', `${height} entries need ${p2pColumnBytes(height)} bytes, got ${bytes.length}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Array.from({ length: height }, (_, y) => (dv.getUint32(4 * (y >> 3), true) >>> (3 * (y & 7))) & 7);
}
