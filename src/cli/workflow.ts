import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ConfigError as FileConfigError, loadConfig, type SpinnConfig } from '../config/index.js';
import type { SpikingBackend } from '../convnet/backend.js';
import { BoardBackend, BoardBackendError } from '../convnet/board-backend.js';
import { BoardPool } from '../convnet/board/pool.js';
import { ConfigError as ModelConfigError, recipeFromConfig } from '../convnet/config.js';
import { ModelError } from '../convnet/model.js';
import type { Recipe } from '../convnet/recipe.js';
import { ModelDir, type TestResults, type WorkflowContext, WorkflowError, stderrBars, silentBars, workflow } from '../convnet/workflow/index.js';
import { NetworkError } from '../network/index.js';
import { RunError } from '../run/index.js';
import { ScpError } from '../transceiver/index.js';
import { UserError, chooseBoard } from './board.js';

/** Options shared by loaddata, train, test and workflow. */
export interface WorkflowOptions {
  board?: string;
  config?: string;
  modelDir: string;
  preset?: string;
  digits?: string;
  train?: string;
  test?: string;
  seed?: string;
  json?: boolean;
  progress?: boolean;
  workers?: string;
}

export function workflowOptions(cmd: Command): Command {
  return cmd
    .option('-b, --board <ip|emulator>', 'where the networks run: a board\'s IP address, or "emulator" (default from SPINN_BOARD, then spinnaker.config.json, else the embedded emulator)')
    .option('-c, --config <file>', 'configuration file (default ./spinnaker.config.json); its "model" section describes the network')
    .option('-m, --model-dir <dir>', 'where the split, weights, SVM, results and plots are saved', 'model')
    .option('--preset <name>', 'model preset: default (about 5 min on 2 cores), best (about 30 min), seed or seed-fixed (default: the config\'s, else default)')
    .option('--digits <list>', 'digits to use, e.g. 0,1,7,8 (default all ten)')
    .option('--train <n>', 'training images (default 8000)')
    .option('--test <n>', 'test images (default 2000)')
    .option('--seed <n>', 'seed of the split, the weights and the window sampling (default 1)')
    .option('--workers <n>', 'emulated boards running inference batches at once, one thread each (default: min(4, CPU cores) for the emulator, 1 for a board)')
    .option('--progress', 'progress bars on stderr even when it is not a terminal')
    .option('--no-progress', 'no progress bars');
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UserError(`--${name} must be an integer, got "${v}"`);
  return n;
}

/** The configuration this invocation names (config file model section, --preset, data flags), or undefined if none. */
export function requestedRecipe(opts: WorkflowOptions, config: SpinnConfig, always: boolean): Recipe | undefined {
  const explicit = always || opts.config !== undefined || config.model !== undefined || [opts.preset, opts.digits, opts.train, opts.test, opts.seed].some((v) => v !== undefined);
  if (!explicit) return undefined;
  const section: Record<string, unknown> = { ...(config.model ?? {}) };
  if (opts.preset !== undefined) section.preset = opts.preset;
  const data: Record<string, unknown> = { ...((section.data as Record<string, unknown> | undefined) ?? {}) };
  if (opts.digits !== undefined) {
    const d = opts.digits.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (d.length === 0 || d.some((x) => !Number.isInteger(x) || x < 0 || x > 9)) throw new UserError(`--digits must be a comma-separated list of digits 0..9, got "${opts.digits}"`);
    data.digits = d;
  }
  const train = int('train', opts.train);
  const test = int('test', opts.test);
  const seed = int('seed', opts.seed);
  if (train !== undefined) data.train = train;
  if (test !== undefined) data.test = test;
  if (seed !== undefined) {
    data.seed = seed;
    section.seed = seed;
  }
  if (Object.keys(data).length > 0) section.data = data;
  return recipeFromConfig(section, opts.config ? `${opts.config}: model` : 'model');
}

export interface Invocation {
  ctx: WorkflowContext;
  recipe: Recipe | undefined;
}

/** Builds the workflow context for a command, runs `fn`, and turns known failures into one-line messages. */
export async function runWorkflowCommand<T>(opts: WorkflowOptions, needRecipe: boolean, fn: (inv: Invocation) => Promise<T>): Promise<T> {
  let current = 'starting';
  const dir = new ModelDir(opts.modelDir);
  const onSigint = () => {
    let kept: string[] = [];
    try {
      kept = readdirSync(dir.dir).filter((f) => !f.startsWith('.'));
    } catch {
      /* no model directory yet */
    }
    process.stderr.write(
      `\nspinn: interrupted during \`${current}\`: nothing of that step was saved; ` +
        (kept.length ? `earlier results in ${dir.show()} are intact (${kept.join(', ')})\n` : `${dir.show()} holds no earlier results\n`),
    );
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  let backend: SpikingBackend | undefined;
  try {
    const config = loadConfig(opts.config);
    const recipe = requestedRecipe(opts, config, needRecipe);
    const board = chooseBoard(opts, config);
    const workers = int('workers', opts.workers) ?? (board === 'emulator' ? Math.min(4, availableParallelism()) : 1);
    if (workers < 1) throw new UserError(`--workers must be at least 1, got ${workers}`);
    backend = workers > 1 ? new BoardPool({ board, config, workers }) : new BoardBackend({ board, config });
    const ctx: WorkflowContext = {
      dir,
      backend,
      boardLabel: board === 'emulator' ? 'the embedded emulator' : `the board at ${board}`,
      recipe,
      log: (s) => process.stderr.write(`${s}\n`),
      bars: opts.progress === true || (opts.progress !== false && process.stderr.isTTY) ? stderrBars() : silentBars,
      onStep: (s) => {
        current = s;
      },
    };
    return await fn({ ctx, recipe });
  } catch (e) {
    if (
      e instanceof WorkflowError || e instanceof ModelConfigError || e instanceof FileConfigError || e instanceof ModelError ||
      e instanceof BoardBackendError || e instanceof RunError || e instanceof NetworkError || e instanceof ScpError
    ) {
      throw new UserError(current === 'starting' ? e.message : `${current}: ${e.message}`);
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    await backend?.close?.();
  }
}

/** Accuracy, per-class accuracy and the confusion matrix as text. */
export function formatResults(r: TestResults): string {
  const w = Math.max(4, ...r.confusion.flat().map((n) => String(n).length + 1));
  const lines = [`test accuracy: ${(100 * r.accuracy).toFixed(2)}% on ${r.images} test images (preset ${r.preset}, ${r.board})`, '', 'confusion (rows: true digit, columns: predicted):'];
  lines.push('     ' + r.classes.map((c) => String(c).padStart(w)).join('') + '   accuracy');
  r.confusion.forEach((row, i) => lines.push(`  ${String(r.classes[i])}: ${row.map((n) => String(n).padStart(w)).join('')}   ${(100 * r.perClass[i]!).toFixed(1)}%`));
  lines.push('', `plots: ${r.plots.join(', ')}`);
  return lines.join('\n') + '\n';
}

/** `spinn workflow`: loaddata, train every layer, train the SVM, test. */
export function registerWorkflowCommand(program: Command): void {
  workflowOptions(program.command('workflow'))
    .description('Run the whole SpikingConvNet workflow (loaddata, train --layer 1..n, train --layer svm, test) and print the test accuracy')
    .option('--json', 'print the test results and the wall time per step as JSON')
    .action(async (opts: WorkflowOptions) => {
      await runWorkflowCommand(opts, true, async ({ ctx, recipe }) => {
        const t0 = performance.now();
        ctx.log?.(`workflow: preset '${recipe!.name}' on ${ctx.boardLabel}, model directory ${ctx.dir.show()}`);
        const { results, seconds } = await workflow(ctx, recipe!);
        const total = (performance.now() - t0) / 1000;
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...results, stepSeconds: seconds, totalSeconds: total })}\n`);
        else {
          process.stdout.write(formatResults(results));
          process.stdout.write(`wall time: ${Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}; total ${total.toFixed(1)} s\n`);
          process.stdout.write(`model saved in ${ctx.dir.show()}/ (plots in ${ctx.dir.show('plots')}/)\n`);
        }
      });
    });
}
