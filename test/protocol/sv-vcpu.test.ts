import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as svMod from '../../src/protocol/sv.js';
import * as vcpuMod from '../../src/protocol/vcpu.js';
import * as mem from '../../src/protocol/memory.js';
import type { StructLayout } from '../../src/protocol/struct.js';
import { structLaws } from './laws.js';

for (const l of [svMod.sv, vcpuMod.vcpu, mem.heapRoot, mem.blockHeader, mem.iobufHeader, mem.appData]) structLaws(l as StructLayout<unknown>);

// Offsets and widths from spinnaker_tools tools/boot/sark.struct (HEAD 813bfef7):
// name, offset, sark.struct type (C = u8, v = u16, V = u32, A16 = 16 bytes).
const SARK_STRUCT_SV = `p2p_addr v 00 p2p_dims v 02 dbg_addr v 04 p2p_up C 06 last_id C 07 eth_addr v 08 hw_ver C 0a eth_up C 0b
p2pb_repeats C 0c p2p_sql C 0d clk_div C 0e tp_scale C 0f clock_ms V 10 clock_ms_h V 14 time_ms v 18 ltpc_period v 1a
unix_time V 1c tp_timer V 20 cpu_clk v 24 mem_clk v 26 forward C 28 retry C 29 peek_time C 2a led_period C 2b
netinit_bc_wait C 2c netinit_phase C 2d p2p_root v 2e led0 V 30 led1 V 34 __PAD2 V 38 random V 3c root_chip C 40
num_buf C 41 boot_delay C 42 soft_wdog C 43 __PAD3 V 44 sysram_heap V 48 sdram_heap V 4c iobuf_size V 50 sys_bufs V 54
sysbuf_size V 58 boot_sig V 5c mem_ptr V 60 lock C 64 link_en C 65 last_biff_id C 66 bt_flags C 67 shm_root.free V 68
shm_root.count v 6c shm_root.max v 6e utmp0 V 70 utmp1 V 74 utmp2 V 78 utmp3 V 7c num_cpus C bc rom_cpus C bd
sdram_base V c0 sysram_base V c4 sdram_sys V c8 vcpu_base V cc sys_heap V d0 rtr_copy V d4 hop_table V d8 alloc_tag V dc
rtr_free v e0 p2p_active v e2 app_data V e4 shm_buf V e8 mbox_flags V ec ip_addr V f0 fr_copy V f4 board_info V f8`;
const SARK_STRUCT_VCPU = `r0 V 00 r1 V 04 r2 V 08 r3 V 0c r4 V 10 r5 V 14 r6 V 18 r7 V 1c psr V 20 sp V 24 lr V 28 rt_code C 2c
phys_cpu C 2d cpu_state C 2e app_id C 2f mbox_ap_msg V 30 mbox_mp_msg V 34 mbox_ap_cmd C 38 mbox_mp_cmd C 39
sw_count v 3a sw_file V 3c sw_line V 40 time V 44 app_name A16 48 iobuf V 58 sw_ver V 5c user0 V 70 user1 V 74 user2 V 78 user3 V 7c`;

function checkAgainstSarkStruct(layout: StructLayout<unknown>, table: string): number {
  const t = table.split(/\s+/).filter(Boolean);
  let n = 0;
  for (let i = 0; i < t.length; i += 3) {
    const [name, type, off] = [t[i], t[i + 1], parseInt(t[i + 2], 16)];
    expect(layout.offsetOf(name), name).toBe(off);
    expect(layout.fieldSize(name), name).toBe(type === 'C' ? 1 : type === 'v' ? 2 : type === 'V' ? 4 : 16);
    n++;
  }
  return n;
}

describe('sv and vcpu_t agree with sark.struct', () => {
  it('sv offsets and widths', () => {
    expect(checkAgainstSarkStruct(svMod.sv as StructLayout<unknown>, SARK_STRUCT_SV)).toBe(72);
    for (const [name, off] of [['status_map', 0x80], ['p2v_map', 0x94], ['v2p_map', 0xa8]] as const) {
      expect(svMod.svFieldOffset(name)).toBe(off);
      expect(svMod.sv.fieldSize(name)).toBe(20);
    }
    expect(svMod.svFieldAddress('p2p_dims')).toBe(0xf5007f02);
    expect(svMod.svFieldAddress('p2v_map')).toBe(0xf5007f94);
    expect(svMod.svFieldAddress('ip_addr')).toBe(0xf5007ff0);
    expect(svMod.svFieldAddress('boot_sig')).toBe(0xf5007f5c);
  });

  it('vcpu_t offsets and widths', () => {
    expect(checkAgainstSarkStruct(vcpuMod.vcpu as StructLayout<unknown>, SARK_STRUCT_VCPU)).toBe(30);
    expect(vcpuMod.vcpuAddress(17)).toBe(0xe5007880);
  });

  it('reads p2p_dims as SpiNNMan does: h at byte 2, w at byte 3', () => {
    const bytes = svMod.encode({ ...svMod.svDefaults(), p2p_dims: svMod.p2pAddress(8, 4) });
    expect([bytes[2], bytes[3]]).toEqual([4, 8]);
    expect(svMod.readSvField(bytes, 'p2p_dims')).toBe(0x0804);
  });

  it('writes one field in place and leaves the others', () => {
    const bytes = svMod.encode(svMod.svDefaults());
    svMod.writeSvField(bytes, 'netinit_phase', svMod.NETINIT_PHASE_DONE);
    expect(bytes[0x2d]).toBe(0xff);
    expect(svMod.decode(bytes)).toEqual({ ...svMod.svDefaults(), netinit_phase: 0xff });
    expect(() => svMod.svFieldOffset('nope')).toThrow(/no field "nope"/);
  });

  it('encodes the sark.struct defaults into the first 128 bytes', () => {
    const b = svMod.encode(svMod.svDefaults());
    const dv = new DataView(b.buffer);
    expect(b[0x0e]).toBe(0x33);
    expect(dv.getUint16(0x24, true)).toBe(200);
    expect(dv.getUint32(0x4c, true)).toBe(1048576);
    expect(b.subarray(0x80).every((x) => x === 0)).toBe(true);
  });

  it('app names are NUL-terminated, at most 15 characters', () => {
    expect(vcpuMod.appNameFromBytes(vcpuMod.appNameToBytes('scamp-3'))).toBe('scamp-3');
    expect(vcpuMod.appNameToBytes('x'.repeat(20))[15]).toBe(0);
  });
});

describe('heap block words', () => {
  it('marks allocated blocks 0xFFFF0000 | app_id<<8 | tag', () => {
    expect(mem.allocatedBlockWord(16, 3)).toBe(0xffff1003);
    expect(mem.blockState(0xffff1003)).toEqual({ allocated: true, appId: 16, tag: 3 });
    expect(mem.blockState(0x60640000)).toEqual({ allocated: false, nextFree: 0x60640000 });
    expect(mem.bufferedAddress(0xf5007f00)).toBe(0xe5007f00);
    expect(mem.bufferedAddress(0x70000010)).toBe(0x60000010);
  });
});
