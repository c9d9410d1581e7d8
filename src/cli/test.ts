import type { Command } from 'commander';
import { test } from '../convnet/workflow/index.js';
import { type WorkflowOptions, formatResults, runWorkflowCommand, workflowOptions } from './workflow.js';

/** `spinn test [--json]`: classify the test images; accuracy, confusion matrix, plots. */
export function registerTestCommand(program: Command): void {
  workflowOptions(program.command('test'))
    .description('Run the test images through the trained layers and the SVM; print the accuracy and the confusion matrix')
    .option('--json', 'print {"accuracy": ..., "confusion": [[...]], "perClass": [...], "classes": [...], ...}')
    .action(async (opts: WorkflowOptions) => {
      await runWorkflowCommand(opts, false, async ({ ctx }) => {
        const r = await test(ctx);
        process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : formatResults(r));
      });
    });
}
