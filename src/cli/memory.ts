import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { boardOptions, UserError, withBoard, type BoardOptions } from './board.js';
import { emit, hexDump } from './output.js';
import { hex, parseCore, parseHexBytes, parseInteger } from './parse.js';

interface MemOptions extends BoardOptions {
  core: string;
}

const coreOption = (cmd: Command) => cmd.option('--core <x,y,p>', 'chip and core whose memory to use (SDRAM is shared by a chip)', '0,0,0');

export function registerRead(program: Command): void {
  boardOptions(
    coreOption(
      program
        .command('read')
        .description('read memory: print 32-bit words, or save the bytes with --out')
        .argument('<address>', 'start address (decimal or 0x hex)')
        .argument('<length>', 'bytes to read')
        .option('-o, --out <file>', 'write the raw bytes to a file'),
    ),
  ).action((address: string, length: string, opts: MemOptions & { out?: string }) =>
    withBoard(opts, async ({ tx }) => {
      const a = parseInteger(address, 'address');
      const n = parseInteger(length, 'length', 0, 128 * 1024 * 1024);
      const c = parseCore(opts.core);
      const data = await tx.read(c.x, c.y, a, n, c.p);
      if (opts.out) {
        writeFileSync(opts.out, data);
        emit(opts.json, { address: a, length: n, file: opts.out }, () => `${n} bytes from ${hex(a)} written to ${opts.out}`);
        return;
      }
      emit(opts.json, { address: a, length: n, data }, () => {
        const words: string[] = [];
        const dv = new DataView(data.buffer);
        for (let i = 0; i + 4 <= n; i += 16) {
          const row: string[] = [];
          for (let j = i; j < i + 16 && j + 4 <= n; j += 4) row.push(hex(dv.getUint32(j, true)));
          words.push(`${hex(a + i)}: ${row.join(' ')}`);
        }
        const tail = n % 4 ? `\n(tail bytes: ${Array.from(data.subarray(n - (n % 4)), (b) => b.toString(16).padStart(2, '0')).join(' ')})` : '';
        return words.join('\n') + tail;
      });
    }),
  );
}

export function registerWrite(program: Command): void {
  boardOptions(
    coreOption(
      program
        .command('write')
        .description('write bytes to memory: hex data, a 32-bit word, or a file')
        .argument('<address>', 'start address (decimal or 0x hex)')
        .argument('[hex]', 'bytes as hex digits, e.g. "deadbeef" or "de ad be ef"')
        .option('-w, --word <value>', 'write one 32-bit little-endian word')
        .option('-f, --file <file>', 'write the contents of a file'),
    ),
  ).action((address: string, hexData: string | undefined, opts: MemOptions & { word?: string; file?: string }) =>
    withBoard(opts, async ({ tx }) => {
      const a = parseInteger(address, 'address');
      const sources = [hexData !== undefined, opts.word !== undefined, opts.file !== undefined].filter(Boolean).length;
      if (sources !== 1) throw new UserError('give exactly one of: hex data, --word <value>, --file <file>');
      let data: Uint8Array;
      if (opts.word !== undefined) {
        data = new Uint8Array(4);
        new DataView(data.buffer).setUint32(0, parseInteger(opts.word, '--word'), true);
      } else if (opts.file !== undefined) {
        try {
          data = new Uint8Array(readFileSync(opts.file));
        } catch (e) {
          throw new UserError(`cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
        }
      } else data = parseHexBytes(hexData!);
      const c = parseCore(opts.core);
      await tx.write(c.x, c.y, a, data, c.p);
      emit(opts.json, { address: a, length: data.length }, () => `wrote ${data.length} bytes at ${hex(a)} on (${c.x},${c.y},${c.p})`);
    }),
  );
}

export function registerDump(program: Command): void {
  boardOptions(
    coreOption(
      program
        .command('dump')
        .description('hex dump of memory (address, bytes, ASCII)')
        .argument('<address>', 'start address (decimal or 0x hex)')
        .argument('[length]', 'bytes to dump', '256'),
    ),
  ).action((address: string, length: string, opts: MemOptions) =>
    withBoard(opts, async ({ tx }) => {
      const a = parseInteger(address, 'address');
      const n = parseInteger(length, 'length', 0, 16 * 1024 * 1024);
      const c = parseCore(opts.core);
      const data = await tx.read(c.x, c.y, a, n, c.p);
      emit(opts.json, { address: a, length: n, data }, () => hexDump(a, data));
    }),
  );
}
