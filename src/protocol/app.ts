import { type BodyCodec, type ScpBody, EMPTY, bits, field, pack, requireArgs } from './body.js';

/**
 * Application start and signals: id_op_mask (§5.3), CMD_AR / CMD_AS /
 * CMD_APP_COPY_RUN (§5.4), CMD_SIG and the signal table (§5.5), CMD_COUNT (§5.7).
 */

// ---- id_op_mask: app_id [31:24] | app_flags [23:18] | virtual core mask [17:0] ------

export interface IdOpMask {
  appId: number;
  /** 6 bits; bit 0 (word bit 18) = WAIT: hold in WAIT until SIG_START. */
  appFlags: number;
  coreMask: number;
}
export const APP_FLAG_WAIT = 1;
export const CORE_MASK_BITS = 18;

export function encodeIdOpMask(m: IdOpMask): number {
  return pack([field('id_op_mask', 'appId', m.appId, 8), 24], [field('id_op_mask', 'appFlags', m.appFlags, 6), 18], [field('id_op_mask', 'coreMask', m.coreMask, 18), 0]);
}

export function decodeIdOpMask(w: number): IdOpMask {
  return { appId: bits(w, 24, 8), appFlags: bits(w, 18, 6), coreMask: bits(w, 0, 18) };
}

export function coresToMask(cores: Iterable<number>): number {
  let m = 0;
  for (const c of cores) m |= 1 << checkCore(c);
  return m >>> 0;
}

function checkCore(c: number): number {
  if (!Number.isInteger(c) || c < 0 || c >= CORE_MASK_BITS) throw new RangeError(`core must be 0..17, got ${c}`);
  return c;
}

export function maskToCores(mask: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < CORE_MASK_BITS; c++) if (mask & (1 << c)) out.push(c);
  return out;
}

// ---- CMD_AR (19), CMD_AS (24), CMD_APP_COPY_RUN (21) --------------------------------

export const arRequest: BodyCodec<IdOpMask> = {
  encode: (m) => ({ args: [encodeIdOpMask(m), 0, 0], data: EMPTY }),
  decode: (b) => decodeIdOpMask(requireArgs('CMD_AR request', b, 3)[0]),
  encodingLength: () => 12,
};

export interface AsRequest {
  address: number;
  idOpMask: IdOpMask;
}
export const asRequest: BodyCodec<AsRequest> = {
  encode: (r) => ({ args: [field('CMD_AS', 'address', r.address, 32), encodeIdOpMask(r.idOpMask), 0], data: EMPTY }),
  decode(b) {
    const [a1, a2] = requireArgs('CMD_AS request', b, 3);
    return { address: a1, idOpMask: decodeIdOpMask(a2) };
  },
  encodingLength: () => 12,
};

export interface AppCopyRunRequest {
  /** Link (0..5) to copy from. */
  link: number;
  /** Σwords & 0x1FFFFFFF; 0 skips the check. */
  checksum: number;
  /** Bytes to copy (multiple of 4). */
  size: number;
  idOpMask: IdOpMask;
}
export const appCopyRunRequest: BodyCodec<AppCopyRunRequest> = {
  encode: (r) => ({
    args: [pack([field('APP_COPY_RUN', 'checksum', r.checksum, 29), 3], [field('APP_COPY_RUN', 'link', r.link, 3), 0]), field('APP_COPY_RUN', 'size', r.size, 32), encodeIdOpMask(r.idOpMask)],
    data: EMPTY,
  }),
  decode(b) {
    const [a1, a2, a3] = requireArgs('CMD_APP_COPY_RUN request', b, 3);
    return { link: bits(a1, 0, 3), checksum: bits(a1, 3, 29), size: a2, idOpMask: decodeIdOpMask(a3) };
  },
  encodingLength: () => 12,
};

/** The APP_COPY_RUN checksum of a binary: sum of LE words, low 29 bits. */
export function appCopyChecksum(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let s = 0;
  for (let o = 0; o + 4 <= bytes.length; o += 4) s = (s + dv.getUint32(o, true)) >>> 0;
  return s & 0x1fffffff;
}

// ---- Signals ------------------------------------------------------------------------

/** Signal numbers (word bits [19:16]) and the transport rig uses for each. */
export const Signal = {
  INIT: 0, PWRDN: 1, STOP: 2, START: 3, SYNC0: 4, SYNC1: 5, PAUSE: 6, CONT: 7, EXIT: 8, TIMER: 9,
  USR0: 10, USR1: 11, USR2: 12, USR3: 13,
} as const;
export type SignalName = keyof typeof Signal;

export const SigType = { MC: 0, P2P: 1, NN: 2 } as const;

/** Transport per signal as rig and ybug send them: NN for life-cycle signals, MC for the rest. */
export function signalType(signal: number): number {
  return signal <= Signal.START || signal === Signal.EXIT ? SigType.NN : SigType.MC;
}

export function signalName(n: number): string {
  for (const [k, v] of Object.entries(Signal)) if (v === n) return k;
  return `signal ${n}`;
}

/** Signal word: [19:16] signal, [15:8] app mask, [7:0] app id. A core is selected if (core_app & mask) == id. */
export interface SignalWord {
  signal: number;
  appMask: number;
  appId: number;
}
export function encodeSignalWord(s: SignalWord): number {
  return pack([field('signal word', 'signal', s.signal, 4), 16], [field('signal word', 'appMask', s.appMask, 8), 8], [field('signal word', 'appId', s.appId, 8), 0]);
}
export function decodeSignalWord(w: number): SignalWord {
  return { signal: bits(w, 16, 4), appMask: bits(w, 8, 8), appId: bits(w, 0, 8) };
}

/** SC&MP 3.x P2P word: [27:26] level, [23:22] op (1 count, 2 signal), [21:20] mode (0 OR, 1 AND, 2 SUM), [19:16] state/signal, mask, id. */
export interface P2pSignalWord {
  level: number;
  op: number;
  mode: number;
  arg: number;
  appMask: number;
  appId: number;
}
export const P2pOp = { STAT: 1, SIG: 2 } as const;
export const P2pMode = { OR: 0, AND: 1, SUM: 2 } as const;
export function encodeP2pWord(s: P2pSignalWord): number {
  const f = (n: string, v: number, w: number) => field('P2P signal word', n, v, w);
  return pack([f('level', s.level, 2), 26], [f('op', s.op, 2), 22], [f('mode', s.mode, 2), 20], [f('arg', s.arg, 4), 16], [f('appMask', s.appMask, 8), 8], [f('appId', s.appId, 8), 0]);
}
export function decodeP2pWord(w: number): P2pSignalWord {
  return { level: bits(w, 26, 2), op: bits(w, 22, 2), mode: bits(w, 20, 2), arg: bits(w, 16, 4), appMask: bits(w, 8, 8), appId: bits(w, 0, 8) };
}

/** CMD_SIG (22): a1 = type, a2 = word (signal word, or P2P word for type 1), a3 = region mask (P2P). */
export interface SigRequest {
  type: number;
  word: number;
  region: number;
}
export const sigRequest: BodyCodec<SigRequest> = {
  encode: (r) => ({ args: [field('CMD_SIG', 'type', r.type, 32), field('CMD_SIG', 'word', r.word, 32), field('CMD_SIG', 'region', r.region, 32)], data: EMPTY }),
  decode(b) {
    const [type, word, region] = requireArgs('CMD_SIG request', b, 3);
    return { type, word, region };
  },
  encodingLength: () => 12,
};

/** The CMD_SIG rig sends for `send_signal`: type from signalType, mask 0xFF, region 0xFFFF. */
export function appSignal(signal: number, appId: number): SigRequest {
  return { type: signalType(signal), word: encodeSignalWord({ signal, appMask: 0xff, appId }), region: 0xffff };
}

/** rig's count_cores_in_state as a 3.x P2P SUM count (level 0, whole machine). */
export function p2pCountRequest(state: number, appId: number): SigRequest {
  return { type: SigType.P2P, word: encodeP2pWord({ level: 0, op: P2pOp.STAT, mode: P2pMode.SUM, arg: state, appMask: 0xff, appId }), region: 0xffff };
}

// ---- CMD_COUNT (15, SC&MP 4.0.0): a1 = app_id (exact), a2 = state; reply arg1 = count ----

export interface CountRequest {
  appId: number;
  state: number;
}
export const countRequest: BodyCodec<CountRequest> = {
  encode: (r) => ({ args: [field('CMD_COUNT', 'appId', r.appId, 32), field('CMD_COUNT', 'state', r.state, 32), 0], data: EMPTY }),
  decode(b) {
    const [a1, a2] = requireArgs('CMD_COUNT request', b, 3);
    return { appId: a1, state: a2 };
  },
  encodingLength: () => 12,
};

/** Replies whose only content is arg1 (COUNT, IPTAG SET/NEW, ALLOC, RTR FR read, P2P count). */
export const arg1Reply: BodyCodec<number> = {
  encode: (n) => ({ args: [field('reply', 'arg1', n, 32)], data: EMPTY }),
  decode: (b: ScpBody) => requireArgs('reply', b, 1)[0],
  encodingLength: () => 4,
};
