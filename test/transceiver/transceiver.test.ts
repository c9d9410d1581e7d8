import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppRegistry, LifecycleApp } from '../../src/emulator/index.js';
import { spinn5 } from '../../src/machine/index.js';
import * as aplx from '../../src/protocol/aplx.js';
import { CoreState, ScpError, routeCores, routeLinks } from '../../src/transceiver/index.js';
import { openTestBoard, type TestBoard } from './board.js';

const SDRAM = 0x60000000;
/** A small valid APLX, laid out as mkaplx does: copy the image to ITCM 0, then EXEC 0. */
function makeAplx(tagWord: number, extra = 0): Uint8Array {
  const image = new Uint8Array(64 + extra);
  new DataView(image.buffer).setUint32(0, tagWord, true);
  return aplx.encode([{ op: 'rcopy', dest: 0, srcOffset: 48, length: image.length }, { op: 'exec', entry: 0 }, { op: 'end', code: 0xff }], image);
}

describe('transceiver against a board', () => {
  let b: TestBoard;
  const printed = makeAplx(0xcafe, 700);
  beforeAll(async () => {
    const registry = new AppRegistry();
    registry.register(printed, {
      name: 'hello',
      factory: (api) =>
        new (class extends LifecycleApp {
          override onStart() {
            super.onStart();
            api.print(`hello from ${api.x},${api.y},${api.core}\n`);
          }
        })(api),
    });
    b = await openTestBoard({ registry });
  });
  afterAll(() => b.close());

  it('reads the version of the monitor and of an application core', async () => {
    const v = await b.tx.getVersion();
    expect(v.kernel).toBe('SC&MP');
    expect([v.x, v.y]).toEqual([0, 0]);
    expect(v.bufferSize).toBe(256);
    const s = await b.tx.getVersion(0, 0, 1);
    expect(s.kernel).toBe('SARK');
  });

  it('writes and reads back any length at any alignment (256-byte packets, pipelined)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4095 }), fc.integer({ min: 0, max: 1500 }), async (offset, length) => {
        const addr = SDRAM + 0x100000 + offset;
        const data = new Uint8Array(randomBytes(length));
        await b.tx.write(1, 1, addr, data);
        const back = await b.tx.read(1, 1, addr, length);
        expect(Buffer.from(back).equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('fills with ragged ends exactly', async () => {
    const addr = SDRAM + 0x200000;
    await b.tx.write(0, 0, addr, new Uint8Array(40).fill(0xee));
    await b.tx.fill(0, 0, addr + 3, 0x44332211, 30);
    const got = await b.tx.read(0, 0, addr, 40);
    const want = new Uint8Array(40).fill(0xee);
    for (let i = 3; i < 33; i++) want[i] = [0x11, 0x22, 0x33, 0x44][i % 4]!;
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('allocates and frees SDRAM by tag and by app id', async () => {
    const before = await b.tx.sdramSpace(0, 1);
    const p1 = await b.tx.sdramAlloc(0, 1, 1000, 33, 7);
    const p2 = await b.tx.sdramAlloc(0, 1, 4096, 33);
    expect(p1).toBeGreaterThanOrEqual(SDRAM);
    expect(p2).not.toBe(p1);
    expect(await b.tx.sdramTagPointer(0, 1, 33, 7)).toBe(p1);
    // The tag is taken: a different size fails with a clear message.
    await expect(b.tx.sdramAlloc(0, 1, 2000, 33, 7)).rejects.toThrow(/could not allocate 2000 bytes of SDRAM on chip \(0,1\) for app 33 with tag 7/);
    expect((await b.tx.sdramSpace(0, 1)).free).toBeLessThan(before.free);
    expect(await b.tx.sdramFreeApp(0, 1, 33)).toBe(2);
    expect((await b.tx.sdramSpace(0, 1)).free).toBe(before.free);
  });

  it('loads, reads and clears routing entries', async () => {
    const entries = [
      { key: 0x10000, mask: 0xffff0000, route: routeLinks([0, 2]) },
      { key: 0x20000, mask: 0xffff0000, route: routeCores([1, 17]) },
      { key: 0x30001, mask: 0xffffffff, route: routeLinks([5]) | routeCores([3]) },
    ];
    const base = await b.tx.loadRoutes(1, 0, entries, 44);
    const got = await b.tx.readRoutes(1, 0);
    expect(got.map((e) => [e.index, e.key, e.mask, e.route, e.appId])).toEqual(entries.map((e, i) => [base + i, e.key, e.mask, e.route, 44]));
    expect(await b.tx.routerFreeApp(1, 0, 44)).toBe(1);
    expect(await b.tx.readRoutes(1, 0)).toEqual([]);
  });

  it('sets, reads and clears IP tags, reverse tags included', async () => {
    await b.tx.setIpTag(3, '127.0.0.1', 40123, { strip: true });
    await b.tx.setReverseIpTag(4, 40124, { x: 1, y: 1, cpu: 2, sdpPort: 1 });
    const t3 = await b.tx.getIpTag(3);
    expect([t3.inUse, t3.ip, t3.txPort, t3.strip, t3.reverse]).toEqual([true, '127.0.0.1', 40123, true, false]);
    const t4 = await b.tx.getIpTag(4);
    expect([t4.reverse, t4.rxPort, t4.destX, t4.destY, t4.destCpu, t4.destPort]).toEqual([true, 40124, 1, 1, 2, 1]);
    await b.tx.clearIpTag(3);
    await b.tx.clearIpTag(4);
    const all = await b.tx.getIpTags();
    expect(all.filter((t) => t.tag < 8 && t.inUse).map((t) => t.tag)).not.toContain(3);
    expect((await b.tx.getIpTag(4)).inUse).toBe(false);
  });

  it('loads an application by flood fill, drives it with signals and reads its status and IOBUF', async () => {
    const appId = 66;
    const targets = [
      { x: 0, y: 0, cores: [1, 2] },
      { x: 1, y: 1, cores: [5] },
      { x: 3, y: 2, cores: [3, 4, 17] },
    ];
    await b.tx.loadApplication(printed, targets, appId, { wait: true });
    expect(await b.tx.countCoresInState('wait', appId)).toBe(6);
    const s = await b.tx.getCoreStatus(3, 2, 17);
    expect([s.state, s.appId]).toEqual([CoreState.WAIT, appId]);
    await b.tx.sendSignal('START', appId);
    expect(await b.tx.waitForCoresInState('run', appId, 6, 2000)).toBe(true);
    const io = await b.tx.readIobuf(1, 1, 5);
    expect(io.text).toBe('hello from 1,1,5\n');
    await b.tx.sendSignal('PAUSE', appId);
    expect(await b.tx.waitForCoresInState('pause', appId, 6, 2000)).toBe(true);
    await b.tx.sendSignal('STOP', appId);
    expect(await b.tx.waitForCoresInState('idle', appId, 0, 10)).toBe(true);
    expect(await b.tx.countCoresInState('run', appId)).toBe(0);
    const after = await b.tx.getCoreStatus(0, 0, 1);
    expect(after.state).toBe(CoreState.IDLE);
  });

  it('names the board, chip, core and command in errors', async () => {
    // (7,0) is outside a SpiNN-5 board: SC&MP has no route to it.
    const e = await b.tx.read(7, 0, SDRAM, 4).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ScpError);
    expect((e as ScpError).message).toMatch(/^board 127\.0\.0\.1:\d+: CMD_READ to chip \(7,0\) core 0 returned RC_ROUTE/);
    const e2 = await b.tx.getChipInfo(0, 0).then(() => b.tx.conn.request({ x: 0, y: 0, p: 1, cmd: 26, args: [0x20000, 1, 0] })).catch((x: unknown) => x);
    expect((e2 as ScpError).message).toMatch(/CMD_IPTAG to chip \(0,0\) core 1 returned RC_CMD/);
    await expect(b.tx.getCoreStatus(0, 0, 18)).rejects.toThrow(RangeError);
  });

  it('sets LEDs', async () => {
    await b.tx.setLeds(0, 0, { 0: true, 1: 'toggle' });
  });
});

describe('machine discovery', () => {
  it('finds a SpiNN-5 board: 48 chips, 18 cores each, links inside the board, one Ethernet chip', async () => {
    const b = await openTestBoard({ shape: 'spinn-5' });
    try {
      const d = await b.tx.discover();
      const m = d.machine;
      expect([m.width, m.height, m.nChips, m.wrapX, m.wrapY]).toEqual([8, 8, 48, false, false]);
      expect(d.unroutable).toBe(16);
      expect(d.deadChips).toEqual([]);
      expect(m.ethernetChips().map((c) => [c.x, c.y])).toEqual([[0, 0]]);
      expect(m.nApplicationCores).toBe(48 * 17);
      const ref = spinn5();
      for (const c of ref.chips()) expect(m.chip(c.x, c.y).linkMask).toBe(c.linkMask);
      expect(d.chips.every((c) => c.info.largestFreeSdram > 100 * 1024 * 1024)).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('sees dead chips, cores and links', async () => {
    if (process.env.SPINN_BOARD) return;
    const machine = spinn5().withDead({ chips: [{ x: 2, y: 2 }], cores: [{ x: 1, y: 0, p: 17 }], links: [{ x: 3, y: 3, link: 0 }] });
    const b = await openTestBoard({ machine });
    try {
      const d = await b.tx.discover();
      const m = d.machine;
      expect(m.nChips).toBe(47);
      expect(m.hasChip(2, 2)).toBe(false);
      expect([...m.chip(1, 0).deadCores]).toEqual([17]);
      expect(m.isLinkUp(3, 3, 0)).toBe(false);
      expect(m.isLinkUp(4, 3, 3)).toBe(false);
      expect(m.isLinkUp(3, 3, 2)).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('flood-fills an application onto the same cores of every chip (FFS, FFCS, FFD, FFE)', async () => {
    if (process.env.SPINN_BOARD) return;
    const b = await openTestBoard({ shape: 'spinn-3' });
    try {
      const image = makeAplx(0xf00d, 3000);
      const chips = [0, 1].flatMap((x) => [0, 1].map((y) => ({ x, y, cores: [2, 9] })));
      await b.tx.loadApplication(image, chips, 17, { method: 'flood' });
      expect(await b.tx.waitForCoresInState('run', 17, 8, 2000)).toBe(true);
      for (const c of chips) expect((await b.tx.getCoreStatus(c.x, c.y, 9)).appId).toBe(17);
      expect((await b.tx.getCoreStatus(1, 1, 3)).state).toBe(CoreState.IDLE);
      await b.tx.sendSignal('STOP', 17);
      expect(await b.tx.waitForCoresInState('run', 17, 0, 10)).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('finds a SpiNN-3 board', async () => {
    if (process.env.SPINN_BOARD) return;
    const b = await openTestBoard({ shape: 'spinn-3' });
    try {
      const m = (await b.tx.discover()).machine;
      expect([m.width, m.height, m.nChips]).toEqual([2, 2, 4]);
    } finally {
      await b.close();
    }
  });
});
