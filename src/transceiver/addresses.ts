/**
 * Where clients find things in a chip's memory (scamp-protocol §4). The `sv`
 * struct is read through its unbuffered alias, as rig, ybug and SpiNNMan do.
 */
export const SV_BASE = 0xf5007f00;

/** Offsets of the `sv` fields the client reads or writes. */
export const SV = {
  p2p_addr: 0x00,
  p2p_dims: 0x02,
  hw_ver: 0x0a,
  unix_time: 0x1c,
  led0: 0x30,
  root_chip: 0x40,
  iobuf_size: 0x50,
  boot_sig: 0x5c,
  p2v_map: 0x94,
  v2p_map: 0xa8,
  num_cpus: 0xbc,
  sdram_sys: 0xc8,
  vcpu_base: 0xcc,
  sys_heap: 0xd0,
  rtr_copy: 0xd4,
  rtr_free: 0xe0,
  p2p_active: 0xe2,
  ip_addr: 0xf0,
  fr_copy: 0xf4,
} as const;

export const svAddress = (field: keyof typeof SV): number => SV_BASE + SV[field];

/** vcpu_t blocks start here (sv.vcpu_base after boot); 128 bytes per virtual core. */
export const VCPU_BASE = 0xe5007000;
export const VCPU_SIZE = 128;

/** The P2P routing table: 3 bits per chip, 8 chips per word, 256 chips (128 bytes) per column x. */
export const P2P_TABLE = 0xe1010000;
export const P2P_COLUMN_BYTES = 128;
export const P2P_NONE = 6;
export const P2P_SELF = 7;

/** Default `sdram_sys`: where APLX images and router tables are staged before use. */
export const SDRAM_SYS_DEFAULT = 0x67800000;

/** Router entries: 1024 in hardware; entry 0 belongs to SC&MP. */
export const ROUTER_TABLE_SIZE = 1024;
export const RTR_ENTRY_BYTES = 16;
