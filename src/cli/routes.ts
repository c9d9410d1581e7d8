import type { Command } from 'commander';
import { LINK_NAMES } from '../machine/index.js';
import type { InstalledEntry } from '../transceiver/index.js';
import { boardOptions, withBoard, type BoardOptions } from './board.js';
import { emit, table } from './output.js';
import { hex, parseChip } from './parse.js';

export function describeRoute(route: number): string {
  const parts: string[] = [];
  for (let l = 0; l < 6; l++) if (route & (1 << l)) parts.push(LINK_NAMES[l]!);
  for (let c = 0; c < 18; c++) if (route & (1 << (6 + c))) parts.push(`core ${c}`);
  return parts.join(' ') || '(drop)';
}

export function registerRoutes(program: Command): void {
  boardOptions(
    program
      .command('routes')
      .description('list the multicast routing entries installed on a chip')
      .option('--chip <x,y>', 'chip whose router to read', '0,0')
      .option('--system', 'include entry 0 (SC&MP\'s own)'),
  ).action((opts: BoardOptions & { chip: string; system?: boolean }) =>
    withBoard(opts, async ({ tx }) => {
      const c = parseChip(opts.chip);
      const entries = await tx.readRoutes(c.x, c.y, opts.system ?? false);
      emit(opts.json, { chip: c, entries }, () =>
        entries.length === 0
          ? `(no routing entries on chip ${c.x},${c.y})`
          : table(
              ['index', 'key', 'mask', 'route', 'app', 'core'],
              entries.map((e: InstalledEntry) => [e.index, hex(e.key), hex(e.mask), describeRoute(e.route), e.appId, e.core]),
            ),
      );
    }),
  );
}
