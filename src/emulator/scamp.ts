import { ScpCommand, ScpResult } from '../protocol/constants.js';
import type { EmulatedChip } from './chip.js';
import { ALLOC_ID, ALLOC_LOCK, heapAlloc, heapFree, heapFreeBytes, heapFreeId, heapMax, heapOwns } from './heap.js';
import type { IpTagTable } from './iptags.js';
import { TAG_NONE, TAG_TABLE_SIZE } from './iptags.js';
import { APP_DATA_SIZE, NUM_CPUS, SV } from './layout.js';
import { MemoryFault, type AccessType } from './memory.js';
import { ledSet } from './nn.js';

/** An SDP message as SC&MP holds it (sdp_msg_t without the buffer-chain words). */
export interface SdpMsg {
  flags: number;
  tag: number;
  destPort: number; // the whole port/cpu byte
  srcePort: number;
  destAddr: number; // (x << 8) | y
  srceAddr: number;
  /** Bytes from cmd_rc onward. */
  body: Uint8Array;
}

export const SDP_BUF_SIZE = 256;
export const SCAMP_ID = 'SC&MP/SpiNNaker';
export const SARK_ID = 'SARK/SpiNNaker';

/** A handler's outcome: return code and the N bytes written from arg1 onward. */
export interface ScpResultOut {
  rc: number;
  /** Bytes after cmd_rc/seq. */
  data: Uint8Array;
  /** True if the rc was set inside a handler (SC&MP 4.0.0 masks those to RC_OK when asked). */
  fromHandler?: boolean;
}

export type ScpOutcome = ScpResultOut | { defer: Promise<ScpResultOut> };

/** What the command handlers need from the board. */
export interface ScampBoard {
  readonly version: '3.1.0' | '4.0.0';
  readonly buildDate: number;
  /** True once netinit and ethinit are done (CMD_VER reports 255,255 before). */
  readonly ready: boolean;
  nnFlood(from: EmulatedChip, key: number, data: number, fwdRty: number, addId: boolean): void;
  mcSignal(from: EmulatedChip, word: number): void;
  tagsOf(chip: EmulatedChip): IpTagTable;
  neighbour(chip: EmulatedChip, link: number): EmulatedChip | undefined;
  chipsOnBoard(chip: EmulatedChip): EmulatedChip[];
  regionChips(region: number): EmulatedChip[];
  isRoot(chip: EmulatedChip): boolean;
  setSync(on: boolean): void;
}

class Reply {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  constructor(request: Uint8Array) {
    // SC&MP reuses the request buffer: what the handler does not overwrite stays.
    this.buf = new Uint8Array(12 + SDP_BUF_SIZE);
    this.buf.set(request.subarray(4, Math.min(request.length, 4 + 12 + SDP_BUF_SIZE)));
    this.dv = new DataView(this.buf.buffer);
  }
  arg(i: number): number {
    return this.dv.getUint32(4 * i, true);
  }
  setArg(i: number, v: number): void {
    this.dv.setUint32(4 * i, v >>> 0, true);
  }
  take(n: number): Uint8Array {
    return this.buf.slice(0, n);
  }
}

const ok = (r: Reply, n: number): ScpResultOut => ({ rc: ScpResult.OK, data: r.take(n) });
const err = (rc: number): ScpResultOut => ({ rc, data: new Uint8Array(0), fromHandler: true });

function cstr(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0) & 0xff).concat(0);
}

export function verReply(r: Reply, p2pAddr: number, phys: number, virt: number, id: string, version: string, buildDate: number): number {
  r.setArg(0, ((p2pAddr << 16) | (phys << 8) | virt) >>> 0);
  r.setArg(1, (0xffff0000 | SDP_BUF_SIZE) >>> 0);
  r.setArg(2, buildDate);
  const strings = [...cstr(id), ...cstr(version)];
  r.buf.set(strings, 12);
  return 12 + strings.length;
}

function cmdRead(chip: EmulatedChip, r: Reply): ScpResultOut {
  const addr = r.arg(0);
  const len = r.arg(1);
  const type = r.arg(2);
  if (len > SDP_BUF_SIZE || type > 2) return err(ScpResult.ARG);
  chip.mem.readTyped(addr, len, type as AccessType, r.buf);
  return ok(r, len);
}

function cmdWrite(chip: EmulatedChip, r: Reply): ScpResultOut {
  const addr = r.arg(0);
  const len = r.arg(1);
  const type = r.arg(2);
  if (len > SDP_BUF_SIZE || type > 2) return err(ScpResult.ARG);
  chip.mem.writeTyped(addr, len, type as AccessType, r.buf.subarray(12, 12 + len));
  return ok(r, 0);
}

function cmdFill(chip: EmulatedChip, r: Reply): ScpResultOut {
  chip.mem.fillWords(r.arg(0), r.arg(1), r.arg(2));
  return ok(r, 0);
}

/** The commands SARK answers on application cores (VER, READ, WRITE, FILL). */
export function sarkCommand(board: ScampBoard, chip: EmulatedChip, core: number, msg: SdpMsg, length: number): ScpResultOut {
  const r = new Reply(msg.body);
  if (length < 24) return err(ScpResult.LEN);
  const cmd = msg.body[0] | (msg.body[1] << 8);
  try {
    switch (cmd) {
      case ScpCommand.VER:
        return ok(r, verReply(r, chip.p2pAddr, chip.v2p(core), core, SARK_ID, board.version, board.buildDate));
      case ScpCommand.READ:
        return cmdRead(chip, r);
      case ScpCommand.WRITE:
        return cmdWrite(chip, r);
      case ScpCommand.FILL:
        return cmdFill(chip, r);
      default:
        return err(ScpResult.CMD);
    }
  } catch (e) {
    if (e instanceof MemoryFault) return err(ScpResult.ARG);
    throw e;
  }
}

/** scamp_debug: one SCP command on the monitor of `chip`. */
export function scampCommand(board: ScampBoard, chip: EmulatedChip, msg: SdpMsg, length: number, srcIp: number[]): ScpOutcome {
  if (length < 24) return err(ScpResult.LEN);
  const r = new Reply(msg.body);
  const cmd = msg.body[0] | (msg.body[1] << 8);
  const v4 = board.version === '4.0.0';
  chip.updateClock();
  switch (cmd) {
    case ScpCommand.VER:
      return ok(r, verReply(r, board.ready ? chip.p2pAddr : 0xffff, chip.v2p(0), 0, SCAMP_ID, board.version, board.buildDate));
    case ScpCommand.READ:
      return cmdRead(chip, r);
    case ScpCommand.WRITE:
      return cmdWrite(chip, r);
    case ScpCommand.FILL:
      return cmdFill(chip, r);
    case ScpCommand.LED:
      ledSet(chip, r.arg(0));
      return ok(r, 0);
    case ScpCommand.SROM:
      return cmdSrom(r);
    case ScpCommand.LINK_READ:
    case ScpCommand.LINK_WRITE:
      return cmdLink(board, chip, r, cmd === ScpCommand.LINK_READ);
    case ScpCommand.FFD:
      return cmdFfd(board, chip, r);
    case ScpCommand.IPTAG:
      return cmdIptag(board.tagsOf(chip), r, msg.tag, srcIp);
    case ScpCommand.NNP:
      board.nnFlood(chip, r.arg(0), r.arg(1), r.arg(2), (r.arg(2) & 0x80000000) !== 0);
      return ok(r, 0);
    case ScpCommand.AS:
      chip.startApp(r.arg(0), r.arg(1));
      return ok(r, 0);
    case ScpCommand.AR:
      if (r.arg(0) & 1) return err(ScpResult.ARG);
      chip.startApp(chip.sdramSys, r.arg(0));
      return ok(r, 0);
    case ScpCommand.REMAP:
      return cmdRemap(chip, r);
    case ScpCommand.ALLOC:
      return cmdAlloc(chip, r);
    case ScpCommand.SIG:
      return cmdSig(board, chip, r);
    case ScpCommand.RTR:
      return cmdRtr(chip, r);
    case ScpCommand.INFO:
      return cmdInfo(board, chip, r);
    case ScpCommand.APP_COPY_RUN:
      if (board.version === '3.1.0') return err(ScpResult.CMD);
      return cmdAppCopyRun(board, chip, r);
    case ScpCommand.SYNC:
      if (board.version === '3.1.0') return err(ScpResult.CMD);
      board.setSync(r.arg(0) !== 0);
      return ok(r, 0);
    case ScpCommand.COUNT:
      if (!v4) return err(ScpResult.CMD);
      return cmdCount(board, chip, r);
    default:
      return err(ScpResult.CMD);
  }
}

function cmdSrom(r: Reply): ScpResultOut {
  // No serial ROM is emulated: reads give erased flash (0xFF), writes are accepted and dropped.
  const len = r.arg(0) >>> 16;
  const write = (r.arg(0) & 0x100) !== 0;
  if (len > SDP_BUF_SIZE) return err(ScpResult.ARG);
  if (write) return ok(r, 0);
  r.buf.fill(0xff, 0, len);
  return ok(r, len);
}

function cmdLink(board: ScampBoard, chip: EmulatedChip, r: Reply, read: boolean): ScpResultOut {
  const addr = r.arg(0);
  const len = r.arg(1);
  const link = r.arg(2);
  if (len > SDP_BUF_SIZE || link > 5) return err(ScpResult.ARG);
  const n = board.neighbour(chip, link);
  const words = Math.floor(len / 4);
  for (let i = 0; i < words; i++) {
    const a = (addr + 4 * i) >>> 0;
    // A dead link or an address the neighbour cannot access: the PEEK/POKE times out.
    if (!n || !n.mem.isMapped((a & ~3) >>> 0, 4)) return err(ScpResult.TIMEOUT);
    if (read) r.dv.setUint32(4 * i, n.mem.readU32((a & ~3) >>> 0), true);
    else n.mem.writeU32((a & ~3) >>> 0, r.dv.getUint32(12 + 4 * i, true));
  }
  return ok(r, read ? len : 0);
}

function cmdFfd(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpResultOut {
  const a1 = r.arg(0);
  const a2 = r.arg(1);
  const fwdRty = a1 >>> 16;
  const id = a1 & 0xfe;
  let sum = r.arg(2);
  board.nnFlood(chip, ((12 << 24) + (a2 & 0x00ffff00) + id) >>> 0, sum, fwdRty, false);
  const words = ((a2 >>> 8) & 255) + 1;
  const key = ((13 << 24) + (a2 & 0x00ff0000) + id) >>> 0;
  for (let w = 0; w < words; w++) {
    // Word counts beyond the 256-byte buffer read past it on SC&MP; we read zeros there.
    const data = 12 + 4 * w + 4 <= r.buf.length ? r.dv.getUint32(12 + 4 * w, true) : 0;
    sum = (sum + data) >>> 0;
    board.nnFlood(chip, (key + (w << 8)) >>> 0, data, fwdRty, false);
  }
  board.nnFlood(chip, ((14 << 24) + (a2 & 0x00ff0000) + id) >>> 0, -sum >>> 0, fwdRty, false);
  return ok(r, 0);
}

function cmdIptag(tags: IpTagTable, r: Reply, msgTag: number, srcIp: number[]): ScpResultOut {
  const a1 = r.arg(0);
  const op = (a1 >>> 16) & 255;
  let tag = a1 & 255;
  if (op > 4 || tag >= TAG_TABLE_SIZE) return err(ScpResult.ARG);
  if (op === 0 || op === 1) {
    if (op === 0) tag = tags.newTag();
    if (tag !== TAG_NONE) tags.set(tag, a1, r.arg(1), r.arg(2), srcIp, msgTag);
    r.setArg(0, tag);
    return ok(r, 4);
  }
  if (op === 2) {
    const size = r.arg(1) * 32;
    if (r.arg(1) > 8 || size > SDP_BUF_SIZE) return err(ScpResult.ARG);
    r.buf.set(tags.raw(tag, r.arg(1)), 0);
    return ok(r, size);
  }
  if (op === 4) {
    r.setArg(0, (8 << 24) + (8 << 16) + (32 << 8) + tags.tto);
    if (r.arg(1) < 16) tags.tto = r.arg(1);
    return ok(r, 4);
  }
  tags.clear(tag);
  return ok(r, 0);
}

function cmdRemap(chip: EmulatedChip, r: Reply): ScpResultOut {
  const core = r.arg(0);
  if (core > NUM_CPUS) return err(ScpResult.ARG);
  let virt: number;
  let phys: number;
  if (r.arg(1) & 1) {
    virt = chip.sv8(SV.p2v_map + core);
    phys = core;
  } else {
    virt = core;
    phys = chip.v2p(core);
  }
  if (virt === 0 || virt >= chip.numCpus) return err(ScpResult.ARG);
  chip.remap(phys);
  return ok(r, 0);
}

function cmdAlloc(chip: EmulatedChip, r: Reply): ScpResultOut {
  const a1 = r.arg(0);
  const op = a1 & 255;
  const appId = (a1 >>> 8) & 255;
  const extra = (a1 >>> 16) & 255;
  if (op > 7) return err(ScpResult.ARG);
  const m = chip.mem;
  const clean = () => m.writeU8(chip.sv32(SV.app_data) + APP_DATA_SIZE * appId + 1, 0);
  switch (op) {
    case 0:
      r.setArg(0, heapAlloc(m, chip.sdramHeap, r.arg(1), r.arg(2), appId, ALLOC_LOCK + ALLOC_ID + (appId << 8) + extra, chip.allocTag));
      clean();
      return ok(r, 4);
    case 1:
      // SARK trusts the pointer blindly; we ignore pointers that are not allocated blocks rather than corrupt the heap.
      if (heapOwns(m, chip.sdramHeap, r.arg(1))) heapFree(m, chip.sdramHeap, r.arg(1), chip.allocTag);
      return ok(r, 0);
    case 2:
      r.setArg(0, heapFreeId(m, chip.sdramHeap, appId, chip.allocTag));
      return ok(r, 4);
    case 3:
      r.setArg(0, chip.router.alloc(r.arg(1), appId));
      clean();
      return ok(r, 4);
    case 4:
      chip.router.free(r.arg(1), r.arg(2) !== 0);
      return ok(r, 0);
    case 5:
      r.setArg(0, chip.router.freeId(appId, r.arg(1) !== 0));
      return ok(r, 4);
    case 6:
      r.setArg(0, heapFreeBytes(m, chip.sdramHeap));
      r.setArg(1, heapMax(m, chip.sdramHeap));
      return ok(r, 8);
    default:
      r.setArg(0, m.readU32(chip.allocTag + 4 * ((appId << 8) + (r.arg(1) & 255))));
      return ok(r, 4);
  }
}

function cmdRtr(chip: EmulatedChip, r: Reply): ScpResultOut {
  const a1 = r.arg(0);
  const op = a1 & 255;
  const appId = (a1 >>> 8) & 255;
  const count = a1 >>> 16;
  if (op === 0) {
    chip.router.init(1);
  } else if (op === 1) {
    if (!chip.router.clear(r.arg(1), count)) return err(ScpResult.ARG);
  } else if (op === 2) {
    if (!chip.router.load(r.arg(1), count, r.arg(2), appId)) return err(ScpResult.ARG);
  } else if (op === 3) {
    if (r.arg(1) & 0x80000000) {
      r.setArg(0, chip.sv32(SV.fr_copy));
      return ok(r, 4);
    }
    chip.setSv32(SV.fr_copy, r.arg(1) & 0xffffff);
  } else {
    return err(ScpResult.ARG);
  }
  return ok(r, 0);
}

function cmdInfo(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpResultOut {
  let a1 = chip.numCpus & 0x1f;
  a1 |= chip.router.allocMax() << 14;
  a1 |= (chip.sv8(SV.eth_up) ? 1 : 0) << 25;
  a1 |= chip.sv8(SV.link_en) << 8;
  r.setArg(0, a1);
  r.setArg(1, heapMax(chip.mem, chip.sdramHeap));
  r.setArg(2, heapMax(chip.mem, chip.sysramHeap));
  for (let c = 0; c < NUM_CPUS; c++) r.buf[12 + c] = chip.cpuState(c);
  const eth = chip.sv16(SV.eth_addr);
  r.buf[30] = eth & 255;
  r.buf[31] = eth >>> 8;
  for (let i = 0; i < 4; i++) r.buf[32 + i] = chip.sv8(SV.ip_addr + i);
  if (board.version === '3.1.0') return ok(r, 36);
  r.buf[36] = chip.router.p2pGet(chip.sv16(SV.p2p_root));
  r.buf[37] = 0;
  return ok(r, 38);
}

function cmdSig(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpOutcome {
  const type = r.arg(0);
  const data = r.arg(1);
  if (type === 0) {
    if (!board.isRoot(chip)) return err(ScpResult.ARG);
    board.mcSignal(chip, data);
    return ok(r, 0);
  }
  if (type === 2) {
    board.nnFlood(chip, (0 << 24) + 0x3f0000, ((5 << 28) + (data & 0x0fffffff)) >>> 0, 0x3f00, true);
    return ok(r, 0);
  }
  if (type === 1 && board.version === '3.1.0') return p2pSignal(board, r);
  return err(ScpResult.ARG);
}

/** SC&MP 3.x P2P signals: count / OR / AND over a region, or a signal to it; answered after 10 ms. */
function p2pSignal(board: ScampBoard, r: Reply): ScpOutcome {
  const word = r.arg(1);
  const region = r.arg(2) & 0xffff;
  if (region === 0) return err(ScpResult.ARG);
  const op = (word >>> 22) & 3;
  const mode = (word >>> 20) & 3;
  const level = (word >>> 26) & 3;
  const arg = (word >>> 16) & 15;
  const appMask = (word >>> 8) & 255;
  const appId = word & 255;
  const chips = board.regionChips(((level << 16) | region) >>> 0);
  if (chips.length === 0) return err(ScpResult.ROUTE);
  let result = 0;
  if (op === 1) {
    if (mode === 2) {
      for (const c of chips) result += c.countCores(appId, arg, appMask);
    } else {
      let any = false;
      let all = true;
      for (const c of chips) {
        const has = c.countCores(appId, arg, appMask) > 0;
        any ||= has;
        all &&= has;
      }
      result = ((mode === 0 ? any : all) ? 1 << 16 : 0) | chips.length;
    }
  } else if (op === 2) {
    for (const c of chips) c.signalApp(((arg << 16) | (appMask << 8) | appId) >>> 0);
    result = chips.length;
  }
  const defer = new Promise<ScpResultOut>((resolve) =>
    setTimeout(() => {
      r.setArg(0, result >>> 0);
      resolve(ok(r, 4));
    }, 10),
  );
  return { defer };
}

function cmdAppCopyRun(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpResultOut {
  const link = r.arg(0) & 7;
  const chksum = r.arg(0) >>> 3;
  const len = r.arg(1);
  const idOpMask = r.arg(2);
  if (idOpMask & 1) return err(ScpResult.ARG);
  if (link > 5) return err(ScpResult.ARG);
  if (len % 4 !== 0) return err(ScpResult.ARG);
  const n = board.neighbour(chip, link);
  const addr = chip.sdramSys;
  if (!n || !n.mem.isMapped(n.sdramSys, len) || !chip.mem.isMapped(addr, len)) return err(ScpResult.TIMEOUT);
  const bytes = n.mem.read(n.sdramSys, len);
  const dv = new DataView(bytes.buffer);
  let sum = 0;
  for (let i = 0; i < len / 4; i++) sum = (sum + dv.getUint32(4 * i, true)) >>> 0;
  chip.mem.write(addr, bytes);
  if (chksum !== 0 && (sum & 0x1fffffff) !== chksum) {
    r.setArg(0, sum);
    return { rc: ScpResult.SUM, data: r.take(4), fromHandler: true };
  }
  chip.startApp(addr, idOpMask);
  return ok(r, 0);
}

function cmdCount(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpOutcome {
  if (chip.countInProgress) return err(ScpResult.P2P_BUSY);
  chip.countInProgress = true;
  const appId = r.arg(0);
  const state = r.arg(1);
  const defer = new Promise<ScpResultOut>((resolve) =>
    setTimeout(() => {
      chip.countInProgress = false;
      let n = 0;
      for (const c of board.chipsOnBoard(chip)) n += appId > 255 ? 0 : c.countCores(appId, state);
      r.setArg(0, n);
      resolve(ok(r, 12));
    }, 10),
  );
  return { defer };
}
