import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppRegistry, CpuState, LifecycleApp, startEmulator, type CoreApi, type EmulatedBoard } from '../../src/emulator/index.js';
import { TestClient } from './client.js';

const CMD = { NNP: 20, FFD: 23, SIG: 22, COUNT: 15, AR: 19, WRITE: 3 };

/** A small valid APLX: RCOPY 64 bytes to ITCM, EXEC 0, END, then the "code". */
function aplx(seed: number): Uint8Array {
  const b = new Uint8Array(64 + 64);
  const v = new DataView(b.buffer);
  v.setUint32(0, 2, true);
  v.setUint32(4, 0, true);
  v.setUint32(8, 64, true);
  v.setUint32(12, 64, true);
  v.setUint32(16, 4, true);
  v.setUint32(20, 0, true);
  for (let i = 64; i < 128; i++) b[i] = (i * seed) & 255;
  return b;
}

/** Counts ticks; pauses itself after `n` ticks; sends key = tick to its router. */
class TickApp extends LifecycleApp {
  constructor(
    api: CoreApi,
    readonly received: number[],
  ) {
    super(api, true);
  }
  override ticking(): boolean {
    return true;
  }
  onTimer(t: number): void {
    this.api.sendMulticast(0x10000 | (this.api.core << 8) | t);
    if (t >= this.api.getUser(0)) this.api.setState(CpuState.PAUSE);
  }
  onMulticast(key: number): void {
    this.received.push(key);
  }
}

async function floodFill(c: TestClient, image: Uint8Array, appId: number, coreMask: number, wait: boolean): Promise<void> {
  const blocks = Math.ceil(image.length / 256);
  const pid = 2;
  const fr = 0x3f18;
  const root = { x: 255, y: 255 };
  await c.ok(CMD.NNP, [(6 << 24) | (pid << 16) | (blocks << 8), 0, (1 << 31) | fr], undefined, root);
  await c.ok(CMD.NNP, [(7 << 24) | coreMask, 0x0000ffff, fr], undefined, root);
  for (let b = 0; b < blocks; b++) {
    const data = image.subarray(256 * b, 256 * (b + 1));
    const words = Math.ceil(data.length / 4);
    const padded = new Uint8Array(words * 4);
    padded.set(data);
    await c.ok(CMD.FFD, [(fr << 16) | pid, (b << 16) | ((words - 1) << 8), 0x67800000 + 256 * b], padded, root);
  }
  await c.ok(CMD.NNP, [(15 << 24) | pid, (appId << 24) | ((wait ? 1 : 0) << 18), fr], undefined, root);
}

describe('core life cycle, signals and the multicast fabric', () => {
  let emu: EmulatedBoard;
  let c: TestClient;
  const received = new Map<string, number[]>();
  const image = aplx(3);
  beforeAll(async () => {
    const registry = new AppRegistry();
    registry.register(image, {
      name: 'tickapp',
      factory: (api) => {
        const list: number[] = [];
        received.set(`${api.x},${api.y},${api.core}`, list);
        return new TickApp(api, list);
      },
    });
    emu = await startEmulator({ port: 0, bootPort: 0, shape: 'spinn-3', registry });
    c = await TestClient.connect(emu.address, emu.port);
  });
  afterAll(async () => {
    c.close();
    await emu.close();
  });

  const count = async (appId: number, state: number) => c.arg(await c.ok(CMD.COUNT, [appId, state]), 0);
  const sig = (s: number, appId: number, type = 0) => c.ok(CMD.SIG, [type, (s << 16) | 0xff00 | appId, 0xffff], undefined, { x: 255, y: 255 });

  it('loads an unknown image by flood fill: WAIT, START, RUN, PAUSE, CONT, EXIT, STOP', async () => {
    const other = aplx(5);
    await floodFill(c, other, 30, 0b110, true);
    expect(await count(30, CpuState.WAIT)).toBe(8); // 2 cores × 4 chips
    expect(Array.from(await c.read(0x67800000, other.length, { x: 1, y: 1 }))).toEqual(Array.from(other));
    const v = await c.read(0xe5007000 + 128, 128, { x: 1, y: 0 });
    expect(v[0x2e]).toBe(CpuState.WAIT);
    expect(v[0x2f]).toBe(30);
    await sig(3, 30, 2); // START by NN
    expect(await count(30, CpuState.RUN)).toBe(8);
    await sig(6, 30); // PAUSE by MC along entry 0
    expect(await count(30, CpuState.PAUSE)).toBe(8);
    await sig(7, 30);
    expect(await count(30, CpuState.RUN)).toBe(8);
    await sig(8, 30, 2);
    expect(await count(30, CpuState.EXIT)).toBe(8);
    // allocate something for app 30 and stop it: blocks go, cores go back to IDLE
    await c.ok(28, [(30 << 8) | 0, 4096, 1]);
    await sig(2, 30, 2);
    expect(await count(30, CpuState.EXIT)).toBe(0);
    expect(await count(0, CpuState.IDLE)).toBe(17 * 4);
    expect(c.arg(await c.ok(28, [(30 << 8) | 7, 1]), 0)).toBe(0);
    expect((await c.request(CMD.SIG, [0, 0x60000 | 0xff00 | 30], undefined, { x: 1, y: 1 })).rc).toBe(0x84);
  });

  it('runs registered apps in lock-step: ticks, pause after N, multicast through router tables', async () => {
    // Route key 0x1xxxx from every chip's core 1 to core 2 on chip (1,1); packets go via links.
    await c.ok(3, [0x67800000, 32, 0], new Uint8Array(32)); // clear
    for (const [x, y] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]) {
      const t = new Uint8Array(16);
      const dv = new DataView(t.buffer);
      let route: number;
      if (x === 1 && y === 1) route = 1 << (6 + 2);
      else if (x === 0 && y === 0) route = 1 << 1; // NE
      else if (x === 0) route = 1 << 0; // E from (0,1)
      else route = 1 << 2; // N from (1,0)
      dv.setUint16(0, 0, true);
      dv.setUint32(4, route, true);
      dv.setUint32(8, 0x10000, true);
      dv.setUint32(12, 0xffff0000, true);
      await c.write(0x67800000, t, { x, y });
      const base = c.arg(await c.ok(28, [(31 << 8) | 3, 1], undefined, { x, y }), 0);
      await c.ok(29, [(1 << 16) | (31 << 8) | 2, 0x67800000, base], undefined, { x, y });
    }
    await floodFill(c, image, 31, 0b110, false);
    expect(await count(31, CpuState.SYNC0)).toBe(8);
    // user0 = run length in ticks, as a neuron core would read its run time
    for (const chip of emu.board!.allChips()) for (const core of [1, 2]) chip.setVcpu32(core, 0x70, 5);
    await sig(4, 31); // SYNC0 → RUN, ticking
    for (let i = 0; i < 100 && (await count(31, CpuState.PAUSE)) < 8; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await count(31, CpuState.PAUSE)).toBe(8);
    const got = received.get('1,1,2')!;
    // 4 chips × 1 sending core (core 1; core 2's key has core 2 in it and also matches the entry)
    const fromCore1 = got.filter((k) => ((k >>> 8) & 0xff) === 1);
    expect(fromCore1.length).toBe(4 * 5);
    // Deterministic order: tick by tick, source chips in (x, y) order
    expect(fromCore1.slice(0, 4).map((k) => k & 0xff)).toEqual([1, 1, 1, 1]);
    expect(emu.board!.fabric.stats.droppedNoRoute).toBe(0);
    expect(emu.board!.stats.ticks).toBeGreaterThanOrEqual(5);
  });

  it('marks a malformed APLX as a run-time error with an IOBUF message', async () => {
    await c.write(0x67800000, new Uint8Array(64).fill(0x11));
    const zero = new Uint8Array(16);
    new DataView(zero.buffer).setUint32(0, 2, true);
    new DataView(zero.buffer).setUint32(12, 0x7fffffff, true);
    await c.write(0x67800000, zero);
    await c.ok(CMD.AR, [(40 << 24) | (1 << 5)]);
    const v = await c.read(0xe5007000 + 5 * 128, 128);
    expect(v[0x2e]).toBe(CpuState.RTE);
    const iobuf = new DataView(v.buffer, v.byteOffset).getUint32(0x58, true);
    expect(iobuf).not.toBe(0);
    const blk = await c.read(iobuf, 16 + 240);
    const used = new DataView(blk.buffer, blk.byteOffset).getUint32(12, true);
    expect(Buffer.from(blk.subarray(16, 16 + used)).toString()).toMatch(/APLX at 0x67800000 .*record 0 \(RCOPY\) reads 2147483647 bytes/);
    expect((await c.request(CMD.AR, [(40 << 24) | 1])).rc).toBe(0x84);
  });

  it('puts a core whose APLX copies 0 bytes in RTE and says why in its IOBUF', async () => {
    // RCOPY of length 0 (the on-chip loader would run away), EXEC, END.
    const table = new Uint8Array(48);
    const v = new DataView(table.buffer);
    v.setUint32(0, 2, true);
    v.setUint32(8, 48, true);
    v.setUint32(16, 4, true);
    v.setUint32(32, 0xff, true);
    await c.write(0x67800000, table);
    await c.ok(CMD.AR, [(41 << 24) | (1 << 6)]);
    const vc = await c.read(0xe5007000 + 6 * 128, 128);
    expect(vc[0x2e]).toBe(CpuState.RTE);
    expect(vc[0x2c]).toBe(9); // rt_code ABORT
    const iobuf = new DataView(vc.buffer, vc.byteOffset).getUint32(0x58, true);
    const blk = await c.read(iobuf, 16 + 128);
    const used = new DataView(blk.buffer, blk.byteOffset).getUint32(12, true);
    expect(Buffer.from(blk.subarray(16, 16 + used)).toString()).toMatch(/record 0 \(RCOPY\) has length 0/);
  });
});
