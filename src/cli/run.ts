import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/index.js';
import { NetworkError, parseNetworkJson } from '../network/index.js';
import { RunError, Simulator } from '../run/index.js';
import { ScpError } from '../transceiver/index.js';
import { UserError, chooseBoard } from './board.js';

interface RunOptions {
  board?: string;
  json?: boolean;
  config?: string;
  time?: string;
  progress?: boolean;
}

export interface RunOutput {
  populations: Record<string, { spikes?: number[][]; v?: number[][] }>;
  projections: Record<string, { weights: [number, number, number][] }>;
}

/** `spinn run NET.json`: map, load, run and extract a JSON network description. */
export function registerRunCommand(program: Command): void {
  program
    .command('run <network.json>')
    .description('Run a JSON network description on a board (or the embedded emulator) and print spikes, voltages and weights')
    .option('-b, --board <ip|emulator>', 'board to run on: an IP address, or "emulator" (default from SPINN_BOARD, then spinnaker.config.json)')
    .option('--json', 'print {"populations": {...}, "projections": {...}} as JSON')
    .option('-c, --config <file>', 'configuration file (default ./spinnaker.config.json)')
    .option('-t, --time <ms>', 'run time in ms (overrides the description\'s "run")')
    .option('--progress', 'show progress bars on stderr even when it is not a terminal')
    .action(async (file: string, opts: RunOptions) => {
      const out = await runNetworkFile(file, opts);
      if (opts.json) process.stdout.write(`${JSON.stringify(out.result)}\n`);
      else process.stdout.write(summary(out.result, out.ms, out.label));
    });
}

export async function runNetworkFile(file: string, opts: RunOptions): Promise<{ result: RunOutput; ms: number; label: string }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let sim: Simulator | undefined;
  try {
    const { network, runMs } = parseNetworkJson(text);
    const ms = opts.time !== undefined ? Number(opts.time) : runMs;
    if (ms === undefined) throw new UserError(`${file} has no "run" time; give one with --time <ms>`);
    const config = loadConfig(opts.config);
    sim = await Simulator.connect({ board: chooseBoard(opts, config), config, progress: opts.progress ? true : 'auto' });
    await sim.run(network, ms);
    const result: RunOutput = { populations: {}, projections: {} };
    for (const pop of network.populations) {
      const entry: RunOutput['populations'][string] = {};
      if (pop.recording.has('spikes')) entry.spikes = sim.getSpikes(pop);
      if (pop.recording.has('v')) entry.v = sim.getV(pop);
      if (entry.spikes || entry.v) result.populations[pop.label] = entry;
    }
    for (const proj of network.projections) result.projections[proj.label] = { weights: await sim.getWeights(proj) };
    return { result, ms, label: sim.label };
  } catch (e) {
    if (e instanceof NetworkError || e instanceof RunError || e instanceof ConfigError || e instanceof ScpError) throw new UserError(`${file}: ${e.message}`);
    throw e;
  } finally {
    await sim?.end();
  }
}

function summary(r: RunOutput, ms: number, label: string): string {
  const lines = [`ran ${ms} ms on ${label}`];
  for (const [name, p] of Object.entries(r.populations)) {
    if (p.spikes) {
      const n = p.spikes.reduce((s, t) => s + t.length, 0);
      const rate = p.spikes.length ? (n / p.spikes.length) * (1000 / ms) : 0;
      const first = p.spikes.slice(0, 3).map((t, i) => `  ${name}[${i}]: ${t.length ? t.slice(0, 10).join(', ') + (t.length > 10 ? ', ...' : '') : '(no spikes)'}`);
      lines.push(`${name}: ${n} spikes from ${p.spikes.length} neurons (${rate.toFixed(1)} Hz mean)`, ...first);
      if (p.spikes.length > 3) lines.push(`  ... ${p.spikes.length - 3} more neurons`);
    }
    if (p.v) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const vs of p.v) for (const x of vs) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      lines.push(`${name}: v recorded for ${p.v.length} neurons × ${p.v[0]?.length ?? 0} ticks, range ${lo} .. ${hi} mV`);
    }
  }
  for (const [name, p] of Object.entries(r.projections)) {
    const ws = p.weights.map((w) => w[2]);
    const mean = ws.length ? ws.reduce((a, b) => a + b, 0) / ws.length : 0;
    lines.push(`projection ${name}: ${ws.length} synapses, weights ${ws.length ? `${ws.reduce((a, b) => Math.min(a, b))} .. ${ws.reduce((a, b) => Math.max(a, b))} nA (mean ${mean.toPrecision(4)})` : '-'}`);
  }
  lines.push('(--json for the full data)');
  return `${lines.join('\n')}\n`;
}
