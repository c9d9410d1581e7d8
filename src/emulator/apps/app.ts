/**
 * The per-core application plug-in interface of the emulated board.
 *
 * When SC&MP starts an APLX image on a core, the board asks its
 * `AppRegistry` for a factory for that image (matched by SHA-256 of the
 * loaded image bytes, by a predicate, or the default life-cycle app) and
 * creates one `CoreApp` per core. The app drives its core through `CoreApi`:
 * memory of its chip, the vcpu user0–3 words, the core state, multicast and
 * SDP output, IOBUF text and run-time errors. The board calls it back for
 * start (c_main), signals, timer ticks, multicast packets and SDP messages.
 */
import { createHash } from 'node:crypto';
import { CpuState, Signal } from '../layout.js';

export { CpuState, Signal };

export interface SdpOut {
  flags?: number;
  tag?: number;
  destX: number;
  destY: number;
  destCpu: number;
  destPort: number;
  /** Bytes after the 8-byte SDP header (cmd_rc onward for SCP). */
  payload: Uint8Array;
}

export interface SdpIn {
  flags: number;
  tag: number;
  srceX: number;
  srceY: number;
  srceCpu: number;
  srcePort: number;
  destPort: number;
  payload: Uint8Array;
}

export interface CoreApi {
  readonly x: number;
  readonly y: number;
  /** Virtual core number (1..17). */
  readonly core: number;
  readonly appId: number;
  /** The APLX image the core was started from. */
  readonly image: Uint8Array;
  /** Ticks this core has run since it started (0 before the first tick). */
  readonly tick: number;
  /** Chip memory (SDRAM, SysRAM, ...); throws MemoryFault outside it. */
  read(address: number, length: number): Uint8Array;
  write(address: number, bytes: Uint8Array): void;
  readU32(address: number): number;
  writeU32(address: number, value: number): void;
  /** vcpu user0..user3. */
  getUser(i: 0 | 1 | 2 | 3): number;
  setUser(i: 0 | 1 | 2 | 3, value: number): void;
  state(): number;
  setState(state: number): void;
  /** Sends a multicast packet into this chip's router (delivered per the board's tick order). */
  sendMulticast(key: number, payload?: number): void;
  /** Sends an SDP message (to the host: destCpu 31, destPort 7 → dest port/cpu byte 0xFF). */
  sendSdp(msg: SdpOut): void;
  /** io_printf(IO_BUF): appends text to the core's IOBUF in SDRAM. */
  print(text: string): void;
  /** rt_error: state RTE with the given rt_code. */
  runtimeError(rtCode: number, message?: string): void;
  /**
   * sark_xalloc on this chip's SDRAM heap, owned by this core's app id (as
   * `ALLOC_ID` with the app id in the flag). Returns the address, or 0 when
   * it does not fit or the tag is taken.
   */
  sdramAlloc?(size: number, tag: number, flag: number): number;
}

export interface CoreApp {
  /** c_main: called when the core leaves WAIT (state SARK). */
  onStart?(): void;
  /** SYNC0, SYNC1, PAUSE, CONT, EXIT, TIMER, USR0–3 (START, STOP, INIT, PWRDN are the monitor's). */
  onSignal?(signal: number): void;
  /** One timer tick; only called while `ticking()` is true. */
  onTimer?(tick: number): void;
  onMulticast?(key: number, payload: number | undefined): void;
  onSdp?(msg: SdpIn): void;
  /** Whether the core wants timer ticks now. */
  ticking?(): boolean;
}

export type AppFactory = (api: CoreApi) => CoreApp;

export interface AppEntry {
  /** Name written into vcpu.app_name (≤ 15 chars). */
  name: string;
  factory: AppFactory;
}

/**
 * A spin1-style life cycle without behaviour: c_main calls spin1_start,
 * reaching SYNC0 when `syncWait` (else RUN); SYNC0 → RUN; PAUSE ↔ CONT;
 * EXIT → EXIT. Subclasses add onTimer / onMulticast and decide when to tick.
 */
export class LifecycleApp implements CoreApp {
  constructor(
    protected readonly api: CoreApi,
    protected readonly syncWait = false,
  ) {}

  onStart(): void {
    this.api.setState(this.syncWait ? CpuState.SYNC0 : CpuState.RUN);
  }

  onSignal(signal: number): void {
    const s = this.api.state();
    switch (signal) {
      case Signal.SYNC0:
        if (s === CpuState.SYNC0) this.api.setState(CpuState.RUN);
        break;
      case Signal.SYNC1:
        if (s === CpuState.SYNC1) this.api.setState(CpuState.RUN);
        break;
      case Signal.PAUSE:
        if (s === CpuState.RUN) this.api.setState(CpuState.PAUSE);
        break;
      case Signal.CONT:
        if (s === CpuState.PAUSE) this.api.setState(CpuState.RUN);
        break;
      case Signal.EXIT:
        this.api.setState(CpuState.EXIT);
        break;
    }
  }

  ticking(): boolean {
    return false;
  }
}

export const defaultApp: AppEntry = { name: 'app', factory: (api) => new LifecycleApp(api) };

export function imageHash(image: Uint8Array): string {
  return createHash('sha256').update(image).digest('hex');
}

/** Maps loaded images to app factories. */
export class AppRegistry {
  private readonly byHash = new Map<string, AppEntry>();
  private readonly predicates: { test: (image: Uint8Array) => boolean; entry: AppEntry }[] = [];

  constructor(private fallback: AppEntry = defaultApp) {}

  /** Registers an app for an exact image (by its bytes or SHA-256 hex). */
  register(image: Uint8Array | string, entry: AppEntry): void {
    this.byHash.set(typeof image === 'string' ? image.toLowerCase() : imageHash(image), entry);
  }

  /** Registers an app for every image the predicate accepts (checked in registration order, after exact hashes). */
  registerMatcher(test: (image: Uint8Array) => boolean, entry: AppEntry): void {
    this.predicates.push({ test, entry });
  }

  setDefault(entry: AppEntry): void {
    this.fallback = entry;
  }

  resolve(image: Uint8Array): AppEntry {
    const exact = this.byHash.get(imageHash(image));
    if (exact) return exact;
    for (const p of this.predicates) if (p.test(image)) return p.entry;
    return this.fallback;
  }
}
