import { describe, expect, it } from 'vitest';
import type { EmulatedBoard } from '../../src/emulator/index.js';
import { TestClient } from './client.js';
import { withEmulator } from './session.js';

const SV = 0xf5007f00;
const CMD = { READ: 2, ALLOC: 28, RTR: 29, IPTAG: 26, INFO: 31, NNP: 20, FFD: 23, SIG: 22, COUNT: 15, AR: 19, LED: 25, WRITE: 3 };

function u32(b: Uint8Array, off: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(off, true);
}

describe('emulated SC&MP commands', () => {
  let emu: EmulatedBoard;
  let c: TestClient;
  withEmulator({ shape: 'spinn-5' }, (e, client) => {
    emu = e;
    c = client;
  });

  it('lays out sv, vcpu and the heaps as SC&MP does', async () => {
    const sv = await c.read(SV, 256);
    expect(new DataView(sv.buffer, sv.byteOffset).getUint16(2, true)).toBe(0x0808); // p2p_dims 8x8
    expect(sv[0x2d]).toBe(0xff); // netinit done
    expect(u32(sv, 0xcc)).toBe(0xe5007000); // vcpu_base
    expect(u32(sv, 0xc8)).toBe(0x67800000); // sdram_sys
    expect(u32(sv, 0xc0)).toBe(0x60240000); // sdram_base
    expect(u32(sv, 0x4c)).toBe(0x60240000); // SDRAM heap (SpiNNMan boot values)
    expect(u32(sv, 0x48)).toBe(0xe5001100); // SysRAM heap
    expect(u32(sv, 0xd0)).toBe(0x67840000); // sys_heap
    expect(sv[0xbc]).toBe(18);
    expect(u32(sv, 0xfc)).toBe(0x040000);
    // The SDRAM heap header: free = first, last, free_bytes
    const heap = await c.read(0x60240000, 16);
    expect(u32(heap, 0)).toBe(0x60240010);
    expect(u32(heap, 8)).toBe(0x67800000 - 8);
    expect(u32(heap, 12)).toBe(123_469_792);
    // Core 0 is SC&MP, others idle SARK
    const v0 = await c.read(0xe5007000, 128);
    expect(v0[0x2e]).toBe(7);
    expect(Buffer.from(v0.subarray(0x48, 0x4f)).toString()).toBe('scamp-3');
    const v5 = await c.read(0xe5007000 + 5 * 128, 128);
    expect(v5[0x2e]).toBe(15);
    expect(Buffer.from(v5.subarray(0x48, 0x4c)).toString()).toBe('sark');
  });

  it('CMD_INFO reports cores, links, free router entries and heap maxima', async () => {
    const r = await c.ok(CMD.INFO);
    const a1 = c.arg(r, 0);
    expect(a1 & 0x1f).toBe(18);
    expect((a1 >>> 8) & 0x3f).toBe(0b000111); // (0,0) of a SpiNN-5: E, NE, N
    expect((a1 >>> 14) & 0x7ff).toBe(1023);
    expect((a1 >>> 25) & 1).toBe(1);
    expect(c.arg(r, 1)).toBe(123_469_792);
    expect(r.data.length).toBe(38);
    expect(r.data[36]).toBe(7); // root link
  });

  it('allocates SDRAM with tags into the in-memory heap, then frees by app id', async () => {
    const r1 = await c.ok(CMD.ALLOC, [(30 << 8) | 0, 1000, 5]);
    const p1 = c.arg(r1, 0);
    expect(p1).toBe(0x60240018);
    const hdr = await c.read(p1 - 8, 8);
    expect(u32(hdr, 0)).toBe(p1 - 8 + 1000 + 8);
    expect(u32(hdr, 4)).toBe((0xffff0000 | (30 << 8) | 5) >>> 0);
    // Tag in use → 0; with TAG_RETRY and the same size → the same pointer
    expect(c.arg(await c.ok(CMD.ALLOC, [(30 << 8) | 0, 1000, 5]), 0)).toBe(0);
    expect(c.arg(await c.ok(CMD.ALLOC, [(4 << 16) | (30 << 8) | 0, 1000, 5]), 0)).toBe(p1);
    // tag → pointer
    expect(c.arg(await c.ok(CMD.ALLOC, [(30 << 8) | 7, 5]), 0)).toBe(p1);
    const svAllocTag = await c.readU32(SV + 0xdc);
    expect(await c.readU32(svAllocTag + 4 * ((30 << 8) + 5))).toBe(p1);
    const p2 = c.arg(await c.ok(CMD.ALLOC, [(30 << 8) | 0, 64, 0]), 0);
    expect(p2).toBe(p1 + 1000 + 8);
    const space = await c.ok(CMD.ALLOC, [6]);
    expect(c.arg(space, 0)).toBe(123_469_792 - 1008 - 72);
    expect(c.arg(await c.ok(CMD.ALLOC, [(30 << 8) | 2]), 0)).toBe(2);
    expect(c.arg(await c.ok(CMD.ALLOC, [6]), 0)).toBe(123_469_792);
    expect(await c.readU32(svAllocTag + 4 * ((30 << 8) + 5))).toBe(0);
    expect((await c.request(CMD.ALLOC, [8])).rc).toBe(0x84);
  });

  it('router: alloc, load from memory, read back through rtr_copy, free by app id', async () => {
    const base = c.arg(await c.ok(CMD.ALLOC, [(40 << 8) | 3, 3]), 0);
    expect(base).toBe(1);
    const table = new Uint8Array(48);
    const dv = new DataView(table.buffer);
    for (let i = 0; i < 3; i++) {
      dv.setUint16(16 * i, i, true);
      dv.setUint32(16 * i + 4, (1 << (6 + 2 + i)) | 1, true);
      dv.setUint32(16 * i + 8, 0x1000 * (i + 1), true);
      dv.setUint32(16 * i + 12, 0xfffff000, true);
    }
    await c.write(0x67800000, table);
    await c.ok(CMD.RTR, [(3 << 16) | (40 << 8) | 2, 0x67800000, base]);
    const copy = await c.readU32(SV + 0xd4);
    const e = await c.read(copy + 16 * 2, 16);
    expect(new DataView(e.buffer, e.byteOffset).getUint16(2, true)).toBe(0x8000 | 40);
    expect(u32(e, 4)).toBe((1 << 9) | 1);
    expect(u32(e, 8)).toBe(0x2000);
    expect(u32(e, 12)).toBe(0xfffff000);
    // hardware table: key at +0x8000
    expect(await c.readU32(0xe1008000 + 4 * 2)).toBe(0x2000);
    const info = await c.ok(CMD.INFO);
    expect((c.arg(info, 0) >>> 14) & 0x7ff).toBe(1020);
    expect((await c.request(CMD.RTR, [(2000 << 16) | 2, 0x67800000, 0])).rc).toBe(0x84);
    expect(c.arg(await c.ok(CMD.ALLOC, [(40 << 8) | 5, 1]), 0)).toBe(1);
    expect(u32(await c.read(copy + 16 * 2, 16), 4)).toBe(0xff000000);
    expect((c.arg(await c.ok(CMD.INFO), 0) >>> 14) & 0x7ff).toBe(1023);
  });

  it('IP tags: set, get, clear, TTO, reverse; a 9th outstanding transient tag is dropped silently', async () => {
    const set = await c.ok(CMD.IPTAG, [(1 << 16) | 3, 17892, 0x0100007f]);
    expect(c.arg(set, 0)).toBe(3);
    const got = await c.ok(CMD.IPTAG, [(2 << 16) | 3, 1]);
    expect(Array.from(got.data.subarray(0, 4))).toEqual([127, 0, 0, 1]);
    expect(new DataView(got.data.buffer, got.data.byteOffset).getUint16(10, true)).toBe(17892);
    expect(new DataView(got.data.buffer, got.data.byteOffset).getUint16(14, true) & 0x8000).toBe(0x8000);
    const tto = await c.ok(CMD.IPTAG, [4 << 16, 255]);
    expect(c.arg(tto, 0)).toBe((8 << 24) | (8 << 16) | (32 << 8) | 9);
    await c.ok(CMD.IPTAG, [(3 << 16) | 3]);
    expect((await c.request(CMD.IPTAG, [(1 << 16) | 16])).rc).toBe(0x84);
    // Occupy the whole transient pool with permanent tags 8..15. Each request itself
    // holds transient tag 8 while it runs, so point the tags back at this client.
    const me = c.socket.address().port;
    for (let t = 15; t >= 8; t--) await c.ok(CMD.IPTAG, [(1 << 16) | t, me, 0x0100007f]);
    await expect(c.request(0, [], undefined, {}, 300)).rejects.toThrow(/no reply/);
    // A no-reply request still gets through: free tag 8 and the board answers again.
    c.send(TestClient.packet(CMD.IPTAG, 4242, [(3 << 16) | 8], undefined, { flags: 0x07 }));
    await new Promise((r) => setTimeout(r, 50));
    expect((await c.request(0, [])).rc).toBe(0x80);
    for (let t = 9; t < 16; t++) await c.ok(CMD.IPTAG, [(3 << 16) | t]);
  });

  it('IPTAG GET checks count * 32 in 32-bit arithmetic, as SC&MP does', async () => {
    await c.ok(CMD.IPTAG, [(1 << 16) | 2, 17000, 0x0100007f]);
    expect((await c.request(CMD.IPTAG, [(2 << 16) | 2, 9])).rc).toBe(0x84);
    // 0x08000001 * 32 wraps to 32: one record, not RC_ARG.
    const got = await c.ok(CMD.IPTAG, [(2 << 16) | 2, 0x08000001]);
    expect(got.data.length).toBe(32);
    expect(new DataView(got.data.buffer, got.data.byteOffset).getUint16(10, true)).toBe(17000);
    // 0x08000000 * 32 wraps to 0: an empty reply.
    expect((await c.ok(CMD.IPTAG, [(2 << 16) | 2, 0x08000000])).data.length).toBe(0);
    await c.ok(CMD.IPTAG, [(3 << 16) | 2]);
  });

  it('CMD_SIG NN adds 5 << 28 to the word without masking it, as SC&MP does', async () => {
    // 0xD0000007 + 0x50000000 wraps to 0x20000007: SIG0 op 2 sets tp_scale to 7 on every chip.
    expect((await c.read(SV + 0x0f, 1))[0]).toBe(0);
    await c.ok(CMD.SIG, [2, 0xd0000007, 0]);
    expect((await c.read(SV + 0x0f, 1))[0]).toBe(7);
    expect((await c.read(SV + 0x0f, 1, { x: 4, y: 6 }))[0]).toBe(7);
  });

  it('LEDs and NN memory writes reach every chip', async () => {
    await c.ok(CMD.LED, [0b11]);
    expect(emu.board!.chip(0, 0)!.leds & 1).toBe(1);
    // SIG1 memory write of a word into sv.utmp0 (offset 0x70) on every chip
    await c.ok(CMD.NNP, [(4 << 24) | (2 << 18) | (0 << 16) | (0x70 << 8), 0xcafef00d, 0x80003ff8], undefined, { x: 255, y: 255 });
    expect(await c.readU32(SV + 0x70, { x: 5, y: 3 })).toBe(0xcafef00d);
  });
});
