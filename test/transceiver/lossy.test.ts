import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatedBoard } from '../../src/emulator/index.js';
import { ScpError, Transceiver } from '../../src/transceiver/index.js';
import { startLossyProxy, type LossyProxy } from '../../tools/lossy-proxy.js';

const SDRAM = 0x60000000;

describe('through a lossy link', () => {
  let emu: EmulatedBoard;
  beforeAll(async () => {
    emu = await startEmulator({ listen: '127.0.0.1', port: 0, bootPort: 0 });
  });
  afterAll(() => emu.close());

  it('a 1 MiB write and read-back are byte-exact at 10% loss with duplication and reordering', async () => {
    const proxy = await startLossyProxy({ target: { address: emu.address, port: emu.port }, drop: 0.1, duplicate: 0.05, reorder: 0.1, reorderMs: 20, seed: 7 });
    const tx = await Transceiver.open({ address: proxy.address, port: proxy.port, timeoutMs: 40, tries: 40 });
    try {
      const data = new Uint8Array(randomBytes(1024 * 1024));
      // An odd start address exercises byte-type packets at both ends.
      await tx.write(0, 0, SDRAM + 0x1000001, data);
      const back = await tx.read(0, 0, SDRAM + 0x1000001, data.length);
      expect(Buffer.from(back).equals(Buffer.from(data))).toBe(true);
      // The faults really happened, and the connection recovered from them.
      expect(proxy.stats.dropped).toBeGreaterThan(500);
      expect(proxy.stats.duplicated).toBeGreaterThan(100);
      expect(proxy.stats.reordered).toBeGreaterThan(100);
      expect(tx.conn.stats.resent).toBeGreaterThan(0);
      expect(tx.conn.stats.ignored).toBeGreaterThan(0); // duplicated or late replies
    } finally {
      await tx.close();
      await proxy.close();
    }
  });

  it('with corrupted datagrams every operation still settles, with an answer or a clear error', async () => {
    const proxy = await startLossyProxy({ target: { address: emu.address, port: emu.port }, corrupt: 0.2, drop: 0.05, seed: 3 });
    const tx = await Transceiver.open({ address: proxy.address, port: proxy.port, timeoutMs: 50, tries: 6 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 200 }, () => tx.getVersion()));
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ScpError);
      }
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(100);
      expect(proxy.stats.corrupted).toBeGreaterThan(0);
    } finally {
      await tx.close();
      await proxy.close();
    }
  });
});

describe('the lossy proxy', () => {
  let echo: dgram.Socket;
  let port: number;
  beforeAll(async () => {
    echo = dgram.createSocket('udp4');
    echo.on('message', (m, r) => echo.send(m, r.port, r.address));
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', () => r()));
    port = echo.address().port;
  });
  afterAll(() => new Promise<void>((r) => echo.close(() => r())));

  /** Sends n datagrams (paced, so no socket buffer overflows) and collects what comes back. */
  async function exchange(proxy: LossyProxy, n: number, payload: (i: number) => Buffer = (i) => Buffer.from([i & 0xff, i >> 8, 0xaa, 0x55])): Promise<Buffer[]> {
    const s = dgram.createSocket('udp4');
    const got: Buffer[] = [];
    s.on('message', (m) => got.push(m));
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    for (let i = 0; i < n; i++) {
      s.send(payload(i), proxy.port, proxy.address);
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    // Wait until nothing has arrived for 200 ms.
    for (let last = -1; last !== got.length; ) {
      last = got.length;
      await new Promise((r) => setTimeout(r, 200));
    }
    s.close();
    return got;
  }

  it('passes everything unchanged at zero rates', async () => {
    const proxy = await startLossyProxy({ target: { address: '127.0.0.1', port } });
    const got = await exchange(proxy, 200);
    await proxy.close();
    expect(got.map((b) => b.readUInt16LE(0))).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('drops about the asked fraction, and the same seed repeats the same faults', async () => {
    const counts: number[] = [];
    for (let k = 0; k < 2; k++) {
      const proxy = await startLossyProxy({ target: { address: '127.0.0.1', port }, drop: 0.3, directions: 'to-target', seed: 42 });
      counts.push((await exchange(proxy, 500)).length);
      await proxy.close();
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeGreaterThan(280);
    expect(counts[0]).toBeLessThan(420);
  });

  it('flips exactly one bit of a corrupted datagram', async () => {
    const proxy = await startLossyProxy({ target: { address: '127.0.0.1', port }, corrupt: 1, directions: 'to-target' });
    const got = await exchange(proxy, 50, () => Buffer.alloc(8, 0x5a));
    await proxy.close();
    expect(got.length).toBe(50);
    for (const b of got) {
      let bits = 0;
      for (let j = 0; j < 8; j++) for (let x = b[j]! ^ 0x5a; x; x &= x - 1) bits++;
      expect(bits).toBe(1);
    }
  });

  it('refuses non-loopback addresses', async () => {
    await expect(startLossyProxy({ target: { address: '10.0.0.1', port: 17893 } })).rejects.toThrow(/loopback only/);
    await expect(startLossyProxy({ target: { address: '127.0.0.1', port }, listen: { address: '0.0.0.0' } })).rejects.toThrow(/loopback only/);
  });
});
