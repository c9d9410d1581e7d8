/**
 * The router's control register and diagnostic counters, read over SCP
 * (UDP on loopback) as ybug's rtr_diag and rig's get_router_diagnostics do.
 */
import { describe, expect, it } from 'vitest';
import type { EmulatedBoard } from '../../src/emulator/index.js';
import { spinn5 } from '../../src/machine/index.js';
import type { TestClient } from './client.js';
import { withEmulator } from './session.js';

const RTR = 0xe1000000;
const CMD = { NNP: 20, SIG: 22 };

async function counters(c: TestClient, x: number, y: number): Promise<number[]> {
  const d = await c.read(RTR + 0x300, 64, { x, y }, 2);
  return Array.from({ length: 16 }, (_, i) => new DataView(d.buffer, d.byteOffset).getUint32(4 * i, true));
}

describe('router registers', () => {
  let emu: EmulatedBoard;
  let c: TestClient;
  // Core 0 of (1,0) is dead, so its monitor is physical core 1.
  withEmulator({ machine: spinn5().withDead({ cores: [{ x: 1, y: 0, p: 0 }] }) }, (e, client) => {
    emu = e;
    c = client;
  });

  it('control register as rtr_init leaves it: enabled, Wait1 0x40, MP = the monitor', async () => {
    expect(await c.readU32(RTR)).toBe(0x00400001);
    expect(await c.readU32(RTR, { x: 1, y: 0 })).toBe(0x00400101);
    expect(await c.readU32(0xf1000000, { x: 1, y: 1 })).toBe(0x00400001); // unbuffered alias
  });

  it('the NN router-control command sets the selected fields only', async () => {
    // Wait2 (sel 0x20) and Wait1 (sel 0x10) from the word; MP (0x04) not selected.
    await c.ok(CMD.NNP, [0x01000000, 0x12340f30, 0x3f00]);
    for (const [x, y, mp] of [[0, 0, 0], [1, 0, 1], [7, 7, 0]] as const) {
      expect(await c.readU32(RTR, { x, y })).toBe((0x12340001 | (mp << 8)) >>> 0);
    }
    // Back to Wait1 0x40, Wait2 0.
    await c.ok(CMD.NNP, [0x01000000, 0x00400030, 0x3f00]);
    expect(await c.readU32(RTR)).toBe(0x00400001);
  });

  it('diagnostic filters and enables as rtr_diag_init sets them', async () => {
    const f = await c.read(RTR + 0x200, 64, {}, 2);
    const dv = new DataView(f.buffer, f.byteOffset);
    expect(dv.getUint32(0, true)).toBe(0x01fe7cf1);
    expect(dv.getUint32(4 * 8, true)).toBe(0x0001fcf1);
    expect(dv.getUint32(4 * 12, true)).toBe(0);
    expect(await c.readU32(RTR + 0x2c)).toBe(0xffff);
  });

  it('counters count the multicast packets the fabric routes and drops', async () => {
    const board = emu.board!;
    const before = { root: await counters(c, 0, 0), far: await counters(c, 4, 4) };
    // An MC signal from the root (app_sig ... pause: CMD_SIG type MC) reaches every monitor through entry 0.
    await c.ok(CMD.SIG, [0, 0x0006ff11, 0xffff], undefined, { x: 255, y: 255 });
    const root = await counters(c, 0, 0);
    const far = await counters(c, 4, 4);
    expect(root[0]! - before.root[0]!).toBe(1); // local MC: sent by the root's monitor
    expect(root[1]! - before.root[1]!).toBe(0);
    expect(far[1]! - before.far[1]!).toBeGreaterThanOrEqual(1); // non-local MC: arrived over a link
    expect(far[0]! - before.far[0]!).toBe(0);
    // A key no entry matches, sent from a local core of (2,2): dumped.
    const chip = board.chip(2, 2)!;
    const b22 = await counters(c, 2, 2);
    board.fabric.route(chip, 0x12345678, undefined, () => {});
    board.fabric.route(chip, 0x12345678, 7, () => {});
    const a22 = await counters(c, 2, 2);
    expect(a22[8]! - b22[8]!).toBe(2);
    expect(a22[0]! - b22[0]!).toBe(0);
    expect(a22.slice(2, 8)).toEqual(b22.slice(2, 8)); // P2P, NN, FR not modelled as packets
  });

  it('rDGEN: writing 1 to bit 16+n clears counter n; user filters count too', async () => {
    await c.ok(CMD.SIG, [0, 0x0006ff11, 0xffff], undefined, { x: 255, y: 255 });
    expect((await counters(c, 0, 0))[0]).toBeGreaterThan(0);
    // Counter 12: MC packets with payload from anywhere, routed to the monitor.
    await c.writeU32(RTR + 0x230, 0x0004fcf1);
    await c.writeU32(RTR + 0x2c, 0x1fffffff); // clear 0–12, keep all enabled
    expect(await c.readU32(RTR + 0x2c)).toBe(0xffff);
    expect((await counters(c, 0, 0)).slice(0, 13)).toEqual(new Array(13).fill(0));
    await c.ok(CMD.SIG, [0, 0x0006ff11, 0xffff], undefined, { x: 255, y: 255 });
    const after = await counters(c, 0, 0);
    expect(after[0]).toBe(1);
    expect(after[12]).toBe(1); // the signal is delivered to the root's own monitor
    // Disabled counters stop counting.
    await c.writeU32(RTR + 0x2c, 0xfffe);
    await c.ok(CMD.SIG, [0, 0x0006ff11, 0xffff], undefined, { x: 255, y: 255 });
    expect((await counters(c, 0, 0))[0]).toBe(1);
  });
});
