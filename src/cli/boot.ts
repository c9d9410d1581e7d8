import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { boardOptions, UserError, withBoard, type BoardOptions } from './board.js';
import { emit } from './output.js';

export function registerBoot(program: Command): void {
  boardOptions(
    program
      .command('boot')
      .description('boot a board with an SC&MP image over the boot ROM (port 54321), unless it is already booted, and wait until it is ready')
      .option('-i, --image <file>', 'SC&MP boot image (default: boot.image in the config)')
      .option('--hw <3|5>', 'board version: 3 (SpiNN-3) or 5 (SpiNN-5); default boot.hwVer in the config')
      .option('-f, --force', 'boot even if SC&MP already answers'),
  ).action((opts: BoardOptions & { image?: string; hw?: string; force?: boolean }) =>
    withBoard(opts, async ({ tx, config, label, bootPort }) => {
      const hw = opts.hw === undefined ? config.boot.hwVer : Number(opts.hw);
      if (hw !== 3 && hw !== 5) throw new UserError(`--hw must be 3 or 5, got "${opts.hw}"`);
      const path = opts.image ?? config.boot.image;
      let image: Uint8Array | undefined;
      if (path) {
        try {
          image = new Uint8Array(readFileSync(path));
        } catch (e) {
          throw new UserError(`cannot read boot image ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
        }
      }
      if (!image) {
        // Without an image we can only report whether the board is booted already.
        const v = await tx.getVersion().catch(() => undefined);
        if (v && !(v.x === 255 && v.y === 255)) {
          emit(opts.json, { board: label, booted: false, alreadyBooted: true, version: v.version }, () => `${label} is already booted: ${v.kernel} ${v.version}`);
          return;
        }
        throw new UserError('the board needs booting: give an SC&MP boot image with --image <scamp.boot> or set boot.image in spinnaker.config.json');
      }
      const r = await tx.boot(image, { hwVer: hw, bootPort, force: opts.force ?? false });
      emit(opts.json, { board: label, booted: r.booted, alreadyBooted: !r.booted, version: r.version.version }, () =>
        r.booted ? `booted ${label}: ${r.version.kernel} ${r.version.version} at (${r.version.x},${r.version.y})` : `${label} is already booted: ${r.version.kernel} ${r.version.version} (use --force to boot anyway)`,
      );
    }),
  );
}
