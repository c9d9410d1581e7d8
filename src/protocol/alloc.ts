import { type BodyCodec, type ScpBody, bits, field, pack, requireArgs } from './body.js';

/** CMD_ALLOC (28): a1 = flags<<16 | app_id<<8 | op (digest §6.1). */
export const AllocOp = {
  ALLOC_SDRAM: 0,
  FREE_SDRAM: 1,
  FREE_SDRAM_ID: 2,
  ALLOC_RTR: 3,
  FREE_RTR: 4,
  FREE_RTR_ID: 5,
  SDRAM_SPACE: 6,
  HEAP_TAG_PTR: 7,
} as const;
/** Extra flag: with a tag already in use, return the old block if the size matches. */
export const ALLOC_TAG_RETRY = 4;

export type AllocRequest =
  | { op: 'allocSdram'; appId: number; size: number; tag: number; flags: number }
  | { op: 'freeSdram'; appId: number; pointer: number }
  | { op: 'freeSdramByApp'; appId: number }
  | { op: 'allocRouter'; appId: number; count: number }
  /** clear: also clear the hardware entries (a3 ≠ 0). */
  | { op: 'freeRouter'; appId: number; entry: number; clear: number }
  | { op: 'freeRouterByApp'; appId: number; clear: number }
  | { op: 'sdramSpace'; appId: number }
  | { op: 'tagPointer'; appId: number; tag: number }
  | { op: 'unknown'; code: number; appId: number; flags: number; arg2: number; arg3: number };

const C = 'CMD_ALLOC request';
const OPS = ['allocSdram', 'freeSdram', 'freeSdramByApp', 'allocRouter', 'freeRouter', 'freeRouterByApp', 'sdramSpace', 'tagPointer'] as const;

function a1(code: number, appId: number, flags = 0): number {
  return pack([field(C, 'flags', flags, 8), 16], [field(C, 'appId', appId, 8), 8], [field(C, 'op', code, 8), 0]);
}

export const allocRequest: BodyCodec<AllocRequest> = {
  encode(r) {
    const d = new Uint8Array(0);
    const u = (n: string, v: number) => field(C, n, v, 32);
    switch (r.op) {
      case 'allocSdram': return { args: [a1(0, r.appId, r.flags), u('size', r.size), u('tag', r.tag)], data: d };
      case 'freeSdram': return { args: [a1(1, r.appId), u('pointer', r.pointer), 0], data: d };
      case 'freeSdramByApp': return { args: [a1(2, r.appId), 0, 0], data: d };
      case 'allocRouter': return { args: [a1(3, r.appId), u('count', r.count), 0], data: d };
      case 'freeRouter': return { args: [a1(4, r.appId), u('entry', r.entry), u('clear', r.clear)], data: d };
      case 'freeRouterByApp': return { args: [a1(5, r.appId), u('clear', r.clear), 0], data: d };
      case 'sdramSpace': return { args: [a1(6, r.appId), 0, 0], data: d };
      case 'tagPointer': return { args: [a1(7, r.appId), u('tag', r.tag), 0], data: d };
      case 'unknown':
        if (r.code <= 7) throw new RangeError(`${C}: op ${r.code} is known; use its own form`);
        return { args: [a1(r.code, r.appId, r.flags), u('arg2', r.arg2), u('arg3', r.arg3)], data: d };
    }
  },
  decode(body: ScpBody): AllocRequest {
    const [w1, w2, w3] = requireArgs(C, body, 3);
    const code = bits(w1, 0, 8);
    const appId = bits(w1, 8, 8);
    const flags = bits(w1, 16, 8);
    switch (OPS[code]) {
      case 'allocSdram': return { op: 'allocSdram', appId, size: w2, tag: w3, flags };
      case 'freeSdram': return { op: 'freeSdram', appId, pointer: w2 };
      case 'freeSdramByApp': return { op: 'freeSdramByApp', appId };
      case 'allocRouter': return { op: 'allocRouter', appId, count: w2 };
      case 'freeRouter': return { op: 'freeRouter', appId, entry: w2, clear: w3 };
      case 'freeRouterByApp': return { op: 'freeRouterByApp', appId, clear: w2 };
      case 'sdramSpace': return { op: 'sdramSpace', appId };
      case 'tagPointer': return { op: 'tagPointer', appId, tag: w2 };
      default: return { op: 'unknown', code, appId, flags, arg2: w2, arg3: w3 };
    }
  },
  encodingLength: () => 12,
};

/** Number of reply args for an ALLOC op: FREE_SDRAM and FREE_RTR give none, SDRAM_SPACE two, the rest one. */
export function allocReplyArgs(op: AllocRequest['op']): number {
  return op === 'freeSdram' || op === 'freeRouter' || op === 'unknown' ? 0 : op === 'sdramSpace' ? 2 : 1;
}
