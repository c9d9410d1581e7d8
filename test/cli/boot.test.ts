import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { ScpCommand } from '../../src/protocol/constants.js';
import { svFieldAddress } from '../../src/protocol/sv.js';
import { Transceiver } from '../../src/transceiver/index.js';
import { syntheticScampImage } from '../transceiver/boot-image.js';
import { spinn } from './spinn.js';

/** A directory with spinnaker.config.json and the synthetic images scamp-3.1.0.boot / scamp-4.0.0.boot. */
function workDir(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'spinn-boot-'));
  writeFileSync(join(dir, 'spinnaker.config.json'), JSON.stringify(config));
  for (const v of ['3.1.0', '4.0.0']) writeFileSync(join(dir, `scamp-${v}.boot`), syntheticScampImage(v, { buildDate: 0x5f5e1234 }));
  return dir;
}

const noStack = (s: string) => expect(s).not.toMatch(/^\s+at /m);

describe('spinn boot', () => {
  it('boots the embedded emulator when the config says it starts unbooted', async () => {
    const dir = workDir({ board: 'emulator', emulator: { shape: 'spinn-3', unbooted: true } });
    const human = await spinn(['boot', '--image', 'scamp-3.1.0.boot', '--hw', '3'], dir);
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^booted emulator \(spinn-3 on 127\.0\.0\.1:\d+\): SC&MP 3\.1\.0 at \(0,0\)$/m);
    const json = await spinn(['boot', '--image', join(dir, 'scamp-4.0.0.boot'), '--json'], dir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ booted: true, alreadyBooted: false, version: '4.0.0' });
  });

  it('without an image, an unbooted board is explained: --image or boot.image is needed', async () => {
    const dir = workDir({ board: 'emulator', emulator: { unbooted: true } });
    const r = await spinn(['boot', '--timeout', '0.2'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^spinn: the board needs booting: give an SC&MP boot image with --image <scamp\.boot> or set boot\.image in spinnaker\.config\.json$/m);
    noStack(r.stderr);
    const missing = await spinn(['boot', '--image', 'nope.boot'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^spinn: cannot read boot image nope\.boot: no such file$/m);
    noStack(missing.stderr);
  });

  it('boots a board by address over its boot port, which then answers with the image\'s version and the host\'s sv values', async () => {
    const emu = await startEmulator({ listen: '127.0.0.1', port: 0, bootPort: 0, shape: 'spinn-3', unbooted: true, bootSettleMs: 50 });
    const tx = await Transceiver.open({ address: emu.address, port: emu.port });
    try {
      const dir = workDir({ board: '127.0.0.1', transceiver: { port: emu.port }, boot: { port: emu.bootPort, image: 'scamp-3.1.0.boot', hwVer: 3 } });
      const r = await spinn(['boot', '--json'], dir);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ board: '127.0.0.1', booted: true, alreadyBooted: false, version: '3.1.0' });
      expect(emu.counters.bootDatagrams).toBe(2 + 6);

      const v = await tx.getVersion();
      expect([v.version, v.x, v.y, v.buildDate]).toEqual(['3.1.0', 0, 0, 0x5f5e1234]);
      const info = await tx.conn.request({ x: 255, y: 255, p: 0, cmd: ScpCommand.INFO, args: [0x5f, 0, 0], replyArgs: 3 });
      expect(12 + info.data.length).toBe(36);
      expect((await tx.read(255, 255, svFieldAddress('hw_ver'), 1))[0]).toBe(3);
      expect(await tx.readWord(255, 255, svFieldAddress('led0'))).toBe(0x00000502);

      // already booted: said so, exit 0, nothing sent to the boot ROM
      const again = await spinn(['boot', '--image', 'scamp-4.0.0.boot'], dir);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^127\.0\.0\.1 is already booted: SC&MP 3\.1\.0 \(use --force to boot anyway\)$/m);
      const noImage = await spinn(['boot', '--json'], workDir({ board: '127.0.0.1', transceiver: { port: emu.port }, boot: { port: emu.bootPort } }));
      expect(noImage.code).toBe(0);
      expect(JSON.parse(noImage.stdout)).toEqual({ board: '127.0.0.1', booted: false, alreadyBooted: true, version: '3.1.0' });
      expect(emu.counters.bootDatagrams).toBe(8);
    } finally {
      await tx.close();
      await emu.close();
    }
  });

  it('on the default (pre-booted) embedded emulator: already booted, exit 0', async () => {
    const dir = workDir({});
    const r = await spinn(['boot', '--image', 'scamp-3.1.0.boot'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^emulator \(spinn-5 on 127\.0\.0\.1:\d+\) is already booted: SC&MP 4\.0\.0 \(use --force to boot anyway\)$/m);
    const bad = await spinn(['boot', '--hw', '4'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^spinn: --hw must be 3 or 5, got "4"$/m);
  });
});
