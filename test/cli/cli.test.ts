import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spinn } from './spinn.js';

function tempConfig(config: unknown): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'spinn-cli-'));
  const file = join(dir, 'spinnaker.config.json');
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return { dir, file };
}

const noStack = (s: string) => expect(s).not.toMatch(/^\s+at /m);

describe('spinn CLI against the embedded emulator', () => {
  it('machine: discovers the default SpiNN-5 board and draws it', async () => {
    const r = await spinn(['machine']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SC&MP 4\.0\.0, root chip \(0,0\)/);
    expect(r.stdout).toMatch(/chips:\s+48 working/);
    expect(r.stdout).toMatch(/816 for applications/);
    expect(r.stdout).toContain('  0 E---o---o---o---o');
  });

  it('machine --json on a SpiNN-3 from the config', async () => {
    const { dir } = tempConfig({ board: 'emulator', emulator: { shape: 'spinn-3' } });
    const r = await spinn(['machine', '--json'], dir);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { width: number; height: number; chips: { x: number; y: number; workingCores: number }[] };
    expect([j.width, j.height, j.chips.length]).toEqual([2, 2, 4]);
    expect(j.chips.every((c) => c.workingCores === 18)).toBe(true);
  });

  it('ver and dump read what the board holds', async () => {
    const v = await spinn(['ver', '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ kernel: 'SC&MP', version: '4.0.0', x: 0, y: 0 });
    const d = await spinn(['read', '0xf5007f02', '2', '--json']);
    expect(JSON.parse(d.stdout)).toMatchObject({ address: 0xf5007f02, length: 2, data: '0808' });
  });

  it('ps lists the monitor and idle cores of a chip', async () => {
    const r = await spinn(['ps', '--chip', '1,1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1,1,0\s+RUN\s+0\s+scamp-3/m);
    expect(r.stdout).toMatch(/^1,1,17\s+IDLE\s+0\s+sark/m);
  });

  it('gives clear errors and non-zero exit codes', async () => {
    const bad = await spinn(['read', 'zz', '4']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^spinn: address must be an integer/);
    noStack(bad.stderr);
    const unknown = await spinn(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('rejects a bad configuration file with a message, not a stack trace', async () => {
    const { dir } = tempConfig({ boardd: 'x', emulator: { shape: 5 } });
    const r = await spinn(['ver'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown key "boardd"/);
    expect(r.stderr).toMatch(/"emulator\.shape": .*expected string/);
    noStack(r.stderr);
    const { dir: d2 } = tempConfig('{ "board": ');
    const r2 = await spinn(['ver'], d2);
    expect(r2.stderr).toMatch(/is not valid JSON/);
  });

  it('reports a board that does not answer, within the time-out', async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((res) => s.bind(0, '127.0.0.1', () => res()));
    const port = s.address().port;
    await new Promise<void>((res) => s.close(() => res()));
    const { dir } = tempConfig({ board: '127.0.0.1', transceiver: { port, tries: 2 } });
    const r = await spinn(['ver', '--timeout', '0.1'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^spinn: no reply from 127\.0\.0\.1:\d+ after 2 tries of CMD_VER .*\(timeout 0\.1 s each\): is the board on and reachable\?/);
    noStack(r.stderr);
  });
});
