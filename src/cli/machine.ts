import type { Command } from 'commander';
import { LINK_NAMES, applicationCores } from '../machine/index.js';
import { stateName } from '../transceiver/index.js';
import { boardOptions, withBoard, type BoardOptions } from './board.js';
import { drawMachine } from './draw.js';
import { emit, table } from './output.js';

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export function registerMachine(program: Command): void {
  boardOptions(
    program
      .command('machine')
      .description('discover the machine behind a board and print a summary and a drawing of its chips and links')
      .option('--chips', 'also list every chip'),
  ).action((opts: BoardOptions & { chips?: boolean }) =>
    withBoard(opts, async ({ tx, label }) => {
      const d = await tx.discover();
      const m = d.machine;
      const json = {
        board: label,
        software: `${d.version.kernel} ${d.version.version}`,
        root: d.root,
        width: m.width,
        height: m.height,
        wrapX: m.wrapX,
        wrapY: m.wrapY,
        chips: d.chips.map((c) => {
          const chip = m.chip(c.x, c.y);
          return {
            x: c.x,
            y: c.y,
            workingCores: c.info.numCpus,
            applicationCores: applicationCores(chip).length,
            deadCores: [...chip.deadCores],
            coreStates: c.info.cpuStates.slice(0, c.info.numCpus).map(stateName),
            links: [0, 1, 2, 3, 4, 5].filter((l) => m.isLinkUp(c.x, c.y, l as 0)).map((l) => LINK_NAMES[l]),
            sdramLargestFree: c.info.largestFreeSdram,
            sysramLargestFree: c.info.largestFreeSysram,
            routerEntriesFree: c.info.largestFreeRouterBlock,
            ethernet: { x: c.info.ethX, y: c.info.ethY },
            ...(chip.ipAddress ? { ipAddress: chip.ipAddress } : {}),
          };
        }),
        ethernetChips: m.ethernetChips().map((c) => ({ x: c.x, y: c.y, ipAddress: c.ipAddress })),
        deadChips: d.deadChips,
      };
      emit(opts.json, json, () => {
        const cores = d.chips.reduce((n, c) => n + c.info.numCpus, 0);
        const busy = d.chips.reduce((n, c) => n + c.info.cpuStates.slice(1, c.info.numCpus).filter((s) => s !== 15).length, 0);
        const deadCores = d.chips.reduce((n, c) => n + m.chip(c.x, c.y).deadCores.size, 0);
        const links = d.chips.reduce((n, c) => n + [0, 1, 2, 3, 4, 5].filter((l) => m.isLinkUp(c.x, c.y, l as 0)).length, 0);
        const sdram = d.chips.map((c) => c.info.largestFreeSdram);
        const lines = [
          `board:     ${label}`,
          `software:  ${d.version.kernel} ${d.version.version}, root chip (${d.root.x},${d.root.y})`,
          `machine:   ${m.describe()}`,
          `chips:     ${m.nChips} working${d.deadChips.length ? `, ${d.deadChips.length} dead (${d.deadChips.map((c) => `(${c.x},${c.y})`).join(' ')})` : ''}` +
            `${d.unroutable ? `; ${d.unroutable} of the ${d.width}x${d.height} positions hold no chip` : ''}`,
          `cores:     ${cores} working (monitors included), ${m.nApplicationCores} for applications, ${busy} busy, ${deadCores} dead`,
          `links:     ${links / 2} working (${m.wrapX || m.wrapY ? `wraps${m.wrapX ? ' in x' : ''}${m.wrapY ? ' in y' : ''}` : 'no wrap-around'})`,
          `SDRAM:     largest free block per chip ${mib(Math.min(...sdram))}..${mib(Math.max(...sdram))}`,
          `Ethernet:  ${m.ethernetChips().map((c) => `(${c.x},${c.y}) ${c.ipAddress}`).join(', ') || 'none up'}`,
          '',
          drawMachine(m),
          '           E = Ethernet chip, o = chip, . = none; - | / = working E, N, NE links',
        ];
        if (opts.chips) {
          lines.push(
            '',
            table(
              ['chip', 'cores', 'dead', 'links', 'SDRAM free', 'SysRAM free', 'router free', 'ethernet'],
              json.chips.map((c) => [
                `${c.x},${c.y}`,
                c.workingCores,
                c.deadCores.join(' ') || '-',
                c.links.join(' '),
                mib(c.sdramLargestFree),
                `${c.sysramLargestFree}`,
                c.routerEntriesFree,
                c.ipAddress ?? `via ${c.ethernet.x},${c.ethernet.y}`,
              ]),
            ),
          );
        }
        return lines.join('\n');
      });
    }),
  );
}
