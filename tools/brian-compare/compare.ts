/**
 * Float reference check: the same small network in Brian2 (float state,
 * exact integration; Debian's python3-brian) and on the emulated board
 * (the firmware's fixed point), and how closely the spike times agree.
 *
 *   npx tsx tools/brian-compare/compare.ts [NET.json ...]
 *
 * Without arguments it compares the issue-3 example and a built-in network
 * (constant drives from 0.8 to 2.0 nA; random input spikes through 0.15 nA synapses).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNetworkJson } from '../../src/network/index.js';
import { Simulator } from '../../src/run/index.js';

const here = import.meta.dirname;
const PYTHON = process.env.BRIAN_PYTHON ?? '/usr/bin/python3';

function builtIn(): string {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const inputs = Array.from({ length: 20 }, () => {
    const t: number[] = [];
    for (let x = 0; x < 1000; x++) if (rnd() < 0.02) t.push(x);
    return t;
  });
  const net = {
    timestep: 1.0, run: 1000,
    populations: [
      { label: 'drive', size: 20, cell: 'IF_curr_exp', params: { i_offset: Array.from({ length: 20 }, (_, i) => 0.8 + (1.2 * i) / 19), tau_refrac: 2 }, record: ['spikes'] },
      { label: 'inputs', size: 20, cell: 'SpikeSourceArray', params: { spike_times: inputs } },
      { label: 'driven', size: 20, cell: 'IF_curr_exp', params: { i_offset: 0.5, tau_refrac: 2, tau_syn_E: 5 }, record: ['spikes'] },
    ],
    projections: [{ pre: 'inputs', post: 'driven', connector: { type: 'AllToAll' }, receptor: 'excitatory', weight: 0.15, delay: 1 }],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'brian-compare-')), 'builtin.json');
  writeFileSync(file, JSON.stringify(net));
  return file;
}

interface Stats { emu: number; brian: number; matched: number; exact: number; within1: number; meanAbs: number; maxAbs: number; meanSigned: number }

/** Pairs spikes neuron by neuron (nearest unused within 10 ms, in order). */
function compare(a: number[][], b: number[][]): Stats {
  let emu = 0, brian = 0, matched = 0, exact = 0, within1 = 0, sumAbs = 0, sumSigned = 0, maxAbs = 0;
  a.forEach((ea, i) => {
    const eb = b[i] ?? [];
    emu += ea.length;
    brian += eb.length;
    let j = 0;
    for (const t of ea) {
      while (j < eb.length && eb[j]! < t - 10) j++;
      if (j < eb.length && Math.abs(eb[j]! - t) <= 10) {
        const d = t - eb[j]!;
        matched++;
        if (d === 0) exact++;
        if (Math.abs(d) <= 1) within1++;
        sumAbs += Math.abs(d);
        sumSigned += d;
        maxAbs = Math.max(maxAbs, Math.abs(d));
        j++;
      }
    }
  });
  return { emu, brian, matched, exact, within1, meanAbs: matched ? sumAbs / matched : 0, maxAbs, meanSigned: matched ? sumSigned / matched : 0 };
}

const files = process.argv.slice(2);
if (files.length === 0) files.push(join(here, '..', '..', 'examples', 'issue3.json'), builtIn());
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const brianOut = execFileSync(PYTHON, [join(here, 'run_brian.py'), file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const brian = JSON.parse(brianOut.trim().split('\n').pop()!) as Record<string, number[][]>;
  const { network, runMs } = parseNetworkJson(text);
  const sim = await Simulator.connect({ progress: false });
  try {
    await sim.run(network, runMs!);
    console.log(`${file.replace(/^.*[\\/]/, '')} (${runMs} ms, timestep ${network.timestep} ms)`);
    for (const pop of network.populations) {
      if (!pop.recording.has('spikes') || pop.cell.kind !== 'IF_curr_exp') continue;
      const emu = sim.getSpikes(pop);
      const br = brian[pop.label] ?? [];
      const s = compare(emu, br);
      const firsts = emu.map((t, i) => (t.length && br[i]?.length ? t[0]! - br[i]![0]! : null)).filter((x): x is number => x !== null);
      const isi = (ts: number[][]) => {
        let sum = 0, n = 0;
        for (const t of ts) if (t.length > 1) { sum += t[t.length - 1]! - t[0]!; n += t.length - 1; }
        return n ? sum / n : NaN;
      };
      console.log(
        `  ${pop.label}: emulator ${s.emu} spikes, Brian2 ${s.brian}; matched ${s.matched}: ${s.exact} at the same ms, ${s.within1} within 1 ms; ` +
          `mean |Δt| ${s.meanAbs.toFixed(2)} ms, max ${s.maxAbs} ms, mean Δt (emulator − Brian2) ${s.meanSigned >= 0 ? '+' : ''}${s.meanSigned.toFixed(2)} ms`,
      );
      console.log(
        `    first spikes: ${firsts.filter((d) => d === 0).length}/${firsts.length} at the same ms, mean |Δt| ${(firsts.reduce((a, d) => a + Math.abs(d), 0) / Math.max(1, firsts.length)).toFixed(2)} ms; ` +
          `mean ISI emulator ${isi(emu).toFixed(2)} ms, Brian2 ${isi(br).toFixed(2)} ms`,
      );
    }
  } finally {
    await sim.end();
  }
}
