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
    validate: (rep) => (rep.args.length === 3 && rep.data.length > 0 ? undefined : 'CMD_VER reply too short'),
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
    validate: (rep) => (rep.args.length === 3 && rep.data.length >= 24 ? undefined : 'CMD_INFO reply too short'),
  });
  return info.decode({ args: r.args, data: r.data });
}
