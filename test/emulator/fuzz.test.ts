import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { fuzz } from '../../tools/fuzz-emulator.js';

describe('emulator fuzzing over UDP', () => {
  it('survives 100,000 random and mutated datagrams on both ports and still answers CMD_VER', async () => {
    const emu = await startEmulator({ port: 0, bootPort: 0, shape: 'spinn-5' });
    try {
      const res = await fuzz(emu, 100_000, 7);
      expect(res.sent).toBe(100_000);
      expect(res.crashes).toBe(0);
      expect(res.verOk).toBe(true);
      expect(emu.counters.datagrams + emu.counters.bootDatagrams).toBeGreaterThan(90_000);
    } finally {
      await emu.close();
    }
  }, 120_000);
});
