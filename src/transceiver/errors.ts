import { commandName, resultName } from '../protocol/constants.js';

/** Where a request went: the board's address, the chip and the core. */
export interface Target {
  board: string;
  x: number;
  y: number;
  p: number;
  cmd: number;
}

export type ScpErrorKind = 'rc' | 'timeout' | 'closed' | 'bad-reply' | 'socket';

function where(t: Target): string {
  const chip = t.x === 255 && t.y === 255 ? 'the root chip (255,255)' : `chip (${t.x},${t.y})`;
  return `${commandName(t.cmd)} to ${chip} core ${t.p}`;
}

/**
 * Any failure of an SCP request. The message names the board, the chip, the
 * core, the command and what went wrong, so it can be shown to users as is.
 */
export class ScpError extends Error {
  readonly kind: ScpErrorKind;
  readonly target: Target;
  /** The return code, for kind 'rc'. */
  readonly rc?: number;

  constructor(kind: ScpErrorKind, target: Target, message: string, rc?: number) {
    super(message);
    this.name = 'ScpError';
    this.kind = kind;
    this.target = target;
    if (rc !== undefined) this.rc = rc;
  }

  static returnCode(t: Target, rc: number, detail?: string): ScpError {
    const msg = `board ${t.board}: ${where(t)} returned ${resultName(rc)}${detail ? `: ${detail}` : ''}`;
    return new ScpError('rc', t, msg, rc);
  }

  static timeout(t: Target, tries: number, timeoutMs: number, hint?: string): ScpError {
    const msg =
      `no reply from ${t.board} after ${tries} ${tries === 1 ? 'try' : 'tries'} of ${where(t)} ` +
      `(timeout ${(timeoutMs / 1000).toString()} s each): is the board on and reachable?${hint ? ` (${hint})` : ''}`;
    return new ScpError('timeout', t, msg);
  }

  static closed(t: Target): ScpError {
    return new ScpError('closed', t, `board ${t.board}: connection closed before ${where(t)} completed`);
  }

  static badReply(t: Target, detail: string): ScpError {
    return new ScpError('bad-reply', t, `board ${t.board}: bad reply to ${where(t)}: ${detail}`);
  }
}

/** Readable hints for return codes users meet most. */
export function rcHint(rc: number): string | undefined {
  switch (rc) {
    case 0x83:
      return 'the monitor does not know this command (application cores answer only VER, READ, WRITE and FILL)';
    case 0x84:
      return 'an argument is out of range';
    case 0x87:
      return 'the chip is not reachable (dead, or P2P routing not up yet)';
    case 0x88:
      return 'no such core on that chip';
    case 0x8b:
      return 'the target chip did not answer over P2P';
    default:
      return undefined;
  }
}
