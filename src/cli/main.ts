import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { AllocationError, ScpError } from '../transceiver/index.js';
import { UserError } from './board.js';
import { registerBoot } from './boot.js';
import { registerIobuf } from './iobuf.js';
import { registerMachine } from './machine.js';
import { registerEmulatorCommand } from './emulator.js';
import { registerDump, registerRead, registerWrite } from './memory.js';
import { registerPs } from './ps.js';
import { registerRoutes } from './routes.js';
import { registerRunCommand } from './run.js';
import { registerTags } from './tags.js';
import { registerVer } from './ver.js';
import { registerLoaddataCommand } from './loaddata.js';
import { registerTrainCommand } from './train.js';
import { registerTestCommand } from './test.js';
import { registerWorkflowCommand } from './workflow.js';

export function buildProgram(): Command {
  const program = new Command('spinn')
    .description('Talk to SpiNNaker boards (or the embedded emulator) over SDP/SCP')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerBoot(program);
  registerVer(program);
  registerMachine(program);
  registerPs(program);
  registerIobuf(program);
  registerRead(program);
  registerWrite(program);
  registerDump(program);
  registerTags(program);
  registerRoutes(program);
  registerRunCommand(program);
  registerLoaddataCommand(program);
  registerTrainCommand(program);
  registerTestCommand(program);
  registerWorkflowCommand(program);
  registerEmulatorCommand(program);
  return program;
}

/** Errors whose message is the whole story for a user: no stack trace. */
function isUserFacing(e: unknown): e is Error {
  return e instanceof UserError || e instanceof ScpError || e instanceof ConfigError || e instanceof AllocationError || e instanceof RangeError;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    if (isUserFacing(e) || !process.env.SPINN_DEBUG) {
      process.stderr.write(`spinn: ${(e as Error).message ?? String(e)}\n`);
      if (!isUserFacing(e)) process.stderr.write('(an unexpected error; run with SPINN_DEBUG=1 for details)\n');
    } else process.stderr.write(`spinn: ${(e as Error).stack}\n`);
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && /src[\\/]cli[\\/]main\.ts$/.test(process.argv[1]);
if (isMain) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`spinn: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
