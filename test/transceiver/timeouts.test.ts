import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { ScpCommand } from '../../src/protocol/constants.js';
import { ScpConnection, ScpError } from '../../src/transceiver/index.js';

/** A loopback socket that counts the datagrams it gets and never answers. */
async function silentBoard(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  const s = dgram.createSocket('udp4');
  let n = 0;
  s.on('message', () => n++);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return { port: s.address().port, received: () => n, close: () => new Promise<void>((r) => s.close(() => r())) };
}

// The connection keeps one timer for all requests in flight; each request must
// still keep its own time-out and its own number of tries.
describe('per-request time-outs on one connection', () => {
  it('a short time-out sent after a long one fails first, after its own tries', async () => {
    const board = await silentBoard();
    const conn = await ScpConnection.open({ address: '127.0.0.1', port: board.port, timeoutMs: 2000, tries: 1 });
    try {
      const t0 = Date.now();
      const long = conn.request({ x: 0, y: 0, p: 0, cmd: ScpCommand.VER }).catch((e: unknown) => e);
      const short = await conn.request({ x: 0, y: 0, p: 0, cmd: ScpCommand.VER, timeoutMs: 60, tries: 3 }).catch((e: unknown) => e);
      const shortMs = Date.now() - t0;
      expect(short).toBeInstanceOf(ScpError);
      expect((short as ScpError).kind).toBe('timeout');
      expect((short as ScpError).message).toMatch(/after 3 tries/);
      expect(shortMs).toBeGreaterThanOrEqual(3 * 60 - 5);
      expect(shortMs).toBeLessThan(1500);
      // 1 send of the long request + 3 of the short one, and the long one is still waiting.
      await new Promise((r) => setTimeout(r, 50));
      expect(board.received()).toBe(4);
      expect(conn.stats.resent).toBe(2);
      const longErr = await long;
      expect((longErr as ScpError).kind).toBe('timeout');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(2000 - 5);
    } finally {
      await conn.close();
      await board.close();
    }
  });
});
