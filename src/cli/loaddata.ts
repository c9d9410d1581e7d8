import type { Command } from 'commander';
import { loaddata } from '../convnet/workflow/index.js';
import { type WorkflowOptions, runWorkflowCommand, workflowOptions } from './workflow.js';

/** `spinn loaddata`: split MNIST (seeded) and save the split and the model configuration. */
export function registerLoaddataCommand(program: Command): void {
  workflowOptions(program.command('loaddata'))
    .description('Split the MNIST digits into training and test sets (seeded) and save the split and the model configuration')
    .action(async (opts: WorkflowOptions) => {
      await runWorkflowCommand(opts, true, async ({ ctx, recipe }) => {
        loaddata(ctx, recipe!);
        process.stdout.write(`saved ${ctx.dir.show('split.json')} and ${ctx.dir.show('recipe.json')}; next: spinn train --layer 1\n`);
      });
    });
}
