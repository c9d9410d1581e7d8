import { type AppEntry, type AppRegistry, type CoreApi, type CoreApp, type SdpOut } from './apps/app.js';
import { AplxError, inspectAplx } from './aplx.js';
import { ALLOC_ID, ALLOC_LOCK, heapAlloc, heapFreeId, heapInit } from './heap.js';
import {
  APP_DATA_SIZE,
  CpuState,
  HOP_TABLE_SIZE,
  IOBUF_HEADER,
  MAX_CPUS,
  MC_TABLE_SIZE,
  NUM_CPUS,
  P2P_ADDR_TABLE_BYTES,
  RTR_ENTRY_SIZE,
  RtCode,
  SDP_MSG_T_SIZE,
  SDRAM_BASE,
  SDRAM_SIZE,
  SV,
  SV_SV,
  SV_VCPU,
  SYSRAM_BASE,
  SYS_USER_BASE,
  SYS_USER_TOP,
  Signal,
  VCPU,
  VCPU_SIZE,
} from './layout.js';
import { ChipMemory } from './memory.js';
import { RouterTables } from './router.js';

/** The 128 boot-time bytes of `sv` (sv 0x00–0x7F) SC&MP starts from. */
export function defaultBootSv(opts: { hwVer: number; unixTime: number; sdramHeapWords?: number }): Uint8Array {
  const b = new Uint8Array(128);
  const v = new DataView(b.buffer);
  b[SV.hw_ver] = opts.hwVer;
  b[SV.p2pb_repeats] = 4;
  b[SV.p2p_sql] = 4;
  b[SV.clk_div] = 0x33;
  v.setUint32(SV.unix_time, opts.unixTime, true);
  v.setUint16(SV.cpu_clk, 200, true);
  v.setUint16(SV.mem_clk, 130, true);
  b[SV.forward] = 0x3f;
  b[SV.peek_time] = 200;
  b[SV.led_period] = 1;
  b[SV.netinit_bc_wait] = 50;
  v.setUint32(SV.led0, opts.hwVer === 3 ? 0x502 : 1, true);
  b[SV.root_chip] = 1;
  b[SV.num_buf] = 7;
  b[SV.boot_delay] = 20;
  b[SV.soft_wdog] = 0;
  v.setUint32(SV.sysram_heap, 1024, true);
  v.setUint32(SV.sdram_heap, opts.sdramHeapWords ?? 0, true);
  v.setUint32(SV.iobuf_size, 16384, true);
  v.setUint32(SV.sdram_bufs, 8 * 1024 * 1024, true);
  v.setUint32(SV.sysbuf_size, 32768, true);
  v.setUint32(SV.boot_sig, opts.unixTime, true);
  b[SV.link_en] = 0x3f;
  return b;
}

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

function strBytes(s: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < Math.min(s.length, n - 1); i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/**
 * One emulated chip: its memory with sv, vcpu blocks, heaps and router
 * tables kept byte-exact in place, its cores, and the monitor-side
 * application control of scamp-app.c.
 */
export class EmulatedChip {
  readonly mem = new ChipMemory();
  readonly router: RouterTables;
  readonly x: number;
  readonly y: number;
  readonly cores: CoreSlot[] = [];
  readonly coreApp = new Uint8Array(NUM_CPUS);
  leds = 0;
  ff: FloodFill = EmulatedChip.emptyFf();
  countInProgress = false;
  private v2pCache: number[] = [];

  constructor(
    readonly setup: ChipSetup,
    private readonly host: ChipHost,
  ) {
    this.x = setup.x;
    this.y = setup.y;
    this.router = new RouterTables(this.mem, () => this.v2pCache);
    for (let i = 0; i < NUM_CPUS; i++) this.cores.push({ app: null, entry: null, image: new Uint8Array(0), tick: 0, waiting: false, started: false });
    this.boot();
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

  // ---- sv accessors -------------------------------------------------------
  sv8(off: number): number {
    return this.mem.sysram[SV_SV - SYSRAM_BASE + off];
  }
  setSv8(off: number, v: number): void {
    this.mem.sysram[SV_SV - SYSRAM_BASE + off] = v & 255;
  }
  sv16(off: number): number {
    return this.mem.sysramView.getUint16(SV_SV - SYSRAM_BASE + off, true);
  }
  setSv16(off: number, v: number): void {
    this.mem.sysramView.setUint16(SV_SV - SYSRAM_BASE + off, v & 0xffff, true);
  }
  sv32(off: number): number {
    return this.mem.sysramView.getUint32(SV_SV - SYSRAM_BASE + off, true);
  }
  setSv32(off: number, v: number): void {
    this.mem.sysramView.setUint32(SV_SV - SYSRAM_BASE + off, v >>> 0, true);
  }

  get numCpus(): number {
    return this.sv8(SV.num_cpus);
  }
  get sdramHeap(): number {
    return this.sv32(SV.sdram_heap);
  }
  get sysramHeap(): number {
    return this.sv32(SV.sysram_heap);
  }
  get sysHeap(): number {
    return this.sv32(SV.sys_heap);
  }
  get allocTag(): number {
    return this.sv32(SV.alloc_tag);
  }
  get sdramSys(): number {
    return this.sv32(SV.sdram_sys);
  }
  v2p(v: number): number {
    return this.sv8(SV.v2p_map + v);
  }

  // ---- vcpu accessors -----------------------------------------------------
  vcpuAddr(core: number): number {
    return SV_VCPU + VCPU_SIZE * core;
  }
  private vOff(core: number, field: number): number {
    return SV_VCPU - SYSRAM_BASE + VCPU_SIZE * core + field;
  }
  cpuState(core: number): number {
    return this.mem.sysram[this.vOff(core, VCPU.cpu_state)];
  }
  setCpuState(core: number, state: number): void {
    this.mem.sysram[this.vOff(core, VCPU.cpu_state)] = state;
  }
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
    this.setSv32(SV.unix_time, unix);
    this.setSv16(SV.time_ms, since % 1000);
    this.setSv32(SV.clock_ms, since % 0x100000000);
    this.setSv32(SV.clock_ms + 4, Math.floor(since / 0x100000000));
  }
  private bootMs = 0;
  private bootUnix = 0;

  // ---- boot: sv_init, sdram_init, random_init, rtr_init, boot_ap -----------
  private boot(): void {
    const s = this.setup;
    const m = this.mem;
    this.bootMs = this.host.nowMs();
    m.sysram.set(s.bootSv.subarray(0, 128), SV_SV - SYSRAM_BASE);
    this.bootUnix = this.sv32(SV.unix_time);
    // assign_virt_cpu: the lowest working physical core is the monitor.
    for (let p = 0; p < MAX_CPUS; p++) this.setSv8(SV.p2v_map + p, 255);
    for (let v = 0; v < MAX_CPUS; v++) this.setSv8(SV.v2p_map + v, 255);
    const phys = [...s.workingPhys].sort((a, b) => a - b);
    phys.forEach((p, v) => {
      this.setSv8(SV.p2v_map + p, v);
      this.setSv8(SV.v2p_map + v, p);
    });
    this.setSv8(SV.num_cpus, phys.length);
    this.v2pCache = Array.from({ length: NUM_CPUS }, (_, v) => this.v2p(v));

    // sv fields computed by SC&MP
    this.setSv16(SV.p2p_addr, this.p2pAddr);
    this.setSv16(SV.p2p_dims, (s.width << 8) | s.height);
    this.setSv16(SV.eth_addr, (s.eth.x << 8) | s.eth.y);
    this.setSv16(SV.dbg_addr, (s.eth.x << 8) | s.eth.y);
    this.setSv8(SV.p2p_up, 1);
    this.setSv8(SV.netinit_phase, 0xff);
    this.setSv16(SV.p2p_root, (s.root.x << 8) | s.root.y);
    this.setSv8(SV.root_chip, s.x === s.root.x && s.y === s.root.y ? 1 : 0);
    this.setSv8(SV.eth_up, s.ipAddress ? 1 : 0);
    this.setSv8(SV.link_en, s.linkEn);
    this.setSv16(SV.board_addr, (s.boardAddr.x << 8) | s.boardAddr.y);
    this.setSv32(SV.sw_ver, s.swVer);
    this.setSv16(SV.p2p_active, s.nChips);
    this.setSv32(SV.board_info, 0);
    this.setSv32(SV.mbox_flags, 0);
    if (s.ipAddress) {
      const octets = s.ipAddress.split('.').map(Number);
      for (let i = 0; i < 4; i++) this.setSv8(SV.ip_addr + i, octets[i] ?? 0);
    }

    // sv_init: SysRAM heap, vcpu blocks, SHM buffers
    const sysramBase = SYS_USER_BASE;
    this.setSv32(SV.sysram_base, sysramBase);
    const sysramTop = sysramBase + 4 * this.sv32(SV.sysram_heap);
    this.setSv32(SV.sysram_heap, heapInit(m, sysramTop, SYS_USER_TOP));
    m.sysram.fill(0, SV_VCPU - SYSRAM_BASE, SV_VCPU - SYSRAM_BASE + NUM_CPUS * VCPU_SIZE);
    this.setSv32(SV.vcpu_base, SV_VCPU);
    this.setCpuState(0, CpuState.RUN);
    this.setVcpu32(0, VCPU.sw_ver, s.swVer);
    this.setVcpu32(0, VCPU.time, this.bootUnix);
    this.setVcpu8(0, VCPU.phys_cpu, this.v2p(0));
    m.write(this.vcpuAddr(0) + VCPU.app_name, strBytes('scamp-3', 16));
    const numBuf = this.sv8(SV.num_buf);
    const shm = heapAlloc(m, this.sysramHeap, numBuf * SDP_MSG_T_SIZE, 0, 0, 0, 0);
    this.setSv32(SV.shm_buf, shm);
    this.setSv32(SV.shm_root, shm);
    for (let i = 0; i < numBuf; i++) {
      const b = shm + i * SDP_MSG_T_SIZE;
      m.writeU32(b, i + 1 < numBuf ? b + SDP_MSG_T_SIZE : 0);
    }

    // sdram_init
    const sysSize = this.sv32(SV.sdram_bufs);
    this.setSv32(SV.sdram_bufs, SDRAM_BASE);
    const sdramBase = SDRAM_BASE + NUM_CPUS * 4 * this.sv32(SV.sysbuf_size);
    this.setSv32(SV.sdram_base, sdramBase);
    const sdramTop = sdramBase + 4 * this.sv32(SV.sdram_heap);
    const system = SDRAM_BASE + SDRAM_SIZE - sysSize;
    this.setSv32(SV.sdram_heap, heapInit(m, sdramTop, system));
    this.setSv32(SV.sdram_sys, system);
    const sysHeapBase = system + 4 * 65536;
    this.setSv32(SV.sys_heap, heapInit(m, sysHeapBase, sysHeapBase + sysSize - 4 * 65536));
    const hop = heapAlloc(m, this.sysHeap, HOP_TABLE_SIZE * 4, 0, 0, 0, 0);
    m.fillWords(hop, 0x8000ffff, HOP_TABLE_SIZE * 4);
    this.setSv32(SV.hop_table, hop);
    this.setSv32(SV.rtr_copy, heapAlloc(m, this.sysHeap, (MC_TABLE_SIZE + 1) * RTR_ENTRY_SIZE, 0, 0, 0, 0));
    this.setSv32(SV.alloc_tag, heapAlloc(m, this.sysHeap, 65536 * 4, 0, 0, 0, 0));
    this.setSv32(SV.app_data, heapAlloc(m, this.sysHeap, 256 * APP_DATA_SIZE, 0, 0, 0, 0));
    // random_init, then the P2P address bitmap of netinit
    const rnd = heapAlloc(m, this.sysHeap, 256 * 4, 0, 0, 0, 0);
    if (this.sv32(SV.random) === 0) this.setSv32(SV.random, (0xa5 ^ (rnd & 0xffff)) >>> 0);
    heapAlloc(m, this.sysHeap, P2P_ADDR_TABLE_BYTES, 0, 0, 0, 0);

    // rtr_init: P2P table cleared, MC tables initialised (the board fills P2P and entry 0)
    this.router.p2pInit();
    this.router.init(0);
    this.setSv32(SV.fr_copy, 0);

    // boot_ap: every application core runs SARK → IDLE, app 0
    const mask = ((1 << this.numCpus) - 2) >>> 0;
    this.startApp(this.sdramSys, mask, SARK_ENTRY);
  }

  /** The app_data_t of an app id. */
  private appData(appId: number): number {
    return this.sv32(SV.app_data) + APP_DATA_SIZE * appId;
  }

  // ---- scamp-app.c --------------------------------------------------------

  /**
   * proc_start_app, then what SARK does on each core at reset: read the APLX,
   * initialise the vcpu block, wait if asked, else enter c_main.
   * `forced` bypasses the APLX look-up (SARK itself at boot and on stop).
   */
  startApp(aplxAddr: number, idOpMask: number, forced?: AppEntry): void {
    const virtMask = idOpMask & 0x3ffff;
    if (virtMask === 0) return;
    const appId = idOpMask >>> 24;
    const appFlags = (idOpMask >>> 18) & 63;
    const m = this.mem;
    const ad = this.appData(appId);
    const bits = [...Array(NUM_CPUS).keys()].filter((c) => virtMask & (1 << c));
    if (m.readU8(ad) === 0) {
      m.writeU8(ad + 1, 0);
      m.writeU8(ad + 2, 0);
      m.writeU32(ad + 4, 0);
      m.writeU8(ad + 3, bits[0] ?? 0);
    }
    m.writeU8(ad, m.readU8(ad) + bits.length);
    m.writeU32(ad + 4, (m.readU32(ad + 4) | virtMask) >>> 0);
    this.updateClock();
    const now = this.sv32(SV.unix_time);
    const cores = bits.filter((c) => c >= 1 && c < this.numCpus);
    for (const c of cores) {
      this.setCpuState(c, CpuState.INIT);
      this.setVcpu32(c, VCPU.time, now);
      this.setVcpu8(c, VCPU.app_id, appId);
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
    this.setVcpu8(c, VCPU.phys_cpu, this.v2p(c));
    this.setVcpu8(c, VCPU.app_id, appId);
    this.setVcpu32(c, VCPU.time, this.sv32(SV.unix_time));
    this.setVcpu32(c, VCPU.sw_ver, this.setup.swVer);
    if (!entry) {
      this.setCpuState(c, CpuState.RTE);
      this.setVcpu8(c, VCPU.rt_code, RtCode.ABORT);
      this.mem.write(this.vcpuAddr(c) + VCPU.app_name, strBytes('aplx-error', 16));
      this.print(c, `${loadError ?? 'bad APLX'}\n`);
      return;
    }
    this.mem.write(this.vcpuAddr(c) + VCPU.app_name, strBytes(entry.name, 16));
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
    this.setVcpu8(c, VCPU.rt_code, rtCode);
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
    const ad = this.appData(appId);
    if (this.mem.readU8(ad + 1)) return;
    const tagTable = this.allocTag;
    heapFreeId(this.mem, this.sdramHeap, appId, tagTable);
    heapFreeId(this.mem, this.sysramHeap, appId, tagTable);
    heapFreeId(this.mem, this.sysHeap, appId, tagTable);
    this.router.freeId(appId, true);
    this.mem.writeU8(ad, 0);
    this.mem.writeU8(ad + 1, 1);
  }

  private initCores(virtMask: number): void {
    for (let c = 1; c < this.numCpus; c++) if (virtMask & (1 << c)) this.cores[c].app = null;
    this.startApp(this.sdramSys, virtMask, SARK_ENTRY);
  }

  /** signal_app: the monitor's handling of an application signal word. */
  signalApp(data: number): void {
    const sig = (data >>> 16) & 15;
    const appMask = (data >>> 8) & 255;
    const appId = data & 255;
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
          this.setVcpu32(c, VCPU.time, this.sv32(SV.unix_time));
          this.setVcpu8(c, VCPU.app_id, 0);
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

  /** CMD_REMAP: mark a physical core bad, rebuild the maps, reboot the application cores. */
  remap(physCore: number): void {
    const working = this.setup.workingPhys.filter((p) => p !== physCore);
    (this.setup as { workingPhys: number[] }).workingPhys = working;
    for (let p = 0; p < MAX_CPUS; p++) this.setSv8(SV.p2v_map + p, 255);
    for (let v = 0; v < MAX_CPUS; v++) this.setSv8(SV.v2p_map + v, 255);
    const phys = [...working].sort((a, b) => a - b);
    phys.forEach((p, v) => {
      this.setSv8(SV.p2v_map + p, v);
      this.setSv8(SV.v2p_map + v, p);
    });
    this.setSv8(SV.num_cpus, phys.length);
    this.v2pCache = Array.from({ length: NUM_CPUS }, (_, v) => this.v2p(v));
    for (let c = 1; c < NUM_CPUS; c++) {
      this.cores[c].app = null;
      this.coreApp[c] = 0;
      const base = this.vOff(c, 0);
      this.mem.sysram.fill(0, base, base + VCPU_SIZE);
    }
    this.startApp(this.sdramSys, ((1 << phys.length) - 2) >>> 0, SARK_ENTRY);
  }

  // ---- IOBUF ----------------------------------------------------------------

  /** io_printf(IO_BUF): text into the core's IOBUF chain in the system heap. */
  print(c: number, text: string): void {
    const m = this.mem;
    const size = this.sv32(SV.iobuf_size);
    const bytes = new TextEncoder().encode(text);
    let block = this.vcpu32(c, VCPU.iobuf);
    const newBlock = (): number => {
      const ptr = heapAlloc(m, this.sysHeap, IOBUF_HEADER + size, 0, this.vcpu8(c, VCPU.app_id), ALLOC_ID | ALLOC_LOCK, this.allocTag);
      if (ptr === 0) return 0;
      this.updateClock();
      m.writeU32(ptr, 0);
      m.writeU32(ptr + 4, this.sv32(SV.unix_time));
      m.writeU32(ptr + 8, this.sv16(SV.time_ms));
      m.writeU32(ptr + 12, 0);
      return ptr;
    };
    if (block === 0) {
      block = newBlock();
      if (block === 0) return;
      this.setVcpu32(c, VCPU.iobuf, block);
    }
    let guard = 0;
    while (m.readU32(block) !== 0 && guard++ < 100000) block = m.readU32(block);
    let i = 0;
    while (i < bytes.length) {
      let used = m.readU32(block + 12);
      if (used >= size) {
        const nb = newBlock();
        if (nb === 0) return;
        m.writeU32(block, nb);
        block = nb;
        used = 0;
      }
      const n = Math.min(size - used, bytes.length - i);
      m.write(block + IOBUF_HEADER + used, bytes.subarray(i, i + n));
      m.writeU32(block + 12, used + n);
      i += n;
    }
  }

  // ---- the app's view of its core --------------------------------------------
  private coreApi(c: number): CoreApi {
    const chip = this;
    const m = this.mem;
    const slot = this.cores[c];
    const userOff = (i: number) => VCPU.user0 + 4 * i;
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

