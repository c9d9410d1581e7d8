import { relative } from 'node:path';
import type { Command } from 'commander';
import { trainLayer, trainSvm } from '../convnet/workflow/index.js';
import { UserError } from './board.js';
import { type WorkflowOptions, runWorkflowCommand, workflowOptions } from './workflow.js';

/** `spinn train --layer N|svm`: train one conv layer with STDP on the board, or the SVM readout. */
export function registerTrainCommand(program: Command): void {
  workflowOptions(program.command('train'))
    .description('Train conv layer N with STDP on the board (layers below rebuilt with their saved weights), or the SVM readout (--layer svm)')
    .requiredOption('-l, --layer <n|svm>', 'the layer to train: 1, 2, ... or svm')
    .action(async (opts: WorkflowOptions & { layer: string }) => {
      const layer = opts.layer.trim().toLowerCase();
      if (layer !== 'svm' && !/^\d+$/.test(layer)) throw new UserError(`--layer must be a layer number (1, 2, ...) or svm, got "${opts.layer}"`);
      await runWorkflowCommand(opts, false, async ({ ctx }) => {
        if (layer === 'svm') {
          await trainSvm(ctx);
          process.stdout.write(`saved ${ctx.dir.show('svm.json')}; next: spinn test\n`);
        } else {
          const n = Number(layer);
          const s = await trainLayer(ctx, n);
          process.stdout.write(`saved ${ctx.dir.show(`layer${n}.json`)} and ${ctx.dir.show(`layer${n}.npy`)}; plots: ${s.plots.map((p) => ctx.dir.show(relative(ctx.dir.dir, p))).join(', ')}\n`);
        }
      });
    });
}
