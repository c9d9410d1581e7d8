import { accessType as codecAccessType, fillRequest, readRequest, writeRequest } from '../protocol/commands.js';
import { ScpCommand } from '../protocol/constants.js';
import { SCP_MAX_DATA } from '../protocol/scp.js';
import type { ScpConnection } from './connection.js';

/** Access type of READ/WRITE: 0 byte, 1 half-word, 2 word. */
export type AccessType = 0 | 1 | 2;

/** rig's and SpiNNMan's rule: words when address and length are word-aligned, halves when even, else bytes. */
export function accessType(address: number, length: number): AccessType {
  return codecAccessType(address, length) as AccessType;
}

function checkRange(address: number, length: number): void {
  if (!Number.isInteger(address) || address < 0 || address > 0xffffffff) {
    throw new RangeError(`address must be a 32-bit unsigned integer, got ${address}`);
  }
  if (!Number.isInteger(length) || length < 0 || address + length > 0x100000000) {
    throw new RangeError(`length ${length} at 0x${address.toString(16)} runs past the end of the 32-bit address space`);
  }
}

/**
 * Requests issued ahead of the replies for one transfer: enough to keep any
 * window (≤ 8) full, few enough that a large transfer does not hold a promise
 * and a datagram per 256 bytes at once.
 */
const AHEAD = 32;

/** Runs `issue(0..count-1)` with at most AHEAD unsettled at a time; stops issuing after the first failure. */
async function pipelined(count: number, issue: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < count && !failed) {
      try {
        await issue(next++);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(AHEAD, count) }, worker));
}

/** Reads `length` bytes from (x, y, p) at `address`: 256-byte packets, pipelined through the window. */
export async function readMemory(conn: ScpConnection, x: number, y: number, p: number, address: number, length: number): Promise<Uint8Array> {
  checkRange(address, length);
  const out = new Uint8Array(length);
  await pipelined(Math.ceil(length / SCP_MAX_DATA), async (i) => {
    const off = i * SCP_MAX_DATA;
    const n = Math.min(SCP_MAX_DATA, length - off);
    const a = address + off;
    const { args } = readRequest.encode({ address: a, length: n, type: accessType(a, n) });
    const r = await conn.request({
      x,
      y,
      p,
      cmd: ScpCommand.READ,
      args,
      replyArgs: 0,
      validate: (rep) => (rep.data.length === n ? undefined : `asked for ${n} bytes, got ${rep.data.length}`),
    });
    out.set(r.data, off);
  });
  return out;
}

/** Writes `data` to (x, y, p) at `address`: 256-byte packets, pipelined through the window. */
export async function writeMemory(conn: ScpConnection, x: number, y: number, p: number, address: number, data: Uint8Array): Promise<void> {
  checkRange(address, data.length);
  await pipelined(Math.ceil(data.length / SCP_MAX_DATA), async (i) => {
    const off = i * SCP_MAX_DATA;
    const chunk = data.subarray(off, Math.min(data.length, off + SCP_MAX_DATA));
    const a = address + off;
    const body = writeRequest.encode({ address: a, type: accessType(a, chunk.length), data: chunk });
    await conn.request({ x, y, p, cmd: ScpCommand.WRITE, args: body.args, data: body.data });
  });
}

/**
 * Fills `length` bytes at `address` with the 32-bit `word` repeated. CMD_FILL
 * needs a word-aligned address and a length that is a multiple of 4; ragged
 * ends are written with WRITE.
 */
export async function fillMemory(conn: ScpConnection, x: number, y: number, p: number, address: number, word: number, length: number): Promise<void> {
  checkRange(address, length);
  const pattern = new Uint8Array(4);
  new DataView(pattern.buffer).setUint32(0, word >>> 0, true);
  const bytesAt = (a: number, n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = pattern[(a + i) % 4]!;
    return b;
  };
  const start = Math.min(address + length, Math.ceil(address / 4) * 4);
  const end = Math.max(start, Math.floor((address + length) / 4) * 4);
  const jobs: Promise<unknown>[] = [];
  if (start > address) jobs.push(writeMemory(conn, x, y, p, address, bytesAt(address, start - address)));
  if (end > start) jobs.push(conn.request({ x, y, p, cmd: ScpCommand.FILL, ...fillRequest.encode({ address: start, word: word >>> 0, length: end - start }) }));
  if (address + length > end) jobs.push(writeMemory(conn, x, y, p, end, bytesAt(end, address + length - end)));
  await Promise.all(jobs);
}

export function u32(bytes: Uint8Array, offset = 0): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(offset, true);
}

export async function readWord(conn: ScpConnection, x: number, y: number, address: number): Promise<number> {
  return u32(await readMemory(conn, x, y, 0, address, 4));
}
