import { ScpCommand } from '../protocol/constants.js';
import * as ver from '../protocol/ver.js';
import * as info from '../protocol/info.js';
import type { ScpConnection } from './connection.js';

export interface BoardVersion extends ver.VersionInfo {
  /** "SC&MP", "SARK", ... */
  kernel: string;
  /** "4.0.0"; for pre-2.0.0 kernels, major.minor. */
  version: string;
}

/** CMD_VER to (x, y, p). */
export async function getVersion(conn: ScpConnection, x = 255, y = 255, p = 0, opts: { tries?: number; timeoutMs?: number } = {}): Promise<BoardVersion> {
  const r = await conn.request({
    x,
    y,
    p,
    cmd: ScpCommand.VER,
    replyArgs: 3,
    ...opts,
    validate: (rep) => decodeProblem(() => ver.softwareVersion(ver.decode({ args: rep.args, data: rep.data }))),
  });
  const v = ver.decode({ args: r.args, data: r.data });
  const sv = ver.softwareVersion(v);
  return { ...v, kernel: ver.kernelName(v), version: v.versionString ?? `${sv.major}.${sv.minor}` };
}

/** CMD_INFO to (x, y): cores, links, free SDRAM/SysRAM, core states, Ethernet. */
export async function getChipInfo(conn: ScpConnection, x: number, y: number, opts: { tries?: number; timeoutMs?: number } = {}): Promise<info.ChipInfo> {
  const r = await conn.request({
    x,
    y,
    p: 0,
    cmd: ScpCommand.INFO,
    args: [0x5f, 0, 0],
    replyArgs: 3,
    ...opts,
    validate: (rep) => decodeProblem(() => info.decode({ args: rep.args, data: rep.data })),
  });
  return info.decode({ args: r.args, data: r.data });
}

/** A reply that does not decode is treated as corrupted (and the request resent). */
function decodeProblem(decode: () => unknown): string | undefined {
  try {
    decode();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
