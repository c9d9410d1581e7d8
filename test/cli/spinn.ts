import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface SpinnResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The caller's environment without SPINN_BOARD, so the config file decides the board. */
export function envWithoutBoard(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.SPINN_BOARD;
  return env;
}

/** Runs the `spinn` CLI (src/cli/main.ts under tsx) in `cwd` to completion. */
export function spinn(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = envWithoutBoard()): Promise<SpinnResult> {
  return new Promise((resolve) => {
    const p = spawn(TSX, [join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
