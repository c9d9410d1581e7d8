import { ScpCommand } from '../protocol/constants.js';
import { ipFromBytes, ipFromWord } from '../protocol/body.js';
import { replyArgCount } from '../protocol/commands.js';
import {
  IPTAG_SIZE,
  IpTagFlag,
  type IpTagRecord,
  type IptagRequest,
  TAG_FIXED_SIZE,
  TAG_TABLE_SIZE,
  decodeGetReply,
  iptagRequest,
  ttoReply,
} from '../protocol/iptag.js';
import type { ScpConnection, ScpReply } from './connection.js';

const IPTAG_COUNT = TAG_TABLE_SIZE;
const IPTAG_FIXED = TAG_FIXED_SIZE;

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

/** CMD_IPTAG to the board's Ethernet chip (or the chip given), with the reply arg count the op has. */
function iptag(conn: ScpConnection, req: IptagRequest, at: { x?: number; y?: number }, validate?: (r: ScpReply) => string | undefined): Promise<ScpReply> {
  const { args, data } = iptagRequest.encode(req);
  return conn.request({ x: at.x ?? 255, y: at.y ?? 255, p: 0, cmd: ScpCommand.IPTAG, args, data, replyArgs: replyArgCount(ScpCommand.IPTAG, args), ...(validate ? { validate } : {}) });
}

/** Points tag `tag` (0..7) of the board's Ethernet chip at host `ip`:`port`; `strip` drops the SDP header. */
export async function setIpTag(conn: ScpConnection, tag: number, ip: string, port: number, opts: { strip?: boolean; x?: number; y?: number } = {}): Promise<void> {
  checkTag(tag, IPTAG_FIXED);
  checkPort(port);
  await iptag(conn, { op: 'set', tag, flags: opts.strip ? IpTagFlag.STRIP : 0, timeout: 0, sdpPortCpu: 0, destAddr: 0, port, ip }, opts);
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
  if (!(dest.x >= 0 && dest.x <= 255 && dest.y >= 0 && dest.y <= 255)) throw new RangeError(`chip (${dest.x},${dest.y}) is not a chip address`);
  await iptag(
    conn,
    {
      op: 'set',
      tag,
      flags: IpTagFlag.REVERSE | IpTagFlag.STRIP,
      timeout: 0,
      sdpPortCpu: (sdpPort << 5) | dest.cpu,
      destAddr: (dest.x << 8) | dest.y,
      port: rxPort,
      ip: '0.0.0.0',
    },
    opts,
  );
}

/** The client's view of an iptag_t record (from a CMD_IPTAG GET reply). */
export function decodeIpTag(tag: number, b: Uint8Array | IpTagRecord): IpTag {
  const r = b instanceof Uint8Array ? decodeGetReply(b.subarray(0, IPTAG_SIZE))[0]! : b;
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
  const r = await iptag(conn, { op: 'get', tag, count: 1 }, opts, (rep) =>
    rep.data.length === IPTAG_SIZE ? undefined : `IP tag record is ${rep.data.length} bytes, expected ${IPTAG_SIZE}`,
  );
  return decodeIpTag(tag, decodeGetReply(r.data)[0]!);
}

/** All 16 tags (fixed 0..7 and transient 8..15). */
export async function getIpTags(conn: ScpConnection, opts: { x?: number; y?: number } = {}): Promise<IpTag[]> {
  return Promise.all(Array.from({ length: IPTAG_COUNT }, (_, t) => getIpTag(conn, t, opts)));
}

export async function clearIpTag(conn: ScpConnection, tag: number, opts: { x?: number; y?: number } = {}): Promise<void> {
  checkTag(tag);
  await iptag(conn, { op: 'clear', tag }, opts);
}

/** Sets the transient-tag time-out (2^(t-1) × 10 ms; 9 = 2.56 s) and returns the old one. 255 only reads. */
export async function setTransientTimeout(conn: ScpConnection, t: number): Promise<number> {
  const r = await iptag(conn, { op: 'tto', tag: 0, timeout: t }, {}, (rep) => (rep.args.length < 1 ? 'the TTO reply carries no arg' : undefined));
  return ttoReply.decode(r).tto;
}

export { ipFromWord };
