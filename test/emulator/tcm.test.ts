/** READ/WRITE/FILL of a core's own ITCM/DTCM over SCP (UDP on loopback), as `sw 0` in ybug sends it. */
import { describe, expect, it } from 'vitest';
import type { EmulatedBoard } from '../../src/emulator/index.js';
import type { TestClient } from './client.js';
import { withEmulator } from './session.js';

const RC_OK = 0x80;
const RC_ARG = 0x84;

describe('core TCM over SCP', () => {
  let emu: EmulatedBoard;
  let c: TestClient;
  withEmulator({ shape: 'spinn-3', scamp: '3.1.0' }, (e, client) => {
    emu = e;
    c = client;
  });

  it('the monitor reads its ITCM and DTCM (zeros until written) instead of RC_ARG', async () => {
    // ybug `sw 0`: READ 0x0, 4 bytes, word
    const r = await c.request(2, [0, 4, 2]);
    expect(r.rc).toBe(RC_OK);
    expect(Array.from(r.data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(await c.read(0x00007ff0, 16))).toEqual(new Array(16).fill(0));
    expect(Array.from(await c.read(0x00400000, 256))).toEqual(new Array(256).fill(0));
    expect(Array.from(await c.read(0x0040fffc, 4))).toEqual([0, 0, 0, 0]);
  });

  it('writes are kept per core: the monitor and an application core have their own TCMs', async () => {
    await c.writeU32(0x100, 0xdeadbeef);
    expect(await c.readU32(0x100)).toBe(0xdeadbeef);
    expect(await c.readU32(0x100, { cpu: 3 })).toBe(0); // SARK on core 3 reads core 3's ITCM
    await c.writeU32(0x00400040, 0x12345678, { cpu: 3 });
    expect(await c.readU32(0x00400040, { cpu: 3 })).toBe(0x12345678);
    expect(await c.readU32(0x00400040)).toBe(0);
    expect(await c.readU32(0x100, { x: 1, y: 1 })).toBe(0); // another chip's monitor
  });

  it('typed accesses behave as elsewhere: rotated unaligned words, FILL', async () => {
    await c.write(0x10, Uint8Array.of(1, 2, 3, 4));
    expect(Array.from(await c.read(0x11, 4, {}, 2))).toEqual([2, 3, 4, 1]);
    expect(Array.from(await c.read(0x12, 2, {}, 1))).toEqual([3, 4]);
    await c.ok(5, [0x00400100, 0xa5a5a5a5, 16]);
    const d = await c.read(0x004000fc, 24);
    expect(Array.from(d)).toEqual([0, 0, 0, 0, ...new Array(16).fill(0xa5), 0, 0, 0, 0]);
  });

  it('outside the TCMs and unmapped memory: still RC_ARG', async () => {
    expect((await c.request(2, [0x00007ffc, 8, 2])).rc).toBe(RC_ARG); // runs past ITCM
    expect((await c.request(2, [0x00008000, 4, 2])).rc).toBe(RC_ARG);
    expect((await c.request(2, [0x003ffffc, 4, 2])).rc).toBe(RC_ARG);
    expect((await c.request(2, [0x00410000, 4, 2])).rc).toBe(RC_ARG);
    expect((await c.request(2, [0x12345678, 4, 2])).rc).toBe(RC_ARG);
    expect((await c.request(3, [0x00008000, 4, 2], new Uint8Array(4))).rc).toBe(RC_ARG);
  });
});
