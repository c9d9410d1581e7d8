import { ScpCommand } from '../protocol/constants.js';
import { ALLOC_TAG_RETRY, AllocOp } from '../protocol/alloc.js';
import type { ScpConnection } from './connection.js';

function checkAppId(appId: number): void {
  if (!Number.isInteger(appId) || appId < 0 || appId > 255) throw new RangeError(`app id must be 0..255, got ${appId}`);
}

const arg1 = (op: number, appId: number, flags = 0) => ((flags << 16) | (appId << 8) | op) >>> 0;

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
  const r = await conn.request({
    x,
    y,
    p: 0,
    cmd: ScpCommand.ALLOC,
    args: [arg1(AllocOp.ALLOC_SDRAM, appId, tag ? ALLOC_TAG_RETRY : 0), size, tag],
    replyArgs: 1,
  });
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
  await conn.request({ x, y, p: 0, cmd: ScpCommand.ALLOC, args: [AllocOp.FREE_SDRAM, pointer >>> 0, 0] });
}

/** Frees every SDRAM block of `appId` on (x, y); returns how many were freed. */
export async function sdramFreeApp(conn: ScpConnection, x: number, y: number, appId: number): Promise<number> {
  checkAppId(appId);
  const r = await conn.request({ x, y, p: 0, cmd: ScpCommand.ALLOC, args: [arg1(AllocOp.FREE_SDRAM_ID, appId), 0, 0], replyArgs: 1 });
  return r.args[0] ?? 0;
}

export async function sdramSpace(conn: ScpConnection, x: number, y: number): Promise<{ free: number; largest: number }> {
  const r = await conn.request({ x, y, p: 0, cmd: ScpCommand.ALLOC, args: [AllocOp.SDRAM_SPACE, 0, 0], replyArgs: 2 });
  return { free: r.args[0] ?? 0, largest: r.args[1] ?? 0 };
}

/** The address of the block `appId` allocated with `tag`, or 0. */
export async function sdramTagPointer(conn: ScpConnection, x: number, y: number, appId: number, tag: number): Promise<number> {
  checkAppId(appId);
  const r = await conn.request({ x, y, p: 0, cmd: ScpCommand.ALLOC, args: [arg1(AllocOp.HEAP_TAG_PTR, appId), tag, 0], replyArgs: 1 });
  return r.args[0] ?? 0;
}

/** Allocates `count` consecutive multicast router entries for `appId`; returns the first index. */
export async function routerAlloc(conn: ScpConnection, x: number, y: number, count: number, appId = 0): Promise<number> {
  checkAppId(appId);
  if (!Number.isInteger(count) || count < 1 || count > 1023) throw new RangeError(`router entry count must be 1..1023, got ${count}`);
  const r = await conn.request({ x, y, p: 0, cmd: ScpCommand.ALLOC, args: [arg1(AllocOp.ALLOC_RTR, appId), count, 0], replyArgs: 1 });
  const base = r.args[0] ?? 0;
  if (base === 0) throw new AllocationError(`board ${conn.name}: chip (${x},${y}) has no block of ${count} free router entries`);
  return base;
}

/** Frees the router entries of `appId` on (x, y) and clears them in hardware; returns the number of blocks freed. */
export async function routerFreeApp(conn: ScpConnection, x: number, y: number, appId: number): Promise<number> {
  checkAppId(appId);
  const r = await conn.request({ x, y, p: 0, cmd: ScpCommand.ALLOC, args: [arg1(AllocOp.FREE_RTR_ID, appId), 1, 0], replyArgs: 1 });
  return r.args[0] ?? 0;
}
