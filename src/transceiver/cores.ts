import { ScpCommand, ScpResult } from '../protocol/constants.js';
import { VCPU_BASE, VCPU_SIZE, svAddress } from './addresses.js';
import type { ScpConnection } from './connection.js';
import { readMemory, readWord } from './memory.js';

/** cpu_state values (enum cpu_state_e). */
export const CoreState = {
  DEAD: 0,
  PWRDN: 1,
  RTE: 2,
  WDOG: 3,
  INIT: 4,
  WAIT: 5,
  SARK: 6,
  RUN: 7,
  SYNC0: 8,
  SYNC1: 9,
  PAUSE: 10,
  EXIT: 11,
  IDLE: 15,
} as const;
export type CoreStateName = keyof typeof CoreState;

export function stateName(s: number): string {
  for (const [k, v] of Object.entries(CoreState)) if (v === s) return k;
  return `state ${s}`;
}

export function parseState(s: string | number): number {
  if (typeof s === 'number') return s;
  const v = (CoreState as Record<string, number>)[s.toUpperCase()];
  if (v === undefined) throw new RangeError(`unknown core state "${s}"; known: ${Object.keys(CoreState).join(', ').toLowerCase()}`);
  return v;
}

/** Run-time error codes (vcpu_t.rt_code). */
export const RT_ERRORS = [
  'NONE', 'RESET', 'UNDEF', 'SVC', 'PABT', 'DABT', 'IRQ', 'FIQ', 'VIC', 'ABORT', 'MALLOC',
  'DIV0', 'EVENT', 'SWERR', 'IOBUF', 'ENABLE', 'NULL', 'PKT', 'TIMER', 'API', 'VER',
] as const;

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
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const w = (o: number) => dv.getUint32(o, true);
  const nameBytes = b.subarray(0x48, 0x58);
  const nul = nameBytes.indexOf(0);
  const rtCode = b[0x2c]!;
  const state = b[0x2e]!;
  return {
    x,
    y,
    p,
    state,
    stateName: stateName(state),
    appName: String.fromCharCode(...nameBytes.subarray(0, nul < 0 ? 16 : nul)),
    appId: b[0x2f]!,
    physCpu: b[0x2d]!,
    rtCode,
    rtError: RT_ERRORS[rtCode] ?? `code ${rtCode}`,
    registers: Array.from({ length: 8 }, (_, i) => w(4 * i)),
    psr: w(0x20),
    sp: w(0x24),
    lr: w(0x28),
    user: [w(0x70), w(0x74), w(0x78), w(0x7c)],
    iobuf: w(0x58),
    swVer: w(0x5c),
    time: w(0x44),
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
    readWord(conn, x, y, VCPU_BASE + VCPU_SIZE * p + 0x58),
  ]);
  const blocks: IobufBlock[] = [];
  const seen = new Set<number>();
  let addr = first;
  while (addr !== 0) {
    if (seen.has(addr) || blocks.length > 1024) throw new Error(`board ${conn.name}: IOBUF chain of core (${x},${y},${p}) loops at 0x${addr.toString(16)}`);
    seen.add(addr);
    const raw = await readMemory(conn, x, y, 0, addr, size + 16);
    const dv = new DataView(raw.buffer);
    const used = Math.min(dv.getUint32(12, true), size);
    blocks.push({ address: addr, unixTime: dv.getUint32(4, true), timeMs: dv.getUint32(8, true), text: new TextDecoder('latin1').decode(raw.subarray(16, 16 + used)) });
    addr = dv.getUint32(0, true);
  }
  return { text: blocks.map((b) => b.text).join(''), blocks };
}

/** Signals (scamp-protocol §5.5), and how rig sends each: NN (type 2) or MC (type 0). */
export const Signal = {
  INIT: 0,
  PWRDN: 1,
  STOP: 2,
  START: 3,
  SYNC0: 4,
  SYNC1: 5,
  PAUSE: 6,
  CONT: 7,
  EXIT: 8,
  TIMER: 9,
  USR0: 10,
  USR1: 11,
  USR2: 12,
  USR3: 13,
} as const;
export type SignalName = keyof typeof Signal;
const NN_SIGNALS = new Set<number>([Signal.INIT, Signal.PWRDN, Signal.STOP, Signal.START, Signal.EXIT]);

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
  const type = NN_SIGNALS.has(sig) ? 2 : 0;
  await conn.request({ x: 255, y: 255, p: 0, cmd: ScpCommand.SIG, args: [type, ((sig << 16) | 0xff00 | appId) >>> 0, 0xffff] });
}

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
  let total = 0;
  for (const c of ethernetChips) {
    const r = await conn.request({
      x: c.x,
      y: c.y,
      p: 0,
      cmd: ScpCommand.COUNT,
      args: [appId, st, 0],
      replyArgs: 1,
      timeoutMs: Math.max(conn.timeoutMs, 2000),
      accept: new Set([ScpResult.CMD, ScpResult.P2P_NOREPLY]),
      retryable: new Set([ScpResult.P2P_BUSY]),
    });
    if (r.rc === ScpResult.CMD) return countByP2pSignal(conn, st, appId);
    total += r.args[0] ?? 0;
  }
  return total;
}

async function countByP2pSignal(conn: ScpConnection, state: number, appId: number): Promise<number> {
  const word = ((1 << 22) | (2 << 20) | (state << 16) | 0xff00 | appId) >>> 0;
  const r = await conn.request({ x: 255, y: 255, p: 0, cmd: ScpCommand.SIG, args: [1, word, 0xffff], replyArgs: 1 });
  return r.args[0] ?? 0;
}

/** Sets LEDs on (x, y): for each LED index, true = on, false = off, 'toggle'. */
export async function setLeds(conn: ScpConnection, x: number, y: number, leds: Record<number, boolean | 'toggle'>): Promise<void> {
  let a1 = 0;
  for (const [k, v] of Object.entries(leds)) {
    const n = Number(k);
    if (!(n >= 0 && n <= 3)) throw new RangeError(`LED must be 0..3, got ${k}`);
    a1 |= (v === 'toggle' ? 1 : v ? 3 : 2) << (2 * n);
  }
  await conn.request({ x, y, p: 0, cmd: ScpCommand.LED, args: [a1, 1, 0] });
}
