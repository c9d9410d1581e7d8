/**
 * FEC `simulation.c` + the spin1 start/pause/resume life cycle, as the
 * emulated cores follow it:
 *
 *   c_main → initialise → PAUSE (spin1_start_paused)
 *   CMD_RUNTIME(end, infinite, start) → [resume hook] → SYNC0/SYNC1 (by parity)
 *   SYNC signal of that parity → RUN, timer ticks
 *   end tick → the app stores its state → WAIT ("ready to read")
 *   CMD_STOP → EXIT
 *
 * SYNC0 clears and SYNC1 sets the core's flag in the system controller
 * (SC&MP sets it when it starts the app); a core waiting in SYNC0 starts
 * once its flag is clear, in SYNC1 once it is set (spin1 `resume_wait`).
 */
import { RUNNING_COMMAND_SDP_PORT, SimulationCommand } from '../../../regions/index.js';
import { CpuState, Signal, type CoreApi, type CoreApp, type SdpIn } from '../app.js';
import { RtCode } from '../../layout.js';
import { FirmwareError } from '../neuron/errors.js';
import { FirmwareFault } from './fault.js';

const RC_OK = 0x80;
export const UINT32_MAX = 0xffffffff;

export abstract class SimulationApp implements CoreApp {
  /** The firmware's `time`: UINT32_MAX before the first tick. */
  time = UINT32_MAX;
  endTick = 0;
  infinite = false;
  /** Runs completed (pauses reached). */
  runsCompleted = 0;
  protected readonly controlPort = RUNNING_COMMAND_SDP_PORT;
  private resumePending = false;
  private eventWait = 0;
  private syncFlag = 1;
  private waitingSync = false;
  private running = false;

  constructor(
    protected readonly api: CoreApi,
    /** The binary's name (application magic = md5 of it), used in IOBUF messages. */
    readonly appName: string,
  ) {}

  /** Read the regions, allocate, build the kernels. Throws FirmwareFault / FirmwareError. */
  protected abstract initialise(): void;
  /** The binary's resume callback, run by CMD_RUNTIME after a pause (with `time` already set). */
  protected abstract resume(): void;
  /** One timer tick; it calls `endRun()` when the run is over. */
  protected abstract timer(): void;
  /** The exit hook of CMD_STOP. */
  protected exitHook(): void {}

  onStart(): void {
    this.guarded(() => {
      this.initialise();
      this.api.setState(CpuState.PAUSE);
    });
  }

  ticking(): boolean {
    return this.running;
  }

  onTimer(): void {
    // guarded() inline: this runs on every tick of every core, so no closure per call.
    try {
      this.timer();
    } catch (e) {
      this.fault(e);
    }
  }

  /** `simulation_is_finished`. */
  protected finished(): boolean {
    return !this.infinite && this.time >= this.endTick;
  }

  /** `simulation_handle_pause_resume` + `simulation_ready_to_read`: stop ticking, state WAIT. */
  protected endRun(): void {
    this.running = false;
    this.resumePending = true;
    this.runsCompleted++;
    this.api.setState(CpuState.WAIT);
  }

  onSignal(signal: number): void {
    switch (signal) {
      case Signal.SYNC0:
        this.syncFlag = 0;
        this.checkSync();
        break;
      case Signal.SYNC1:
        this.syncFlag = 1;
        this.checkSync();
        break;
      case Signal.PAUSE:
        if (this.api.state() === CpuState.RUN) this.api.setState(CpuState.PAUSE);
        break;
      case Signal.CONT:
        if (this.api.state() === CpuState.PAUSE && this.running) this.api.setState(CpuState.RUN);
        break;
      case Signal.EXIT:
        this.running = false;
        this.api.setState(CpuState.EXIT);
        break;
    }
  }

  private checkSync(): void {
    if (!this.waitingSync) return;
    if ((this.eventWait === 0 && this.syncFlag === 0) || (this.eventWait === 1 && this.syncFlag === 1)) {
      this.waitingSync = false;
      this.eventWait ^= 1;
      this.running = true;
      this.api.setState(CpuState.RUN);
    }
  }

  onSdp(msg: SdpIn): void {
    if (msg.destPort !== this.controlPort || msg.payload.length < 4) return;
    const p = msg.payload;
    const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const cmd = dv.getUint16(0, true);
    const arg = (i: number) => (p.length >= 8 + 4 * i ? dv.getUint32(4 + 4 * i, true) : 0);
    switch (cmd) {
      case SimulationCommand.RUNTIME: {
        this.endTick = arg(0);
        this.infinite = arg(1) !== 0;
        this.time = (arg(2) - 1) >>> 0;
        const syncSteps = p.length >= 20 ? dv.getUint32(16, true) : 0;
        if (syncSteps !== 0) this.api.print(`[WARNING] ${this.appName}: sync steps (${syncSteps}) are not emulated; running to the end tick\n`);
        let ok = true;
        if (this.resumePending) {
          this.resumePending = false;
          ok = this.guarded(() => this.resume());
        }
        if (!ok) return;
        this.waitingSync = true;
        this.api.setState(this.eventWait ? CpuState.SYNC1 : CpuState.SYNC0);
        this.checkSync();
        this.reply(msg);
        break;
      }
      case SimulationCommand.STOP:
        this.guarded(() => this.exitHook());
        this.running = false;
        this.waitingSync = false;
        this.api.setState(CpuState.EXIT);
        break;
      case SimulationCommand.PROVENANCE_DATA_GATHERING:
        this.running = false;
        this.waitingSync = false;
        this.api.setState(CpuState.EXIT);
        break;
      case SimulationCommand.IOBUF_CLEAR:
        if (arg(2) === 1) this.reply(msg);
        break;
      default:
        this.api.print(`[ERROR] ${this.appName}: received packet with unknown command code ${cmd}\n`);
    }
  }

  /** `send_ok_response`: RC_OK and the sequence number, back where the request came from. */
  private reply(msg: SdpIn): void {
    const body = Uint8Array.of(RC_OK, 0, msg.payload[2]!, msg.payload[3]!);
    this.api.sendSdp({ flags: msg.flags, tag: msg.tag, destX: msg.srceX, destY: msg.srceY, destCpu: msg.srceCpu, destPort: msg.srcePort, payload: body });
  }

  /** Runs firmware code; a fault stops the core in RTE with the message in IOBUF. Returns false on a fault. */
  protected guarded(fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      this.fault(e);
      return false;
    }
  }

  /** rt_error for an exception out of firmware code: the core stops in RTE with the message in IOBUF. */
  private fault(e: unknown): void {
    this.running = false;
    this.waitingSync = false;
    let code: number = RtCode.ABORT;
    if (e instanceof FirmwareFault) code = e.rtCode;
    else if (e instanceof FirmwareError) code = e.rte === 'RTE_ENOMEM' ? RtCode.MALLOC : RtCode.SWERR;
    this.api.runtimeError(code, `[ERROR] ${this.appName}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
