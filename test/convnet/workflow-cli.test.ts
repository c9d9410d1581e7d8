/**
 * spinn loaddata / train / test / workflow as a user runs them: the CLI
 * spawned as a process, on the embedded emulator over loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const LOADER = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');

const MODEL = {
  preset: 'default',
  data: { digits: [0, 1], train: 40, test: 20 },
  layers: [
    { kernels: 4, shape: [5, 5], stride: 2, trainWindows: 40 },
    { kernels: 4, shape: [3, 3], stride: 1, trainWindows: 30, minActiveInputs: 1 },
  ],
  classifier: { pool: [1, 1] },
};

let dir: string;
function spinn(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(TSX, [MAIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 170000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spinn-cli-'));
  writeFileSync(join(dir, 'tiny.json'), JSON.stringify({ board: 'emulator', model: MODEL }));
  writeFileSync(join(dir, 'typo.json'), JSON.stringify({ board: 'emulator', model: { ...MODEL, layers: [{ kernels: 4, shape: [5, 5], strid: 3 }] } }));
  writeFileSync(join(dir, 'nofit.json'), JSON.stringify({ board: 'emulator', model: { ...MODEL, layers: [{ kernels: 4, shape: [5, 5], stride: 3 }, { kernels: 4, shape: [9, 9] }] } }));
  writeFileSync(join(dir, 'long.json'), JSON.stringify({ board: 'emulator', model: { ...MODEL, layers: [{ kernels: 4, shape: [5, 5], stride: 3, trainWindows: 1500 }] } }));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('spinn workflow commands', () => {
  it('workflow --json, then test --json on the saved model: the results object', () => {
    const w = spinn(['workflow', '--config', 'tiny.json', '--model-dir', 'm', '--json', '--no-progress']);
    expect(w.err).not.toMatch(/Error|\n\s+at /);
    expect(w.code).toBe(0);
    const wj = JSON.parse(w.out);
    expect(Object.keys(wj.stepSeconds)).toEqual(['loaddata', 'train --layer 1', 'train --layer 2', 'train --layer svm', 'test']);
    const t = spinn(['test', '--model-dir', 'm', '--json', '--config', 'tiny.json']);
    expect(t.code).toBe(0);
    const r = JSON.parse(t.out);
    expect(typeof r.accuracy).toBe('number');
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.accuracy).toBeLessThanOrEqual(1);
    expect(r.accuracy).toBe(wj.accuracy);
    expect(r.confusion).toHaveLength(2);
    expect(r.confusion.every((row: number[]) => row.length === 2)).toBe(true);
    expect(r.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(20);
    expect(r.perClass).toHaveLength(2);
    expect(r.classes).toEqual([0, 1]);
    expect(r.plots.length).toBeGreaterThan(0);
    // The text form prints the accuracy and the confusion matrix.
    const txt = spinn(['test', '--model-dir', 'm']);
    expect(txt.code).toBe(0);
    expect(txt.out).toMatch(/^test accuracy: \d+\.\d\d% on 20 test images/);
    expect(txt.out).toContain('confusion (rows: true digit, columns: predicted)');
  }, 180000);

  it('bad input: one line, exit 1, no stack trace', () => {
    const cases: [string[], RegExp][] = [
      [['loaddata', '--config', 'typo.json', '--model-dir', 'b'], /^spinn: invalid typo\.json: model configuration:\ntypo\.json: model\.layers\.0: unknown key "strid"/],
      [['loaddata', '--config', 'nofit.json', '--model-dir', 'b'], /^spinn: .*layer 2 \(9×9, stride 1\) does not fit its 8×8×4 input; use a kernel of at most 8×8 or remove a layer\n$/],
      [['train', '--layer', '1', '--model-dir', 'b'], /^spinn: train --layer 1: the model configuration was not found in b\/recipe\.json: run `spinn loaddata` first\n$/],
      [['train', '--layer', 'x', '--model-dir', 'b'], /^spinn: --layer must be a layer number \(1, 2, \.\.\.\) or svm, got "x"\n$/],
      [['train', '--layer', '3', '--model-dir', 'm'], /^spinn: train --layer 3: layer 3 does not exist: the model has 2 conv layers \(1\.\.2\); use --layer 1\.\.2 or --layer svm\n$/],
      [['loaddata', '--digits', '1,x', '--model-dir', 'b'], /^spinn: --digits must be a comma-separated list of digits 0\.\.9, got "1,x"\n$/],
    ];
    for (const [args, want] of cases) {
      const r = spinn(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.replace(/npm warn.*\n/g, ''), args.join(' ')).toMatch(want);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    // train --layer 2 before layer 1 exists
    expect(spinn(['loaddata', '--config', 'tiny.json', '--model-dir', 'fresh']).code).toBe(0);
    const r = spinn(['train', '--layer', '2', '--model-dir', 'fresh']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/layer 1 weights not found in fresh\/layer1\.json: run `spinn train --layer 1` first/);
  }, 120000);

  it('Ctrl-C during training: says what was interrupted and keeps the earlier results', async () => {
    expect(spinn(['loaddata', '--config', 'long.json', '--model-dir', 'j']).code).toBe(0);
    const split = readFileSync(join(dir, 'j', 'split.json'));
    // A finished training of layer 1: the interrupted retraining below must leave it as it is.
    expect(spinn(['train', '--layer', '1', '--model-dir', 'j']).code).toBe(0);
    const layer1 = readFileSync(join(dir, 'j', 'layer1.json'));
    const npy1 = readFileSync(join(dir, 'j', 'layer1.npy'));
    // tsx's own CLI kills a child whose event loop is busy for more than 60 ms after a signal, so the
    // command runs under node with tsx as a loader here, as it does when Ctrl-C reaches it directly.
    const child = spawn(process.execPath, ['--import', LOADER, MAIN, 'train', '--layer', '1', '--model-dir', 'j', '--progress'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('train layer 1')) resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(err).toMatch(/spinn: interrupted during `train --layer 1`: nothing of that step was saved; earlier results in j are intact \(.*layer1\.json.*split\.json.*\)/);
    expect(readFileSync(join(dir, 'j', 'layer1.json'))).toEqual(layer1);
    expect(readFileSync(join(dir, 'j', 'layer1.npy'))).toEqual(npy1);
    expect(readFileSync(join(dir, 'j', 'split.json'))).toEqual(split);
    expect(readdirSync(join(dir, 'j')).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 240000);
});
