import type { Command } from 'commander';
import { DEFAULT_BOOT_PORT, DEFAULT_LISTEN, DEFAULT_SCAMP_PORT, startEmulator } from '../emulator/index.js';

/** `spinn emulator`: runs an emulated board in the foreground until Ctrl-C. */
export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('run an emulated SpiNNaker board that answers SC&MP (UDP 17893) and the boot ROM (UDP 54321)')
    .option('--listen <addr>', 'loopback address to listen on', DEFAULT_LISTEN)
    .option('--shape <shape>', 'emulated machine: spinn-3, spinn-5, WxH (e.g. 12x12), N-boards', 'spinn-5')
    .option('--unbooted', 'wait for a boot image on the boot port (SC&MP version taken from the image)', false)
    .option('--scamp <version>', 'SC&MP behaviour when pre-booted: 3.1.0 or 4.0.0', '4.0.0')
    .option('--mask-errors', "copy SC&MP 4.0.0's masking of handler errors as RC_OK", false)
    .option('--port <n>', 'SC&MP UDP port', String(DEFAULT_SCAMP_PORT))
    .option('--boot-port <n>', 'boot ROM UDP port', String(DEFAULT_BOOT_PORT))
    .option('--allow-non-loopback', 'allow listening on an address outside 127.0.0.0/8', false)
    .action(async (o: { listen: string; shape: string; unbooted: boolean; scamp: string; maskErrors: boolean; port: string; bootPort: string; allowNonLoopback: boolean }) => {
      if (o.scamp !== '3.1.0' && o.scamp !== '4.0.0') throw new Error(`--scamp must be 3.1.0 or 4.0.0, got '${o.scamp}'`);
      const port = Number(o.port);
      const bootPort = Number(o.bootPort);
      for (const [name, v] of [
        ['--port', port],
        ['--boot-port', bootPort],
      ] as const) {
        if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`${name} must be a UDP port 0..65535`);
      }
      const emu = await startEmulator({
        listen: o.listen,
        shape: o.shape,
        unbooted: o.unbooted,
        scamp: o.scamp,
        maskErrors: o.maskErrors,
        port,
        bootPort,
        allowNonLoopback: o.allowNonLoopback,
      });
      const m = emu.machine;
      console.log(
        `emulated ${o.shape} board (${m.describe()}) ${o.unbooted ? 'waiting for a boot image' : `booted, SC&MP ${o.scamp}`}; ` +
          `SC&MP on ${emu.address}:${emu.port}, boot ROM on ${emu.address}:${emu.bootPort}. Ctrl-C stops it.`,
      );
      if (o.unbooted) {
        void emu.booted().then((b) => console.log(`booted: SC&MP ${b.version}`));
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await emu.close();
      const b = emu.board;
      console.log(
        `stopped after ${emu.counters.datagrams} datagrams` + (b ? `, ${b.stats.replies} replies, ${b.stats.ticks} board ticks` : ''),
      );
    });
}
