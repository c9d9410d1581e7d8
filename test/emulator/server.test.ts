import { describe, expect, it } from 'vitest';
import { startEmulator, type EmulatedBoard } from '../../src/emulator/index.js';
import { TestClient } from './client.js';
import { withEmulator } from './session.js';

describe('emulator UDP server: VER, READ, WRITE, FILL', () => {
  let emu: EmulatedBoard;
  let c: TestClient;
  withEmulator({ shape: 'spinn-5' }, (e, client) => {
    emu = e;
    c = client;
  });

  it('answers CMD_VER from the board address and SC&MP port with the reply layout SC&MP uses', async () => {
    const r = await c.request(0, [], undefined, { x: 255, y: 255 });
    expect(r.rc).toBe(0x80);
    expect(r.flags).toBe(0x07);
    expect(r.tag).toBeGreaterThanOrEqual(8);
    expect(r.tag).toBeLessThanOrEqual(15);
    expect(r.destPortCpu).toBe(0xff);
    expect(r.srcePortCpu).toBe(0x00);
    expect(r.raw.length).toBe(48);
    expect(c.arg(r, 0) >>> 16).toBe(0x0000); // chip (0,0)
    expect(c.arg(r, 1)).toBe(0xffff0100);
    const strings = Buffer.from(r.data.subarray(12)).toString('latin1');
    expect(strings).toBe('SC&MP/SpiNNaker\u00004.0.0\u0000');
  });

  it('writes and reads SDRAM through both aliases, any length and alignment', async () => {
    const data = Uint8Array.from({ length: 256 }, (_, i) => (i * 7 + 3) & 255);
    await c.write(0x61000003, data);
    expect(Array.from(await c.read(0x61000003, 256))).toEqual(Array.from(data));
    expect(Array.from(await c.read(0x71000003, 17))).toEqual(Array.from(data.subarray(0, 17)));
    await c.writeU32(0x62000000, 0xdeadbeef);
    expect(await c.readU32(0x72000000)).toBe(0xdeadbeef);
  });

  it('fills words', async () => {
    await c.ok(5, [0x63000000, 0x01020304, 64]);
    const d = await c.read(0x63000000, 68);
    for (let i = 0; i < 16; i++) expect(Array.from(d.subarray(4 * i, 4 * i + 4))).toEqual([4, 3, 2, 1]);
    expect(Array.from(d.subarray(64))).toEqual([0, 0, 0, 0]);
  });

  it('rejects length > 256 and type > 2 with RC_ARG, short requests with RC_LEN, unknown commands with RC_CMD', async () => {
    expect((await c.request(2, [0x60000000, 257, 0])).rc).toBe(0x84);
    expect((await c.request(2, [0x60000000, 4, 3])).rc).toBe(0x84);
    expect((await c.request(99, [])).rc).toBe(0x83);
    const short = TestClient.packet(0, 777, []).subarray(0, 20);
    const got = new Promise<number>((resolve) => {
      const onMsg = (d: Buffer) => {
        if ((d[12] | (d[13] << 8)) === 777) {
          c.socket.off('message', onMsg);
          resolve(d[10] | (d[11] << 8));
        }
      };
      c.socket.on('message', onMsg);
    });
    c.send(short);
    expect(await got).toBe(0x81);
  });

  it('answers RC_ARG for an address outside emulated memory, and keeps working', async () => {
    expect((await c.request(2, [0x10000000, 4, 0])).rc).toBe(0x84);
    expect((await c.request(0, [])).rc).toBe(0x80);
  });

  it('forwards to other chips by P2P and answers RC_ROUTE / RC_CPU where SC&MP does', async () => {
    await c.writeU32(0x60001000, 0x11223344, { x: 7, y: 7 });
    expect(await c.readU32(0x60001000, { x: 7, y: 7 })).toBe(0x11223344);
    expect(await c.readU32(0x60001000, { x: 0, y: 0 })).toBe(0);
    const v = await c.ok(0, [], undefined, { x: 7, y: 7 });
    expect(c.arg(v, 0) >>> 16).toBe(0x0707);
    expect(v.srceX).toBe(7);
    expect(v.destX).toBe(0);
    expect((await c.request(0, [], undefined, { x: 7, y: 0 })).rc).toBe(0x87); // not on a SpiNN-5 board
    expect((await c.request(0, [], undefined, { cpu: 18 })).rc).toBe(0x88);
    expect((await c.request(0, [], undefined, { port: 1 })).rc).toBe(0x85);
  });

  it('SARK answers VER on an application core, keeping the reply bit', async () => {
    const r = await c.request(0, [], undefined, { cpu: 3 });
    expect(r.rc).toBe(0x80);
    expect(r.flags).toBe(0x87);
    expect(Buffer.from(r.data.subarray(12)).toString('latin1')).toBe('SARK/SpiNNaker\u00004.0.0\u0000');
    expect((await c.request(28, [6], undefined, { cpu: 3 })).rc).toBe(0x83);
  });

  it('refuses non-loopback addresses and names a port in use', async () => {
    await expect(startEmulator({ listen: '10.0.0.1', port: 0, bootPort: 0 })).rejects.toThrow(/loopback/);
    await expect(startEmulator({ port: emu.port, bootPort: 0 })).rejects.toThrow(new RegExp(`port ${emu.port}.*already in use`));
  });
});
