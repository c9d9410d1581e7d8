/** Spawning Brian2 (Debian's python3-brian under /usr/bin/python3) on a workload file. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BrianResult {
  brian2: string;
  target: string;
  import_s: number;
  /** The short first run: code generation and compilation (or loading from the cache). */
  warmup_s: number;
  /** The fastest of the timed full runs. */
  run_s: number;
  run_times_s: number[];
  /** The smallest CPU time (process_time) of the timed runs. */
  cpu_s: number;
  cpu_times_s: number[];
  neuron_updates: number;
  events: number;
  post_spikes: number;
  mean_weight_nA?: number;
  cache_dir: string | null;
}

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'run_network.py');

export function brianPython(): string {
  return process.env.BRIAN2_PYTHON ?? '/usr/bin/python3';
}

export function runBrian(workloadPath: string, target: 'cython' | 'numpy' = 'cython', repeats = 1): BrianResult {
  const py = brianPython();
  if (!existsSync(py)) throw new Error(`${py} not found: install Debian's python3-brian (apt-get install python3-brian python3-numpy cython3 g++) or set BRIAN2_PYTHON`);
  const r = spawnSync(py, [SCRIPT, workloadPath, '--target', target, '--repeats', String(repeats)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    const err = (r.stderr || '').trim().split('\n').slice(-8).join('\n');
    throw new Error(`Brian2 (${py} ${SCRIPT}) failed with status ${r.status}:\n${err}\n` +
      'Brian2 must be importable by that interpreter (Debian: apt-get install python3-brian python3-numpy cython3 g++).');
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as BrianResult;
}

export const sci = (x: number) => x.toExponential(2).replace('e+', 'e');
export const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
