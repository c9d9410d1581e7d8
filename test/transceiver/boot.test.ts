import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatedBoard } from '../../src/emulator/index.js';
import { BOOT_SV_OFFSET, bootSvBlock, withSvBlock } from '../../src/protocol/boot.js';
import { ScpCommand } from '../../src/protocol/constants.js';
import { svFieldAddress } from '../../src/protocol/sv.js';
import { Transceiver } from '../../src/transceiver/index.js';
import { getVersion } from '../../src/transceiver/version.js';
import { syntheticScampImage } from './boot-image.js';

const BUILD_DATE = 0x5f5e1234;

let emu: EmulatedBoard | undefined;
let tx: Transceiver | undefined;
afterEach(async () => {
  await tx?.close();
  await emu?.close();
  tx = undefined;
  emu = undefined;
});

async function unbootedBoard(shape = 'spinn-3'): Promise<{ emu: EmulatedBoard; tx: Transceiver }> {
  emu = await startEmulator({ listen: '127.0.0.1', port: 0, bootPort: 0, shape, unbooted: true, bootSettleMs: 50 });
  tx = await Transceiver.open({ address: emu.address, port: emu.port });
  return { emu, tx };
}

const u8 = async (t: Transceiver, field: string) => (await t.read(255, 255, svFieldAddress(field), 1))[0];
const u32 = (t: Transceiver, field: string) => t.readWord(255, 255, svFieldAddress(field));

/** CMD_INFO reply length as SC&MP sends it: 3 args (12 bytes) plus the data. */
async function infoLength(t: Transceiver): Promise<number> {
  const r = await t.conn.request({ x: 255, y: 255, p: 0, cmd: ScpCommand.INFO, args: [0x5f, 0, 0], replyArgs: 3 });
  return 12 + r.data.length;
}

describe('Transceiver.boot against an unbooted emulated board', () => {
  it('SC&MP does not answer before the boot image arrives', async () => {
    const { tx, emu } = await unbootedBoard();
    await expect(getVersion(tx.conn, 255, 255, 0, { tries: 1, timeoutMs: 200 })).rejects.toThrow();
    expect(emu.board).toBeUndefined();
    expect(emu.counters.datagrams).toBeGreaterThan(0);
  });

  for (const c of [
    { version: '3.1.0', hwVer: 3 as const, info: 36, parentLink: false, led0: 0x00000502 },
    { version: '4.0.0', hwVer: 5 as const, info: 38, parentLink: true, led0: 0x00000001 },
  ]) {
    it(`boots a ${c.version} image (hw ${c.hwVer}): CMD_VER, CMD_INFO length and the host's sv block`, async () => {
      const { tx, emu } = await unbootedBoard();
      const image = syntheticScampImage(c.version, { buildDate: BUILD_DATE });
      const before = Math.floor(Date.now() / 1000);
      const r = await tx.boot(image, { bootPort: emu.bootPort, hwVer: c.hwVer, readyTimeoutMs: 5000 });
      const after = Math.floor(Date.now() / 1000);
      expect(r.booted).toBe(true);
      expect(r.version).toMatchObject({ kernel: 'SC&MP', version: c.version, x: 0, y: 0, buildDate: BUILD_DATE });
      // START + ceil(len/1024) BLOCKs + END reached the boot ROM port
      expect(emu.counters.bootDatagrams).toBe(2 + Math.ceil(image.length / 1024));

      const v = await tx.getVersion();
      expect([v.version, v.x, v.y, v.buildDate]).toEqual([c.version, 0, 0, BUILD_DATE]);
      expect(await infoLength(tx)).toBe(c.info);
      expect((await tx.getChipInfo(255, 255)).parentLink === null).toBe(!c.parentLink);

      expect(await u8(tx, 'hw_ver')).toBe(c.hwVer);
      expect(await u32(tx, 'led0')).toBe(c.led0);
      const sig = await u32(tx, 'boot_sig');
      expect(sig).toBeGreaterThanOrEqual(before);
      expect(sig).toBeLessThanOrEqual(after);
      expect(await u8(tx, 'root_chip')).toBe(1);
    });
  }

  it('replaces the image\'s own sv block with the host\'s (as rig does) and applies sv overrides', async () => {
    const { tx, emu } = await unbootedBoard();
    const marked = withSvBlock(syntheticScampImage('4.0.0'), bootSvBlock({ hwVer: 3, unixTime: 1_600_000_000, overrides: { utmp0: 0x0badf00d, peek_time: 99 } }));
    expect(new DataView(marked.buffer).getUint32(BOOT_SV_OFFSET + 0x70, true)).toBe(0x0badf00d);
    await tx.boot(marked, { bootPort: emu.bootPort, hwVer: 5, sv: { utmp1: 0x12345678, peek_time: 42 } });
    expect(await u32(tx, 'utmp0')).toBe(0); // sark.struct default, not the image's value
    expect(await u32(tx, 'utmp1')).toBe(0x12345678);
    expect(await u8(tx, 'peek_time')).toBe(42);
    expect(await u8(tx, 'hw_ver')).toBe(5);
    expect(await u32(tx, 'boot_sig')).not.toBe(1_600_000_000);
  });

  it('does not send the image again to a booted board unless forced', async () => {
    const { tx, emu } = await unbootedBoard();
    const image = syntheticScampImage('3.1.0');
    await tx.boot(image, { bootPort: emu.bootPort });
    const sent = emu.counters.bootDatagrams;
    const again = await tx.boot(image, { bootPort: emu.bootPort });
    expect(again.booted).toBe(false);
    expect(again.version.version).toBe('3.1.0');
    expect(emu.counters.bootDatagrams).toBe(sent);
    // forced: the packets go out (a booted chip ignores them) and SC&MP still answers
    const forced = await tx.boot(image, { bootPort: emu.bootPort, force: true, gapMs: 1 });
    expect(forced.booted).toBe(true);
    expect(emu.counters.bootDatagrams).toBe(2 * sent);
  });

  it('an image without a version string gives 4.0.0 behaviour', async () => {
    const { tx, emu } = await unbootedBoard();
    await tx.boot(syntheticScampImage(null), { bootPort: emu.bootPort });
    expect(await infoLength(tx)).toBe(38);
  });

  it('names the board, the port and the likely cause when SC&MP never comes up', async () => {
    const { tx, emu } = await unbootedBoard();
    const other = await startEmulator({ listen: '127.0.0.1', port: 0, bootPort: 0 }); // a boot port that is not this board's
    try {
      await expect(tx.boot(syntheticScampImage('4.0.0'), { bootPort: other.bootPort, readyTimeoutMs: 400, gapMs: 1 })).rejects.toThrow(
        new RegExp(`board 127\\.0\\.0\\.1: sent the boot image .* to port ${other.bootPort}, but SC&MP never answered CMD_VER after 0\\.4 s`),
      );
      expect(emu.board).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('rejects an empty or oversized image before sending anything', async () => {
    const { tx, emu } = await unbootedBoard();
    await expect(tx.boot(new Uint8Array(0), { bootPort: emu.bootPort })).rejects.toThrow(/empty/);
    await expect(tx.boot(new Uint8Array(32 * 1024 + 4), { bootPort: emu.bootPort })).rejects.toThrow(/at most 32768/);
    expect(emu.counters.bootDatagrams).toBe(0);
  });
});
