import { IPTAG_SIZE } from './layout.js';

/**
 * SC&MP's IP tag table (scamp-3.c, scamp-cmd.c): 16 × iptag_t, tags 0–7
 * fixed, 8–15 the transient pool. Timeouts count 10 ms ticks; the emulator
 * evaluates them lazily from the wall clock.
 *
 * iptag_t: ip[4], mac[6], tx_port u16, timeout u16, flags u16, count u32,
 * rx_port u16, dest_addr u16, dest_port u8, pad[7].
 */
export const TAG_FIXED_SIZE = 8;
export const TAG_POOL_SIZE = 8;
export const TAG_TABLE_SIZE = 16;
export const TAG_NONE = 255;

export const IPFLAG = {
  VALID: 0x8000,
  TRANS: 0x4000,
  ARP: 0x2000,
  USE_SENDER: 0x0400,
  REV: 0x0200,
  STRIP: 0x0100,
} as const;

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

export class IpTagTable {
  readonly bytes = new Uint8Array(TAG_TABLE_SIZE * IPTAG_SIZE);
  private readonly view = new DataView(this.bytes.buffer);
  /** Wall-clock ms of the last timeout evaluation, per tag. */
  private readonly lastTick = new Float64Array(TAG_TABLE_SIZE);
  tto = 9;

  constructor(private readonly nowMs: () => number) {}

  private o(tag: number): number {
    return tag * IPTAG_SIZE;
  }
  flags(tag: number): number {
    this.expire();
    return this.view.getUint16(this.o(tag) + 14, true);
  }
  setFlags(tag: number, f: number): void {
    this.view.setUint16(this.o(tag) + 14, f, true);
  }

  /** iptag_timer, applied for every 10 ms that passed. */
  expire(): void {
    const now = this.nowMs();
    for (let t = 0; t < TAG_TABLE_SIZE; t++) {
      const o = this.o(t);
      const f = this.view.getUint16(o + 14, true);
      let timeout = this.view.getUint16(o + 12, true);
      if (!(f & IPFLAG.VALID) || timeout === 0) {
        this.lastTick[t] = now;
        continue;
      }
      const ticks = Math.floor((now - this.lastTick[t]) / 10);
      if (ticks <= 0) continue;
      this.lastTick[t] += ticks * 10;
      timeout = Math.max(0, timeout - ticks);
      this.view.setUint16(o + 12, timeout, true);
      if (timeout === 0) this.view.setUint16(o + 14, 0, true);
    }
  }

  /** iptag_new: first free pool tag or TAG_NONE. */
  newTag(): number {
    this.expire();
    for (let t = TAG_FIXED_SIZE; t < TAG_TABLE_SIZE; t++) if (this.view.getUint16(this.o(t) + 14, true) === 0) return t;
    return TAG_NONE;
  }

  /** transient_tag: a pool tag pointing back at the sender, or TAG_NONE. */
  transient(ip: number[], port: number): number {
    const tag = this.newTag();
    if (tag === TAG_NONE) return tag;
    const o = this.o(tag);
    this.setFlags(tag, IPFLAG.VALID | IPFLAG.TRANS | this.tto);
    this.view.setUint16(o + 10, port, true);
    this.view.setUint16(o + 20, 0, true);
    this.bytes.set(ip.slice(0, 4), o);
    this.view.setUint16(o + 12, this.tto !== 0 ? 1 << (this.tto - 1) : 0, true);
    this.lastTick[tag] = this.nowMs();
    return tag;
  }

  /** IPTAG NEW/SET. `srcIp`/`srcTag` describe the request's sender. */
  set(tag: number, arg1: number, arg2: number, arg3: number, srcIp: number[], srcTag: number): void {
    const o = this.o(tag);
    const src = srcTag < TAG_TABLE_SIZE ? this.get(srcTag) : undefined;
    this.bytes.fill(0, o, o + IPTAG_SIZE);
    let timeout = (arg1 >>> 24) & 15;
    let flags = (arg1 >>> 20) & 0x0f00;
    if (timeout !== 0) timeout = 1 << (timeout - 1);
    this.view.setUint16(o + 12, timeout, true);
    flags |= timeout;
    this.view.setUint16(o + 22, arg2 >>> 16, true);
    this.bytes[o + 24] = (arg1 >>> 8) & 255;
    if (arg3 !== 0) {
      this.bytes.set([arg3 & 255, (arg3 >>> 8) & 255, (arg3 >>> 16) & 255, arg3 >>> 24], o);
    } else if (!(flags & IPFLAG.REV)) {
      if (flags & IPFLAG.USE_SENDER && src) this.bytes.set(src.ipBytes, o);
      else this.bytes.set(srcIp.slice(0, 4), o);
    }
    if (flags & IPFLAG.REV) {
      this.view.setUint16(o + 20, arg2 & 0xffff, true);
      flags |= IPFLAG.VALID;
    } else {
      this.view.setUint16(o + 10, flags & IPFLAG.USE_SENDER && src ? src.txPort : arg2 & 0xffff, true);
      // ARP resolves at once on loopback.
      flags |= IPFLAG.VALID;
    }
    this.setFlags(tag, flags & 0xffff);
    this.lastTick[tag] = this.nowMs();
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
    const o = this.o(tag);
    const ipBytes = Array.from(this.bytes.subarray(o, o + 4));
    return {
      ip: ipBytes.join('.'),
      ipBytes,
      txPort: this.view.getUint16(o + 10, true),
      timeout: this.view.getUint16(o + 12, true),
      flags: this.view.getUint16(o + 14, true),
      count: this.view.getUint32(o + 16, true),
      rxPort: this.view.getUint16(o + 20, true),
      destAddr: this.view.getUint16(o + 22, true),
      destPort: this.bytes[o + 24],
    };
  }

  /** After a message went out through the tag: free a transient tag, count a fixed one. */
  used(tag: number): void {
    const o = this.o(tag);
    const f = this.view.getUint16(o + 14, true);
    if (f & IPFLAG.TRANS) this.setFlags(tag, 0);
    else this.view.setUint32(o + 16, (this.view.getUint32(o + 16, true) + 1) >>> 0, true);
  }

  /** Reverse path: a datagram arrived at rxPort; returns the fixed tag (0–7) or -1. */
  reverseFor(rxPort: number): number {
    this.expire();
    for (let t = 0; t < TAG_FIXED_SIZE; t++) {
      const o = this.o(t);
      if (this.view.getUint16(o + 14, true) !== 0 && this.view.getUint16(o + 20, true) === rxPort) return t;
    }
    return -1;
  }

  updateSender(tag: number, ip: number[], port: number): void {
    const o = this.o(tag);
    this.view.setUint16(o + 10, port, true);
    this.bytes.set(ip.slice(0, 4), o);
  }
}
