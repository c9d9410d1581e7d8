import type { Command } from 'commander';
import { boardOptions, withBoard, type BoardOptions } from './board.js';
import { emit } from './output.js';
import { parseCore } from './parse.js';

export function registerVer(program: Command): void {
  boardOptions(
    program
      .command('ver')
      .description('print the software version of a core (default: the monitor of the root chip)')
      .option('--core <x,y,p>', 'core to ask', '255,255,0'),
  ).action((opts: BoardOptions & { core: string }) =>
    withBoard(opts, async ({ tx, label }) => {
      const c = parseCore(opts.core);
      const v = await tx.getVersion(c.x, c.y, c.p);
      const built = v.buildDate ? new Date(v.buildDate * 1000).toISOString().replace('T', ' ').slice(0, 19) : 'unknown date';
      emit(opts.json, { board: label, ...v }, () =>
        `${v.kernel} ${v.version} at ${v.idString.split('/')[1] ?? 'SpiNNaker'}:${v.x},${v.y},${v.virtCpu} (built ${built}) [core ${v.physCpu} physical]\n` +
        `board: ${label}, buffer size ${v.bufferSize} bytes`,
      );
    }),
  );
}
