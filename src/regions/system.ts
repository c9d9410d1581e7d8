/**
 * The FEC system (simulation) region, region 0 of every supported binary,
 * and the simulation-control SDP protocol constants.
 */
import { createHash } from 'node:crypto';
import { type RegionCodec, WordReader, bytesToWords, checkU32, wordsToBytes } from './words.js';

export interface SystemRegion {
  /** First 32 bits of md5(binary name without extension), big-endian hex → int. */
  applicationMagic: number;
  /** Hardware timer period in µs (timestep_us × time_scale_factor). */
  timerPeriodUs: number;
  /** SDP port on which the core takes simulation-control commands (1). */
  controlSdpPort: number;
}

export const SYSTEM_REGION_WORDS = 3;
/** SpiNNMan SDP_PORTS.RUNNING_COMMAND_SDP_PORT. */
export const RUNNING_COMMAND_SDP_PORT = 1;

/** Simulation-control command codes (SCP cmd_rc on the control SDP port). */
export const SimulationCommand = {
  /** Exit: call the exit hook, then spin1_exit(0). */
  STOP: 6,
  /** arg1 = end tick (run until time >= arg1), arg2 = infinite flag, arg3 = first tick, data[0] = sync steps. */
  RUNTIME: 7,
  /** Store provenance, then exit with code 1. */
  PROVENANCE_DATA_GATHERING: 8,
  /** Reset IOBUF; replies RC_OK only if arg3 == 1. */
  IOBUF_CLEAR: 9,
} as const;

/** The application magic number FEC writes for a binary file name. */
export function applicationMagic(binaryFileName: string): number {
  const base = binaryFileName.replace(/^.*[\\/]/, '');
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  const digest = createHash('md5').update(stem, 'utf8').digest('hex');
  return parseInt(digest.slice(0, 8), 16) >>> 0;
}

export const systemRegion: RegionCodec<SystemRegion> = {
  encodingLength: () => SYSTEM_REGION_WORDS * 4,
  encode(s) {
    return wordsToBytes([
      checkU32(s.applicationMagic, 'applicationMagic'),
      checkU32(s.timerPeriodUs, 'timerPeriodUs'),
      checkU32(s.controlSdpPort, 'controlSdpPort'),
    ]);
  },
  decode(bytes) {
    const r = new WordReader(bytesToWords(bytes.subarray(0, SYSTEM_REGION_WORDS * 4), 'system region'), 'system region');
    return { applicationMagic: r.u32('application_magic'), timerPeriodUs: r.u32('timer_period'), controlSdpPort: r.u32('control_sdp_port') };
  },
};

export function makeSystemRegion(binaryFileName: string, timestepUs: number, timeScaleFactor = 1): SystemRegion {
  const timer = timestepUs * timeScaleFactor;
  if (!Number.isInteger(timer) || timer <= 0) {
    throw new RangeError(`hardware timestep ${timestepUs} µs × ${timeScaleFactor} must be a positive whole number of µs`);
  }
  return { applicationMagic: applicationMagic(binaryFileName), timerPeriodUs: timer, controlSdpPort: RUNNING_COMMAND_SDP_PORT };
}

/** Arguments of the CMD_RUNTIME message the host sends before each run (FEC chip_runtime_updater). */
export interface RuntimeCommand {
  /** Tick at which the run ends: the core stops when time >= endTick. */
  endTick: number;
  infinite: boolean;
  /** First tick of this run (the core sets time = startTick − 1). */
  startTick: number;
  syncSteps: number;
}

export function runtimeCommandArgs(c: RuntimeCommand): { cmd: number; arg1: number; arg2: number; arg3: number; data: Uint8Array } {
  return {
    cmd: SimulationCommand.RUNTIME,
    arg1: c.infinite ? 0 : checkU32(c.endTick, 'endTick'),
    arg2: c.infinite ? 1 : 0,
    arg3: c.infinite ? 0 : checkU32(c.startTick, 'startTick'),
    data: wordsToBytes([checkU32(c.syncSteps, 'syncSteps')]),
  };
}
