import { ScpCommand } from '../protocol/constants.js';
import { ALLOC_TAG_RETRY, type AllocRequest, allocReplyArgs, allocRequest } from '../protocol/alloc.js';
import type { ScpConnection, ScpReply } from './connection.js';

function checkAppId(appId: number): void {
  if (!Number.isInteger(appId) || appId < 0 || appId > 255) throw new RangeError(`app id must be 0..255, got ${appId}`);
}

/** CMD_ALLOC on (x, y) core 0, with the reply arg count the op has. */
function alloc(conn: ScpConnection, x: number, y: number, req: AllocRequest): Promise<ScpReply> {
  const { args, data } = allocRequest.encode(req);
  return conn.request({ x, y, p: 0, cmd: ScpCommand.ALLOC, args, data, replyArgs: allocReplyArgs(req.op) });
}

export class AllocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllocationError';
  }
}

/** Allocates `size` bytes of SDRAM on (x, y) for `appId`, optionally under `tag` (1..255). Returns the address. */
export async function sdramAlloc(conn: ScpConnection, x: number, y: number, size: number, appId = 0, tag = 0): Promise<number> {
  checkAppId(appId);
  if (!Number.isInteger(size) || size <= 0 || size > 0xffffffff) throw new RangeError(`SDRAM allocation size must be 1..2^32-1 bytes, got ${size}`);
  if (!Number.isInteger(tag) || tag < 0 || tag > 255) throw new RangeError(`SDRAM tag must be 0..255, got ${tag}`);
  const r = await alloc(conn, x, y, { op: 'allocSdram', appId, size, tag, flags: tag ? ALLOC_TAG_RETRY : 0 });
  const ptr = r.args[0] ?? 0;
  if (ptr === 0) {
    const space = await sdramSpace(conn, x, y).catch(() => undefined);
    const why = space ? `largest free block is ${space.largest} bytes` : 'no space';
    throw new AllocationError(
      `board ${conn.name}: could not allocate ${size} bytes of SDRAM on chip (${x},${y}) for app ${appId}${tag ? ` with tag ${tag}` : ''}: ` +
        (tag ? `${why}, or tag ${tag} is already taken by app ${appId}` : why),
    );
  }
  return ptr;
}

export async function sdramFree(conn: ScpConnection, x: number, y: number, pointer: number): Promise<void> {
  await alloc(conn, x, y, { op: 'freeSdram', appId: 0, pointer: pointer >>> 0 });
}

/** Frees every SDRAM block of `appId` on (x, y); returns how many were freed. */
export async function sdramFreeApp(conn: ScpConnection, x: number, y: number, appId: number): Promise<number> {
  checkAppId(appId);
  const r = await alloc(conn, x, y, { op: 'freeSdramByApp', appId });
  return r.args[0] ?? 0;
}

export async function sdramSpace(conn: ScpConnection, x: number, y: number): Promise<{ free: number; largest: number }> {
  const r = await alloc(conn, x, y, { op: 'sdramSpace', appId: 0 });
  return { free: r.args[0] ?? 0, largest: r.args[1] ?? 0 };
}

/** The address of the block `appId` allocated with `tag`, or 0. */
export async function sdramTagPointer(conn: ScpConnection, x: number, y: number, appId: number, tag: number): Promise<number> {
  checkAppId(appId);
  const r = await alloc(conn, x, y, { op: 'tagPointer', appId, tag });
  return r.args[0] ?? 0;
}

/** Allocates `count` consecutive multicast router entries for `appId`; returns the first index. */
export async function routerAlloc(conn: ScpConnection, x: number, y: number, count: number, appId = 0): Promise<number> {
  checkAppId(appId);
  if (!Number.isInteger(count) || count < 1 || count > 1023) throw new RangeError(`router entry count must be 1..1023, got ${count}`);
  const r = await alloc(conn, x, y, { op: 'allocRouter', appId, count });
  const base = r.args[0] ?? 0;
  if (base === 0) throw new AllocationError(`board ${conn.name}: chip (${x},${y}) has no block of ${count} free router entries`);
  return base;
}

/** Frees the router entries of `appId` on (x, y) and clears them in hardware; returns the number of blocks freed. */
export async function routerFreeApp(conn: ScpConnection, x: number, y: number, appId: number): Promise<number> {
  checkAppId(appId);
  const r = await alloc(conn, x, y, { op: 'freeRouterByApp', appId, clear: 1 });
  return r.args[0] ?? 0;
}
