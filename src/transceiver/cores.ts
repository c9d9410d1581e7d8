import { ScpCommand, ScpResult, resultName } from '../protocol/constants.js';
import { Signal, type SignalName, appSignal, arg1Reply, countRequest, p2pCountRequest, sigRequest, type SigRequest } from '../protocol/app.js';
import { ledRequest, replyArgCount } from '../protocol/commands.js';
import { decodeIobufBlock } from '../protocol/memory.js';
import { CpuState, type CpuStateName, appNameFromBytes, cpuStateName, runTimeErrorName, vcpu, vcpuAddress, vcpuFieldOffset } from '../protocol/vcpu.js';
import { VCPU_BASE, VCPU_SIZE, svAddress } from './addresses.js';
import type { ScpConnection, ScpReply } from './connection.js';
import { ScpError } from './errors.js';
import { readMemory, readWord } from './memory.js';

/** cpu_state values (enum cpu_state_e). */
export const CoreState = CpuState;
export type CoreStateName = CpuStateName;
export const stateName = cpuStateName;

export function parseState(s: string | number): number {
  if (typeof s === 'number') return s;
  const v = (CoreState as Record<string, number>)[s.toUpperCase()];
  if (v === undefined) throw new RangeError(`unknown core state "${s}"; known: ${Object.keys(CoreState).join(', ').toLowerCase()}`);
  return v;
}

export interface CoreStatus {
  x: number;
  y: number;
  p: number;
  state: number;
  stateName: string;
  appName: string;
  appId: number;
  physCpu: number;
  rtCode: number;
  rtError: string;
  registers: number[];
  psr: number;
  sp: number;
  lr: number;
  user: [number, number, number, number];
  iobuf: number;
  swVer: number;
  time: number;
}

/** Decodes a 128-byte vcpu_t (scamp-protocol §4.4). */
export function decodeVcpu(x: number, y: number, p: number, b: Uint8Array): CoreStatus {
  const v = vcpu.decode(b);
  return {
    x,
    y,
    p,
    state: v.cpu_state,
    stateName: cpuStateName(v.cpu_state),
    appName: appNameFromBytes(v.app_name),
    appId: v.app_id,
    physCpu: v.phys_cpu,
    rtCode: v.rt_code,
    rtError: runTimeErrorName(v.rt_code),
    registers: [v.r0, v.r1, v.r2, v.r3, v.r4, v.r5, v.r6, v.r7],
    psr: v.psr,
    sp: v.sp,
    lr: v.lr,
    user: [v.user0, v.user1, v.user2, v.user3],
    iobuf: v.iobuf,
    swVer: v.sw_ver,
    time: v.time,
  };
}

function checkCore(p: number): void {
  if (!Number.isInteger(p) || p < 0 || p > 17) throw new RangeError(`core must be 0..17, got ${p}`);
}

/** Status of one core, from its vcpu_t block (one READ, as rig's get_processor_status). */
export async function getCoreStatus(conn: ScpConnection, x: number, y: number, p: number): Promise<CoreStatus> {
  checkCore(p);
  const raw = await readMemory(conn, x, y, 0, VCPU_BASE + VCPU_SIZE * p, VCPU_SIZE);
  return decodeVcpu(x, y, p, raw);
}

/** Status of the first `nCores` cores of a chip in one read. */
export async function getChipCoreStatus(conn: ScpConnection, x: number, y: number, nCores = 18): Promise<CoreStatus[]> {
  const raw = await readMemory(conn, x, y, 0, VCPU_BASE, VCPU_SIZE * nCores);
  return Array.from({ length: nCores }, (_, p) => decodeVcpu(x, y, p, raw.subarray(p * VCPU_SIZE, (p + 1) * VCPU_SIZE)));
}

export interface IobufBlock {
  address: number;
  unixTime: number;
  timeMs: number;
  text: string;
}

/** Reads a core's IOBUF: the chain of blocks from vcpu_t.iobuf, each `sv.iobuf_size` bytes of text. */
export async function readIobuf(conn: ScpConnection, x: number, y: number, p: number): Promise<{ text: string; blocks: IobufBlock[] }> {
  checkCore(p);
  const [size, first] = await Promise.all([
    readWord(conn, x, y, svAddress('iobuf_size')),
    readWord(conn, x, y, vcpuAddress(p) + vcpuFieldOffset('iobuf')),
  ]);
  const blocks: IobufBlock[] = [];
  const seen = new Set<number>();
  let addr = first;
  while (addr !== 0) {
    if (seen.has(addr) || blocks.length > 1024) throw new Error(`board ${conn.name}: IOBUF chain of core (${x},${y},${p}) loops at 0x${addr.toString(16)}`);
    seen.add(addr);
    const raw = await readMemory(conn, x, y, 0, addr, size + 16);
    const { header, text } = decodeIobufBlock(raw);
    blocks.push({ address: addr, unixTime: header.unix_time, timeMs: header.time_ms, text: new TextDecoder('latin1').decode(text) });
    addr = header.next;
  }
  return { text: blocks.map((b) => b.text).join(''), blocks };
}

export { Signal, type SignalName };

export function parseSignal(s: string): number {
  const v = (Signal as Record<string, number>)[s.toUpperCase()];
  if (v === undefined) throw new RangeError(`unknown signal "${s}"; known: ${Object.keys(Signal).join(', ').toLowerCase()}`);
  return v;
}

/** Sends a signal to every core of application `appId`, through the root chip. */
export async function sendSignal(conn: ScpConnection, signal: number | SignalName, appId: number): Promise<void> {
  const sig = typeof signal === 'number' ? signal : Signal[signal];
  if (!(sig >= 0 && sig <= 15)) throw new RangeError(`signal must be 0..15, got ${sig}`);
  if (!Number.isInteger(appId) || appId < 0 || appId > 255) throw new RangeError(`app id must be 0..255, got ${appId}`);
  await signalRequest(conn, appSignal(sig, appId));
}

/** CMD_SIG through the root chip. */
function signalRequest(conn: ScpConnection, req: SigRequest): Promise<ScpReply> {
  const { args, data } = sigRequest.encode(req);
  return conn.request({ x: 255, y: 255, p: 0, cmd: ScpCommand.SIG, args, data, replyArgs: replyArgCount(ScpCommand.SIG, args) });
}

/** Attempts at a CMD_COUNT whose reply came back without its count. */
const COUNT_TRIES = 8;
const COUNT_RETRY_MS = 10;

/**
 * Counts the cores of `appId` in `state` on the boards whose Ethernet chips are
 * given: CMD_COUNT (SC&MP 4.0.0) to each, summed, as SpiNNMan does. Against
 * SC&MP 3.x (no CMD_COUNT) it falls back to the P2P "count" signal, as rig does.
 */
export async function countCoresInState(
  conn: ScpConnection,
  state: number | string,
  appId: number,
  ethernetChips: readonly { x: number; y: number }[] = [{ x: 255, y: 255 }],
): Promise<number> {
  const st = parseState(state);
  const { args, data } = countRequest.encode({ appId, state: st });
  let total = 0;
  for (const c of ethernetChips) {
    for (let attempt = 1; ; attempt++) {
      const r = await conn.request({
        x: c.x,
        y: c.y,
        p: 0,
        cmd: ScpCommand.COUNT,
        args,
        data,
        replyArgs: 1,
        timeoutMs: Math.max(conn.timeoutMs, 2000),
        accept: new Set([ScpResult.CMD, ScpResult.P2P_NOREPLY]),
        retryable: new Set([ScpResult.P2P_BUSY]),
      });
      if (r.rc === ScpResult.CMD) return countByP2pSignal(conn, st, appId);
      if (r.args.length >= 1) {
        // RC_P2P_NOREPLY: some chips did not answer; arg1 is the partial count.
        total += arg1Reply.decode(r);
        break;
      }
      // SC&MP 4.0.0 masks RC_P2P_BUSY (a count already running) as RC_OK with no
      // args. That is not a count of 0: ask again.
      if (attempt >= COUNT_TRIES) {
        throw ScpError.badReply(
          { board: conn.name, x: c.x, y: c.y, p: 0, cmd: ScpCommand.COUNT },
          `${attempt} replies carried no count (${resultName(r.rc)} without arg1, as SC&MP 4.0.0 reports RC_P2P_BUSY while another count runs); try again`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, COUNT_RETRY_MS * attempt));
    }
  }
  return total;
}

async function countByP2pSignal(conn: ScpConnection, state: number, appId: number): Promise<number> {
  const r = await signalRequest(conn, p2pCountRequest(state, appId));
  if (r.args.length < 1) {
    throw ScpError.badReply({ board: conn.name, x: 255, y: 255, p: 0, cmd: ScpCommand.SIG }, 'the P2P count reply carries no count');
  }
  return arg1Reply.decode(r);
}

/** Sets LEDs on (x, y): for each LED index, true = on, false = off, 'toggle'. */
export async function setLeds(conn: ScpConnection, x: number, y: number, leds: Record<number, boolean | 'toggle'>): Promise<void> {
  const actions = new Array<number>(16).fill(0);
  for (const [k, v] of Object.entries(leds)) {
    const n = Number(k);
    if (!(n >= 0 && n <= 3)) throw new RangeError(`LED must be 0..3, got ${k}`);
    actions[n] = v === 'toggle' ? 1 : v ? 3 : 2;
  }
  const { args, data } = ledRequest.encode({ actions, arg2: 1 });
  await conn.request({ x, y, p: 0, cmd: ScpCommand.LED, args, data });
}
