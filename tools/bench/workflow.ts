/**
 * The SpikingConvNet workflow on the embedded emulator: wall time per step,
 * where it goes (connect, map, generate, load, run, extract), and the
 * emulated board's time factor against real-time SpiNNaker (1 ms per tick).
 *
 *   npx tsx tools/bench/workflow.ts [--preset default|best|seed] [--quick] [--train N] [--test N] [--digits 0,1] [--workers N] [--model-dir DIR]
 *
 * --quick: 2 digits, 200 / 100 images, layer 1 trained on 400 windows.
 * Prints one line per figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BoardPool } from '../../src/convnet/board/pool.js';
import { BoardBackend, type BoardCallTimes } from '../../src/convnet/board-backend.js';
import { recipeFromConfig } from '../../src/convnet/config.js';
import { ModelDir, workflow } from '../../src/convnet/workflow/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const section: Record<string, unknown> = { preset: arg('preset') ?? 'default' };
const data: Record<string, unknown> = quick ? { digits: [0, 1], train: 200, test: 100 } : {};
if (arg('digits')) data.digits = arg('digits')!.split(',').map(Number);
if (arg('train')) data.train = Number(arg('train'));
if (arg('test')) data.test = Number(arg('test'));
section.data = data;
let recipe = recipeFromConfig(section);
if (quick) recipe = { ...recipe, layers: recipe.layers.map((l) => ({ ...l, trainWindows: Math.min(l.trainWindows, 400) })) };

type Totals = BoardCallTimes & { calls: number };
const zero = (): Totals => ({ connectMs: 0, mapMs: 0, generateMs: 0, loadMs: 0, runMs: 0, extractMs: 0, readWeightsMs: 0, ticks: 0, calls: 0 });
const perStep = new Map<string, Totals>();
let step = 'start';

/** Per-call figures of the board backend, summed per workflow step (calls of a pool overlap in time). */
function timed(backend: BoardBackend | BoardPool): BoardBackend | BoardPool {
  backend.onCallTimes = (t) => {
    const s = perStep.get(step) ?? zero();
    for (const k of Object.keys(t) as (keyof BoardCallTimes)[]) s[k] += t[k];
    s.calls++;
    perStep.set(step, s);
  };
  return backend;
}
const workers = Number(arg('workers') ?? 1);

const backend = timed(workers > 1 ? new BoardPool({ board: 'emulator', workers }) : new BoardBackend({ board: 'emulator' }));
const given = arg('model-dir');
const dir = given ?? mkdtempSync(join(tmpdir(), 'spinn-bench-workflow-'));
const label = `workflow[${recipe.name}${quick ? ', quick' : ''}, ${workers} board(s), ${recipe.data.train}/${recipe.data.test} images, digits ${recipe.data.digits.join('')}]`;
try {
  const t0 = performance.now();
  const { results, seconds } = await workflow(
    { dir: new ModelDir(dir), backend, boardLabel: 'the embedded emulator', onStep: (s) => (step = s), log: (s) => process.stderr.write(`${s}\n`) },
    recipe,
  );
  const total = (performance.now() - t0) / 1000;
  let run = 0;
  let ticks = 0;
  for (const [name, sec] of Object.entries(seconds)) {
    const t = perStep.get(name);
    if (!t) {
      console.log(`${label} ${name}: ${sec.toFixed(1)} s`);
      continue;
    }
    run += t.runMs;
    ticks += t.ticks;
    const parts = `connect ${(t.connectMs / 1000).toFixed(1)} s, map ${(t.mapMs / 1000).toFixed(1)} s, generate ${(t.generateMs / 1000).toFixed(1)} s, load ${(t.loadMs / 1000).toFixed(1)} s, ` +
      `run ${(t.runMs / 1000).toFixed(1)} s, extract ${(t.extractMs / 1000).toFixed(1)} s, read back ${(t.readWeightsMs / 1000).toFixed(1)} s`;
    console.log(
      `${label} ${name}: ${sec.toFixed(1)} s wall; ${t.calls} board run(s), ${t.ticks} ticks, summed over ${workers} board(s): ${parts}; ` +
        `time factor ${(t.runMs / t.ticks).toFixed(2)}× real time per board`,
    );
  }
  console.log(`${label} emulated board time factor: ${(run / ticks).toFixed(2)}× real time (${ticks} ticks in ${(run / 1000).toFixed(1)} s of run phase; 1.00 = real-time SpiNNaker)`);
  console.log(`${label} test accuracy: ${(100 * results.accuracy).toFixed(2)}% on ${results.images} images`);
  console.log(`${label} total: ${total.toFixed(1)} s`);
} finally {
  await backend.close?.();
  if (!given) rmSync(dir, { recursive: true, force: true });
}
