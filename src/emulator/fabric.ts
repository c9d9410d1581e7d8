import type { EmulatedChip } from './chip.js';
import { NUM_LINKS } from './layout.js';
import { EV_DEFAULT, EV_DUMP, EV_ER_NORMAL, EV_LOCAL, EV_NO_PAYLOAD, EV_NOT_DEFAULT, EV_NOT_LOCAL, EV_PAYLOAD, EV_TO_CORES, EV_TO_MONITOR, evToLink, PacketType } from './router-regs.js';

/** Counters of the multicast fabric. */
export interface FabricStats {
  /** Packets sent by cores or monitors. */
  sent: number;
  /** Packets delivered to a core (one per destination core). */
  delivered: number;
  /** Packets from a local core that matched no entry (the router drops them). */
  droppedNoRoute: number;
  /** Packets routed to a link that is down or leads nowhere. */
  droppedDeadLink: number;
  /** Packets that went round a routing loop beyond the hop limit. */
  droppedHops: number;
}

const HOP_LIMIT = 1024;

/**
 * Multicast routing across the board's chips: at each chip the first
 * matching entry ((key & mask) == key) decides; a packet arriving on a link
 * that matches nothing goes straight through (out of the opposite link); a
 * packet from a local core that matches nothing is dropped and counted.
 * Copies are expanded depth-first in route-bit order (links 0–5, then
 * cores 0–17), which fixes the delivery order.
 */
export class Fabric {
  readonly stats: FabricStats = { sent: 0, delivered: 0, droppedNoRoute: 0, droppedDeadLink: 0, droppedHops: 0 };

  constructor(private readonly neighbour: (chip: EmulatedChip, link: number) => EmulatedChip | undefined) {}

  route(src: EmulatedChip, key: number, payload: number | undefined, deliver: (chip: EmulatedChip, virtCore: number, key: number, payload: number | undefined) => void): void {
    this.stats.sent++;
    this.step(src, -1, key, payload, 0, deliver);
  }

  private step(chip: EmulatedChip, arrivedOn: number, key: number, payload: number | undefined, hops: number, deliver: (chip: EmulatedChip, virtCore: number, key: number, payload: number | undefined) => void): void {
    // Diagnostic counter event (router-regs.ts): MC, normal routing, payload, source.
    let event = PacketType.MC | EV_ER_NORMAL | (payload === undefined ? EV_NO_PAYLOAD : EV_PAYLOAD) | (arrivedOn < 0 ? EV_LOCAL : EV_NOT_LOCAL);
    if (hops > HOP_LIMIT) {
      this.stats.droppedHops++;
      chip.rtrRegs.count(event | EV_NOT_DEFAULT | EV_DUMP);
      return;
    }
    let route = chip.router.lookup(key);
    if (route === undefined) {
      if (arrivedOn < 0) {
        this.stats.droppedNoRoute++;
        chip.rtrRegs.count(event | EV_NOT_DEFAULT | EV_DUMP);
        return;
      }
      route = 1 << ((arrivedOn + 3) % 6);
      event |= EV_DEFAULT;
    } else {
      event |= EV_NOT_DEFAULT;
    }
    let dest = 0;
    for (let l = 0; l < NUM_LINKS; l++) {
      if (!(route & (1 << l))) continue;
      const n = this.neighbour(chip, l);
      if (!n) {
        this.stats.droppedDeadLink++;
        dest |= EV_DUMP;
        continue;
      }
      dest |= evToLink(l);
      this.step(n, (l + 3) % 6, key, payload, hops + 1, deliver);
    }
    const cores = route >>> NUM_LINKS;
    for (let p = 0; cores !== 0 && p < 18; p++) {
      if (!(cores & (1 << p))) continue;
      const v = chip.sv8(0x94 + p); // p2v_map
      if (v === 255) continue;
      dest |= v === 0 ? EV_TO_MONITOR : EV_TO_CORES;
      this.stats.delivered++;
      deliver(chip, v, key, payload);
    }
    // A packet with an output that never frees is dumped whole by a real router (after its wait times out);
    // the emulator still delivers the other copies.
    chip.rtrRegs.count(event | (dest & EV_DUMP ? EV_DUMP : dest));
  }
}
