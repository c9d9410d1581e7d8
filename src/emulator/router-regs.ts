import type { ChipMemory } from './memory.js';

/**
 * The router's control register and its 16 programmable diagnostic
 * counters, in the router register file (0xE1000000).
 *
 * Control (r0): SC&MP's rtr_init leaves `0x00400001 | monitor << 8`
 * (enabled, Wait1 = 0x40, MP = the monitor's physical core; sark_hw.c);
 * the NN "router control" command updates selected fields (scamp-nn.c
 * nn_cmd_rtrc).
 *
 * Diagnostics: filters at +0x200 (rFN), counters at +0x300 (rCN), counter
 * enable/reset at +0x2C (rDGEN: bits 0–15 enable, writing 1 to bit 16+n
 * clears counter n). rtr_diag_init programs counters 0–11 (local /
 * non-local MC, P2P, NN, FR, then dumped MC, P2P, NN, FR). A packet event
 * is a word in the filter's layout; counter n counts it when enabled and
 * every field of its filter shares a bit with the event: type [3:0],
 * emergency routing [7:4], default [11:10] (x1 default, 1x not), payload
 * [13:12] (x1 with, 1x without), source [15:14] (x1 local, 1x not),
 * destination [24:16] (dump, local non-monitor cores, monitor, links 0–5).
 */
export const RTR_CONTROL = 0x00;
export const RTR_DGEN = 0x2c;
export const RTR_DGF0 = 0x200;
export const RTR_DGC0 = 0x300;
const N_COUNTERS = 16;

/** rtr_diag_init's filter table (sark_hw.c dgf_init). */
export const DEFAULT_DIAGNOSTIC_FILTERS: readonly number[] = [
  0x01fe7cf1, 0x01febcf1, 0x01fe7cf2, 0x01febcf2, 0x01fe7cf4, 0x01febcf4, 0x01fe7cf8, 0x01febcf8,
  0x0001fcf1, 0x0001fcf2, 0x0001fcf4, 0x0001fcf8, 0, 0, 0, 0,
];

/** Event bits (filter layout). */
export const PacketType = { MC: 1, P2P: 2, NN: 4, FR: 8 } as const;
export const EV_ER_NORMAL = 1 << 4;
export const EV_DEFAULT = 1 << 10;
export const EV_NOT_DEFAULT = 1 << 11;
export const EV_PAYLOAD = 1 << 12;
export const EV_NO_PAYLOAD = 1 << 13;
export const EV_LOCAL = 1 << 14;
export const EV_NOT_LOCAL = 1 << 15;
export const EV_DUMP = 1 << 16;
export const EV_TO_CORES = 1 << 17;
export const EV_TO_MONITOR = 1 << 18;
export const evToLink = (link: number): number => 1 << (19 + link);

const FIELDS = [0xf, 0xf0, 0xc00, 0x3000, 0xc000, 0x1ff0000];

/** Does filter `f` select event `e`? */
export function filterMatches(f: number, e: number): boolean {
  for (const m of FIELDS) if ((f & e & m) === 0) return false;
  return true;
}

export class RouterRegisters {
  private readonly view: DataView;
  /** Counters an event word increments, cached until the filters or enables change. */
  private readonly selected = new Map<number, Uint8Array>();

  constructor(private readonly mem: ChipMemory) {
    this.view = mem.routerView;
    const prev = mem.onRouterWrite;
    mem.onRouterWrite = (offset, length) => {
      prev(offset, length);
      if (offset < RTR_DGC0 && offset + length > RTR_DGEN) this.onRegisterWrite(offset, length);
    };
  }

  /** rtr_init's register part: diagnostics set up and enabled, control = enabled, Wait1 0x40, MP = monitor. */
  init(monitorPhys: number): void {
    for (let i = 0; i < N_COUNTERS; i++) {
      this.view.setUint32(RTR_DGF0 + 4 * i, DEFAULT_DIAGNOSTIC_FILTERS[i]!, true);
      this.view.setUint32(RTR_DGC0 + 4 * i, 0, true);
    }
    this.view.setUint32(RTR_DGEN, 0xffff, true);
    this.view.setUint32(RTR_CONTROL, (0x00400001 | ((monitorPhys & 0x1f) << 8)) >>> 0, true);
    this.selected.clear();
  }

  get control(): number {
    return this.view.getUint32(RTR_CONTROL, true);
  }

  /** nn_cmd_rtrc: data bits 5/4/3/2/1 select Wait2, Wait1, W, MP, TP, taken from the same word. */
  controlCommand(data: number): void {
    let clear = 0;
    let set = 0;
    const field = (sel: number, mask: number) => {
      if (data & sel) {
        set |= data & mask;
        clear |= mask;
      }
    };
    field(0x20, 0xff000000);
    field(0x10, 0x00ff0000);
    field(0x08, 0x00008000);
    field(0x04, 0x00001f00);
    field(0x02, 0x000000c0);
    this.view.setUint32(RTR_CONTROL, ((this.control & ~clear) | set) >>> 0, true);
  }

  /** Counts one packet event in every enabled counter whose filter selects it. */
  count(event: number): void {
    let which = this.selected.get(event);
    if (!which) {
      const enabled = this.view.getUint32(RTR_DGEN, true);
      const list: number[] = [];
      for (let i = 0; i < N_COUNTERS; i++) {
        if (enabled & (1 << i) && filterMatches(this.view.getUint32(RTR_DGF0 + 4 * i, true), event)) list.push(i);
      }
      which = Uint8Array.from(list);
      this.selected.set(event, which);
    }
    for (let k = 0; k < which.length; k++) {
      const a = RTR_DGC0 + 4 * which[k]!;
      this.view.setUint32(a, (this.view.getUint32(a, true) + 1) >>> 0, true);
    }
  }

  counter(i: number): number {
    return this.view.getUint32(RTR_DGC0 + 4 * i, true);
  }

  private onRegisterWrite(offset: number, length: number): void {
    this.selected.clear();
    if (offset < RTR_DGEN + 4 && offset + length > RTR_DGEN) {
      // rDGEN: the top half resets counters and reads back as 0.
      const v = this.view.getUint32(RTR_DGEN, true);
      for (let i = 0; i < N_COUNTERS; i++) if (v & (1 << (16 + i))) this.view.setUint32(RTR_DGC0 + 4 * i, 0, true);
      this.view.setUint32(RTR_DGEN, v & 0xffff, true);
    }
  }
}
