import type { Command } from 'commander';
import { loadConfig, type SpinnConfig } from '../config/index.js';
import { startEmulator, type EmulatedBoard } from '../emulator/index.js';
import { Transceiver } from '../transceiver/index.js';

/** Options every client command takes. */
export interface BoardOptions {
  board?: string;
  json?: boolean;
  config?: string;
  timeout?: string;
}

/** Adds --board, --json, --config and --timeout to a command. */
export function boardOptions(cmd: Command): Command {
  return cmd
    .option('-b, --board <ip|emulator>', 'board to talk to: an IP address, or "emulator" for the embedded emulator (default from spinnaker.config.json, else "emulator")')
    .option('--json', 'print machine-readable JSON')
    .option('-c, --config <file>', 'configuration file (default ./spinnaker.config.json)')
    .option('--timeout <s>', 'per-request time-out in seconds (default from the config, 0.5)');
}

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Starts the embedded emulator on loopback, with ephemeral ports. */
async function startEmbedded(cfg: SpinnConfig): Promise<EmulatedBoard> {
  try {
    return await startEmulator({ listen: cfg.emulator.listen, shape: cfg.emulator.shape, port: 0, bootPort: 0, unbooted: cfg.emulator.unbooted, scamp: cfg.emulator.scamp });
  } catch (e) {
    throw new UserError(`could not start the embedded emulator: ${(e as Error).message}`);
  }
}

export interface Session {
  tx: Transceiver;
  config: SpinnConfig;
  /** "emulator (spinn-5 on 127.0.0.1:40000)" or the board's address. */
  label: string;
  embedded: boolean;
  /** The boot ROM port to use (ephemeral for the embedded emulator). */
  bootPort: number;
}

/** Which board the options, SPINN_BOARD and the config name (in that order). */
export function chooseBoard(opts: BoardOptions, cfg: SpinnConfig): string {
  return opts.board ?? process.env.SPINN_BOARD ?? cfg.board;
}

/**
 * Opens the board the options name (starting the embedded emulator when it is
 * "emulator"), runs `fn`, and always closes both afterwards.
 */
export async function withBoard<T>(opts: BoardOptions, fn: (s: Session) => Promise<T>): Promise<T> {
  const config = loadConfig(opts.config);
  const board = chooseBoard(opts, config);
  let timeoutMs = config.transceiver.timeoutMs;
  if (opts.timeout !== undefined) {
    const t = Number(opts.timeout);
    if (!(t > 0)) throw new UserError(`--timeout must be a positive number of seconds, got "${opts.timeout}"`);
    timeoutMs = t * 1000;
  }
  let emulator: EmulatedBoard | undefined;
  let tx: Transceiver | undefined;
  try {
    let address = board;
    let port = config.transceiver.port;
    let label = board;
    if (board === 'emulator') {
      emulator = await startEmbedded(config);
      address = emulator.address;
      port = emulator.port;
      label = `emulator (${config.emulator.shape} on ${address}:${port})`;
    }
    tx = await Transceiver.open({ address, port, window: config.transceiver.window, timeoutMs, tries: config.transceiver.tries });
    return await fn({ tx, config, label, embedded: emulator !== undefined, bootPort: emulator?.bootPort ?? config.boot.port });
  } finally {
    await tx?.close().catch(() => {});
    await emulator?.close().catch(() => {});
  }
}
