import { defineStruct, type StructOf } from './struct.js';

/** Per-core `vcpu_t` block (digest §4.4; sark.h, sark.struct "vcpu"). */
export const VCPU_BASE = 0xe5007000;
export const VCPU_SIZE = 128;
export const NUM_CPUS = 18;

const VCPU_FIELDS = [
  ['r0', 0x00, 'u32'],
  ['r1', 0x04, 'u32'],
  ['r2', 0x08, 'u32'],
  ['r3', 0x0c, 'u32'],
  ['r4', 0x10, 'u32'],
  ['r5', 0x14, 'u32'],
  ['r6', 0x18, 'u32'],
  ['r7', 0x1c, 'u32'],
  ['psr', 0x20, 'u32'],
  ['sp', 0x24, 'u32'],
  ['lr', 0x28, 'u32'],
  ['rt_code', 0x2c, 'u8'],
  ['phys_cpu', 0x2d, 'u8'],
  ['cpu_state', 0x2e, 'u8'],
  ['app_id', 0x2f, 'u8'],
  ['mbox_ap_msg', 0x30, 'u32'],
  ['mbox_mp_msg', 0x34, 'u32'],
  ['mbox_ap_cmd', 0x38, 'u8'],
  ['mbox_mp_cmd', 0x39, 'u8'],
  ['sw_count', 0x3a, 'u16'],
  ['sw_file', 0x3c, 'u32'],
  ['sw_line', 0x40, 'u32'],
  ['time', 0x44, 'u32'],
  ['app_name', 0x48, 'bytes[16]'],
  ['iobuf', 0x58, 'u32'],
  ['sw_ver', 0x5c, 'u32'],
  ['pad', 0x60, 'u32[4]'],
  ['user0', 0x70, 'u32'],
  ['user1', 0x74, 'u32'],
  ['user2', 0x78, 'u32'],
  ['user3', 0x7c, 'u32'],
] as const;

export type Vcpu = StructOf<typeof VCPU_FIELDS>;
export const vcpu = defineStruct('vcpu_t', VCPU_SIZE, VCPU_FIELDS, { aliases: { __PAD: 'pad' } });
export const encode = vcpu.encode;
export const decode = vcpu.decode;
export const encodingLength = vcpu.encodingLength;

export function vcpuAddress(core: number, base = VCPU_BASE): number {
  if (!Number.isInteger(core) || core < 0 || core >= NUM_CPUS) throw new RangeError(`virtual core must be 0..${NUM_CPUS - 1}, got ${core}`);
  return base + VCPU_SIZE * core;
}

export function vcpuFieldOffset(name: string): number {
  return vcpu.offsetOf(name);
}

/** The NUL-terminated app name (≤ 15 chars) from vcpu.app_name. */
export function appNameFromBytes(b: Uint8Array): string {
  const end = b.indexOf(0);
  return String.fromCharCode(...b.subarray(0, end < 0 ? b.length : end));
}

/** 16 bytes for vcpu.app_name: at most 15 Latin-1 chars, NUL-padded. */
export function appNameToBytes(name: string): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < Math.min(name.length, 15); i++) {
    const c = name.charCodeAt(i);
    out[i] = c === 0 || c > 0xff ? 0x3f : c;
  }
  return out;
}

/** cpu_state values (enum cpu_state_e; identical in rig and SpiNNMan). */
export const CpuState = {
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
export type CpuStateName = keyof typeof CpuState;

export function cpuStateName(v: number): string {
  for (const [k, n] of Object.entries(CpuState)) if (n === v) return k;
  return `state ${v}`;
}

/** rt_code values (run-time error codes). */
export const RUN_TIME_ERRORS = [
  'NONE', 'RESET', 'UNDEF', 'SVC', 'PABT', 'DABT', 'IRQ', 'FIQ', 'VIC', 'ABORT', 'MALLOC',
  'DIV0', 'EVENT', 'SWERR', 'IOBUF', 'ENABLE', 'NULL', 'PKT', 'TIMER', 'API', 'VER',
] as const;

export function runTimeErrorName(code: number): string {
  return RUN_TIME_ERRORS[code] ?? `rte ${code}`;
}

/** Mailbox commands (mbox_ap_cmd / mbox_mp_cmd). */
export const MboxCommand = { IDLE: 0, MSG: 1, NOP: 2, SIG: 3, CMD: 4 } as const;
