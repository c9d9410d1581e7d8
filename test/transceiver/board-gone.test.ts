import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { ScpError, Transceiver } from '../../src/transceiver/index.js';

/** A loopback port nobody listens on: bind one, note it, close it. */
async function deadPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.concurrent('with the board gone', () => {
  const timeoutMs = 100;
  const tries = 3;
  // Slack for a loaded machine; the bound itself is tries × timeout.
  const slack = 1000;

  const ops: [string, (tx: Transceiver) => Promise<unknown>][] = [
    ['version', (tx) => tx.getVersion()],
    ['read', (tx) => tx.read(0, 0, 0x60000000, 1000)],
    ['write', (tx) => tx.write(1, 0, 0x60000000, new Uint8Array(600))],
    ['fill', (tx) => tx.fill(0, 0, 0x60000001, 0xdeadbeef, 64)],
    ['sdram alloc', (tx) => tx.sdramAlloc(0, 0, 1024, 3, 1)],
    ['router load', (tx) => tx.loadRoutes(0, 0, [{ key: 1, mask: 0xffffffff, route: 1 }], 3)],
    ['ip tags', (tx) => tx.getIpTags()],
    ['signal', (tx) => tx.sendSignal('START', 3)],
    ['count', (tx) => tx.countCoresInState('run', 3)],
    ['core status', (tx) => tx.getCoreStatus(0, 0, 1)],
    ['discovery', (tx) => tx.discover()],
  ];
  for (const [name, op] of ops) {
    it(`${name} fails with a clear time-out error within its bound`, async () => {
      // One connection per operation: requests queued behind others wait for a window slot.
      const tx = await Transceiver.open({ address: '127.0.0.1', port: await deadPort(), timeoutMs, tries });
      const t0 = Date.now();
      const err = await op(tx).finally(() => tx.close()).then(
        () => undefined,
        (e: unknown) => e,
      );
      const elapsed = Date.now() - t0;
      expect(err).toBeInstanceOf(ScpError);
      const e = err as ScpError;
      expect(e.kind).toBe('timeout');
      const m = /^no reply from 127\.0\.0\.1:\d+ after 3 tries of CMD_\w+ to .* core \d+ \(timeout ([\d.]+) s each\): is the board on and reachable\?/.exec(e.message);
      expect(m, e.message).not.toBeNull();
      // CMD_COUNT waits on the board itself, so it gets a longer time-out per try (as SpiNNMan's 2 s).
      const perTry = Number(m![1]) * 1000;
      expect(perTry).toBeLessThanOrEqual(2000);
      expect(elapsed).toBeLessThan(tries * perTry + slack);
    });
  }

  it('a closed connection rejects at once, naming the command', async () => {
    const t = await Transceiver.open({ address: '127.0.0.1', port: await deadPort(), timeoutMs: 5000 });
    const pending = t.read(0, 0, 0x60000000, 4);
    await t.close();
    await expect(pending).rejects.toThrow(/connection closed before CMD_READ to chip \(0,0\) core 0/);
    await expect(t.getVersion()).rejects.toThrow(/connection closed/);
  });
});
