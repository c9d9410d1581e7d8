/**
 * A host on the board's own entry points, without sockets: SCP/SDP datagrams
 * go in through `receiveScamp` exactly as they arrive from the Ethernet,
 * replies come out of `ethernetOut`; memory set-up uses the chip's memory
 * and heap. Used by the core-app tests and `tools/bench/emulator-core.ts`.
 */
import { Board } from '../../board.js';
import { createFirmwareRegistry } from '../registry.js';
import { heapAlloc, ALLOC_ID } from '../../heap.js';
import { VCPU } from '../../layout.js';
import { spinn3, type Machine } from '../../../machine/index.js';
import { ScpCommand } from '../../../protocol/constants.js';
import {
  buildCoreBlock, buildStandInImage, coreBlockSize, runtimeCommandArgs, RUNNING_COMMAND_SDP_PORT, type RegionContent,
  recordingHeader, bytesToWords,
} from '../../../regions/index.js';

export const APP_ID = 30;

export class Host {
  readonly board: Board;
  readonly replies: Uint8Array[] = [];
  private seq = 0;

  constructor(machine: Machine = spinn3()) {
    this.board = new Board({ machine, registry: createFirmwareRegistry() });
    this.board.ethernetOut = (d) => this.replies.push(d.slice());
  }

  chip(x = 0, y = 0) {
    return this.board.chip(x, y)!;
  }

  private send(x: number, y: number, cpu: number, port: number, body: Uint8Array, flags = 0x87): void {
    const d = new Uint8Array(10 + body.length);
    d[2] = flags; d[3] = 0xff; d[4] = ((port & 7) << 5) | (cpu & 31); d[5] = 0xff; d[6] = y; d[7] = x;
    d.set(body, 10);
    this.board.receiveScamp(this.board.root, d, '127.0.0.1', 40000);
  }

  private scpBody(cmd: number, args: number[], data: Uint8Array = new Uint8Array(0)): Uint8Array {
    const b = new Uint8Array(16 + data.length);
    const v = new DataView(b.buffer);
    v.setUint16(0, cmd, true);
    v.setUint16(2, ++this.seq & 0xffff, true);
    args.forEach((a, i) => v.setUint32(4 + 4 * i, a >>> 0, true));
    b.set(data, 16);
    return b;
  }

  alloc(size: number, x = 0, y = 0): number {
    const c = this.chip(x, y);
    const p = heapAlloc(c.mem, c.sdramHeap, size, 0, APP_ID, ALLOC_ID, c.allocTag);
    if (p === 0) throw new Error(`SDRAM alloc of ${size} failed`);
    return p;
  }

  /** Allocates and writes a core block, points user0 at it; returns the region pointers. */
  writeCoreBlock(core: number, regions: (RegionContent | undefined)[], x = 0, y = 0): number[] {
    const base = this.alloc(coreBlockSize(regions), x, y);
    const block = buildCoreBlock(base, regions);
    this.chip(x, y).mem.write(base, block.bytes);
    this.chip(x, y).setVcpu32(core, VCPU.user0, base);
    return block.pointers;
  }

  /** Loads an image on cores (no WAIT flag: they enter c_main at once). */
  load(app: string, cores: number[], x = 0, y = 0): void {
    const image = buildStandInImage(app);
    const addr = this.alloc(image.length, x, y);
    this.chip(x, y).mem.write(addr, image);
    const mask = cores.reduce((m, c) => m | (1 << c), 0);
    this.chip(x, y).startApp(addr, ((APP_ID << 24) | mask) >>> 0);
  }

  runtime(core: number, endTick: number, startTick: number, x = 0, y = 0): void {
    const a = runtimeCommandArgs({ endTick, infinite: false, startTick, syncSteps: 0 });
    this.send(x, y, core, RUNNING_COMMAND_SDP_PORT, this.scpBody(a.cmd, [a.arg1, a.arg2, a.arg3], a.data.slice()));
  }

  stop(core: number, x = 0, y = 0): void {
    this.send(x, y, core, RUNNING_COMMAND_SDP_PORT, this.scpBody(6, [0, 0, 0]));
  }

  /** SCP SIG to every core of the app on the board (through the root chip). */
  signal(sig: number): void {
    this.send(0, 0, 0, 0, this.scpBody(ScpCommand.SIG, [0, (sig << 16) | (0xff << 8) | APP_ID, 0xffff]));
  }

  state(core: number, x = 0, y = 0): number {
    return this.chip(x, y).cpuState(core);
  }

  /** Runs board ticks until no core ticks. */
  run(): number {
    return this.board.runTicks(100000);
  }

  /** The bytes recorded in a channel (sizes as the core wrote them back). */
  recorded(recordingRegion: number, channel: number, x = 0, y = 0): { bytes: Uint8Array; missing: boolean } {
    const m = this.chip(x, y).mem;
    const n = m.readU32(recordingRegion);
    const h = recordingHeader.decode(m.read(recordingRegion, 4 + 12 * n));
    const ch = h.channels[channel]!;
    return { bytes: m.read(ch.dataPointer, ch.size), missing: ch.missing };
  }

  words(address: number, n: number, x = 0, y = 0): Uint32Array {
    return bytesToWords(this.chip(x, y).mem.read(address, 4 * n));
  }

  close(): void {
    this.board.close();
  }
}
