/** Region numbers (the DSG header's region table index) of the binaries this toolchain writes for; BINARY_SPECS describes each region. */

/** IF_curr_exp (static and STDP). */
export const NEURON_REGIONS = {
  SYSTEM: 0, CORE_PARAMS: 1, NEURON_PARAMS: 2, SYNAPSE_PARAMS: 4, POPULATION_TABLE: 5, SYNAPTIC_MATRIX: 6,
  SYNAPSE_DYNAMICS: 7, NEURON_RECORDING: 9, PROVENANCE: 10, RECORDING: 15, INITIAL_VALUES: 16,
} as const;

/** reverse_iptag_multicast_source (SpikeSourceArray). */
export const SPIKE_SOURCE_REGIONS = { SYSTEM: 0, CONFIGURATION: 1, RECORDING: 2, SEND_BUFFER: 3, PROVENANCE: 4 } as const;
