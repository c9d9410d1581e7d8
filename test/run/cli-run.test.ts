/** `spinn run` as a user runs it: a spawned process against the embedded emulator. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNetworkJson } from '../../src/network/index.js';
import { Simulator } from '../../src/run/index.js';
import { ROOT, spinn as spinnIn } from '../cli/spinn.js';

const example = join(ROOT, 'examples', 'issue3.json');
/** Unlike the CLI tests, these keep SPINN_BOARD from the environment. */
const spinn = (args: string[]) => spinnIn(args, ROOT, { ...process.env });

function variant(change: (net: any) => void): string {
  const net = JSON.parse(readFileSync(example, 'utf8'));
  change(net);
  const file = join(mkdtempSync(join(tmpdir(), 'spinn-run-')), 'net.json');
  writeFileSync(file, JSON.stringify(net));
  return file;
}

describe('spinn run', () => {
  it('--json prints spikes and V per neuron and read-back weights, equal to the library run', async () => {
    const r = await spinn(['run', example, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.populations)).toEqual(['lif']);
    expect(out.populations.lif.v).toHaveLength(1);
    expect(out.populations.lif.v[0]).toHaveLength(100);
    const { network } = parseNetworkJson(readFileSync(example, 'utf8'));
    const sim = await Simulator.connect({ progress: false });
    try {
      await sim.run(network, 100);
      const lif = network.getPopulation('lif');
      expect(out.populations.lif.spikes).toEqual(sim.getSpikes(lif));
      expect(out.populations.lif.v).toEqual(sim.getV(lif));
      const label = network.projections[0]!.label;
      expect(out.projections[label].weights).toEqual(await sim.getWeights(network.projections[0]!));
      expect(out.projections[label].weights).toEqual([[0, 0, 0.5], [1, 0, 0.5]]);
    } finally {
      await sim.end();
    }
  }, 60000);

  it('prints a readable summary without --json', async () => {
    const r = await spinn(['run', example]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ran 100 ms on emulator/);
    expect(r.stdout).toMatch(/lif: \d+ spikes from 1 neurons/);
  }, 60000);

  const bad: [string, (n: any) => void, RegExp][] = [
    ['an unknown cell parameter', (n) => (n.populations[1].params = { tau_mem: 3 }), /unknown parameter 'tau_mem' for IF_curr_exp/],
    ['a negative delay', (n) => (n.projections[0].delay = -2), /delay/],
    ['a delay beyond what is supported', (n) => (n.projections[0].delay = 500), /beyond what is supported/],
    ['a run of 0 ms', (n) => (n.run = 0), /run time must be a positive number of ms/],
    ['a network too big', (n) => (n.populations[1].size = 1000 * 256), /does not fit/],
    ['STDP w_min > w_max', (n) => (n.projections[0].synapse = { type: 'STDP', timing: { type: 'SpikePairRule' }, weight_dependence: { type: 'Additive', w_min: 1, w_max: 0 } }), /w_min/],
    ['a weight outside [w_min, w_max]', (n) => (n.projections[0].synapse = { type: 'STDP', timing: { type: 'SpikePairRule' }, weight_dependence: { type: 'Additive', w_min: 0, w_max: 0.1 } }), /outside the STDP range/],
  ];
  for (const [what, change, message] of bad) {
    it(`refuses ${what} with one clear line and exit code 1`, async () => {
      const r = await spinn(['run', variant(change), '--json']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toMatch(/unexpected error/);
    }, 60000);
  }
});
