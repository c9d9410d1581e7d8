import type { Command } from 'commander';
import type { CoreStatus } from '../transceiver/index.js';
import { boardOptions, withBoard, type BoardOptions } from './board.js';
import { emit, table } from './output.js';
import { hex } from './parse.js';
import { parseChip } from './parse.js';

export function registerPs(program: Command): void {
  boardOptions(
    program
      .command('ps')
      .description('list the state of every core, chip by chip (from each core\'s vcpu_t block)')
      .option('--chip <x,y>', 'only this chip')
      .option('-a, --all', 'include idle cores'),
  ).action((opts: BoardOptions & { chip?: string; all?: boolean }) =>
    withBoard(opts, async ({ tx }) => {
      let chips: { x: number; y: number; n: number }[];
      if (opts.chip) {
        const c = parseChip(opts.chip);
        const info = await tx.getChipInfo(c.x, c.y);
        chips = [{ ...c, n: info.numCpus }];
      } else {
        const d = await tx.discover();
        chips = d.chips.map((c) => ({ x: c.x, y: c.y, n: c.info.numCpus }));
      }
      const all = (await Promise.all(chips.map((c) => tx.getChipCoreStatus(c.x, c.y, c.n)))).flat();
      const shown = opts.all || opts.chip ? all : all.filter((s) => s.state !== 15);
      emit(opts.json, all, () => {
        const rows = shown.map((s: CoreStatus) => [
          `${s.x},${s.y},${s.p}`,
          s.stateName,
          s.appId,
          s.appName,
          s.rtCode ? s.rtError : '',
          s.user.map((u) => hex(u)).join(' '),
        ]);
        const idle = all.filter((s) => s.state === 15).length;
        return (
          table(['core', 'state', 'app', 'name', 'error', 'user0..3'], rows) +
          (opts.all || opts.chip ? '' : `\n(${idle} idle core${idle === 1 ? '' : 's'} on ${chips.length} chip${chips.length === 1 ? '' : 's'} not shown; --all lists them)`)
        );
      });
    }),
  );
}
