import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_BUILD_DATE, startEmulator, type EmulatedBoard } from '../../src/emulator/index.js';
import { imageBuildDate } from '../../src/emulator/boot.js';
import { TestClient } from './client.js';

/** A boot image with the SC&MP id/version strings and sv values at 384–511 (not a runnable image). */
function fakeImage(version: string, hwVer: number, buildDate?: number): Uint8Array {
  const img = new Uint8Array(3 * 1024 + 100);
  const sv = new DataView(img.buffer, 384, 128);
  sv.setUint8(0x0a, hwVer);
  sv.setUint32(0x1c, 1_700_000_000, true);
  sv.setUint32(0x48, 1024, true);
  sv.setUint32(0x4c, 1048576, true); // rig/ybug: 4 MB below the SDRAM heap
  sv.setUint32(0x50, 16384, true);
  sv.setUint32(0x54, 8 * 1024 * 1024, true);
  sv.setUint32(0x58, 32768, true);
  sv.setUint8(0x41, 7);
  const id = Buffer.from(`SC&MP/SpiNNaker\0${version}\0`, 'latin1');
  img.set(id, 2000);
  // mkbuild's build_date word, then build_name (word-aligned), as in SC&MP images.
  if (buildDate !== undefined) {
    new DataView(img.buffer).setUint32(0xa84, buildDate, true);
    img.set(Buffer.from('scamp-3\0', 'latin1'), 0xa88);
  }
  return img;
}

function bootPackets(image: Uint8Array): Uint8Array[] {
  const blocks = Math.ceil(image.length / 1024);
  const pkt = (op: number, o1: number, o2: number, o3: number, data?: Uint8Array) => {
    const d = new Uint8Array(18 + (data?.length ?? 0));
    const v = new DataView(d.buffer);
    v.setUint16(0, 1);
    v.setUint32(2, op);
    v.setUint32(6, o1);
    v.setUint32(10, o2);
    v.setUint32(14, o3);
    if (data) {
      const dv = new DataView(data.buffer, data.byteOffset, data.length);
      for (let i = 0; i < data.length; i += 4) v.setUint32(18 + i, dv.getUint32(i, true));
    }
    return d;
  };
  const out = [pkt(1, 0, 0, blocks - 1)];
  for (let b = 0; b < blocks; b++) {
    const chunk = new Uint8Array(1024);
    chunk.set(image.subarray(1024 * b, 1024 * (b + 1)));
    out.push(pkt(3, (255 << 8) | b, 0, 0, chunk));
  }
  out.push(pkt(5, 1, 0, 0));
  return out;
}

describe('unbooted emulator', () => {
  let emu: EmulatedBoard;
  afterAll(async () => emu?.close());

  it('ignores SCP until booted, then takes sv values and SC&MP version from the image', async () => {
    emu = await startEmulator({ port: 0, bootPort: 0, shape: 'spinn-3', unbooted: true, bootSettleMs: 100 });
    const c = await TestClient.connect(emu.address, emu.port);
    await expect(c.request(0, [], undefined, {}, 200)).rejects.toThrow(/no reply/);
    const s = dgram.createSocket('udp4');
    for (const p of bootPackets(fakeImage('3.1.0', 3))) {
      await new Promise<void>((r) => s.send(p, emu.bootPort, emu.address, () => r()));
    }
    s.close();
    await new Promise((r) => setTimeout(r, 20));
    const early = await c.ok(0, [], undefined, { x: 255, y: 255 });
    expect(c.arg(early, 0) >>> 16).toBe(0xffff);
    await emu.booted();
    const v = await c.ok(0, [], undefined, { x: 255, y: 255 });
    expect(c.arg(v, 0) >>> 16).toBe(0);
    expect(Buffer.from(v.data.subarray(12)).toString('latin1')).toBe('SC&MP/SpiNNaker\u00003.1.0\u0000');
    expect(await c.readU32(0xf5007f4c)).toBe(0x60640000);
    expect((await c.read(0xf5007f0a, 1))[0]).toBe(3);
    // 3.1.0: CMD_INFO is 36 bytes, CMD_COUNT is unknown, P2P counts work
    expect((await c.ok(31)).data.length).toBe(36);
    expect((await c.request(15, [0, 15])).rc).toBe(0x83);
    const cnt = await c.ok(22, [1, (1 << 22) | (2 << 20) | (15 << 16) | 0xff00 | 0, 0xffff], undefined, { x: 255, y: 255 });
    expect(c.arg(cnt, 0)).toBe(17 * 4);
    c.close();
  });
});

async function bootWith(image: Uint8Array): Promise<{ emu: EmulatedBoard; c: TestClient }> {
  const emu = await startEmulator({ port: 0, bootPort: 0, shape: 'spinn-3', unbooted: true, bootSettleMs: 20 });
  const c = await TestClient.connect(emu.address, emu.port);
  const s = dgram.createSocket('udp4');
  for (const p of bootPackets(image)) await new Promise<void>((r) => s.send(p, emu.bootPort, emu.address, () => r()));
  s.close();
  await emu.booted();
  return { emu, c };
}

describe('CMD_VER build date', () => {
  it('is read from the image: the word before the word-aligned build_name', () => {
    expect(imageBuildDate(fakeImage('3.1.0', 3, 0x588b1fa6))).toBe(0x588b1fa6);
    expect(imageBuildDate(fakeImage('3.1.0', 3))).toBeUndefined();
    expect(imageBuildDate(fakeImage('3.1.0', 3, 0))).toBeUndefined(); // not a plausible date
    const shifted = new Uint8Array(4000);
    shifted.set(Buffer.from('scamp-3\0', 'latin1'), 0xa89); // not word-aligned: not build_name
    new DataView(shifted.buffer).setUint32(0xa85, 0x588b1fa6, true);
    expect(imageBuildDate(shifted)).toBeUndefined();
    const source = new Uint8Array(64);
    source.set(Buffer.from('scamp-3.c\0', 'latin1'), 8); // a file name, not the build name
    new DataView(source.buffer).setUint32(4, 0x588b1fa6, true);
    expect(imageBuildDate(source)).toBeUndefined();
  });

  it('booted with an image: SC&MP and SARK report its build date', async () => {
    const { emu, c } = await bootWith(fakeImage('3.1.0', 3, 0x588b1fa6));
    try {
      expect(c.arg(await c.ok(0, [], undefined, { x: 255, y: 255 }), 2)).toBe(0x588b1fa6);
      expect(c.arg(await c.ok(0, [], undefined, { x: 1, y: 1, cpu: 3 }), 2)).toBe(0x588b1fa6);
    } finally {
      c.close();
      await emu.close();
    }
  });

  it('an image without one, or a pre-booted board: the documented date of the version', async () => {
    const { emu, c } = await bootWith(fakeImage('3.1.0', 3));
    try {
      expect(c.arg(await c.ok(0), 2)).toBe(DEFAULT_BUILD_DATE['3.1.0']);
    } finally {
      c.close();
      await emu.close();
    }
    for (const scamp of ['3.1.0', '4.0.0'] as const) {
      const e = await startEmulator({ port: 0, bootPort: 0, shape: 'spinn-3', scamp });
      const k = await TestClient.connect(e.address, e.port);
      try {
        expect(k.arg(await k.ok(0), 2)).toBe(DEFAULT_BUILD_DATE[scamp]);
      } finally {
        k.close();
        await e.close();
      }
    }
    expect(DEFAULT_BUILD_DATE['3.1.0']).toBe(0x588b1fa6);
    expect(new Date(DEFAULT_BUILD_DATE['4.0.0'] * 1000).toISOString()).toBe('2024-07-25T06:36:26.000Z');
  });
});
