import { allocReplyArgs, allocRequest } from '../protocol/alloc.js';
import { appCopyRunRequest, arRequest, asRequest, countRequest, decodeP2pWord, P2pMode, P2pOp, sigRequest, SigType } from '../protocol/app.js';
import type { ScpBody } from '../protocol/body.js';
import { ipFromBytes } from '../protocol/body.js';
import { fillRequest, ledRequest, linkReadRequest, readRequest, remapRequest, syncRequest, transferArgsValid, writeRequest } from '../protocol/commands.js';
import { ScpCommand, ScpResult } from '../protocol/constants.js';
import { ffdRequest, NnCmd, nnpRequest } from '../protocol/floodfill.js';
import * as info from '../protocol/info.js';
import { iptagRequest, IPTAG_SIZE, TAG_FIXED_SIZE, TAG_POOL_SIZE, TAG_TABLE_SIZE, ttoReply } from '../protocol/iptag.js';
import { allocTagIndex, appData } from '../protocol/memory.js';
import { rtrRequest } from '../protocol/router.js';
import * as scp from '../protocol/scp.js';
import { p2pCoords } from '../protocol/sv.js';
import * as ver from '../protocol/ver.js';
import type { EmulatedChip } from './chip.js';
import { ALLOC_ID, ALLOC_LOCK, heapAlloc, heapFree, heapFreeBytes, heapFreeId, heapMax, heapOwns } from './heap.js';
import type { IpTagTable } from './iptags.js';
import { TAG_NONE } from './iptags.js';
import { NUM_CPUS } from './layout.js';
import { type AccessType, type ChipMemory, MemoryFault } from './memory.js';
import { type CoreTcm, inTcm } from './tcm.js';
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
export const SCAMP_ID = ver.SCAMP_ID;
export const SARK_ID = ver.SARK_ID;

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
  /** Floods an NN packet out of `from` on the `forward` links (the add-id flag puts the chip's next id in key[7:1]). */
  nnFlood(from: EmulatedChip, key: number, data: number, forward: number, addId: boolean): void;
  mcSignal(from: EmulatedChip, word: number): void;
  tagsOf(chip: EmulatedChip): IpTagTable;
  neighbour(chip: EmulatedChip, link: number): EmulatedChip | undefined;
  chipsOnBoard(chip: EmulatedChip): EmulatedChip[];
  regionChips(region: number): EmulatedChip[];
  isRoot(chip: EmulatedChip): boolean;
  setSync(on: boolean): void;
}

/**
 * The request as the handlers see it: its args and data decoded by the
 * protocol codecs, and SC&MP's message buffer, which the reply reuses
 * (what a handler does not overwrite is sent back as it came).
 */
class Reply {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  /** The request's three args and the data that arrived. */
  readonly request: ScpBody;
  constructor(body: Uint8Array) {
    this.buf = new Uint8Array(12 + SDP_BUF_SIZE);
    this.buf.set(body.subarray(4, Math.min(body.length, 4 + 12 + SDP_BUF_SIZE)));
    this.dv = new DataView(this.buf.buffer);
    const { args, data } = scp.decodeRequest(body);
    this.request = { args, data };
  }
  /** Data as the handler reads it from the buffer: `n` bytes after the args, zeros past what arrived. */
  data(n: number): Uint8Array {
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(12, 12 + n));
    return out;
  }
  setArg(i: number, v: number): void {
    this.dv.setUint32(4 * i, v >>> 0, true);
  }
  /** Writes a reply body (args, then data) over the buffer; returns its length. */
  put(body: ScpBody): number {
    body.args.forEach((a, i) => this.setArg(i, a));
    this.buf.set(body.data, 4 * body.args.length);
    return 4 * body.args.length + body.data.length;
  }
  take(n: number): Uint8Array {
    return this.buf.slice(0, n);
  }
}

const ok = (r: Reply, n: number): ScpResultOut => ({ rc: ScpResult.OK, data: r.take(n) });
const err = (rc: number): ScpResultOut => ({ rc, data: new Uint8Array(0), fromHandler: true });

function verReply(r: Reply, p2pAddr: number, physCpu: number, virtCpu: number, idString: string, versionString: string, buildDate: number): number {
  const { x, y } = p2pCoords(p2pAddr);
  return r.put(ver.encode({ x, y, physCpu, virtCpu, versionHigh: ver.VERSION_HIGH_SEMANTIC, bufferSize: SDP_BUF_SIZE, buildDate, idString, versionString }));
}

/** The memory `core` sees at `address`: its own ITCM/DTCM, or the chip's. */
function memoryAt(chip: EmulatedChip, core: number, address: number): ChipMemory | CoreTcm {
  return inTcm(address) ? chip.tcm(core) : chip.mem;
}

function cmdRead(chip: EmulatedChip, core: number, r: Reply): ScpResultOut {
  const { address, length, type } = readRequest.decode(r.request);
  if (!transferArgsValid(length, type)) return err(ScpResult.ARG);
  memoryAt(chip, core, address).readTyped(address, length, type as AccessType, r.buf);
  return ok(r, length);
}

function cmdWrite(chip: EmulatedChip, core: number, r: Reply): ScpResultOut {
  const w = writeRequest.decode(r.request);
  const length = w.length ?? w.data.length;
  if (!transferArgsValid(length, w.type)) return err(ScpResult.ARG);
  memoryAt(chip, core, w.address).writeTyped(w.address, length, w.type as AccessType, r.data(length));
  return ok(r, 0);
}

function cmdFill(chip: EmulatedChip, core: number, r: Reply): ScpResultOut {
  const { address, word, length } = fillRequest.decode(r.request);
  memoryAt(chip, core, address).fillWords(address, word, length);
  return ok(r, 0);
}

/** READ, WRITE and FILL, which SC&MP and SARK answer alike (on virtual core `core`); undefined for other commands. */
function memoryCommand(chip: EmulatedChip, core: number, r: Reply, cmd: number): ScpResultOut | undefined {
  if (cmd === ScpCommand.READ) return cmdRead(chip, core, r);
  if (cmd === ScpCommand.WRITE) return cmdWrite(chip, core, r);
  if (cmd === ScpCommand.FILL) return cmdFill(chip, core, r);
  return undefined;
}

/** The commands SARK answers on application cores (VER, READ, WRITE, FILL). */
export function sarkCommand(board: ScampBoard, chip: EmulatedChip, core: number, msg: SdpMsg, length: number): ScpResultOut {
  if (length < 24) return err(ScpResult.LEN);
  const r = new Reply(msg.body);
  const cmd = msg.body[0] | (msg.body[1] << 8);
  try {
    if (cmd === ScpCommand.VER) return ok(r, verReply(r, chip.p2pAddr, chip.v2p(core), core, SARK_ID, board.version, board.buildDate));
    return memoryCommand(chip, core, r, cmd) ?? err(ScpResult.CMD);
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
  const v3 = board.version === '3.1.0';
  chip.updateClock();
  const memory = memoryCommand(chip, 0, r, cmd);
  if (memory) return memory;
  switch (cmd) {
    case ScpCommand.VER:
      return ok(r, verReply(r, board.ready ? chip.p2pAddr : 0xffff, chip.v2p(0), 0, SCAMP_ID, board.version, board.buildDate));
    case ScpCommand.LED:
      ledSet(chip, ledRequest.decode(r.request).actions);
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
    case ScpCommand.NNP: {
      const p = nnpRequest.decode(r.request);
      board.nnFlood(chip, p.key, p.data, p.forward, p.addId);
      return ok(r, 0);
    }
    case ScpCommand.AS: {
      const p = asRequest.decode(r.request);
      chip.startApp(p.address, p.idOpMask);
      return ok(r, 0);
    }
    case ScpCommand.AR: {
      const m = arRequest.decode(r.request);
      if (m.coreMask & 1) return err(ScpResult.ARG);
      chip.startApp(chip.sdramSys, m);
      return ok(r, 0);
    }
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
      if (v3) return err(ScpResult.CMD);
      return cmdAppCopyRun(board, chip, r);
    case ScpCommand.SYNC:
      if (v3) return err(ScpResult.CMD);
      board.setSync(syncRequest.decode(r.request).on);
      return ok(r, 0);
    case ScpCommand.COUNT:
      if (v3) return err(ScpResult.CMD);
      return cmdCount(board, chip, r);
    default:
      return err(ScpResult.CMD);
  }
}

function cmdSrom(r: Reply): ScpResultOut {
  // No serial ROM is emulated: reads give erased flash (0xFF), writes are accepted and dropped.
  const a1 = r.request.args[0];
  const len = a1 >>> 16;
  const write = (a1 & 0x100) !== 0;
  if (len > SDP_BUF_SIZE) return err(ScpResult.ARG);
  if (write) return ok(r, 0);
  r.buf.fill(0xff, 0, len);
  return ok(r, len);
}

function cmdLink(board: ScampBoard, chip: EmulatedChip, r: Reply, read: boolean): ScpResultOut {
  const { address, length, link } = linkReadRequest.decode(r.request);
  if (length > SDP_BUF_SIZE || link > 5) return err(ScpResult.ARG);
  const n = board.neighbour(chip, link);
  const words = Math.floor(length / 4);
  for (let i = 0; i < words; i++) {
    const a = (((address + 4 * i) >>> 0) & ~3) >>> 0;
    // A dead link or an address the neighbour cannot access: the PEEK/POKE times out.
    if (!n || !n.mem.isMapped(a, 4)) return err(ScpResult.TIMEOUT);
    if (read) r.dv.setUint32(4 * i, n.mem.readU32(a), true);
    else n.mem.writeU32(a, r.dv.getUint32(12 + 4 * i, true));
  }
  return ok(r, read ? length : 0);
}

/** The largest FFD block: 256 words, more than the 256-byte buffer holds. */
const FFD_MAX_BYTES = 1024;

function cmdFfd(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpResultOut {
  // Word counts beyond the 256-byte buffer read past it on SC&MP; we read zeros there.
  const f = ffdRequest.decode({ args: r.request.args, data: r.data(FFD_MAX_BYTES) });
  const id = f.pid & 0xfe;
  const words = f.data.length / 4;
  const blockBits = (f.block << 16) | ((words - 1) << 8);
  const data = new DataView(f.data.buffer, f.data.byteOffset, f.data.length);
  let sum = f.address;
  board.nnFlood(chip, ((NnCmd.FBS << 24) + blockBits + id) >>> 0, sum, f.forward, false);
  const key = ((NnCmd.FBD << 24) + (f.block << 16) + id) >>> 0;
  for (let w = 0; w < words; w++) {
    const word = data.getUint32(4 * w, true);
    sum = (sum + word) >>> 0;
    board.nnFlood(chip, (key + (w << 8)) >>> 0, word, f.forward, false);
  }
  board.nnFlood(chip, ((NnCmd.FBE << 24) + (f.block << 16) + id) >>> 0, -sum >>> 0, f.forward, false);
  return ok(r, 0);
}

function cmdIptag(tags: IpTagTable, r: Reply, msgTag: number, srcIp: number[]): ScpResultOut {
  const req = iptagRequest.decode(r.request);
  if (req.op === 'unknown' || req.tag >= TAG_TABLE_SIZE) return err(ScpResult.ARG);
  switch (req.op) {
    case 'new':
    case 'set': {
      const tag = req.op === 'new' ? tags.newTag() : req.tag;
      if (tag !== TAG_NONE) tags.set(tag, req, srcIp, msgTag);
      r.setArg(0, tag);
      return ok(r, 4);
    }
    case 'get': {
      // SC&MP computes count * sizeof(iptag_t) in 32 bits before comparing it with the buffer size.
      const size = Math.imul(req.count, IPTAG_SIZE) >>> 0;
      if (size > SDP_BUF_SIZE) return err(ScpResult.ARG);
      r.buf.set(tags.raw(req.tag, size / IPTAG_SIZE), 0);
      return ok(r, size);
    }
    case 'tto': {
      const n = r.put(ttoReply.encode({ fixed: TAG_FIXED_SIZE, pool: TAG_POOL_SIZE, recordSize: IPTAG_SIZE, tto: tags.tto }));
      if (req.timeout < 16) tags.tto = req.timeout;
      return ok(r, n);
    }
    case 'clear':
      tags.clear(req.tag);
      return ok(r, 0);
  }
}

function cmdRemap(chip: EmulatedChip, r: Reply): ScpResultOut {
  const { core, physical } = remapRequest.decode(r.request);
  if (core > NUM_CPUS) return err(ScpResult.ARG);
  const virt = physical ? chip.svBytes('p2v_map')[core] : core;
  const phys = physical ? core : chip.v2p(core);
  if (virt === 0 || virt >= chip.numCpus) return err(ScpResult.ARG);
  chip.remap(phys);
  return ok(r, 0);
}

function cmdAlloc(chip: EmulatedChip, r: Reply): ScpResultOut {
  const req = allocRequest.decode(r.request);
  if (req.op === 'unknown') return err(ScpResult.ARG);
  const m = chip.mem;
  const heap = chip.sdramHeap;
  const appId = req.appId;
  const reply = (...values: number[]): ScpResultOut => {
    values.forEach((v, i) => r.setArg(i, v));
    return ok(r, 4 * allocReplyArgs(req.op));
  };
  // SARK marks the app id's resources as in use when it allocates for it.
  const notClean = () => m.writeU8(chip.appDataAddr(appId) + appData.offsetOf('clean'), 0);
  switch (req.op) {
    case 'allocSdram': {
      const ptr = heapAlloc(m, heap, req.size, req.tag, appId, ALLOC_LOCK + ALLOC_ID + (appId << 8) + req.flags, chip.allocTag);
      notClean();
      return reply(ptr);
    }
    case 'freeSdram':
      // SARK trusts the pointer blindly; we ignore pointers that are not allocated blocks rather than corrupt the heap.
      if (heapOwns(m, heap, req.pointer)) heapFree(m, heap, req.pointer, chip.allocTag);
      return reply();
    case 'freeSdramByApp':
      return reply(heapFreeId(m, heap, appId, chip.allocTag));
    case 'allocRouter': {
      const entry = chip.router.alloc(req.count, appId);
      notClean();
      return reply(entry);
    }
    case 'freeRouter':
      chip.router.free(req.entry, req.clear !== 0);
      return reply();
    case 'freeRouterByApp':
      return reply(chip.router.freeId(appId, req.clear !== 0));
    case 'sdramSpace':
      return reply(heapFreeBytes(m, heap), heapMax(m, heap));
    case 'tagPointer':
      return reply(m.readU32(chip.allocTag + 4 * allocTagIndex(appId, req.tag)));
  }
}

function cmdRtr(chip: EmulatedChip, r: Reply): ScpResultOut {
  const req = rtrRequest.decode(r.request);
  switch (req.op) {
    case 'init':
      chip.router.init(1);
      return ok(r, 0);
    case 'clear':
      return chip.router.clear(req.first, req.count) ? ok(r, 0) : err(ScpResult.ARG);
    case 'load':
      return chip.router.load(req.address, req.count, req.base, req.appId) ? ok(r, 0) : err(ScpResult.ARG);
    case 'readFixedRoute':
      r.setArg(0, chip.sv('fr_copy'));
      return ok(r, 4);
    case 'setFixedRoute':
      chip.setSv('fr_copy', req.route);
      return ok(r, 0);
    case 'unknown':
      return err(ScpResult.ARG);
  }
}

function cmdInfo(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpResultOut {
  const eth = p2pCoords(chip.sv('eth_addr'));
  const linkEn = chip.sv('link_en');
  const allocMax = chip.router.allocMax();
  const body = info.encode({
    numCpus: chip.numCpus & 0x1f,
    linkMask: linkEn & 0x3f,
    largestFreeRouterBlock: allocMax & 0x7ff,
    ethernetUp: chip.sv('eth_up') !== 0,
    largestFreeSdram: heapMax(chip.mem, chip.sdramHeap),
    largestFreeSysram: heapMax(chip.mem, chip.sysramHeap),
    cpuStates: Array.from({ length: NUM_CPUS }, (_, c) => chip.cpuState(c)),
    ethX: eth.x,
    ethY: eth.y,
    ipAddress: ipFromBytes(chip.svBytes('ip_addr')),
    // 3.4.1 added the link towards the root (the 3.1.0 reply is 36 bytes).
    parentLink: board.version === '3.1.0' ? null : chip.router.p2pGet(chip.sv('p2p_root')),
  });
  // SC&MP ORs the fields in unmasked: a host that scribbled over rtr_copy or link_en sees the overflow.
  body.args[0] = (body.args[0] | (allocMax << 14) | (linkEn << 8)) >>> 0;
  return ok(r, r.put(body));
}

function cmdSig(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpOutcome {
  const { type, word } = sigRequest.decode(r.request);
  if (type === SigType.MC) {
    if (!board.isRoot(chip)) return err(ScpResult.ARG);
    board.mcSignal(chip, word);
    return ok(r, 0);
  }
  if (type === SigType.NN) {
    // SC&MP adds the SIG0 op without masking the word: top bits set by the host change the op.
    board.nnFlood(chip, (NnCmd.SIG0 << 24) + 0x3f0000, ((5 << 28) + word) >>> 0, 0x3f, true);
    return ok(r, 0);
  }
  if (type === SigType.P2P && board.version === '3.1.0') return p2pSignal(board, r);
  return err(ScpResult.ARG);
}

/** SC&MP 3.x P2P signals: count / OR / AND over a region, or a signal to it; answered after 10 ms. */
function p2pSignal(board: ScampBoard, r: Reply): ScpOutcome {
  const { word, region: regionArg } = sigRequest.decode(r.request);
  const region = regionArg & 0xffff;
  if (region === 0) return err(ScpResult.ARG);
  const w = decodeP2pWord(word);
  const chips = board.regionChips(((w.level << 16) | region) >>> 0);
  if (chips.length === 0) return err(ScpResult.ROUTE);
  let result = 0;
  if (w.op === P2pOp.STAT) {
    if (w.mode === P2pMode.SUM) {
      for (const c of chips) result += c.countCores(w.appId, w.arg, w.appMask);
    } else {
      let any = false;
      let all = true;
      for (const c of chips) {
        const has = c.countCores(w.appId, w.arg, w.appMask) > 0;
        any ||= has;
        all &&= has;
      }
      result = ((w.mode === P2pMode.OR ? any : all) ? 1 << 16 : 0) | chips.length;
    }
  } else if (w.op === P2pOp.SIG) {
    for (const c of chips) c.signalApp(((w.arg << 16) | (w.appMask << 8) | w.appId) >>> 0);
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
  const req = appCopyRunRequest.decode(r.request);
  if (req.idOpMask.coreMask & 1) return err(ScpResult.ARG);
  if (req.link > 5) return err(ScpResult.ARG);
  if (req.size % 4 !== 0) return err(ScpResult.ARG);
  const n = board.neighbour(chip, req.link);
  const addr = chip.sdramSys;
  if (!n || !n.mem.isMapped(n.sdramSys, req.size) || !chip.mem.isMapped(addr, req.size)) return err(ScpResult.TIMEOUT);
  const bytes = n.mem.read(n.sdramSys, req.size);
  const dv = new DataView(bytes.buffer);
  let sum = 0;
  for (let i = 0; i < req.size / 4; i++) sum = (sum + dv.getUint32(4 * i, true)) >>> 0;
  chip.mem.write(addr, bytes);
  // The reply carries the whole sum; the check uses its low 29 bits.
  if (req.checksum !== 0 && (sum & 0x1fffffff) !== req.checksum) {
    r.setArg(0, sum);
    return { rc: ScpResult.SUM, data: r.take(4), fromHandler: true };
  }
  chip.startApp(addr, req.idOpMask);
  return ok(r, 0);
}

function cmdCount(board: ScampBoard, chip: EmulatedChip, r: Reply): ScpOutcome {
  if (chip.countInProgress) return err(ScpResult.P2P_BUSY);
  chip.countInProgress = true;
  const { appId, state } = countRequest.decode(r.request);
  const defer = new Promise<ScpResultOut>((resolve) =>
    setTimeout(() => {
      chip.countInProgress = false;
      let n = 0;
      for (const c of board.chipsOnBoard(chip)) n += appId > 255 ? 0 : c.countCores(appId, state);
      r.setArg(0, n);
      // The reply keeps three args: arg2 and arg3 come back as the request had them.
      resolve(ok(r, 12));
    }, 10),
  );
  return { defer };
}
