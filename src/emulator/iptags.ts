import { ipFromBytes, ipToBytes } from '../protocol/body.js';
import {
  IpTagFlag,
  type IpTagRecord,
  type IptagSet,
  IPTAG_SIZE,
  iptagRecord,
  TAG_FIXED_SIZE,
  TAG_TABLE_SIZE,
  TAG_TTO_DEFAULT,
  timeoutTicks,
} from '../protocol/iptag.js';

/**
 * SC&MP's IP tag table (scamp-3.c, scamp-cmd.c): 16 iptag_t records
 * (src/protocol/iptag.ts), tags 0–7 fixed, 8–15 the transient pool.
 * Timeouts count 10 ms ticks; the emulator evaluates them lazily from the
 * wall clock.
 */
export { TAG_FIXED_SIZE, TAG_TABLE_SIZE };
export const TAG_NONE = 255;

export interface TagView {
  ip: string;
  txPort: number;
  rxPort: number;
  flags: number;
  timeout: number;
  count: number;
  destAddr: number;
  destPort: number;
}

// Fields touched on every message (flags, timeout, count) are read in place.
const FLAGS = iptagRecord.offsetOf('flags');
const TIMEOUT = iptagRecord.offsetOf('timeout');
const COUNT = iptagRecord.offsetOf('count');
const RX_PORT = iptagRecord.offsetOf('rx_port');

export class IpTagTable {
  readonly bytes = new Uint8Array(TAG_TABLE_SIZE * IPTAG_SIZE);
  private readonly view = new DataView(this.bytes.buffer);
  /** Wall-clock ms of the last timeout evaluation, per tag. */
  private readonly lastTick = new Float64Array(TAG_TABLE_SIZE);
  tto = TAG_TTO_DEFAULT;

  constructor(private readonly nowMs: () => number) {}

  private o(tag: number): number {
    return tag * IPTAG_SIZE;
  }
  private record(tag: number): IpTagRecord {
    return iptagRecord.decode(this.bytes, this.o(tag));
  }
  private store(tag: number, r: IpTagRecord): void {
    iptagRecord.encode(r, this.bytes, this.o(tag));
    this.lastTick[tag] = this.nowMs();
  }
  flags(tag: number): number {
    this.expire();
    return this.view.getUint16(this.o(tag) + FLAGS, true);
  }
  private setFlags(tag: number, f: number): void {
    this.view.setUint16(this.o(tag) + FLAGS, f, true);
  }

  /** iptag_timer, applied for every 10 ms that passed. */
  expire(): void {
    const now = this.nowMs();
    for (let t = 0; t < TAG_TABLE_SIZE; t++) {
      const o = this.o(t);
      const f = this.view.getUint16(o + FLAGS, true);
      let timeout = this.view.getUint16(o + TIMEOUT, true);
      if (!(f & IpTagFlag.VALID) || timeout === 0) {
        this.lastTick[t] = now;
        continue;
      }
      const ticks = Math.floor((now - this.lastTick[t]) / 10);
      if (ticks <= 0) continue;
      this.lastTick[t] += ticks * 10;
      timeout = Math.max(0, timeout - ticks);
      this.view.setUint16(o + TIMEOUT, timeout, true);
      if (timeout === 0) this.setFlags(t, 0);
    }
  }

  /** iptag_new: first free pool tag or TAG_NONE. */
  newTag(): number {
    this.expire();
    for (let t = TAG_FIXED_SIZE; t < TAG_TABLE_SIZE; t++) if (this.view.getUint16(this.o(t) + FLAGS, true) === 0) return t;
    return TAG_NONE;
  }

  /** transient_tag: a pool tag pointing back at the sender, or TAG_NONE. */
  transient(ip: number[], port: number): number {
    const tag = this.newTag();
    if (tag === TAG_NONE) return tag;
    // Only the fields transient_tag sets change; the rest of the record stays.
    const r = this.record(tag);
    this.store(tag, {
      ...r,
      ip: ip.slice(0, 4),
      tx_port: port,
      rx_port: 0,
      timeout: timeoutTicks(this.tto),
      flags: IpTagFlag.VALID | IpTagFlag.TRANSIENT | this.tto,
    });
    return tag;
  }

  /** IPTAG NEW/SET. `srcIp`/`srcTag` describe the request's sender. */
  set(tag: number, req: IptagSet, srcIp: number[], srcTag: number): void {
    const src = srcTag < TAG_TABLE_SIZE ? this.record(srcTag) : undefined;
    const r = iptagRecord.zero();
    r.timeout = timeoutTicks(req.timeout);
    let flags = req.flags | r.timeout;
    r.dest_addr = req.destAddr;
    r.dest_port = req.sdpPortCpu;
    if (req.ip !== '0.0.0.0') r.ip = Array.from(ipToBytes(req.ip));
    else if (!(flags & IpTagFlag.REVERSE)) r.ip = flags & IpTagFlag.USE_SENDER && src ? src.ip : srcIp.slice(0, 4);
    if (flags & IpTagFlag.REVERSE) {
      r.rx_port = req.port;
    } else {
      r.tx_port = flags & IpTagFlag.USE_SENDER && src ? src.tx_port : req.port;
    }
    // Reverse tags are valid at once; for forward tags ARP resolves at once on loopback.
    flags |= IpTagFlag.VALID;
    r.flags = flags & 0xffff;
    this.store(tag, r);
  }

  clear(tag: number): void {
    this.setFlags(tag, 0);
  }

  raw(tag: number, count: number): Uint8Array {
    this.expire();
    const out = new Uint8Array(count * IPTAG_SIZE);
    // GET may run past the table (SC&MP copies whatever follows); we give zeros there.
    const end = Math.min(TAG_TABLE_SIZE, tag + count);
    out.set(this.bytes.subarray(this.o(tag), this.o(end)));
    return out;
  }

  get(tag: number): TagView & { ipBytes: number[] } {
    const r = this.record(tag);
    return {
      ip: ipFromBytes(r.ip),
      ipBytes: r.ip,
      txPort: r.tx_port,
      timeout: r.timeout,
      flags: r.flags,
      count: r.count,
      rxPort: r.rx_port,
      destAddr: r.dest_addr,
      destPort: r.dest_port,
    };
  }

  /** After a message went out through the tag: free a transient tag, count a fixed one. */
  used(tag: number): void {
    const o = this.o(tag);
    const f = this.view.getUint16(o + FLAGS, true);
    if (f & IpTagFlag.TRANSIENT) this.setFlags(tag, 0);
    else this.view.setUint32(o + COUNT, (this.view.getUint32(o + COUNT, true) + 1) >>> 0, true);
  }

  /** Reverse path: a datagram arrived at rxPort; returns the fixed tag (0–7) or -1. */
  reverseFor(rxPort: number): number {
    this.expire();
    for (let t = 0; t < TAG_FIXED_SIZE; t++) {
      const o = this.o(t);
      if (this.view.getUint16(o + FLAGS, true) !== 0 && this.view.getUint16(o + RX_PORT, true) === rxPort) return t;
    }
    return -1;
  }

  updateSender(tag: number, ip: number[], port: number): void {
    const r = this.record(tag);
    iptagRecord.encode({ ...r, ip: ip.slice(0, 4), tx_port: port }, this.bytes, this.o(tag));
  }
}
