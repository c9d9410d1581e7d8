import { defineStruct, type StructOf } from './struct.js';

/**
 * The `sv` system-variable struct at the top of SysRAM (digest §4.3,
 * spinnaker_tools include/sark.h `sv_t`, tools/boot/sark.struct).
 * Field names follow sark.struct where it names a field, and sark.h where
 * sark.struct calls it __PADn; the sark.struct spellings are accepted as
 * aliases by offsetOf/readField/writeField.
 */
export const SV_BASE = 0xf5007f00; // unbuffered alias, as rig, ybug and SpiNNMan read it
export const SV_BASE_BUFFERED = 0xe5007f00;
export const SV_SIZE = 256;

const SV_FIELDS = [
  ['p2p_addr', 0x00, 'u16'],
  ['p2p_dims', 0x02, 'u16'],
  ['dbg_addr', 0x04, 'u16'],
  ['p2p_up', 0x06, 'u8'],
  ['last_id', 0x07, 'u8'],
  ['eth_addr', 0x08, 'u16'],
  ['hw_ver', 0x0a, 'u8'],
  ['eth_up', 0x0b, 'u8'],
  ['p2pb_repeats', 0x0c, 'u8'],
  ['p2p_sql', 0x0d, 'u8'],
  ['clk_div', 0x0e, 'u8'],
  ['tp_scale', 0x0f, 'u8'],
  ['clock_ms', 0x10, 'u32'], // low word of the u64 ms counter
  ['clock_ms_h', 0x14, 'u32'], // high word
  ['time_ms', 0x18, 'u16'],
  ['ltpc_period', 0x1a, 'u16'],
  ['unix_time', 0x1c, 'u32'],
  ['tp_timer', 0x20, 'u32'],
  ['cpu_clk', 0x24, 'u16'],
  ['mem_clk', 0x26, 'u16'],
  ['forward', 0x28, 'u8'],
  ['retry', 0x29, 'u8'],
  ['peek_time', 0x2a, 'u8'],
  ['led_period', 0x2b, 'u8'],
  ['netinit_bc_wait', 0x2c, 'u8'],
  ['netinit_phase', 0x2d, 'u8'],
  ['p2p_root', 0x2e, 'u16'],
  ['led0', 0x30, 'u32'],
  ['led1', 0x34, 'u32'],
  ['clock_drift', 0x38, 'i32'], // fixed point, 17 fractional bits
  ['random', 0x3c, 'u32'],
  ['root_chip', 0x40, 'u8'],
  ['num_buf', 0x41, 'u8'],
  ['boot_delay', 0x42, 'u8'],
  ['soft_wdog', 0x43, 'u8'],
  ['sync_alignment', 0x44, 'u32'],
  ['sysram_heap', 0x48, 'u32'], // boot: words above sysram_base; after boot: heap_t pointer
  ['sdram_heap', 0x4c, 'u32'], // boot: words; after boot: heap_t pointer
  ['iobuf_size', 0x50, 'u32'],
  ['sys_bufs', 0x54, 'u32'], // sark.h sdram_bufs
  ['sysbuf_size', 0x58, 'u32'],
  ['boot_sig', 0x5c, 'u32'],
  ['mem_ptr', 0x60, 'u32'],
  ['lock', 0x64, 'u8'],
  ['link_en', 0x65, 'u8'],
  ['last_biff_id', 0x66, 'u8'],
  ['bt_flags', 0x67, 'u8'],
  ['shm_root_free', 0x68, 'u32'],
  ['shm_root_count', 0x6c, 'u16'],
  ['shm_root_max', 0x6e, 'u16'],
  ['utmp0', 0x70, 'u32'],
  ['utmp1', 0x74, 'u32'],
  ['utmp2', 0x78, 'u32'],
  ['utmp3', 0x7c, 'u32'],
  ['status_map', 0x80, 'u8[20]'],
  ['p2v_map', 0x94, 'u8[20]'],
  ['v2p_map', 0xa8, 'u8[20]'],
  ['num_cpus', 0xbc, 'u8'],
  ['rom_cpus', 0xbd, 'u8'],
  ['board_addr', 0xbe, 'u16'],
  ['sdram_base', 0xc0, 'u32'],
  ['sysram_base', 0xc4, 'u32'],
  ['sdram_sys', 0xc8, 'u32'],
  ['vcpu_base', 0xcc, 'u32'],
  ['sys_heap', 0xd0, 'u32'],
  ['rtr_copy', 0xd4, 'u32'],
  ['hop_table', 0xd8, 'u32'],
  ['alloc_tag', 0xdc, 'u32'],
  ['rtr_free', 0xe0, 'u16'],
  ['p2p_active', 0xe2, 'u16'],
  ['app_data', 0xe4, 'u32'],
  ['shm_buf', 0xe8, 'u32'],
  ['mbox_flags', 0xec, 'u32'],
  ['ip_addr', 0xf0, 'u8[4]'],
  ['fr_copy', 0xf4, 'u32'],
  ['board_info', 0xf8, 'u32'],
  ['sw_ver', 0xfc, 'u32'],
] as const;

const SV_ALIASES: Record<string, string> = {
  sdram_bufs: 'sys_bufs',
  shm_root: 'shm_root_free',
  'shm_root.free': 'shm_root_free',
  'shm_root.count': 'shm_root_count',
  'shm_root.max': 'shm_root_max',
  __PAD2: 'clock_drift',
  __PAD3: 'sync_alignment',
};

export type Sv = StructOf<typeof SV_FIELDS>;
export type SvFieldName = (typeof SV_FIELDS)[number][0];
export const sv = defineStruct('sv', SV_SIZE, SV_FIELDS, { aliases: SV_ALIASES });

export const encode = sv.encode;
export const decode = sv.decode;
export const encodingLength = sv.encodingLength;

/** Offset of a field inside sv (sark.struct names accepted). */
export function svFieldOffset(name: string): number {
  return sv.offsetOf(name);
}

/** Absolute address of an sv field, e.g. svFieldAddress('p2p_dims') = 0xF5007F02. */
export function svFieldAddress(name: string, base = SV_BASE): number {
  return base + sv.offsetOf(name);
}

/** Reads one field from the 256 bytes of sv (or from a larger buffer at `offset`). */
export function readSvField(bytes: Uint8Array, name: string, offset = 0): number | number[] | Uint8Array {
  return sv.readField(bytes, name, offset);
}

export function writeSvField(bytes: Uint8Array, name: string, value: number | number[] | Uint8Array, offset = 0): void {
  sv.writeField(bytes, name, value, offset);
}

/** Values from sark.struct's default column (zero where it has none). */
export function svDefaults(): Sv {
  return {
    ...sv.zero(),
    p2pb_repeats: 4,
    p2p_sql: 4,
    clk_div: 0x33,
    cpu_clk: 200,
    mem_clk: 130,
    forward: 0x3f,
    peek_time: 200,
    led_period: 1,
    netinit_bc_wait: 50,
    led0: 0x00000001,
    num_buf: 7,
    boot_delay: 20,
    soft_wdog: 3,
    sysram_heap: 1024,
    sdram_heap: 1048576,
    iobuf_size: 16384,
    sys_bufs: 8388608,
    sysbuf_size: 32768,
    link_en: 0x3f,
  };
}

/** netinit_phase value once network initialisation is finished. */
export const NETINIT_PHASE_DONE = 0xff;

/** (x<<8)|y, the P2P address form used by p2p_addr, eth_addr, p2p_root, ... */
export function p2pAddress(x: number, y: number): number {
  return ((x & 0xff) << 8) | (y & 0xff);
}

export function p2pCoords(addr: number): { x: number; y: number } {
  return { x: (addr >> 8) & 0xff, y: addr & 0xff };
}
