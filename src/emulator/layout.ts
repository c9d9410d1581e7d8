import { Signal } from '../protocol/app.js';
import {
  BOARD_INFO_BASE,
  SDRAM_BASE,
  SDRAM_BASE_UNBUFFERED,
  SDRAM_SIZE,
  SV_RANDOM_BASE,
  SV_SROM_BASE,
  SV_VECTORS_BASE,
  SYSRAM_BASE,
  SYSRAM_BASE_UNBUFFERED,
  SYSRAM_SIZE,
  SYSRAM_USER_BASE,
  SYS_USER_TOP,
  ROUTER_BASE,
  P2P_TABLE_BASE,
} from '../protocol/memory.js';
import { RTR_ENTRIES, RTR_ENTRY_SIZE, RTR_SIGNAL_KEY, RTR_SIGNAL_MASK } from '../protocol/router.js';
import type { StructLayout } from '../protocol/struct.js';
import { type Sv, SV_BASE_BUFFERED, sv } from '../protocol/sv.js';
import { CpuState, NUM_CPUS, RUN_TIME_ERRORS, VCPU_BASE, VCPU_SIZE, type Vcpu, vcpu } from '../protocol/vcpu.js';

/**
 * One chip's memory map as the emulator backs it. Struct layouts (sv,
 * vcpu_t, heap and router records) come from src/protocol; this module adds
 * what only the emulated hardware needs (router register file, system
 * controller, boot ROM) and SC&MP's table sizes. SC&MP stores buffered
 * addresses (0x6…, 0xE5…) in its pointers; the unbuffered aliases (0x7…,
 * 0xF5…) reach the same bytes.
 */
export { SDRAM_BASE, SDRAM_SIZE, SYSRAM_BASE, SYSRAM_SIZE, SYS_USER_TOP, ROUTER_BASE, NUM_CPUS, VCPU_SIZE, RTR_ENTRY_SIZE, CpuState, Signal };
export const SDRAM_UNBUF = SDRAM_BASE_UNBUFFERED;
export const SYSRAM_UNBUF = SYSRAM_BASE_UNBUFFERED;

export const ROUTER_UNBUF = (ROUTER_BASE + 0x10000000) >>> 0;
/** Router registers, MC tables (+0x4000 route, +0x8000 key, +0xC000 mask) and P2P table (+0x10000, 8192 words). */
export const ROUTER_SIZE = 0x18000;
export const RTR_MC_ROUTE = 0x4000;
export const RTR_MC_KEY = 0x8000;
export const RTR_MC_MASK = 0xc000;
export const RTR_P2P = P2P_TABLE_BASE - ROUTER_BASE;
export const RTR_P2P_WORDS = 8192;

export const SYSCTL_BASE = 0xe2000000;
export const SYSCTL_UNBUF = 0xf2000000;
export const SYSCTL_SIZE = 0x1000;

export const BOOTROM_BASE = 0xf6000000;
export const BOOTROM_SIZE = 32 * 1024;

/** System RAM map (sark.h). */
export const SYS_USER_BASE = SYSRAM_USER_BASE;
export const SV_VCPU = VCPU_BASE;
export const SV_SPARE = BOARD_INFO_BASE;
export const SV_RANDOM = SV_RANDOM_BASE;
export const SV_VECTORS = SV_VECTORS_BASE;
export const SV_SV = SV_BASE_BUFFERED;
export const SV_SROM = SV_SROM_BASE;

export const MAX_CPUS = 20;
export const MC_TABLE_SIZE = RTR_ENTRIES;
export const HOP_TABLE_SIZE = 65536;
export const P2P_ADDR_TABLE_BYTES = (512 * 512) / 8;
export const SDP_MSG_T_SIZE = 292;

/** Offset and width of every field of a protocol struct, looked up once. */
export interface FieldRef {
  offset: number;
  size: number;
}
function fieldRefs<T>(layout: StructLayout<T>): Record<keyof T & string, FieldRef> {
  return Object.fromEntries(layout.fields.map((f) => [f.name, { offset: f.offset, size: f.size }])) as Record<keyof T & string, FieldRef>;
}

/** Names of the fields that hold one number (not arrays or byte strings). */
export type ScalarField<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T] & string;
export type SvScalar = ScalarField<Sv>;
export type VcpuScalar = ScalarField<Vcpu>;

export const SV_FIELDS = fieldRefs(sv);
export const VCPU_FIELDS = fieldRefs(vcpu);

/** Byte offsets in `sv_t` and `vcpu_t`, by sark.struct name (from src/protocol/sv.ts and vcpu.ts). */
export const SV = Object.fromEntries(Object.entries(SV_FIELDS).map(([k, f]) => [k, f.offset])) as Record<keyof Sv & string, number>;
export const VCPU = Object.fromEntries(Object.entries(VCPU_FIELDS).map(([k, f]) => [k, f.offset])) as Record<keyof Vcpu & string, number>;

export type CpuStateValue = (typeof CpuState)[keyof typeof CpuState];

/** Run-time error codes (`rt_code`), by name. */
export const RtCode = Object.fromEntries(RUN_TIME_ERRORS.map((name, i) => [name, i])) as { readonly [K in (typeof RUN_TIME_ERRORS)[number]]: number };

/** SCAMP's reserved MC entry 0 and the signal key. */
export const SCAMP_MC_ROUTING_KEY = RTR_SIGNAL_KEY;
export const SCAMP_MC_ROUTING_MASK = RTR_SIGNAL_MASK;
export const SCAMP_MC_SIGNAL_KEY = 0xffff5555;

/** Route word bits: links 0–5, then cores (bit 6 + core). */
export const NUM_LINKS = 6;
