import { ScpCommand } from './constants.js';
import { type BodyCodec, EMPTY, bits, field, pack, requireArgs } from './body.js';

/**
 * Memory and miscellaneous SC&MP commands: READ / WRITE (and LINK_READ /
 * LINK_WRITE), FILL, LED, REMAP, SYNC; plus how many args each reply carries.
 */

/** Access type (a3 of READ/WRITE): 0 byte, 1 half-word, 2 word. */
export const AccessType = { BYTE: 0, HALF: 1, WORD: 2 } as const;
export const MAX_TRANSFER = 256;

/** The type rig and SpiNNMan choose: word if address and length are multiples of 4, half if both even, else byte. */
export function accessType(address: number, length: number): number {
  if (address % 4 === 0 && length % 4 === 0) return AccessType.WORD;
  if (address % 2 === 0 && length % 2 === 0) return AccessType.HALF;
  return AccessType.BYTE;
}

/** SC&MP's argument check for READ/WRITE/LINK_*: RC_ARG if length > 256 or type > 2. */
export function transferArgsValid(length: number, type: number): boolean {
  return length <= MAX_TRANSFER && type <= 2;
}

export interface ReadRequest {
  address: number;
  length: number;
  type: number;
}

/** READ (2): a1 address, a2 length, a3 type. Reply: raw bytes, no args. LINK_READ (17) uses a3 = link. */
export const readRequest: BodyCodec<ReadRequest> = {
  encode: (r) => ({ args: [field('CMD_READ', 'address', r.address, 32), field('CMD_READ', 'length', r.length, 32), field('CMD_READ', 'type', r.type, 32)], data: EMPTY }),
  decode(b) {
    const [address, length, type] = requireArgs('CMD_READ request', b, 3);
    return { address, length, type };
  },
  encodingLength: () => 12,
};

export interface WriteRequest {
  address: number;
  type: number;
  /** The bytes; a2 = data.length. */
  data: Uint8Array;
}

/**
 * WRITE (3): a1 address, a2 length, a3 type, data. Decoding keeps the data
 * that arrived and reports the announced length separately, so a handler can
 * refuse a mismatch.
 */
export const writeRequest: BodyCodec<WriteRequest & { length?: number }> = {
  encode: (r) => ({ args: [field('CMD_WRITE', 'address', r.address, 32), r.data.length, field('CMD_WRITE', 'type', r.type, 32)], data: r.data }),
  decode(b) {
    const [address, length, type] = requireArgs('CMD_WRITE request', b, 3);
    const out: WriteRequest & { length?: number } = { address, type, data: b.data };
    if (length !== b.data.length) out.length = length;
    return out;
  },
  encodingLength: (r) => 12 + r.data.length,
};

/** LINK_READ / LINK_WRITE: the same args with a3 = link 0..5. */
export interface LinkReadRequest {
  address: number;
  length: number;
  link: number;
}
export const linkReadRequest: BodyCodec<LinkReadRequest> = {
  encode: (r) => ({ args: [field('CMD_LINK_READ', 'address', r.address, 32), field('CMD_LINK_READ', 'length', r.length, 32), field('CMD_LINK_READ', 'link', r.link, 32)], data: EMPTY }),
  decode(b) {
    const [address, length, link] = requireArgs('CMD_LINK_READ request', b, 3);
    return { address, length, link };
  },
  encodingLength: () => 12,
};

export interface FillRequest {
  /** Word-aligned address. */
  address: number;
  word: number;
  /** Byte count, a multiple of 4. */
  length: number;
}
/** FILL (5): a1 address, a2 fill word, a3 byte count. */
export const fillRequest: BodyCodec<FillRequest> = {
  encode: (r) => ({ args: [field('CMD_FILL', 'address', r.address, 32), field('CMD_FILL', 'word', r.word, 32), field('CMD_FILL', 'length', r.length, 32)], data: EMPTY }),
  decode(b) {
    const [address, word, length] = requireArgs('CMD_FILL request', b, 3);
    return { address, word, length };
  },
  encodingLength: () => 12,
};

/** Per-LED action, 2 bits at [2n+1:2n]: 0 keep, 1 toggle, 2 off, 3 on. */
export const LedAction = { KEEP: 0, TOGGLE: 1, OFF: 2, ON: 3 } as const;
export interface LedRequest {
  /** 16 actions, LED 0 first. */
  actions: number[];
  /** a2, ignored by SC&MP (ybug sends 1 << core). */
  arg2: number;
}
export const ledRequest: BodyCodec<LedRequest> = {
  encode(r) {
    if (r.actions.length !== 16) throw new RangeError(`CMD_LED: actions must list 16 LEDs, got ${r.actions.length}`);
    return { args: [pack(...r.actions.map((a, i): [number, number] => [field('CMD_LED', `actions[${i}]`, a, 2), 2 * i])), field('CMD_LED', 'arg2', r.arg2, 32), 0], data: EMPTY };
  },
  decode(b) {
    const [a1, a2] = requireArgs('CMD_LED request', b, 3);
    return { actions: Array.from({ length: 16 }, (_, i) => bits(a1, 2 * i, 2)), arg2: a2 };
  },
  encodingLength: () => 12,
};

/** Builds LED actions from a map, e.g. { 0: 'on', 1: 'off' }. */
export function ledActions(spec: Record<number, keyof typeof LedAction | Lowercase<keyof typeof LedAction>>): number[] {
  const a = new Array<number>(16).fill(0);
  for (const [led, act] of Object.entries(spec)) a[Number(led)] = LedAction[act.toUpperCase() as keyof typeof LedAction];
  return a;
}

export interface RemapRequest {
  core: number;
  /** a2 bit 0: core is a physical id. */
  physical: boolean;
}
export const remapRequest: BodyCodec<RemapRequest> = {
  encode: (r) => ({ args: [field('CMD_REMAP', 'core', r.core, 32), r.physical ? 1 : 0, 0], data: EMPTY }),
  decode(b) {
    const [core, a2] = requireArgs('CMD_REMAP request', b, 3);
    return { core, physical: (a2 & 1) === 1 };
  },
  encodingLength: () => 12,
};

/** SYNC (32): a1 = 0/1 turns the root's time-sync beacons off/on. */
export const syncRequest: BodyCodec<{ on: boolean }> = {
  encode: (r) => ({ args: [r.on ? 1 : 0, 0, 0], data: EMPTY }),
  decode: (b) => ({ on: requireArgs('CMD_SYNC request', b, 3)[0] !== 0 }),
  encodingLength: () => 12,
};

/** Requests with no meaningful args (VER, INFO): three zero args. */
export const emptyRequest: BodyCodec<Record<string, never>> = {
  encode: () => ({ args: [0, 0, 0], data: EMPTY }),
  decode: (b) => (requireArgs('request', b, 3), {}),
  encodingLength: () => 12,
};

/**
 * How many args a successful reply to `cmd` carries before any data, given
 * the request's args where it depends on them. Error replies carry none.
 */
export function replyArgCount(cmd: number, requestArgs: number[] = []): number {
  const a1 = requestArgs[0] ?? 0;
  const a2 = requestArgs[1] ?? 0;
  switch (cmd) {
    case ScpCommand.VER:
    case ScpCommand.INFO:
      return 3;
    case ScpCommand.COUNT:
      return 3;
    case ScpCommand.IPTAG: {
      const op = (a1 >>> 16) & 0xff;
      return op === 0 || op === 1 || op === 4 ? 1 : 0;
    }
    case ScpCommand.ALLOC: {
      const op = a1 & 0xff;
      return op === 1 || op === 4 || op > 7 ? 0 : op === 6 ? 2 : 1;
    }
    case ScpCommand.RTR:
      return (a1 & 0xff) === 3 && (a2 & 0x80000000) !== 0 ? 1 : 0;
    case ScpCommand.SIG:
      return a1 === 1 ? 1 : 0;
    default:
      return 0;
  }
}
