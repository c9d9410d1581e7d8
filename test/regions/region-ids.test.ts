import { describe, expect, it } from 'vitest';
import { BINARY_SPECS, NEURON_REGIONS, SPIKE_SOURCE_REGIONS } from '../../src/regions/index.js';

function regionsOf(binary: string): Record<string, number> {
  const spec = BINARY_SPECS.find((b) => b.binary === binary);
  if (!spec) throw new Error(`no spec for ${binary}`);
  return Object.fromEntries(spec.regions.map((r) => [r.name, r.id]));
}

describe('region numbers', () => {
  it('the neuron region numbers are the ones the STDP binary spec lists (static lacks only SYNAPSE_DYNAMICS)', () => {
    const stdp = regionsOf('IF_curr_exp_stdp_mad_pair_additive.aplx');
    for (const [name, id] of Object.entries(NEURON_REGIONS)) expect([name, stdp[name]]).toEqual([name, id]);
    const stat = regionsOf('IF_curr_exp.aplx');
    for (const [name, id] of Object.entries(NEURON_REGIONS)) if (name !== 'SYNAPSE_DYNAMICS') expect([name, stat[name]]).toEqual([name, id]);
  });

  it('the spike source region numbers are the ones its binary spec lists', () => {
    const ssa = regionsOf('reverse_iptag_multicast_source.aplx');
    for (const [name, id] of Object.entries(SPIKE_SOURCE_REGIONS)) expect([name, ssa[name]]).toEqual([name, id]);
  });
});
