import { DecodeError } from './errors.js';
import { type BodyCodec, EMPTY, bits, field, pack, requireArgs } from './body.js';
import { type IdOpMask, decodeIdOpMask, encodeIdOpMask } from './app.js';

/**
 * Flood fill and nearest-neighbour packets (digest §5.1): CMD_NNP (20) and
 * CMD_FFD (23), the NN keys of FFS / FFCS / FFE, the region word, and NN
 * memory writes and signals.
 */
export const NnCmd = {
  SIG0: 0, RTRC: 1, LTPC: 2, SIG1: 4, P2PC: 5, FFS: 6, FFCS: 7, P2PB: 8, LKSYN: 9, NISYN: 10, BIFF: 11,
  FBS: 12, FBD: 13, FBE: 14, FFE: 15,
} as const;

/** NN command number of a key (bits [27:24]). */
export function nnKeyCommand(key: number): number {
  return bits(key, 24, 4);
}

/** Default forward (links) and retry used by ybug and rig. */
export const FF_FORWARD = 0x3f;
export const FF_RETRY = 0x18;

// ---- CMD_NNP: a1 = key, a2 = data, a3 = bit31 add-id | forward<<8 | retry ----------

export interface NnpRequest {
  key: number;
  data: number;
  /** Links to send on (a3[15:8]). */
  forward: number;
  /** a3[7:0]: [7:3] µs gap, [2:0] extra repeats. */
  retry: number;
  /** a3 bit 31: SC&MP puts its own 7-bit id in key bits [7:1]. */
  addId: boolean;
}

export const nnpRequest: BodyCodec<NnpRequest> = {
  encode: (r) => ({
    args: [
      field('CMD_NNP', 'key', r.key, 32),
      field('CMD_NNP', 'data', r.data, 32),
      pack([r.addId ? 1 : 0, 31], [field('CMD_NNP', 'forward', r.forward, 8), 8], [field('CMD_NNP', 'retry', r.retry, 8), 0]),
    ],
    data: EMPTY,
  }),
  decode(b) {
    const [key, data, a3] = requireArgs('CMD_NNP request', b, 3);
    return { key, data, forward: bits(a3, 8, 8), retry: bits(a3, 0, 8), addId: bits(a3, 31, 1) === 1 };
  },
  encodingLength: () => 12,
};

// ---- Region word: [31:24] x base, [23:18] y base (high bits), [17:16] level, [15:0] sub-blocks ----

export interface Region {
  level: number;
  x: number; // base x (low 2+shift bits zero)
  y: number;
  selects: number; // 16-bit sub-block mask, bit = sx + 4*sy
}

export const REGION_ALL = 0x0000ffff;

export function encodeRegion(r: Region): number {
  const level = field('region', 'level', r.level, 2);
  if ((r.y & 3) !== 0) throw new RangeError(`region: y base ${r.y} must be a multiple of 4`);
  return pack([field('region', 'x', r.x, 8), 24], [field('region', 'y', r.y, 8), 16], [level, 16], [field('region', 'selects', r.selects, 16), 0]);
}

export function decodeRegion(w: number): Region {
  return { level: bits(w, 16, 2), x: bits(w, 24, 8), y: bits(w, 18, 6) << 2, selects: bits(w, 0, 16) };
}

/** The region word selecting just chip (x, y) at `level` (3 = single chip), as rig's get_region_for_chip. */
export function regionForChip(x: number, y: number, level = 3): number {
  field('region', 'x', x, 8);
  field('region', 'y', y, 8);
  const shift = 6 - 2 * field('region', 'level', level, 2);
  const bit = ((x >> shift) & 3) + 4 * ((y >> shift) & 3);
  const baseMask = 0xff & ~((4 << shift) - 1);
  return encodeRegion({ level, x: x & baseMask, y: y & baseMask, selects: 1 << bit });
}

/** Whether chip (x, y) is inside a region word (3.x semantics). */
export function regionContains(word: number, x: number, y: number): boolean {
  const r = decodeRegion(word);
  const shift = 6 - 2 * r.level;
  const baseMask = 0xff & ~((4 << shift) - 1);
  if ((x & baseMask) !== r.x || (y & baseMask) !== r.y) return false;
  return (r.selects & (1 << (((x >> shift) & 3) + 4 * ((y >> shift) & 3)))) !== 0;
}

// ---- Flood-fill NN keys ---------------------------------------------------------------

/** FFS key: 6<<24 | pid<<16 | n_blocks<<8 (pid even, 2..254). */
export function ffsKey(pid: number, nBlocks: number): number {
  if (pid % 2 !== 0) throw new RangeError(`flood-fill id ${pid} must be even`);
  return pack([NnCmd.FFS, 24], [field('FFS', 'pid', pid, 8), 16], [field('FFS', 'nBlocks', nBlocks, 8), 8]);
}
export function decodeFfsKey(key: number): { pid: number; nBlocks: number; id: number } {
  return { pid: bits(key, 16, 8), nBlocks: bits(key, 8, 8), id: bits(key, 1, 7) };
}

/** FFCS key: 7<<24 | core mask (18 bits). */
export function ffcsKey(coreMask: number): number {
  return pack([NnCmd.FFCS, 24], [field('FFCS', 'coreMask', coreMask, 18), 0]);
}

/** FFE key: 15<<24 | pid. */
export function ffeKey(pid: number): number {
  return pack([NnCmd.FFE, 24], [field('FFE', 'pid', pid, 8), 0]);
}

/** FFS as ybug/rig send it with CMD_NNP. */
export function floodFillStart(pid: number, nBlocks: number, region = 0, forward = FF_FORWARD, retry = FF_RETRY): NnpRequest {
  return { key: ffsKey(pid, nBlocks), data: field('FFS', 'region', region, 32), forward, retry, addId: true };
}

/** FFCS (core select; needed by SC&MP 4.0.0 to arm loading). */
export function floodFillCores(coreMask: number, region = REGION_ALL, forward = FF_FORWARD, retry = FF_RETRY): NnpRequest {
  return { key: ffcsKey(coreMask), data: field('FFCS', 'region', region, 32), forward, retry, addId: false };
}

/** FFE: data = id_op_mask of the application to start. */
export function floodFillEnd(pid: number, idOpMask: IdOpMask, forward = FF_FORWARD, retry = FF_RETRY): NnpRequest {
  return { key: ffeKey(pid), data: encodeIdOpMask(idOpMask), forward, retry, addId: false };
}

export function decodeFfeData(data: number): IdOpMask {
  return decodeIdOpMask(data);
}

// ---- CMD_FFD: a1 = fwd<<24 | rty<<16 | pid, a2 = block<<16 | (words-1)<<8, a3 = address ----

export interface FfdRequest {
  forward: number;
  retry: number;
  pid: number;
  block: number;
  address: number;
  /** The block's bytes: 4..1024, whole words. */
  data: Uint8Array;
}

export const ffdRequest: BodyCodec<FfdRequest> = {
  encode(r) {
    if (r.data.length === 0 || r.data.length % 4 !== 0 || r.data.length > 1024) {
      throw new RangeError(`CMD_FFD: data must be 1..256 whole words, got ${r.data.length} bytes`);
    }
    return {
      args: [
        pack([field('CMD_FFD', 'forward', r.forward, 8), 24], [field('CMD_FFD', 'retry', r.retry, 8), 16], [field('CMD_FFD', 'pid', r.pid, 8), 0]),
        pack([field('CMD_FFD', 'block', r.block, 8), 16], [r.data.length / 4 - 1, 8]),
        field('CMD_FFD', 'address', r.address, 32),
      ],
      data: r.data,
    };
  },
  decode(b) {
    const [a1, a2, a3] = requireArgs('CMD_FFD request', b, 3);
    const words = bits(a2, 8, 8) + 1;
    if (b.data.length < 4 * words) throw new DecodeError('CMD_FFD request', `arg2 announces ${words} words but only ${b.data.length} data bytes follow`);
    return { forward: bits(a1, 24, 8), retry: bits(a1, 16, 8), pid: bits(a1, 0, 8), block: bits(a2, 16, 8), address: a3, data: b.data.subarray(0, 4 * words) };
  },
  encodingLength: (r) => 12 + r.data.length,
};

/** The flood-fill id SC&MP keeps from a pid: (pid >> 1) & 127 (CMD_FFD uses pid & 0xFE). */
export function floodFillId(pid: number): number {
  return (pid >> 1) & 127;
}

// ---- NN memory write (ybug gw/gh/gb) and NN signals -----------------------------------

/** op: 0 sv base, 1 SysRAM base, 2 system controller, 3 sv.mem_ptr; type 0 byte, 1 half, 2 word. */
export function nnMemWriteRequest(op: number, type: number, offset: number, value: number): NnpRequest {
  const key = pack([NnCmd.SIG1, 24], [field('NN write', 'type', type, 2), 18], [field('NN write', 'op', op, 2), 16], [field('NN write', 'offset', offset, 8), 8]);
  return { key, data: field('NN write', 'value', value, 32), forward: 0x3f, retry: 0xf8, addId: true };
}

/** The CMD_NNP ybug app_stop and SpiNNMan AppStop send: NN SIG0 with data 5<<28 | signal word. */
export function nnSignalRequest(signal: number, appId: number, appMask = 0xff): NnpRequest {
  const word = pack([5, 28], [field('NN signal', 'signal', signal, 4), 16], [field('NN signal', 'appMask', appMask, 8), 8], [field('NN signal', 'appId', appId, 8), 0]);
  return { key: 0x003f0000, data: word, forward: 0x3f, retry: 0, addId: true };
}

/** The fields of an NN memory-write (SIG1) key; `sub` (bits [23:20]) must be 0 for a write. */
export interface NnMemWriteKey {
  sub: number;
  type: number;
  op: number;
  offset: number;
}
export function decodeNnMemWriteKey(key: number): NnMemWriteKey {
  return { sub: bits(key, 20, 4), type: bits(key, 18, 2), op: bits(key, 16, 2), offset: bits(key, 8, 8) };
}

// ---- FBS / FBD / FBE: the NN keys SC&MP sends for one CMD_FFD block ---------------------

/**
 * cmd<<24 | block<<16 | field<<8 | (pid & 0xFE). `field` is words-1 for FBS,
 * the word offset for FBD and 0 for FBE; bits [7:1] carry the flood-fill id.
 */
export interface FfBlockKey {
  cmd: number;
  block: number;
  field: number;
  /** The 7-bit flood-fill id (floodFillId(pid)). */
  id: number;
}
export function ffBlockKey(k: FfBlockKey): number {
  return pack([field('FF block key', 'cmd', k.cmd, 4), 24], [field('FF block key', 'block', k.block, 8), 16], [field('FF block key', 'field', k.field, 8), 8], [field('FF block key', 'id', k.id, 7), 1]);
}
export function decodeFfBlockKey(key: number): FfBlockKey {
  return { cmd: bits(key, 24, 4), block: bits(key, 16, 8), field: bits(key, 8, 8), id: bits(key, 1, 7) };
}
