import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/index.js';

describe('spinnaker.config.json', () => {
  it('defaults to the embedded emulator', () => {
    const c = parseConfig({});
    expect(c.board).toBe('emulator');
    expect(c.emulator.shape).toBe('spinn-5');
    expect(c.transceiver).toEqual({ port: 17893, window: 8, timeoutMs: 500, tries: 5 });
  });

  it('names unknown keys and wrong types', () => {
    expect(() => parseConfig({ bord: 'x' })).toThrow(/unknown key "bord"/);
    expect(() => parseConfig({ transceiver: { window: 9 } })).toThrow(/"transceiver\.window": .*<=8/);
    expect(() => parseConfig({ emulator: { listen: 1 } })).toThrow(ConfigError);
    expect(() => parseConfig({ emulator: { extra: 1 } })).toThrow(/unknown key "extra" in "emulator"/);
  });

  it('loads a file, and reports a missing or broken one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spinn-cfg-'));
    writeFileSync(join(dir, 'spinnaker.config.json'), JSON.stringify({ board: '10.11.12.13', boot: { hwVer: 3 } }));
    const c = loadConfig(undefined, dir);
    expect([c.board, c.boot.hwVer]).toEqual(['10.11.12.13', 3]);
    expect(() => loadConfig('nope.json', dir)).toThrow(/does not exist/);
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(() => loadConfig('bad.json', dir)).toThrow(/is not valid JSON/);
    expect(loadConfig(undefined, mkdtempSync(join(tmpdir(), 'spinn-empty-'))).board).toBe('emulator');
  });
});
