/**
 * Addresses and struct offsets of one chip's memory as SC&MP lays it out
 * (spinnaker_tools include/sark.h, include/spinnaker.h, scamp/scamp-3.c).
 * SC&MP stores buffered addresses (0x6…, 0xE5…) in its pointers; the
 * unbuffered aliases (0x7…, 0xF5…) reach the same bytes.
 */

export const SDRAM_BASE = 0x60000000;
export const SDRAM_UNBUF = 0x70000000;
export const SDRAM_SIZE = 128 * 1024 * 1024;

export const SYSRAM_BASE = 0xe5000000;
export const SYSRAM_UNBUF = 0xf5000000;
export const SYSRAM_SIZE = 32 * 1024;

export const ROUTER_BASE = 0xe1000000;
export const ROUTER_UNBUF = 0xf1000000;
/** Router registers, MC tables (+0x4000 route, +0x8000 key, +0xC000 mask) and P2P table (+0x10000, 8192 words). */
export const ROUTER_SIZE = 0x18000;
export const RTR_MC_ROUTE = 0x4000;
export const RTR_MC_KEY = 0x8000;
export const RTR_MC_MASK = 0xc000;
export const RTR_P2P = 0x10000;
export const RTR_P2P_WORDS = 8192;

export const SYSCTL_BASE = 0xe2000000;
export const SYSCTL_UNBUF = 0xf2000000;
export const SYSCTL_SIZE = 0x1000;

export const BOOTROM_BASE = 0xf6000000;
export const BOOTROM_SIZE = 32 * 1024;

/** System RAM map (sark.h). */
export const SYS_USER_BASE = 0xe5000100;
export const SYS_USER_TOP = 0xe5007000;
export const SV_VCPU = 0xe5007000;
export const SV_SPARE = 0xe5007900;
export const SV_RANDOM = 0xe5007ea0;
export const SV_VECTORS = 0xe5007ee0;
export const SV_SV = 0xe5007f00;
export const SV_SROM = 0xe5007fe0;

export const NUM_CPUS = 18;
export const MAX_CPUS = 20;
export const VCPU_SIZE = 128;
export const MC_TABLE_SIZE = 1024;
export const RTR_ENTRY_SIZE = 16;
export const HOP_TABLE_SIZE = 65536;
export const P2P_ADDR_TABLE_BYTES = (512 * 512) / 8;
export const SDP_MSG_T_SIZE = 292;
export const APP_DATA_SIZE = 8;
export const IPTAG_SIZE = 32;
export const IOBUF_HEADER = 16;

/** Offsets in `sv_t` (tools/boot/sark.struct). */
export const SV = {
  p2p_addr: 0x00,
  p2p_dims: 0x02,
  dbg_addr: 0x04,
  p2p_up: 0x06,
  last_id: 0x07,
  eth_addr: 0x08,
  hw_ver: 0x0a,
  eth_up: 0x0b,
  p2pb_repeats: 0x0c,
  p2p_sql: 0x0d,
  clk_div: 0x0e,
  tp_scale: 0x0f,
  clock_ms: 0x10,
  time_ms: 0x18,
  ltpc_period: 0x1a,
  unix_time: 0x1c,
  tp_timer: 0x20,
  cpu_clk: 0x24,
  mem_clk: 0x26,
  forward: 0x28,
  retry: 0x29,
  peek_time: 0x2a,
  led_period: 0x2b,
  netinit_bc_wait: 0x2c,
  netinit_phase: 0x2d,
  p2p_root: 0x2e,
  led0: 0x30,
  led1: 0x34,
  clock_drift: 0x38,
  random: 0x3c,
  root_chip: 0x40,
  num_buf: 0x41,
  boot_delay: 0x42,
  soft_wdog: 0x43,
  sync_alignment: 0x44,
  sysram_heap: 0x48,
  sdram_heap: 0x4c,
  iobuf_size: 0x50,
  sdram_bufs: 0x54,
  sysbuf_size: 0x58,
  boot_sig: 0x5c,
  mem_ptr: 0x60,
  lock: 0x64,
  link_en: 0x65,
  last_biff_id: 0x66,
  bt_flags: 0x67,
  shm_root: 0x68,
  utmp0: 0x70,
  status_map: 0x80,
  p2v_map: 0x94,
  v2p_map: 0xa8,
  num_cpus: 0xbc,
  rom_cpus: 0xbd,
  board_addr: 0xbe,
  sdram_base: 0xc0,
  sysram_base: 0xc4,
  sdram_sys: 0xc8,
  vcpu_base: 0xcc,
  sys_heap: 0xd0,
  rtr_copy: 0xd4,
  hop_table: 0xd8,
  alloc_tag: 0xdc,
  rtr_free: 0xe0,
  p2p_active: 0xe2,
  app_data: 0xe4,
  shm_buf: 0xe8,
  mbox_flags: 0xec,
  ip_addr: 0xf0,
  fr_copy: 0xf4,
  board_info: 0xf8,
  sw_ver: 0xfc,
} as const;

/** Offsets in `vcpu_t` (128 bytes). */
export const VCPU = {
  r0: 0x00,
  psr: 0x20,
  sp: 0x24,
  lr: 0x28,
  rt_code: 0x2c,
  phys_cpu: 0x2d,
  cpu_state: 0x2e,
  app_id: 0x2f,
  mbox_ap_msg: 0x30,
  mbox_mp_msg: 0x34,
  mbox_ap_cmd: 0x38,
  mbox_mp_cmd: 0x39,
  sw_count: 0x3a,
  sw_file: 0x3c,
  sw_line: 0x40,
  time: 0x44,
  app_name: 0x48,
  iobuf: 0x58,
  sw_ver: 0x5c,
  user0: 0x70,
} as const;

/** `enum cpu_state_e`. */
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
export type CpuStateValue = (typeof CpuState)[keyof typeof CpuState];

/** Signal numbers (`enum signal_e`). */
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

/** Run-time error codes (`rt_code`). */
export const RtCode = {
  NONE: 0,
  RESET: 1,
  UNDEF: 2,
  SVC: 3,
  PABT: 4,
  DABT: 5,
  IRQ: 6,
  FIQ: 7,
  VIC: 8,
  ABORT: 9,
  MALLOC: 10,
  DIV0: 11,
  EVENT: 12,
  SWERR: 13,
  IOBUF: 14,
  ENABLE: 15,
  NULL: 16,
  PKT: 17,
  TIMER: 18,
  API: 19,
  VER: 20,
} as const;

/** SCAMP's reserved MC entry 0 and the signal key. */
export const SCAMP_MC_ROUTING_KEY = 0xffff5554;
export const SCAMP_MC_ROUTING_MASK = 0xfffffffe;
export const SCAMP_MC_SIGNAL_KEY = 0xffff5555;

/** Route word bits: links 0–5, then cores (bit 6 + core). */
export const NUM_LINKS = 6;
