import { type AppEntry, type AppRegistry, type CoreApi, type CoreApp, type SdpOut } from './apps/app.js';
import { bootSvBlock } from '../protocol/boot.js';
import { APP_DATA_COUNT, type AppData, appData, iobufHeader } from '../protocol/memory.js';
import { RTR_COPY_ENTRIES } from '../protocol/router.js';
import { appNameToBytes } from '../protocol/vcpu.js';
import { type IdOpMask, decodeIdOpMask, decodeSignalWord, maskToCores } from '../protocol/app.js';
import { AplxError, inspectAplx } from './aplx.js';
import { ALLOC_ID, ALLOC_LOCK, heapAlloc, heapFreeId, heapInit } from './heap.js';
import {
  CpuState,
  type FieldRef,
  HOP_TABLE_SIZE,
  MAX_CPUS,
  NUM_CPUS,
  P2P_ADDR_TABLE_BYTES,
  RTR_ENTRY_SIZE,
  RtCode,
  SDP_MSG_T_SIZE,
  SDRAM_BASE,
  SDRAM_SIZE,
  SV_FIELDS,
  SV_SV,
  SV_VCPU,
  SYSRAM_BASE,
  SYS_USER_BASE,
  SYS_USER_TOP,
  Signal,
  type SvScalar,
  VCPU,
  VCPU_FIELDS,
  VCPU_SIZE,
  type VcpuScalar,
} from './layout.js';
import { ChipMemory } from './memory.js';
import { RouterTables } from './router.js';
import { RouterRegisters } from './router-regs.js';
import { CoreTcm } from './tcm.js';

/**
 * The 128 boot-time bytes of `sv` (sv 0x00–0x7F) SC&MP starts from when no
 * image is booted: what SpiNNMan writes, with the SDRAM heap right at
 * sdram_base (sdram_heap = 0 words) and the soft watchdog off.
 */
export function defaultBootSv(opts: { hwVer: number; unixTime: number; sdramHeapWords?: number }): Uint8Array {
  return bootSvBlock({ hwVer: opts.hwVer, unixTime: opts.unixTime, overrides: { soft_wdog: 0, sdram_heap: opts.sdramHeapWords ?? 0 } });
}

/** Offset of sv inside SysRAM. */
const SV_IN_SYSRAM = SV_SV - SYSRAM_BASE;
/** num_cpus is read on every tick of every core; its SysRAM offset is fixed. */
const NUM_CPUS_OFFSET = SV_IN_SYSRAM + SV_FIELDS.num_cpus.offset;
const IOBUF_NEXT = iobufHeader.offsetOf('next');
const IOBUF_PTR = iobufHeader.offsetOf('ptr');

export interface ChipSetup {
  x: number;
  y: number;
  width: number;
  height: number;
  root: { x: number; y: number };
  eth: { x: number; y: number };
  /** Position within its board. */
  boardAddr: { x: number; y: number };
  /** Physical cores that work (monitor included). */
  workingPhys: number[];
  linkEn: number;
  ipAddress?: string;
  bootSv: Uint8Array;
  swVer: number;
  nChips: number;
}

/** Hooks a chip needs from its board. */
export interface ChipHost {
  registry: AppRegistry;
  nowMs(): number;
  sendMulticast(chip: EmulatedChip, core: number, key: number, payload: number | undefined): void;
  sendSdp(chip: EmulatedChip, core: number, msg: SdpOut): void;
}

interface CoreSlot {
  app: CoreApp | null;
  entry: AppEntry | null;
  image: Uint8Array<ArrayBufferLike>;
  tick: number;
  waiting: boolean;
  started: boolean;
}

/** The SARK "image" started on idle cores (at boot, after stop/init). */
export const SARK_ENTRY: AppEntry = { name: 'sark', factory: () => ({}) };

/** Flood-fill state of a chip (nn_desc in scamp-nn.c). */
interface FloodFill {
  id: number;
  blockLen: number;
  blockCount: number;
  error: boolean;
  load: boolean;
  cores: number;
  lastFfcs: bigint;
  state: 'idle' | 'exblk' | 'inblk';
  fbs: Set<number>;
  fbe: Set<number>;
  blockNum: number;
  loadAddr: number;
  sum: number;
  wordLen: number;
  wordCount: number;
  buf: Map<number, number>;
}

/**
 * One emulated chip: its memory with sv, vcpu blocks, heaps and router
 * tables kept byte-exact in place, its cores, and the monitor-side
 * application control of scamp-app.c.
 */
export class EmulatedChip {
  readonly mem = new ChipMemory();
  readonly router: RouterTables;
  /** Router control register and diagnostic counters. */
  readonly rtrRegs: RouterRegisters;
  readonly x: number;
  readonly y: number;
  readonly cores: CoreSlot[] = [];
  readonly coreApp = new Uint8Array(NUM_CPUS);
  leds = 0;
  ff: FloodFill = EmulatedChip.emptyFf();
  countInProgress = false;
  private v2pCache: number[] = [];
  private readonly tcms = new Map<number, CoreTcm>();

  constructor(
    readonly setup: ChipSetup,
    private readonly host: ChipHost,
  ) {
    this.x = setup.x;
    this.y = setup.y;
    this.router = new RouterTables(this.mem, () => this.v2pCache);
    this.rtrRegs = new RouterRegisters(this.mem);
    for (let i = 0; i < NUM_CPUS; i++) this.cores.push({ app: null, entry: null, image: new Uint8Array(0), tick: 0, waiting: false, started: false });
    this.boot();
  }

  /** The ITCM/DTCM of virtual core `core` (tcm.ts), by physical core. */
  tcm(core: number): CoreTcm {
    const phys = this.v2p(core);
    let t = this.tcms.get(phys);
    if (!t) this.tcms.set(phys, (t = new CoreTcm()));
    return t;
  }

  static emptyFf(): FloodFill {
    return {
      id: -1,
      blockLen: 0,
      blockCount: 0,
      error: false,
      load: false,
      cores: 0,
      lastFfcs: 0n,
      state: 'idle',
      fbs: new Set(),
      fbe: new Set(),
      blockNum: 0,
      loadAddr: 0,
      sum: 0,
      wordLen: 0,
      wordCount: 0,
      buf: new Map(),
    };
  }

  get p2pAddr(): number {
    return (this.x << 8) | this.y;
  }

  // ---- sv accessors (field offsets and widths from src/protocol/sv.ts) -----
  private getScalar(o: number, f: FieldRef): number {
    const v = this.mem.sysramView;
    return f.size === 1 ? this.mem.sysram[o] : f.size === 2 ? v.getUint16(o, true) : v.getUint32(o, true);
  }
  private setScalar(o: number, f: FieldRef, value: number): void {
    const v = this.mem.sysramView;
    if (f.size === 1) this.mem.sysram[o] = value & 255;
    else if (f.size === 2) v.setUint16(o, value & 0xffff, true);
    else v.setUint32(o, value >>> 0, true);
  }
  /** An sv field by its sark.struct name. */
  sv(name: SvScalar): number {
    const f = SV_FIELDS[name];
    return this.getScalar(SV_IN_SYSRAM + f.offset, f);
  }
  setSv(name: SvScalar, value: number): void {
    const f = SV_FIELDS[name];
    this.setScalar(SV_IN_SYSRAM + f.offset, f, value);
  }
  /** A live view of one of sv's byte arrays. */
  svBytes(name: 'status_map' | 'p2v_map' | 'v2p_map' | 'ip_addr'): Uint8Array {
    const f = SV_FIELDS[name];
    return this.mem.sysram.subarray(SV_IN_SYSRAM + f.offset, SV_IN_SYSRAM + f.offset + f.size);
  }
  /** Raw sv bytes by offset (for callers that index into sv themselves). */
  sv8(off: number): number {
    return this.mem.sysram[SV_IN_SYSRAM + off];
  }
  setSv8(off: number, v: number): void {
    this.mem.sysram[SV_IN_SYSRAM + off] = v & 255;
  }
  sv16(off: number): number {
    return this.mem.sysramView.getUint16(SV_IN_SYSRAM + off, true);
  }
  sv32(off: number): number {
    return this.mem.sysramView.getUint32(SV_IN_SYSRAM + off, true);
  }
  setSv32(off: number, v: number): void {
    this.mem.sysramView.setUint32(SV_IN_SYSRAM + off, v >>> 0, true);
  }

  get numCpus(): number {
    // A host may write any value into sv.num_cpus; there are never more than 18 cores to visit.
    return Math.min(NUM_CPUS, this.mem.sysram[NUM_CPUS_OFFSET]);
  }
  get sdramHeap(): number {
    return this.sv('sdram_heap');
  }
  get sysramHeap(): number {
    return this.sv('sysram_heap');
  }
  get sysHeap(): number {
    return this.sv('sys_heap');
  }
  get allocTag(): number {
    return this.sv('alloc_tag');
  }
  get sdramSys(): number {
    return this.sv('sdram_sys');
  }
  v2p(v: number): number {
    return this.svBytes('v2p_map')[v];
  }

  // ---- vcpu accessors (field offsets and widths from src/protocol/vcpu.ts) --
  vcpuAddr(core: number): number {
    return SV_VCPU + VCPU_SIZE * core;
  }
  private vOff(core: number, field: number): number {
    return SV_VCPU - SYSRAM_BASE + VCPU_SIZE * core + field;
  }
  vcpu(core: number, name: VcpuScalar): number {
    const f = VCPU_FIELDS[name];
    return this.getScalar(this.vOff(core, f.offset), f);
  }
  setVcpu(core: number, name: VcpuScalar, value: number): void {
    const f = VCPU_FIELDS[name];
    this.setScalar(this.vOff(core, f.offset), f, value);
  }
  setAppName(core: number, name: string): void {
    this.mem.sysram.set(appNameToBytes(name), this.vOff(core, VCPU.app_name));
  }
  cpuState(core: number): number {
    return this.mem.sysram[this.vOff(core, VCPU.cpu_state)];
  }
  setCpuState(core: number, state: number): void {
    this.mem.sysram[this.vOff(core, VCPU.cpu_state)] = state;
  }
  /** Raw vcpu words and bytes by offset (kept for callers that use VCPU offsets). */
  vcpu32(core: number, field: number): number {
    return this.mem.sysramView.getUint32(this.vOff(core, field), true);
  }
  setVcpu32(core: number, field: number, v: number): void {
    this.mem.sysramView.setUint32(this.vOff(core, field), v >>> 0, true);
  }
  vcpu8(core: number, field: number): number {
    return this.mem.sysram[this.vOff(core, field)];
  }
  setVcpu8(core: number, field: number, v: number): void {
    this.mem.sysram[this.vOff(core, field)] = v & 255;
  }

  /** Keeps sv's clock fields current (unix_time, time_ms, clock_ms). */
  updateClock(): void {
    const now = this.host.nowMs();
    const boot = this.bootMs;
    const since = Math.max(0, Math.floor(now - boot));
    const unix = this.bootUnix + Math.floor(since / 1000);
    this.setSv('unix_time', unix);
    this.setSv('time_ms', since % 1000);
    this.setSv('clock_ms', since % 0x100000000);
    this.setSv('clock_ms_h', Math.floor(since / 0x100000000));
  }
  private bootMs = 0;
  private bootUnix = 0;

  // ---- boot: sv_init, sdram_init, random_init, rtr_init, boot_ap -----------
  private boot(): void {
    const s = this.setup;
    const m = this.mem;
    this.bootMs = this.host.nowMs();
    m.sysram.set(s.bootSv.subarray(0, 128), SV_SV - SYSRAM_BASE);
    this.bootUnix = this.sv('unix_time');
    this.assignVirtCpus(s.workingPhys);

    // sv fields computed by SC&MP
    this.setSv('p2p_addr', this.p2pAddr);
    this.setSv('p2p_dims', (s.width << 8) | s.height);
    this.setSv('eth_addr', (s.eth.x << 8) | s.eth.y);
    this.setSv('dbg_addr', (s.eth.x << 8) | s.eth.y);
    this.setSv('p2p_up', 1);
    this.setSv('netinit_phase', 0xff);
    this.setSv('p2p_root', (s.root.x << 8) | s.root.y);
    this.setSv('root_chip', s.x === s.root.x && s.y === s.root.y ? 1 : 0);
    this.setSv('eth_up', s.ipAddress ? 1 : 0);
    this.setSv('link_en', s.linkEn);
    this.setSv('board_addr', (s.boardAddr.x << 8) | s.boardAddr.y);
    this.setSv('sw_ver', s.swVer);
    this.setSv('p2p_active', s.nChips);
    this.setSv('board_info', 0);
    this.setSv('mbox_flags', 0);
    if (s.ipAddress) {
      const octets = s.ipAddress.split('.').map(Number);
      this.svBytes('ip_addr').set([0, 1, 2, 3].map((i) => octets[i] ?? 0));
    }

    // sv_init: SysRAM heap, vcpu blocks, SHM buffers
    const sysramBase = SYS_USER_BASE;
    this.setSv('sysram_base', sysramBase);
    const sysramTop = sysramBase + 4 * this.sv('sysram_heap');
    this.setSv('sysram_heap', heapInit(m, sysramTop, SYS_USER_TOP));
    m.sysram.fill(0, SV_VCPU - SYSRAM_BASE, SV_VCPU - SYSRAM_BASE + NUM_CPUS * VCPU_SIZE);
    this.setSv('vcpu_base', SV_VCPU);
    this.setCpuState(0, CpuState.RUN);
    this.setVcpu(0, 'sw_ver', s.swVer);
    this.setVcpu(0, 'time', this.bootUnix);
    this.setVcpu(0, 'phys_cpu', this.v2p(0));
    this.setAppName(0, 'scamp-3');
    const numBuf = this.sv('num_buf');
    const shm = heapAlloc(m, this.sysramHeap, numBuf * SDP_MSG_T_SIZE, 0, 0, 0, 0);
    this.setSv('shm_buf', shm);
    this.setSv('shm_root_free', shm);
    for (let i = 0; i < numBuf; i++) {
      const b = shm + i * SDP_MSG_T_SIZE;
      m.writeU32(b, i + 1 < numBuf ? b + SDP_MSG_T_SIZE : 0);
    }

    // sdram_init
    const sysSize = this.sv('sys_bufs');
    this.setSv('sys_bufs', SDRAM_BASE);
    const sdramBase = SDRAM_BASE + NUM_CPUS * 4 * this.sv('sysbuf_size');
    this.setSv('sdram_base', sdramBase);
    const sdramTop = sdramBase + 4 * this.sv('sdram_heap');
    const system = SDRAM_BASE + SDRAM_SIZE - sysSize;
    this.setSv('sdram_heap', heapInit(m, sdramTop, system));
    this.setSv('sdram_sys', system);
    const sysHeapBase = system + 4 * 65536;
    this.setSv('sys_heap', heapInit(m, sysHeapBase, sysHeapBase + sysSize - 4 * 65536));
    const hop = heapAlloc(m, this.sysHeap, HOP_TABLE_SIZE * 4, 0, 0, 0, 0);
    m.fillWords(hop, 0x8000ffff, HOP_TABLE_SIZE * 4);
    this.setSv('hop_table', hop);
    this.setSv('rtr_copy', heapAlloc(m, this.sysHeap, RTR_COPY_ENTRIES * RTR_ENTRY_SIZE, 0, 0, 0, 0));
    this.setSv('alloc_tag', heapAlloc(m, this.sysHeap, 65536 * 4, 0, 0, 0, 0));
    this.setSv('app_data', heapAlloc(m, this.sysHeap, APP_DATA_COUNT * appData.size, 0, 0, 0, 0));
    // random_init, then the P2P address bitmap of netinit
    const rnd = heapAlloc(m, this.sysHeap, 256 * 4, 0, 0, 0, 0);
    if (this.sv('random') === 0) this.setSv('random', (0xa5 ^ (rnd & 0xffff)) >>> 0);
    heapAlloc(m, this.sysHeap, P2P_ADDR_TABLE_BYTES, 0, 0, 0, 0);

    // rtr_init: P2P table cleared, MC tables initialised (the board fills P2P and entry 0)
    this.router.p2pInit();
    this.router.init(0);
    this.rtrRegs.init(this.v2p(0));
    this.setSv('fr_copy', 0);

    // boot_ap: every application core runs SARK → IDLE, app 0
    const mask = ((1 << this.numCpus) - 2) >>> 0;
    this.startSark(mask);
  }

  /** The address of an app id's app_data_t. */
  appDataAddr(appId: number): number {
    return this.sv('app_data') + appData.size * appId;
  }
  private getAppData(appId: number): AppData {
    return appData.decode(this.mem.read(this.appDataAddr(appId), appData.size));
  }
  private putAppData(appId: number, value: AppData): void {
    this.mem.write(this.appDataAddr(appId), appData.encode(value));
  }

  // ---- scamp-app.c --------------------------------------------------------

  /**
   * proc_start_app, then what SARK does on each core at reset: read the APLX,
   * initialise the vcpu block, wait if asked, else enter c_main.
   * `forced` bypasses the APLX look-up (SARK itself at boot and on stop).
   */
  startApp(aplxAddr: number, idOpMask: IdOpMask | number, forced?: AppEntry): void {
    const { appId, appFlags, coreMask: virtMask } = typeof idOpMask === 'number' ? decodeIdOpMask(idOpMask >>> 0) : idOpMask;
    if (virtMask === 0) return;
    const m = this.mem;
    const bits = maskToCores(virtMask);
    let ad = this.getAppData(appId);
    if (ad.cores === 0) ad = { cores: 0, clean: 0, sema: 0, lead: bits[0] ?? 0, mask: 0 };
    this.putAppData(appId, { ...ad, cores: (ad.cores + bits.length) & 255, mask: (ad.mask | virtMask) >>> 0 });
    this.updateClock();
    const now = this.sv('unix_time');
    const cores = bits.filter((c) => c >= 1 && c < this.numCpus);
    for (const c of cores) {
      this.setCpuState(c, CpuState.INIT);
      this.setVcpu(c, 'time', now);
      this.setVcpu(c, 'app_id', appId);
      this.coreApp[c] = appId;
    }
    m.writeU32(SYSRAM_BASE + 16, aplxAddr);
    m.writeU32(SYSRAM_BASE + 20, (appFlags << 8) + appId);

    let entry = forced;
    let image: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
    let loadError: string | undefined;
    if (!entry) {
      try {
        const load = inspectAplx(m, aplxAddr);
        image = load.image;
        if (load.exec === undefined) loadError = `APLX at 0x${aplxAddr.toString(16)} has no EXEC record`;
        entry = this.host.registry.resolve(image);
      } catch (e) {
        loadError = e instanceof AplxError ? e.message : String(e);
      }
    }
    for (const c of cores) this.resetCore(c, appId, appFlags, entry, image, loadError);
  }

  /** Resets the cores in `coreMask` to SARK (IDLE, app 0). */
  private startSark(coreMask: number): void {
    this.startApp(this.sdramSys, { appId: 0, appFlags: 0, coreMask: coreMask & 0x3ffff }, SARK_ENTRY);
  }

  /** What SARK does on a core after reset (sark_init, then c_main). */
  private resetCore(c: number, appId: number, appFlags: number, entry: AppEntry | undefined, image: Uint8Array, loadError?: string): void {
    const slot = this.cores[c];
    slot.app = null;
    slot.entry = entry ?? null;
    slot.image = image;
    slot.tick = 0;
    slot.started = false;
    const base = this.vOff(c, 0);
    this.mem.sysram.fill(0, base, base + VCPU_SIZE - 16);
    this.setVcpu(c, 'phys_cpu', this.v2p(c));
    this.setVcpu(c, 'app_id', appId);
    this.setVcpu(c, 'time', this.sv('unix_time'));
    this.setVcpu(c, 'sw_ver', this.setup.swVer);
    if (!entry) {
      this.setCpuState(c, CpuState.RTE);
      this.setVcpu(c, 'rt_code', RtCode.ABORT);
      this.setAppName(c, 'aplx-error');
      this.print(c, `${loadError ?? 'bad APLX'}\n`);
      return;
    }
    this.setAppName(c, entry.name);
    this.setCpuState(c, CpuState.WAIT);
    slot.waiting = (appFlags & 1) !== 0;
    if (!slot.waiting) this.enterMain(c);
  }

  private enterMain(c: number): void {
    const slot = this.cores[c];
    if (!slot.entry || slot.started) return;
    slot.started = true;
    if (slot.entry === SARK_ENTRY) {
      this.setCpuState(c, CpuState.IDLE);
      return;
    }
    this.setCpuState(c, CpuState.SARK);
    slot.app = slot.entry.factory(this.coreApi(c));
    this.guard(c, () => slot.app?.onStart?.());
  }

  /** Runs app code; an exception becomes a run-time error on that core. */
  guard(c: number, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.runtimeError(c, RtCode.ABORT, `app failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  runtimeError(c: number, rtCode: number, message?: string): void {
    this.setVcpu(c, 'rt_code', rtCode);
    this.setCpuState(c, CpuState.RTE);
    if (message) this.print(c, `${message}\n`);
    this.cores[c].app = null;
  }

  /** True if the core is running an app that wants timer ticks. */
  isTicking(c: number): boolean {
    const app = this.cores[c].app;
    return app !== null && this.cpuState(c) === CpuState.RUN && (app.ticking?.() ?? false);
  }

  /** clean_app_id. */
  private cleanAppId(appId: number): void {
    const ad = this.getAppData(appId);
    if (ad.clean) return;
    const tagTable = this.allocTag;
    heapFreeId(this.mem, this.sdramHeap, appId, tagTable);
    heapFreeId(this.mem, this.sysramHeap, appId, tagTable);
    heapFreeId(this.mem, this.sysHeap, appId, tagTable);
    this.router.freeId(appId, true);
    this.putAppData(appId, { ...ad, cores: 0, clean: 1 });
  }

  private initCores(virtMask: number): void {
    for (let c = 1; c < this.numCpus; c++) if (virtMask & (1 << c)) this.cores[c].app = null;
    this.startSark(virtMask);
  }

  /** signal_app: the monitor's handling of an application signal word. */
  signalApp(data: number): void {
    const { signal: sig, appMask, appId } = decodeSignalWord(data);
    let virtMask = 0;
    for (let i = 1; i < this.numCpus; i++) if ((this.coreApp[i] & appMask) === appId) virtMask |= 1 << i;
    switch (sig) {
      case Signal.INIT:
        this.initCores(virtMask);
        break;
      case Signal.PWRDN:
        for (let c = 1; c < this.numCpus; c++) {
          if (!(virtMask & (1 << c))) continue;
          this.cores[c].app = null;
          this.setCpuState(c, CpuState.PWRDN);
          this.setVcpu(c, 'time', this.sv('unix_time'));
          this.setVcpu(c, 'app_id', 0);
          this.coreApp[c] = 0;
        }
        break;
      case Signal.STOP: {
        for (let c = 1; c < this.numCpus; c++) if (virtMask & (1 << c)) this.cores[c].app = null;
        let candidate = appId;
        while ((candidate & appMask) === appId && candidate < 256) {
          this.cleanAppId(candidate);
          candidate++;
        }
        this.initCores(virtMask);
        break;
      }
      case Signal.START:
        for (let c = 1; c < this.numCpus; c++) {
          if (!(virtMask & (1 << c))) continue;
          const slot = this.cores[c];
          if (slot.waiting) {
            slot.waiting = false;
            if (this.cpuState(c) === CpuState.WAIT) this.enterMain(c);
          }
        }
        break;
      default:
        for (let c = 1; c < this.numCpus; c++) {
          if (!(virtMask & (1 << c))) continue;
          const app = this.cores[c].app;
          if (app?.onSignal) this.guard(c, () => app.onSignal!(sig));
        }
    }
  }

  /** n_cores_in_state: application cores with core_app == appId and the state. */
  countCores(appId: number, state: number, appMask = 0xff): number {
    let n = 0;
    for (let c = 1; c < this.numCpus; c++) if ((this.coreApp[c] & appMask) === appId && this.cpuState(c) === state) n++;
    return n;
  }

  /** assign_virt_cpu: the lowest working physical core is the monitor; fills p2v/v2p maps and num_cpus. */
  private assignVirtCpus(workingPhys: number[]): number {
    const p2v = this.svBytes('p2v_map');
    const v2p = this.svBytes('v2p_map');
    p2v.fill(255, 0, MAX_CPUS);
    v2p.fill(255, 0, MAX_CPUS);
    const phys = [...workingPhys].sort((a, b) => a - b);
    phys.forEach((p, v) => {
      p2v[p] = v;
      v2p[v] = p;
    });
    this.setSv('num_cpus', phys.length);
    this.v2pCache = Array.from({ length: NUM_CPUS }, (_, v) => v2p[v]);
    return phys.length;
  }

  /** CMD_REMAP: mark a physical core bad, rebuild the maps, reboot the application cores. */
  remap(physCore: number): void {
    const working = this.setup.workingPhys.filter((p) => p !== physCore);
    (this.setup as { workingPhys: number[] }).workingPhys = working;
    const nCpus = this.assignVirtCpus(working);
    for (let c = 1; c < NUM_CPUS; c++) {
      this.cores[c].app = null;
      this.coreApp[c] = 0;
      const base = this.vOff(c, 0);
      this.mem.sysram.fill(0, base, base + VCPU_SIZE);
    }
    this.startSark(((1 << nCpus) - 2) >>> 0);
  }

  // ---- IOBUF ----------------------------------------------------------------

  /** io_printf(IO_BUF): text into the core's IOBUF chain in the system heap. */
  print(c: number, text: string): void {
    const m = this.mem;
    const size = this.sv('iobuf_size');
    const bytes = new TextEncoder().encode(text);
    let block = this.vcpu(c, 'iobuf');
    const newBlock = (): number => {
      const ptr = heapAlloc(m, this.sysHeap, iobufHeader.size + size, 0, this.vcpu(c, 'app_id'), ALLOC_ID | ALLOC_LOCK, this.allocTag);
      if (ptr === 0) return 0;
      this.updateClock();
      m.write(ptr, iobufHeader.encode({ next: 0, unix_time: this.sv('unix_time'), time_ms: this.sv('time_ms'), ptr: 0 }));
      return ptr;
    };
    if (block === 0) {
      block = newBlock();
      if (block === 0) return;
      this.setVcpu(c, 'iobuf', block);
    }
    let guard = 0;
    while (m.readU32(block + IOBUF_NEXT) !== 0 && guard++ < 100000) block = m.readU32(block + IOBUF_NEXT);
    let i = 0;
    while (i < bytes.length) {
      let used = m.readU32(block + IOBUF_PTR);
      if (used >= size) {
        const nb = newBlock();
        if (nb === 0) return;
        m.writeU32(block + IOBUF_NEXT, nb);
        block = nb;
        used = 0;
      }
      const n = Math.min(size - used, bytes.length - i);
      m.write(block + iobufHeader.size + used, bytes.subarray(i, i + n));
      m.writeU32(block + IOBUF_PTR, used + n);
      i += n;
    }
  }

  // ---- the app's view of its core --------------------------------------------
  private coreApi(c: number): CoreApi {
    const chip = this;
    const m = this.mem;
    const slot = this.cores[c];
    const userOff = (i: number) => VCPU.user0 + 4 * i; // user0..user3 are consecutive words
    return {
      x: this.x,
      y: this.y,
      core: c,
      get appId() {
        return chip.coreApp[c];
      },
      image: slot.image,
      get tick() {
        return slot.tick;
      },
      read: (a, l) => m.read(a, l),
      write: (a, b) => m.write(a, b),
      readU32: (a) => m.readU32(a),
      writeU32: (a, v) => m.writeU32(a, v),
      getUser: (i) => chip.vcpu32(c, userOff(i)),
      setUser: (i, v) => chip.setVcpu32(c, userOff(i), v),
      state: () => chip.cpuState(c),
      setState: (s) => chip.setCpuState(c, s),
      sendMulticast: (key, payload) => chip.host.sendMulticast(chip, c, key >>> 0, payload === undefined ? undefined : payload >>> 0),
      sendSdp: (msg) => chip.host.sendSdp(chip, c, msg),
      print: (text) => chip.print(c, text),
      runtimeError: (code, message) => chip.runtimeError(c, code, message),
      sdramAlloc: (size, tag, flag) => heapAlloc(m, chip.sdramHeap, size, tag, chip.coreApp[c], flag, chip.allocTag),
    };
  }
}

