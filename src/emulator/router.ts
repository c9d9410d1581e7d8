import {
  P2P_WORD_RESET,
  p2pEntryPosition,
  RTR_COPY_ENTRIES,
  RTR_ENTRY_SIZE,
  RTR_UNUSED_KEY,
  RTR_UNUSED_MASK,
  RTR_UNUSED_ROUTE,
  rtrEntry,
  usedEntryFree,
} from '../protocol/router.js';
import { MC_TABLE_SIZE, NUM_LINKS, ROUTER_BASE, RTR_MC_KEY, RTR_MC_MASK, RTR_MC_ROUTE, RTR_P2P, RTR_P2P_WORDS, SV, SV_SV } from './layout.js';
import type { ChipMemory } from './memory.js';

/**
 * The MC router table and SC&MP's router-entry allocator (sark_hw.c,
 * sark_alloc.c). The hardware table (route with physical core bits, key,
 * mask) lives in the router's register file; the 1025-entry copy with the
 * allocator's next/free fields lives in `sv->rtr_copy` in SDRAM, as
 * rtr_entry_t records (src/protocol/router.ts).
 */
const E_NEXT = rtrEntry.offsetOf('next');
const E_FREE = rtrEntry.offsetOf('free');
const E_ROUTE = rtrEntry.offsetOf('route');
export const RTR_ALLOC_FIRST = 1;
export const RTR_ALLOC_LAST = MC_TABLE_SIZE;
const MAX_STEPS = 1 << 16;

export interface McEntry {
  key: number;
  mask: number;
  /** Route with physical core bits, as the hardware holds it. */
  route: number;
}

export class RouterTables {
  /** Used entries in table order, rebuilt lazily after a change. */
  private cache: McEntry[] | null = null;

  constructor(
    private readonly mem: ChipMemory,
    /** Virtual → physical core map (sv->v2p_map). */
    private readonly v2p: () => number[],
    /** The setter's virtual CPU for the copy's `free` field (SC&MP: 0). */
    private readonly virtCpu = 0,
  ) {
    mem.onRouterWrite = () => {
      this.cache = null;
    };
  }

  private get copy(): number {
    return this.mem.readU32(SV_SV + SV.rtr_copy);
  }
  private writeEntry(i: number, next: number, free: number, route: number, key: number, mask: number): void {
    this.mem.write(this.e(i), rtrEntry.encode({ next, free, route, key, mask }));
  }

  private e(i: number): number {
    return this.copy + RTR_ENTRY_SIZE * i;
  }

  private getNext(i: number): number {
    return this.mem.readU16(this.e(i) + E_NEXT);
  }
  private setNext(i: number, v: number): void {
    this.mem.writeU16(this.e(i) + E_NEXT, v);
  }
  private getFree(i: number): number {
    return this.mem.readU16(this.e(i) + E_FREE);
  }
  private setFree(i: number, v: number): void {
    this.mem.writeU16(this.e(i) + E_FREE, v);
  }
  private get rtrFree(): number {
    return this.mem.readU16(SV_SV + SV.rtr_free);
  }
  private set rtrFree(v: number) {
    this.mem.writeU16(SV_SV + SV.rtr_free, v);
  }

  private hwWrite(entry: number, route: number, key: number, mask: number): void {
    const v = this.mem.routerView;
    v.setUint32(RTR_MC_ROUTE + 4 * entry, route >>> 0, true);
    v.setUint32(RTR_MC_KEY + 4 * entry, key >>> 0, true);
    v.setUint32(RTR_MC_MASK + 4 * entry, mask >>> 0, true);
    this.cache = null;
  }

  /** rtr_mc_clear: false (RC_ARG) if start + count > 1024. */
  clear(start: number, count: number): boolean {
    if (start + count > MC_TABLE_SIZE) return false;
    for (let i = start; i < start + count; i++) {
      this.writeEntry(i, this.getNext(i), this.getFree(i), RTR_UNUSED_ROUTE, RTR_UNUSED_KEY, RTR_UNUSED_MASK);
      this.hwWrite(i, RTR_UNUSED_ROUTE, RTR_UNUSED_KEY, RTR_UNUSED_MASK);
    }
    return true;
  }

  /** rtr_mc_init(start). */
  init(start: number): void {
    this.clear(start, MC_TABLE_SIZE - start);
    this.rtrFree = RTR_ALLOC_FIRST;
    this.setNext(RTR_ALLOC_FIRST, RTR_ALLOC_LAST);
    this.setFree(RTR_ALLOC_FIRST, 0);
    this.setNext(RTR_ALLOC_LAST, 0);
    this.setFree(RTR_ALLOC_LAST, 0);
    // The allocator's end marker (entry 1024 exists only in the copy).
    this.mem.writeU32(this.e(RTR_COPY_ENTRIES - 1) + E_ROUTE, RTR_UNUSED_ROUTE);
  }

  /** rtr_mc_set: route carries app_id in [31:24] and virtual core bits. */
  set(entry: number, key: number, mask: number, route: number, appIdFallback = 0): boolean {
    if (entry >= MC_TABLE_SIZE) return false;
    let appId = route >>> 24;
    if (appId === 0) appId = appIdFallback;
    route = route & 0x00ffffff;
    this.writeEntry(entry, this.getNext(entry), usedEntryFree(appId, this.virtCpu), route, key >>> 0, mask >>> 0);
    const v2p = this.v2p();
    let phys = 0;
    const cores = route >>> NUM_LINKS;
    for (let v = 0; v < 18; v++) if (cores & (1 << v)) phys |= 1 << (v2p[v] ?? v);
    this.hwWrite(entry, ((route & 0x3f) | (phys << NUM_LINKS)) >>> 0, key, mask);
    return true;
  }

  /** rtr_mc_load from a table of rtr_entry_t in memory. */
  load(table: number, count: number, offset: number, appId: number): boolean {
    // count 0: the table's first entry says how many follow (in its `free` field).
    if (count === 0) count = rtrEntry.decode(this.mem.read(table, RTR_ENTRY_SIZE)).free;
    if (count > MC_TABLE_SIZE) return false;
    for (let i = 0; i < count; i++) {
      const t = rtrEntry.decode(this.mem.read(table + RTR_ENTRY_SIZE * i, RTR_ENTRY_SIZE));
      const entry = t.next + offset;
      if (entry >= MC_TABLE_SIZE) return false;
      this.set(entry, t.key, t.mask, ((appId << 24) + t.route) >>> 0);
    }
    return true;
  }

  /** rtr_alloc_id: first entry of a block of `size`, 0 on failure. */
  alloc(size: number, appId: number): number {
    if (size === 0) return 0;
    let prev = 0;
    let free = this.rtrFree;
    let n = 0;
    while (free !== 0) {
      if (++n > MAX_STEPS || free > MC_TABLE_SIZE) return 0;
      const next = this.getNext(free);
      const newAlloc = free + size;
      if (newAlloc > next) {
        prev = free;
        free = this.getFree(free);
        continue;
      }
      if (newAlloc < next) {
        this.setNext(newAlloc, next);
        this.setNext(free, newAlloc);
        this.setFree(newAlloc, this.getFree(free));
        this.setFree(free, newAlloc);
      }
      if (prev !== 0) this.setFree(prev, this.getFree(free));
      else this.rtrFree = this.getFree(free);
      this.setFree(free, (appId | 0x8000) & 0xffff);
      break;
    }
    return free;
  }

  /** rtr_free(entry, clear). */
  free(entry: number, clear: boolean): void {
    if (entry < RTR_ALLOC_FIRST || entry >= RTR_ALLOC_LAST) return;
    let prev = 0;
    let next = this.rtrFree;
    if (clear) {
      const size = this.getNext(entry) - entry;
      if (size > 0) this.clear(entry, size);
    }
    let n = 0;
    while (next !== 0) {
      if (++n > MAX_STEPS || next > MC_TABLE_SIZE) return;
      if (entry < next) break;
      prev = next;
      next = this.getFree(next);
    }
    this.setFree(entry, next);
    if (prev !== 0) this.setFree(prev, entry);
    else this.rtrFree = entry;
    if (next !== 0 && this.getNext(entry) === next) {
      this.setNext(entry, this.getNext(next));
      this.setFree(entry, this.getFree(next));
    }
    if (prev !== 0 && this.getNext(prev) === entry) {
      this.setNext(prev, this.getNext(entry));
      this.setFree(prev, this.getFree(entry));
    }
  }

  /** rtr_free_id: frees every block of app_id; returns the count. */
  freeId(appId: number, clear: boolean): number {
    let block = RTR_ALLOC_FIRST;
    let count = 0;
    const want = appId | 0x8000;
    let n = 0;
    while (this.getNext(block) !== 0) {
      if (++n > MAX_STEPS || block > MC_TABLE_SIZE) break;
      if ((this.getFree(block) & 0xe0ff) === want) {
        this.free(block, clear);
        count++;
      }
      block = this.getNext(block);
    }
    return count;
  }

  /** rtr_alloc_max. */
  allocMax(): number {
    let block = this.rtrFree;
    let max = 0;
    let n = 0;
    while (block !== 0) {
      if (++n > MAX_STEPS || block > MC_TABLE_SIZE) break;
      const next = this.getNext(block);
      if (next !== 0 && next - block > max) max = next - block;
      block = this.getFree(block);
    }
    return max;
  }

  /** The hardware table's used entries in order (route ≠ 0xFF000000 high byte). */
  entries(): McEntry[] {
    if (this.cache) return this.cache;
    const v = this.mem.routerView;
    const out: McEntry[] = [];
    for (let i = 0; i < MC_TABLE_SIZE; i++) {
      const key = v.getUint32(RTR_MC_KEY + 4 * i, true);
      const mask = v.getUint32(RTR_MC_MASK + 4 * i, true);
      // An entry can only match if key has no bits outside mask.
      if (((key & ~mask) >>> 0) !== 0) continue;
      out.push({ key, mask, route: v.getUint32(RTR_MC_ROUTE + 4 * i, true) & 0x00ffffff });
    }
    this.cache = out;
    return out;
  }

  /** First matching entry's route (physical core bits), or undefined. */
  lookup(key: number): number | undefined {
    for (const e of this.entries()) if (((key & e.mask) >>> 0) === e.key) return e.route;
    return undefined;
  }

  /** P2P table entry for chip address (x<<8|y): 0–5 link, 6 none (P2P_NO_ROUTE), 7 this chip. */
  p2pGet(addr: number): number {
    const { word, shift } = p2pEntryPosition(addr >>> 8, addr & 0xff);
    return (this.mem.routerView.getUint32(RTR_P2P + 4 * word, true) >>> shift) & 7;
  }

  p2pSet(addr: number, value: number): void {
    const pos = p2pEntryPosition(addr >>> 8, addr & 0xff);
    const off = RTR_P2P + 4 * pos.word;
    const shift = pos.shift;
    const word = this.mem.routerView.getUint32(off, true);
    this.mem.routerView.setUint32(off, ((word & ~(7 << shift)) | ((value & 7) << shift)) >>> 0, true);
  }

  /** rtr_p2p_init: every entry 6 ("no route"). */
  p2pInit(): void {
    for (let i = 0; i < RTR_P2P_WORDS; i++) this.mem.routerView.setUint32(RTR_P2P + 4 * i, P2P_WORD_RESET, true);
  }
}

export const ROUTER_P2P_ADDRESS = ROUTER_BASE + RTR_P2P;
