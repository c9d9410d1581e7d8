import type { Command } from 'commander';
import { boardOptions, withBoard, type BoardOptions } from './board.js';
import { emit } from './output.js';
import { parseCore } from './parse.js';

export function registerIobuf(program: Command): void {
  boardOptions(
    program
      .command('iobuf')
      .description('print the IOBUF text (io_printf output) of a core')
      .argument('<x,y,p>', 'the core, e.g. 0,0,1'),
  ).action((core: string, opts: BoardOptions) =>
    withBoard(opts, async ({ tx }) => {
      const c = parseCore(core);
      const r = await tx.readIobuf(c.x, c.y, c.p);
      emit(opts.json, { core: c, ...r }, () => (r.blocks.length ? r.text.replace(/\n$/, '') : `(core ${core} has no IOBUF)`));
    }),
  );
}
