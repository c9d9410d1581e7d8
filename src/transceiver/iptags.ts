import { ScpCommand } from '../protocol/constants.js';
import { ipFromBytes, ipFromWord, ipToWord } from '../protocol/body.js';
import { IPTAG_SIZE, IpTagFlag, IptagOp, TAG_FIXED_SIZE, TAG_TABLE_SIZE, iptagRecord } from '../protocol/iptag.js';
import type { ScpConnection } from './connection.js';

const IPTAG_COUNT = TAG_TABLE_SIZE;
const IPTAG_FIXED = TAG_FIXED_SIZE;
const IPTAG_BYTES = IPTAG_SIZE;

export interface IpTag {
  tag: number;
  ip: string;
  mac: string;
  txPort: number;
  timeout: number;
  flags: number;
  count: number;
  rxPort: number;
  destX: number;
  destY: number;
  destPort: number;
  destCpu: number;
  inUse: boolean;
  reverse: boolean;
  strip: boolean;
  transient: boolean;
}

function checkTag(tag: number, max = IPTAG_COUNT): void {
  if (!Number.isInteger(tag) || tag < 0 || tag >= max) throw new RangeError(`IP tag must be 0..${max - 1}, got ${tag}`);
}
function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError(`UDP port must be 0..65535, got ${port}`);
}

/** Points tag `tag` (0..7) of the board's Ethernet chip at host `ip`:`port`; `strip` drops the SDP header. */
export async function setIpTag(conn: ScpConnection, tag: number, ip: string, port: number, opts: { strip?: boolean; x?: number; y?: number } = {}): Promise<void> {
  checkTag(tag, IPTAG_FIXED);
  checkPort(port);
  const a1 = ((opts.strip ? 1 << 28 : 0) | (IptagOp.SET << 16) | tag) >>> 0;
  await conn.request({ x: opts.x ?? 255, y: opts.y ?? 255, p: 0, cmd: ScpCommand.IPTAG, args: [a1, port, ipToWord(ip)], replyArgs: 1 });
}

/**
 * A reverse tag: UDP datagrams sent to the board on `rxPort` are delivered as
 * SDP to (destX, destY, destCpu) on SDP port `sdpPort`.
 */
export async function setReverseIpTag(
  conn: ScpConnection,
  tag: number,
  rxPort: number,
  dest: { x: number; y: number; cpu: number; sdpPort?: number },
  opts: { x?: number; y?: number } = {},
): Promise<void> {
  checkTag(tag, IPTAG_FIXED);
  checkPort(rxPort);
  const sdpPort = dest.sdpPort ?? 1;
  if (!(sdpPort >= 0 && sdpPort <= 7)) throw new RangeError(`SDP port must be 0..7, got ${sdpPort}`);
  if (!(dest.cpu >= 0 && dest.cpu <= 17)) throw new RangeError(`core must be 0..17, got ${dest.cpu}`);
  const a1 = ((1 << 29) | (1 << 28) | (IptagOp.SET << 16) | (sdpPort << 13) | (dest.cpu << 8) | tag) >>> 0;
  const a2 = ((dest.x << 24) | (dest.y << 16) | rxPort) >>> 0;
  await conn.request({ x: opts.x ?? 255, y: opts.y ?? 255, p: 0, cmd: ScpCommand.IPTAG, args: [a1, a2, 0], replyArgs: 1 });
}

export function decodeIpTag(tag: number, b: Uint8Array): IpTag {
  const r = iptagRecord.decode(b);
  const flags = r.flags;
  return {
    tag,
    ip: ipFromBytes(r.ip),
    mac: r.mac.map((v) => v.toString(16).padStart(2, '0')).join(':'),
    txPort: r.tx_port,
    timeout: r.timeout,
    flags,
    count: r.count,
    rxPort: r.rx_port,
    destX: r.dest_addr >> 8,
    destY: r.dest_addr & 0xff,
    destPort: r.dest_port >> 5,
    destCpu: r.dest_port & 0x1f,
    inUse: flags !== 0,
    reverse: (flags & IpTagFlag.REVERSE) !== 0,
    strip: (flags & IpTagFlag.STRIP) !== 0,
    transient: (flags & IpTagFlag.TRANSIENT) !== 0,
  };
}

export async function getIpTag(conn: ScpConnection, tag: number, opts: { x?: number; y?: number } = {}): Promise<IpTag> {
  checkTag(tag);
  const r = await conn.request({
    x: opts.x ?? 255,
    y: opts.y ?? 255,
    p: 0,
    cmd: ScpCommand.IPTAG,
    args: [((IptagOp.GET << 16) | tag) >>> 0, 1, 0],
    replyArgs: 0,
    validate: (rep) => (rep.data.length === IPTAG_BYTES ? undefined : `IP tag record is ${rep.data.length} bytes, expected ${IPTAG_BYTES}`),
  });
  return decodeIpTag(tag, r.data);
}

/** All 16 tags (fixed 0..7 and transient 8..15). */
export async function getIpTags(conn: ScpConnection, opts: { x?: number; y?: number } = {}): Promise<IpTag[]> {
  return Promise.all(Array.from({ length: IPTAG_COUNT }, (_, t) => getIpTag(conn, t, opts)));
}

export async function clearIpTag(conn: ScpConnection, tag: number, opts: { x?: number; y?: number } = {}): Promise<void> {
  checkTag(tag);
  await conn.request({ x: opts.x ?? 255, y: opts.y ?? 255, p: 0, cmd: ScpCommand.IPTAG, args: [((IptagOp.CLR << 16) | tag) >>> 0, 0, 0] });
}

/** Sets the transient-tag time-out (2^(t-1) × 10 ms; 9 = 2.56 s) and returns the old one. 255 only reads. */
export async function setTransientTimeout(conn: ScpConnection, t: number): Promise<number> {
  const r = await conn.request({ x: 255, y: 255, p: 0, cmd: ScpCommand.IPTAG, args: [IptagOp.TTO << 16, t, 0], replyArgs: 1 });
  return (r.args[0] ?? 0) & 0xff;
}

export { ipFromWord };
