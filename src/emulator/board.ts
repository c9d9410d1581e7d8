import { type Machine, LINKS, chipKey } from '../machine/index.js';
import { ScpResult } from '../protocol/constants.js';
import { AppRegistry, type SdpOut } from './apps/app.js';
import { type ChipHost, EmulatedChip, defaultBootSv } from './chip.js';
import { Fabric } from './fabric.js';
import { IpTagFlag, TAG_TABLE_SIZE } from '../protocol/iptag.js';
import { P2P_NO_ROUTE, P2P_SELF } from '../protocol/router.js';
import { IpTagTable } from './iptags.js';
import { NUM_CPUS, SCAMP_MC_ROUTING_KEY, SCAMP_MC_ROUTING_MASK, SCAMP_MC_SIGNAL_KEY } from './layout.js';
import { MemoryFault } from './memory.js';
import { HeapCorrupt } from './heap.js';
import { type ScampBoard, type ScpResultOut, type SdpMsg, sarkCommand, scampCommand } from './scamp.js';
import { nnReceive } from './nn.js';
import { isLoopbackIPv4 } from '../transceiver/loopback.js';

export type ScampVersion = '3.1.0' | '4.0.0';

/**
 * CMD_VER's build date when no image supplied one (pre-booted boards):
 * 3.1.0: the build of rig's scamp.boot (2017-01-27 10:23:34 UTC), the
 * SC&MP 3.1.0 image in common use; 4.0.0: the commit time of
 * spinnaker_tools 7.2.1, the first release carrying SC&MP 4.0.0
 * (2024-07-25 06:36:26 UTC), standing in for an image's compile time.
 */
export const DEFAULT_BUILD_DATE: Readonly<Record<ScampVersion, number>> = { '3.1.0': 0x588b1fa6, '4.0.0': 1721889386 };

export interface BoardOptions {
  machine: Machine;
  version?: ScampVersion;
  /** SC&MP 4.0.0 masks errors raised inside handlers as RC_OK; off by default. */
  maskErrors?: boolean;
  /** sv 0x00–0x7F as the boot image carries them (default: SpiNNMan's values for the board). */
  bootSv?: Uint8Array;
  registry?: AppRegistry;
  /** CMD_VER's build date (Unix time); default DEFAULT_BUILD_DATE for the version. */
  buildDate?: number;
  /** IP of the root Ethernet chip (the address the board listens on). */
  rootIp?: string;
}

/** Sends a datagram out of the board's Ethernet (the server decides which socket). */
export type EthernetOut = (datagram: Uint8Array, ip: string, port: number, fromPort: number | 'scamp') => void;

export interface BoardStats {
  messages: number;
  replies: number;
  droppedNoTag: number;
  droppedBadTag: number;
  droppedNonLoopback: number;
  handlerErrors: number;
  /** The last unexpected handler exception (for diagnosis). */
  lastError?: string;
  memoryFaults: number;
  ticks: number;
  tickWallMs: number;
}

/**
 * Multicast packets waiting for one core, in arrival order, in typed arrays
 * (nothing is allocated per packet). `take` hands the queued packets over
 * and swaps in the spare arrays, so packets queued while they are handled
 * wait for the next delivery.
 */
class McQueue {
  keys = new Uint32Array(16);
  payloads = new Uint32Array(16);
  hasPayload = new Uint8Array(16);
  n = 0;
  /** The arrays of the last `take` (valid until the next one). */
  takenKeys = new Uint32Array(16);
  takenPayloads = new Uint32Array(16);
  takenHasPayload = new Uint8Array(16);
  taking = false;

  push(key: number, payload: number | undefined): void {
    if (this.n === this.keys.length) {
      const k = new Uint32Array(this.n * 2), p = new Uint32Array(this.n * 2), h = new Uint8Array(this.n * 2);
      k.set(this.keys);
      p.set(this.payloads);
      h.set(this.hasPayload);
      this.keys = k;
      this.payloads = p;
      this.hasPayload = h;
    }
    this.keys[this.n] = key;
    if (payload === undefined) {
      this.hasPayload[this.n] = 0;
    } else {
      this.hasPayload[this.n] = 1;
      this.payloads[this.n] = payload;
    }
    this.n++;
  }

  /** Moves the queued packets to the `taken*` arrays; returns how many. */
  take(): number {
    const n = this.n;
    const k = this.takenKeys, p = this.takenPayloads, h = this.takenHasPayload;
    this.takenKeys = this.keys;
    this.takenPayloads = this.payloads;
    this.takenHasPayload = this.hasPayload;
    this.keys = k;
    this.payloads = p;
    this.hasPayload = h;
    this.n = 0;
    return n;
  }
}

/**
 * The emulated board: its chips, P2P and multicast routing between them,
 * SC&MP's message dispatch (proc_route_msg) and the board-wide tick
 * scheduler that runs the cores' apps in lock-step.
 */
export class Board implements ScampBoard {
  readonly machine: Machine;
  readonly version: ScampVersion;
  readonly maskErrors: boolean;
  readonly buildDate: number;
  readonly registry: AppRegistry;
  readonly fabric: Fabric;
  readonly stats: BoardStats = {
    messages: 0,
    replies: 0,
    droppedNoTag: 0,
    droppedBadTag: 0,
    droppedNonLoopback: 0,
    handlerErrors: 0,
    memoryFaults: 0,
    ticks: 0,
    tickWallMs: 0,
  };
  ready = true;
  syncOn = true;
  ethernetOut: EthernetOut = () => {};
  /** Called when a reverse tag's rx_port changes, so the server can bind it. */
  onReverseTag: (port: number) => void = () => {};
  private readonly chips = new Map<number, EmulatedChip>();
  private readonly ordered: EmulatedChip[];
  private readonly tags = new Map<EmulatedChip, IpTagTable>();
  readonly root: EmulatedChip;
  /** Packets sent and not yet routed, in send order (parallel arrays). */
  private outChip: EmulatedChip[] = [];
  private outKey: number[] = [];
  private outPayload: (number | undefined)[] = [];
  private outN = 0;
  /** The batch being routed (swapped with the out* arrays, so neither is reallocated per tick). */
  private routeChip: EmulatedChip[] = [];
  private routeKey: number[] = [];
  private routePayload: (number | undefined)[] = [];
  private flushing = false;
  /** Per chip that ever received a packet (in that order): one queue per virtual core. */
  private readonly inbox = new Map<EmulatedChip, McQueue[]>();
  private readonly inboxChips: EmulatedChip[] = [];
  private readonly inboxQueues: McQueue[][] = [];
  private readonly deliverMc = (chip: EmulatedChip, core: number, key: number, payload: number | undefined): void => {
    if (core === 0) {
      if (key === SCAMP_MC_SIGNAL_KEY && payload !== undefined) chip.signalApp(payload);
      return;
    }
    this.inboxOf(chip)[core]!.push(key, payload);
  };
  private loopScheduled = false;
  private closed = false;
  private readonly t0 = performance.now();
  /** Ticks per scheduler slice before yielding to the event loop. */
  sliceMs = 20;

  constructor(opts: BoardOptions) {
    const machine = opts.machine;
    this.machine = machine;
    this.version = opts.version ?? '4.0.0';
    this.maskErrors = opts.maskErrors ?? false;
    this.buildDate = opts.buildDate ?? DEFAULT_BUILD_DATE[this.version];
    this.registry = opts.registry ?? new AppRegistry();
    const bootChip = machine.bootChip();
    const hwVer = machine.width <= 2 && machine.height <= 2 ? 3 : 5;
    const bootSv = opts.bootSv ?? defaultBootSv({ hwVer, unixTime: Math.floor(Date.now() / 1000) });
    const host: ChipHost = {
      registry: this.registry,
      nowMs: () => performance.now() - this.t0 + 0,
      sendMulticast: (chip, _core, key, payload) => {
        const i = this.outN++;
        this.outChip[i] = chip;
        this.outKey[i] = key;
        this.outPayload[i] = payload;
      },
      sendSdp: (chip, core, msg) => this.sendFromCore(chip, core, msg),
    };
    const swVer = this.version === '3.1.0' ? 0x030100 : 0x040000;
    for (const c of machine.chips()) {
      const workingPhys: number[] = [];
      for (let p = 0; p < c.nCores; p++) if (!c.deadCores.has(p)) workingPhys.push(p);
      const ip = c.x === bootChip.x && c.y === bootChip.y && opts.rootIp ? opts.rootIp : c.ipAddress;
      const chip = new EmulatedChip(
        {
          x: c.x,
          y: c.y,
          width: machine.width,
          height: machine.height,
          root: { x: bootChip.x, y: bootChip.y },
          eth: c.ethernet,
          boardAddr: { x: (c.x - c.ethernet.x + machine.width) % machine.width, y: (c.y - c.ethernet.y + machine.height) % machine.height },
          workingPhys,
          linkEn: c.linkMask,
          ...(ip ? { ipAddress: ip } : {}),
          bootSv,
          swVer,
          nChips: machine.nChips,
        },
        host,
      );
      this.chips.set(chipKey(c.x, c.y), chip);
      this.tags.set(chip, new IpTagTable(host.nowMs));
    }
    this.ordered = [...this.chips.values()].sort((a, b) => a.x - b.x || a.y - b.y);
    this.root = this.chips.get(chipKey(bootChip.x, bootChip.y))!;
    this.fabric = new Fabric((chip, link) => this.neighbour(chip, link));
    this.buildP2p();
    this.buildSignalTree();
  }

  chip(x: number, y: number): EmulatedChip | undefined {
    return this.chips.get(chipKey(x, y));
  }

  allChips(): readonly EmulatedChip[] {
    return this.ordered;
  }

  neighbour(chip: EmulatedChip, link: number): EmulatedChip | undefined {
    if (!(chip.sv('link_en') & (1 << link))) return undefined;
    const t = this.machine.linkTarget(chip.x, chip.y, link as 0 | 1 | 2 | 3 | 4 | 5);
    return t ? this.chips.get(chipKey(t.x, t.y)) : undefined;
  }

  /** Shortest-path P2P tables (ties broken by the lowest link number). */
  private buildP2p(): void {
    for (const dest of this.ordered) {
      const dist = new Map<EmulatedChip, number>([[dest, 0]]);
      const queue = [dest];
      for (let i = 0; i < queue.length; i++) {
        const c = queue[i];
        for (const l of LINKS) {
          const n = this.neighbour(c, l);
          // n reaches c through n's link (l+3)%6, if that link is up.
          if (n && !dist.has(n) && this.neighbour(n, (l + 3) % 6) === c) {
            dist.set(n, dist.get(c)! + 1);
            queue.push(n);
          }
        }
      }
      for (const c of this.ordered) {
        const d = dist.get(c);
        if (d === undefined) continue;
        if (c === dest) {
          c.router.p2pSet(dest.p2pAddr, P2P_SELF);
          continue;
        }
        for (const l of LINKS) {
          const n = this.neighbour(c, l);
          if (n && dist.get(n) === d - 1) {
            c.router.p2pSet(dest.p2pAddr, l);
            break;
          }
        }
      }
    }
  }

  /** Router entry 0 on every chip: the spanning tree for SC&MP's MC signals. */
  private buildSignalTree(): void {
    const rootAddr = this.root.p2pAddr;
    for (const c of this.ordered) {
      let route = 1 << 6;
      for (const l of LINKS) {
        const n = this.neighbour(c, l);
        if (n && n.router.p2pGet(rootAddr) === (l + 3) % 6) route |= 1 << l;
      }
      c.router.set(0, SCAMP_MC_ROUTING_KEY, SCAMP_MC_ROUTING_MASK, route);
    }
  }

  // ---- ScampBoard ----------------------------------------------------------
  isRoot(chip: EmulatedChip): boolean {
    return chip === this.root;
  }

  tagsOf(chip: EmulatedChip): IpTagTable {
    return this.tags.get(chip)!;
  }

  setSync(on: boolean): void {
    this.syncOn = on;
  }

  chipsOnBoard(chip: EmulatedChip): EmulatedChip[] {
    const eth = chip.sv('eth_addr');
    return this.ordered.filter((c) => c.sv('eth_addr') === eth);
  }

  /** Chips selected by a 3.x region word (level, base, 16 sub-block bits). */
  regionChips(region: number): EmulatedChip[] {
    return this.ordered.filter((c) => inRegion(c, region));
  }

  nnFlood(from: EmulatedChip, key: number, data: number, forwardLinks: number, addId: boolean): void {
    const forward = forwardLinks & 0x3f;
    if (addId) {
      let t = from.sv('last_id') + 1;
      if (t > 127) t = 1;
      from.setSv('last_id', t);
      key = (key | (t << 1)) >>> 0;
    }
    // Nothing leaves the sender if it forwards on no working link.
    if ((forward & from.sv('link_en')) === 0 && this.ordered.length > 1) return;
    const ctx = {
      ffsArms: this.version === '3.1.0',
      ffcsIgnoresRegion: this.version === '4.0.0',
      inRegion,
    };
    for (const c of this.ordered) nnReceive(ctx, c, key, data);
    this.kick();
  }

  mcSignal(from: EmulatedChip, word: number): void {
    this.fabric.route(from, SCAMP_MC_SIGNAL_KEY, word, (chip, core, key, payload) => {
      if (core === 0 && key === SCAMP_MC_SIGNAL_KEY && payload !== undefined) chip.signalApp(payload);
    });
    this.kick();
  }

  // ---- message dispatch (proc_route_msg) -----------------------------------

  /** A datagram arrived on the SC&MP port of the Ethernet chip `eth`. */
  receiveScamp(eth: EmulatedChip, datagram: Uint8Array, srcIp: string, srcPort: number): void {
    const len = datagram.length - 2;
    if (len > 24 + 256 || len < 8) return;
    this.stats.messages++;
    const msg: SdpMsg = {
      flags: datagram[2],
      tag: datagram[3],
      destPort: datagram[4],
      srcePort: datagram[5],
      destAddr: datagram[6] | (datagram[7] << 8),
      srceAddr: eth.p2pAddr,
      body: datagram.slice(10),
    };
    const ipBytes = srcIp.split('.').map(Number);
    const tags = this.tagsOf(eth);
    if (msg.tag === 0xff && msg.flags & 0x80) msg.tag = tags.transient(ipBytes, srcPort);
    if (msg.flags & 0x80 && !(msg.tag < TAG_TABLE_SIZE && tags.flags(msg.tag) !== 0)) {
      this.stats.droppedNoTag++;
      return;
    }
    this.routeMsg(eth, msg, len, ipBytes);
    this.flush();
    this.kick();
  }

  /** A datagram arrived on a reverse tag's port. */
  receiveReverse(eth: EmulatedChip, port: number, payload: Uint8Array, srcIp: string, srcPort: number): void {
    if (payload.length > 16 + 256) return;
    const tags = this.tagsOf(eth);
    const t = tags.reverseFor(port);
    if (t < 0) return;
    tags.updateSender(t, srcIp.split('.').map(Number), srcPort);
    const tag = tags.get(t);
    const msg: SdpMsg = {
      flags: 0x07,
      tag: t,
      destPort: tag.destPort,
      srcePort: 0xff,
      destAddr: tag.destAddr,
      srceAddr: eth.p2pAddr,
      body: payload.slice(),
    };
    this.routeMsg(eth, msg, payload.length + 8, [0, 0, 0, 0]);
    this.flush();
    this.kick();
  }

  private routeMsg(at: EmulatedChip, msg: SdpMsg, length: number, srcIp: number[], depth = 0): void {
    // Replies between cores can bounce for ever (SARK keeps the reply bit); cut such loops.
    if (depth > 16) return;
    msg.flags &= ~0x40;
    const rootAddr = this.root.p2pAddr;
    if (msg.destAddr === 0xffff) msg.destAddr = rootAddr;
    if (msg.srceAddr === 0xffff) msg.srceAddr = rootAddr;
    if (msg.destAddr !== msg.srceAddr && msg.destAddr !== at.p2pAddr && (msg.flags & 0x20) === 0) {
      const target = this.chips.get(msg.destAddr);
      if (at.router.p2pGet(msg.destAddr) === P2P_NO_ROUTE || !target) {
        this.returnMsg(at, msg, { rc: ScpResult.ROUTE, data: new Uint8Array(0) }, depth);
        return;
      }
      this.routeMsg(target, msg, length, srcIp, depth + 1);
      return;
    }
    if (msg.destPort === 0xff) {
      this.ethSend(at, msg);
      return;
    }
    const cpu = msg.destPort & 0x1f;
    if (cpu >= at.numCpus) {
      this.returnMsg(at, msg, { rc: ScpResult.CPU, data: new Uint8Array(0) }, depth);
      return;
    }
    if (cpu !== 0) {
      this.toCore(at, cpu, msg, length, depth);
      return;
    }
    if (msg.destPort >>> 5 !== 0) {
      this.returnMsg(at, msg, { rc: ScpResult.PORT, data: new Uint8Array(0) }, depth);
      return;
    }
    let outcome;
    try {
      outcome = scampCommand(this, at, msg, length, srcIp);
    } catch (e) {
      outcome = this.handlerFailure(e);
    }
    if ('defer' in outcome) {
      outcome.defer.then(
        (res) => {
          if (this.closed) return;
          this.returnMsg(at, msg, this.mask(res));
          this.flush();
        },
        () => {},
      );
    } else {
      this.returnMsg(at, msg, this.mask(outcome), depth);
    }
  }

  private handlerFailure(e: unknown): ScpResultOut {
    if (e instanceof MemoryFault || e instanceof HeapCorrupt) {
      this.stats.memoryFaults++;
      return { rc: ScpResult.ARG, data: new Uint8Array(0), fromHandler: true };
    }
    this.stats.handlerErrors++;
    this.stats.lastError = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return { rc: ScpResult.ARG, data: new Uint8Array(0), fromHandler: true };
  }

  private mask(res: ScpResultOut): ScpResultOut {
    if (this.maskErrors && this.version === '4.0.0' && res.fromHandler) return { ...res, rc: ScpResult.OK };
    return res;
  }

  /** An SDP message to an application core (shm_send_msg, then SARK). */
  private toCore(chip: EmulatedChip, core: number, msg: SdpMsg, length: number, depth: number): void {
    const state = chip.cpuState(core);
    // A dead or powered-down core never takes the message; the host times out.
    if (state === 0 || state === 1 || state === 3) return;
    if (msg.destPort >>> 5 === 0) {
      let res: ScpResultOut;
      try {
        res = sarkCommand(this, chip, core, msg, length);
      } catch (e) {
        res = this.handlerFailure(e);
      }
      // SARK replies whatever the flags say, keeping the reply bit.
      this.sendReply(chip, msg, msg.flags, res, depth);
      return;
    }
    const app = chip.cores[core].app;
    if (app?.onSdp) {
      chip.guard(core, () =>
        app.onSdp!({
          flags: msg.flags,
          tag: msg.tag,
          srceX: msg.srceAddr >>> 8,
          srceY: msg.srceAddr & 255,
          srceCpu: msg.srcePort & 31,
          srcePort: msg.srcePort >>> 5,
          destPort: msg.destPort >>> 5,
          payload: msg.body,
        }),
      );
    }
  }

  /** return_msg_*: swap the header and send the reply back where the request came from. */
  private returnMsg(at: EmulatedChip, msg: SdpMsg, res: ScpResultOut, depth = 0): void {
    if (!(msg.flags & 0x80)) return;
    this.sendReply(at, msg, msg.flags & ~0x80, res, depth);
  }

  /** Swaps the request's source and destination, appends the result, and routes the reply on from `at`. */
  private sendReply(at: EmulatedChip, msg: SdpMsg, flags: number, res: ScpResultOut, depth: number): void {
    const reply: SdpMsg = {
      flags,
      tag: msg.tag,
      destPort: msg.srcePort,
      srcePort: msg.destPort,
      destAddr: msg.srceAddr,
      srceAddr: msg.destAddr,
      body: concatBody(msg.body, res.rc, res.data),
    };
    this.stats.replies++;
    this.routeMsg(at, reply, 8 + reply.body.length, [0, 0, 0, 0], depth + 1);
  }

  /** eth_send_msg: out of the Ethernet through IP tag `msg.tag`. */
  private ethSend(at: EmulatedChip, msg: SdpMsg): void {
    const tags = this.tagsOf(at);
    if (msg.tag >= TAG_TABLE_SIZE || !at.sv('eth_up')) {
      this.stats.droppedBadTag++;
      return;
    }
    const tag = tags.get(msg.tag);
    if (!(tags.flags(msg.tag) & IpTagFlag.VALID)) {
      this.stats.droppedBadTag++;
      return;
    }
    if (!isLoopbackIPv4(tag.ip)) {
      // This emulator only ever talks to loopback addresses.
      this.stats.droppedNonLoopback++;
      tags.used(msg.tag);
      return;
    }
    let datagram: Uint8Array;
    if (tag.flags & IpTagFlag.STRIP) {
      datagram = msg.body.slice();
    } else {
      datagram = new Uint8Array(10 + msg.body.length);
      datagram[2] = msg.flags;
      datagram[3] = msg.tag;
      datagram[4] = msg.destPort;
      datagram[5] = msg.srcePort;
      datagram[6] = msg.destAddr & 255;
      datagram[7] = msg.destAddr >>> 8;
      datagram[8] = msg.srceAddr & 255;
      datagram[9] = msg.srceAddr >>> 8;
      datagram.set(msg.body, 10);
    }
    this.ethernetOut(datagram, tag.ip, tag.txPort, tag.flags & IpTagFlag.REVERSE ? tag.rxPort : 'scamp');
    tags.used(msg.tag);
  }

  /** An SDP message sent by an application core. */
  private sendFromCore(chip: EmulatedChip, core: number, out: SdpOut): void {
    const msg: SdpMsg = {
      flags: out.flags ?? 0x07,
      tag: out.tag ?? 0,
      destPort: ((out.destPort & 7) << 5) | (out.destCpu & 31),
      srcePort: core,
      destAddr: ((out.destX & 255) << 8) | (out.destY & 255),
      srceAddr: chip.p2pAddr,
      body: out.payload.slice(),
    };
    this.routeMsg(chip, msg, 8 + msg.body.length, [0, 0, 0, 0]);
  }

  // ---- multicast delivery and the tick scheduler ---------------------------

  private inboxOf(chip: EmulatedChip): McQueue[] {
    let b = this.inbox.get(chip);
    if (!b) {
      b = Array.from({ length: NUM_CPUS }, () => new McQueue());
      this.inbox.set(chip, b);
      this.inboxChips.push(chip);
      this.inboxQueues.push(b);
    }
    return b;
  }

  /**
   * Routes every packet sent so far, in send order, into the destination
   * cores' inboxes. Cores that are not ticking take their packets at once;
   * ticking cores take them at the start of their next tick.
   */
  flush(): void {
    // A flush reached from inside delivery (an app's SDP led to SCP handling) leaves the new packets to this loop.
    if (this.flushing) return;
    this.flushing = true;
    try {
      this.routeAll();
    } finally {
      this.flushing = false;
    }
  }

  private routeAll(): void {
    while (this.outN > 0) {
      // Packets sent while these are delivered go into a fresh batch (routed in the next round).
      const chips = this.outChip, keys = this.outKey, payloads = this.outPayload, n = this.outN;
      this.outChip = this.routeChip;
      this.outKey = this.routeKey;
      this.outPayload = this.routePayload;
      this.outN = 0;
      this.routeChip = chips;
      this.routeKey = keys;
      this.routePayload = payloads;
      for (let i = 0; i < n; i++) this.fabric.route(chips[i]!, keys[i]!, payloads[i], this.deliverMc);
      for (let k = 0; k < this.inboxChips.length; k++) {
        const chip = this.inboxChips[k]!, boxes = this.inboxQueues[k]!;
        for (let c = 1; c < NUM_CPUS; c++) {
          if (boxes[c]!.n > 0 && !chip.isTicking(c)) this.drain(chip, c);
        }
      }
    }
  }

  private drain(chip: EmulatedChip, c: number): void {
    const box = this.inbox.get(chip)?.[c];
    // A drain from inside an app's handler (an SDP it sent led to a flush) leaves the rest for later.
    if (box === undefined || box.n === 0 || box.taking) return;
    const app = chip.cores[c].app;
    const n = box.take();
    if (!app?.onMulticast) return;
    const keys = box.takenKeys, payloads = box.takenPayloads, has = box.takenHasPayload;
    box.taking = true;
    try {
      for (let i = 0; i < n; i++) {
        try {
          app.onMulticast(keys[i]!, has[i] ? payloads[i]! : undefined);
        } catch (e) {
          chip.guard(c, () => {
            throw e;
          });
        }
      }
    } finally {
      box.taking = false;
    }
  }

  /** True if any core wants timer ticks. */
  anyTicking(): boolean {
    for (const chip of this.ordered) for (let c = 1; c < chip.numCpus; c++) if (chip.isTicking(c)) return true;
    return false;
  }

  /**
   * One board-wide tick: every ticking core, chip by chip (x, then y) and
   * core by core, first takes the packets delivered to it, then runs its
   * timer callback. Packets sent during the tick are routed after all cores
   * have ticked, so they arrive before the next tick.
   */
  tick(): boolean {
    let ran = false;
    const ordered = this.ordered;
    for (let k = 0; k < ordered.length; k++) {
      const chip = ordered[k]!;
      const cores = chip.cores;
      for (let c = 1, nc = chip.numCpus; c < nc; c++) {
        const slot = cores[c]!;
        if (slot.app === null || !chip.isTicking(c)) continue;
        ran = true;
        this.drain(chip, c);
        if (!chip.isTicking(c)) continue;
        slot.tick++;
        const app = slot.app;
        if (!app?.onTimer) continue;
        try {
          app.onTimer(slot.tick);
        } catch (e) {
          chip.guard(c, () => {
            throw e;
          });
        }
      }
    }
    if (ran) this.stats.ticks++;
    this.flush();
    return ran;
  }

  /** Runs ticks until no core is ticking or `maxTicks` ran; returns the ticks run. */
  runTicks(maxTicks = Number.POSITIVE_INFINITY): number {
    let n = 0;
    const start = performance.now();
    while (n < maxTicks && this.tick()) n++;
    this.stats.tickWallMs += performance.now() - start;
    return n;
  }

  /** Schedules the free-running tick loop when a core is ticking. */
  kick(): void {
    if (this.loopScheduled || this.closed) return;
    if (!this.anyTicking()) return;
    this.loopScheduled = true;
    setImmediate(() => this.loop());
  }

  private loop(): void {
    this.loopScheduled = false;
    if (this.closed) return;
    const start = performance.now();
    let ran = true;
    while (ran && performance.now() - start < this.sliceMs) {
      ran = this.tick();
    }
    this.stats.tickWallMs += performance.now() - start;
    if (ran) this.kick();
  }

  close(): void {
    this.closed = true;
  }
}

function concatBody(request: Uint8Array, rc: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  out[0] = rc & 255;
  out[1] = rc >>> 8;
  out[2] = request[2] ?? 0;
  out[3] = request[3] ?? 0;
  out.set(data, 4);
  return out;
}

/** Whether a chip lies in a region word's selection (scamp-nn.c compute_level). */
export function inRegion(chip: EmulatedChip, region: number): boolean {
  const level = (region >>> 16) & 3;
  const shift = 6 - 2 * level;
  const keep = level === 0 ? 0 : (0xff << (8 - 2 * level)) & 0xff;
  const bx = (region >>> 24) & 255;
  const by = (region >>> 16) & 0xfc;
  if ((chip.x & keep) !== (bx & keep) || (chip.y & keep) !== (by & keep)) return false;
  const sx = (chip.x >>> shift) & 3;
  const sy = (chip.y >>> shift) & 3;
  return (region & (1 << (sx + 4 * sy))) !== 0;
}
