import {
  BOOTROM_BASE,
  BOOTROM_SIZE,
  ROUTER_BASE,
  ROUTER_SIZE,
  ROUTER_UNBUF,
  SDRAM_BASE,
  SDRAM_SIZE,
  SDRAM_UNBUF,
  SYSCTL_BASE,
  SYSCTL_SIZE,
  SYSCTL_UNBUF,
  SYSRAM_BASE,
  SYSRAM_SIZE,
  SYSRAM_UNBUF,
} from './layout.js';

/** An access to an address no emulated memory backs. */
export class MemoryFault extends Error {
  constructor(
    readonly address: number,
    readonly length: number,
  ) {
    super(
      `address 0x${(address >>> 0).toString(16).padStart(8, '0')} (+${length} bytes) is outside the emulated memory ` +
        `(SDRAM 0x60000000/0x70000000 128 MiB, SysRAM 0xE5000000/0xF5000000 32 KiB, router 0xE1000000/0xF1000000, ` +
        `system controller 0xE2000000/0xF2000000, boot ROM 0xF6000000)`,
    );
    this.name = 'MemoryFault';
  }
}

const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;
/** What a never-written SDRAM page reads as (never written to). */
const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

export type AccessType = 0 | 1 | 2; // byte, half, word

interface Region {
  base: number;
  size: number;
  kind: 'sdram' | 'flat';
  bytes?: Uint8Array;
  readOnly?: boolean;
  onWrite?: (offset: number, length: number) => void;
}

/**
 * One chip's memory: SDRAM allocated lazily in 64 KiB pages, SysRAM, the
 * router's register file (MC tables and P2P table live there), the system
 * controller and the boot ROM. Both the buffered and unbuffered aliases map
 * to the same bytes.
 */
export class ChipMemory implements ByteMemory {
  private readonly pages = new Map<number, Uint8Array>();
  readonly sysram = new Uint8Array(SYSRAM_SIZE);
  readonly router = new Uint8Array(ROUTER_SIZE);
  readonly sysctl = new Uint8Array(SYSCTL_SIZE);
  private readonly bootrom = new Uint8Array(BOOTROM_SIZE);
  readonly sysramView = new DataView(this.sysram.buffer);
  readonly routerView = new DataView(this.router.buffer);
  private readonly regions: Region[];
  /** Called after any write into the router's register file (offset within it). */
  onRouterWrite: (offset: number, length: number) => void = () => {};

  constructor() {
    const routerHook = (o: number, l: number) => this.onRouterWrite(o, l);
    this.regions = [
      { base: SDRAM_BASE, size: SDRAM_SIZE, kind: 'sdram' },
      { base: SDRAM_UNBUF, size: SDRAM_SIZE, kind: 'sdram' },
      { base: SYSRAM_BASE, size: SYSRAM_SIZE, kind: 'flat', bytes: this.sysram },
      { base: SYSRAM_UNBUF, size: SYSRAM_SIZE, kind: 'flat', bytes: this.sysram },
      { base: ROUTER_BASE, size: ROUTER_SIZE, kind: 'flat', bytes: this.router, onWrite: routerHook },
      { base: ROUTER_UNBUF, size: ROUTER_SIZE, kind: 'flat', bytes: this.router, onWrite: routerHook },
      { base: SYSCTL_BASE, size: SYSCTL_SIZE, kind: 'flat', bytes: this.sysctl },
      { base: SYSCTL_UNBUF, size: SYSCTL_SIZE, kind: 'flat', bytes: this.sysctl },
      { base: BOOTROM_BASE, size: BOOTROM_SIZE, kind: 'flat', bytes: this.bootrom, readOnly: true },
    ];
  }

  /** Bytes of SDRAM actually allocated (pages touched by writes). */
  get sdramResidentBytes(): number {
    return this.pages.size * PAGE_SIZE;
  }

  private region(address: number, length: number): Region {
    const a = address >>> 0;
    for (const r of this.regions) {
      if (a >= r.base && a + length <= r.base + r.size) return r;
    }
    throw new MemoryFault(a, length);
  }

  /** True if [address, address+length) lies inside one emulated region. */
  isMapped(address: number, length: number): boolean {
    const a = address >>> 0;
    return this.regions.some((r) => a >= r.base && a + length <= r.base + r.size);
  }

  /** How many bytes from `address` on lie in the same region, at most `max` (0 if unmapped). */
  mappedLength(address: number, max: number): number {
    const a = address >>> 0;
    const r = this.regions.find((x) => a >= x.base && a < x.base + x.size);
    return r ? Math.min(max, r.base + r.size - a) : 0;
  }

  read(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.readInto(address, out);
    return out;
  }

  readInto(address: number, out: Uint8Array): void {
    const length = out.length;
    const page = this.sdramPageOf(address, length, false);
    if (page !== null) {
      const po = address & (PAGE_SIZE - 1);
      out.set(page.subarray(po, po + length));
      return;
    }
    const r = this.region(address, length);
    const off = (address >>> 0) - r.base;
    if (r.kind === 'flat') {
      out.set(r.bytes!.subarray(off, off + length));
      return;
    }
    let done = 0;
    while (done < length) {
      const o = off + done;
      const page = this.pages.get(o >>> PAGE_BITS);
      const po = o & (PAGE_SIZE - 1);
      const n = Math.min(length - done, PAGE_SIZE - po);
      if (page) out.set(page.subarray(po, po + n), done);
      else out.fill(0, done, done + n);
      done += n;
    }
  }

  /**
   * The SDRAM page holding all of [address, address+length) (allocated on
   * first use when `create`; a missing page reads as ZERO_PAGE), or null when
   * the span is not in SDRAM or crosses a page. The hot paths (records,
   * words, rows) take this branch.
   */
  private sdramPageOf(address: number, length: number, create: boolean): Uint8Array | null {
    const a = address >>> 0;
    const off = ((a - SDRAM_BASE) & 0xefffffff) >>> 0; // both aliases; anything else lands above SDRAM_SIZE
    if (off >= SDRAM_SIZE || (off & (PAGE_SIZE - 1)) + length > PAGE_SIZE || length <= 0) return null;
    const pi = off >>> PAGE_BITS;
    let page = this.pages.get(pi);
    if (!page) {
      if (!create) return ZERO_PAGE;
      page = new Uint8Array(PAGE_SIZE);
      this.pages.set(pi, page);
    }
    return page;
  }

  write(address: number, data: Uint8Array): void {
    const length = data.length;
    const page = this.sdramPageOf(address, length, true);
    if (page !== null) {
      page.set(data, address & (PAGE_SIZE - 1));
      return;
    }
    const r = this.region(address, length);
    if (r.readOnly) throw new MemoryFault(address, length);
    const off = (address >>> 0) - r.base;
    if (r.kind === 'flat') {
      r.bytes!.set(data, off);
      r.onWrite?.(off, length);
      return;
    }
    let done = 0;
    while (done < length) {
      const o = off + done;
      const pi = o >>> PAGE_BITS;
      let page = this.pages.get(pi);
      if (!page) {
        page = new Uint8Array(PAGE_SIZE);
        this.pages.set(pi, page);
      }
      const po = o & (PAGE_SIZE - 1);
      const n = Math.min(length - done, PAGE_SIZE - po);
      page.set(data.subarray(done, done + n), po);
      done += n;
    }
  }

  /** sark_word_set: floor(bytes/4) words from the aligned address; all or nothing. */
  fillWords(address: number, word: number, bytes: number): void {
    const n = Math.floor(bytes / 4);
    if (n === 0) return;
    const start = (address & ~3) >>> 0;
    const r = this.region(start, n * 4);
    if (r.readOnly) throw new MemoryFault(start, n * 4);
    const chunk = new Uint8Array(Math.min(n * 4, PAGE_SIZE));
    const dv = new DataView(chunk.buffer);
    for (let i = 0; i < chunk.length; i += 4) dv.setUint32(i, word >>> 0, true);
    let done = 0;
    while (done < n * 4) {
      const a = start + done;
      const off = a - r.base;
      const len = Math.min(n * 4 - done, PAGE_SIZE - (off & (PAGE_SIZE - 1)));
      // Zero fills of SDRAM pages never written need no page.
      if (!(r.kind === 'sdram' && word === 0 && !this.pages.has(off >>> PAGE_BITS))) this.write(a, chunk.subarray(0, len));
      done += len;
    }
  }

  readU32(address: number): number {
    const page = this.sdramPageOf(address, 4, false);
    if (page !== null) {
      const po = address & (PAGE_SIZE - 1);
      return (page[po] | (page[po + 1] << 8) | (page[po + 2] << 16) | (page[po + 3] << 24)) >>> 0;
    }
    const b = this.read(address, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  writeU32(address: number, value: number): void {
    const v = value >>> 0;
    const page = this.sdramPageOf(address, 4, true);
    if (page !== null) {
      const po = address & (PAGE_SIZE - 1);
      page[po] = v & 255;
      page[po + 1] = (v >>> 8) & 255;
      page[po + 2] = (v >>> 16) & 255;
      page[po + 3] = v >>> 24;
      return;
    }
    this.write(address, Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24));
  }

  readU16(address: number): number {
    const b = this.read(address, 2);
    return b[0] | (b[1] << 8);
  }

  writeU16(address: number, value: number): void {
    this.write(address, Uint8Array.of(value & 255, (value >>> 8) & 255));
  }

  readU8(address: number): number {
    return this.read(address, 1)[0];
  }

  writeU8(address: number, value: number): void {
    this.write(address, Uint8Array.of(value & 255));
  }

  /** A READ as SC&MP's sark_cmd_read does it (see readTyped below). */
  readTyped(address: number, length: number, type: AccessType, buffer: Uint8Array): void {
    readTyped(this, address, length, type, buffer);
  }

  /** A WRITE as sark_cmd_write does it (see writeTyped below). */
  writeTyped(address: number, length: number, type: AccessType, data: Uint8Array): void {
    writeTyped(this, address, length, type, data);
  }
}

/** What the typed accesses need from a memory (a chip's, or one core's TCM). */
export interface ByteMemory {
  read(address: number, length: number): Uint8Array;
  readInto(address: number, out: Uint8Array): void;
  write(address: number, data: Uint8Array): void;
}

/**
 * A READ as SC&MP's sark_cmd_read does it on an ARM968: `len` bytes, or
 * len/2 halfwords, or len/4 words. Word loads from an unaligned address
 * load the aligned word rotated (ARMv5 LDR); halfword loads use the
 * aligned halfword. A length that is not a multiple of the unit leaves
 * the tail of `buffer` as it was (SC&MP replies with stale buffer bytes).
 */
export function readTyped(mem: ByteMemory, address: number, length: number, type: AccessType, buffer: Uint8Array): void {
  const a = address >>> 0;
  if (type === 0 || length === 0) {
    if (length > 0) mem.readInto(a, buffer.subarray(0, length));
    return;
  }
  const unit = type === 1 ? 2 : 4;
  const n = Math.floor(length / unit);
  if (n === 0) return;
  if (type === 1) {
    mem.readInto(a & ~1, buffer.subarray(0, n * 2));
    return;
  }
  const base = (a & ~3) >>> 0;
  const rot = (a & 3) * 8;
  const raw = mem.read(base, n * 4);
  if (rot === 0) {
    buffer.set(raw, 0);
    return;
  }
  const src = new DataView(raw.buffer);
  const dst = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
  for (let i = 0; i < n; i++) {
    const w = src.getUint32(4 * i, true);
    dst.setUint32(4 * i, ((w >>> rot) | (w << (32 - rot))) >>> 0, true);
  }
}

/** A WRITE as sark_cmd_write does it: unaligned word/half stores go to the aligned address. */
export function writeTyped(mem: ByteMemory, address: number, length: number, type: AccessType, data: Uint8Array): void {
  const a = address >>> 0;
  if (type === 0) {
    if (length > 0) mem.write(a, data.subarray(0, length));
    return;
  }
  const unit = type === 1 ? 2 : 4;
  const n = Math.floor(length / unit);
  if (n === 0) return;
  const src = new Uint8Array(n * unit);
  src.set(data.subarray(0, Math.min(data.length, n * unit)));
  mem.write(type === 1 ? a & ~1 : (a & ~3) >>> 0, src);
}
