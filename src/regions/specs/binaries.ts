import type { BinarySpec, RegionSpec } from './types.js';
import { RECORDING_HEADER_FIELDS, SIMULATION_CONTROL, SYSTEM_REGION } from './common.js';

const neuronRegions = (plastic: boolean): RegionSpec[] => [
  SYSTEM_REGION,
  {
    id: 1, name: 'CORE_PARAMS', writtenBy: 'host', codec: 'coreParams',
    fields: [
      { name: 'has_key', type: 'bool32' }, { name: 'n_neurons', type: 'u32' },
      { name: 'n_neurons_peak', type: 'u32', note: '2^get_n_bits(max_atoms_per_core)' },
      { name: 'n_colour_bits', type: 'u32' }, { name: 'n_synapse_types', type: 'u32' },
      { name: 'ring_buffer_shifts', type: 'u32', count: 'n_synapse_types' },
      { name: 'neuron_keys', type: 'u32', count: 'n_neurons', note: 'base + (i << n_colour_bits)' },
    ],
  },
  {
    id: 2, name: 'NEURON_PARAMS', writtenBy: 'host+core', codec: 'ifCurrExpParams',
    note: 'struct-of-arrays by component; the core saves V and refract_timer back here on pause',
    fields: [
      { name: 'n_steps_per_timestep', type: 'u32' },
      ...(['V', 'V_rest', 'c_m', 'tau_m', 'I_offset', 'V_reset', 'tau_refrac'] as const).map((n) => ({ name: n, type: 's1615' as const, count: 'n_neurons (LIF block, 9 words per neuron)' })),
      { name: 'refract_timer', type: 'i32', count: 'n_neurons (LIF block)' },
      { name: 'time_step_ms', type: 's1615', count: 'n_neurons (LIF block)', note: 'quantised timestep' },
      { name: 'V_thresh', type: 's1615', count: 'n_neurons (threshold block)' },
      ...(['tau_syn_E', 'isyn_exc', 'tau_syn_I', 'isyn_inh', 'time_step_ms'] as const).map((n) => ({ name: n, type: 's1615' as const, count: 'n_neurons (synapse block, 5 words per neuron)' })),
    ],
  },
  { id: 3, name: 'CURRENT_SOURCE_PARAMS', writtenBy: 'host', codec: '(none: no current sources supported)', fields: [] },
  {
    id: 4, name: 'SYNAPSE_PARAMS', writtenBy: 'host', codec: 'synapseParams',
    fields: [
      { name: 'n_neurons', type: 'u32', note: 'max_atoms_per_core' }, { name: 'n_synapse_types', type: 'u32' },
      { name: 'log_n_neurons', type: 'u32' }, { name: 'log_n_synapse_types', type: 'u32' }, { name: 'log_max_delay', type: 'u32' },
      { name: 'drop_late_spikes', type: 'bool32' }, { name: 'incoming_spike_buffer_size', type: 'u32' },
      { name: 'ring_buffer_shifts', type: 'u32', count: 'n_synapse_types' },
    ],
  },
  {
    id: 5, name: 'POPULATION_TABLE', writtenBy: 'host', codec: 'masterPopTable',
    fields: [
      { name: 'table_length', type: 'u32' }, { name: 'addr_list_length', type: 'u32' },
      { name: 'key', type: 'u32', count: 'table_length (5-word entries, sorted by key)' },
      { name: 'mask', type: 'u32', count: 'table_length' },
      { name: 'start_colour_count', type: 'bitfield32', count: 'table_length', bits: [['start', 0, 13], ['n_colour_bits', 13, 3], ['count', 16, 16]] },
      { name: 'core_mask_shift', type: 'bitfield32', count: 'table_length', bits: [['core_mask', 0, 16], ['mask_shift', 16, 16]] },
      { name: 'n_neurons_words', type: 'bitfield32', count: 'table_length', bits: [['n_neurons', 0, 16], ['n_words', 16, 16]] },
      { name: 'address_list', type: 'bitfield32', count: 'addr_list_length', bits: [['row_length_minus_1', 0, 8], ['address_div_16', 8, 24]], note: '0xFFFFFF = invalid' },
    ],
  },
  {
    id: 6, name: 'SYNAPTIC_MATRIX', writtenBy: plastic ? 'host+core' : 'host', codec: 'buildSynapticMatrix / decodeSynapticMatrix',
    note: plastic
      ? 'plastic rows: [pp_size][prev_time u32][prev_trace s16|pad][weights u16 ×n, padded][num_fixed=0][num_plastic][control u16 ×n, padded]; written back after every pre spike'
      : 'static rows: [0][num_fixed][0][fixed words]; fixed word = weight:16 | delay:D | type:T | index:N',
    fields: [{ name: 'rows', type: 'bytes', count: 'n_pre_rows × (row_length + 3) words per matrix block, 16-byte aligned blocks' }],
  },
  ...(plastic
    ? [{
      id: 7, name: 'SYNAPSE_DYNAMICS', writtenBy: 'host' as const, codec: 'stdpRegion',
      fields: [
        { name: 'backprop_delay', type: 'bool32' as const },
        { name: 'tau_plus_lut_header', type: 'bitfield32' as const, bits: [['size', 0, 16], ['shift', 16, 16]] as [string, number, number][] },
        { name: 'tau_plus_lut', type: 'u16' as const, count: 'size (even)', note: 'floor(exp(-i·ts/tau+)·2048)' },
        { name: 'tau_minus_lut_header', type: 'bitfield32' as const, bits: [['size', 0, 16], ['shift', 16, 16]] as [string, number, number][] },
        { name: 'tau_minus_lut', type: 'u16' as const, count: 'size (even)' },
        { name: 'w_min', type: 's1615' as const, count: 'n_synapse_types (4-word groups)' },
        { name: 'w_max', type: 's1615' as const, count: 'n_synapse_types' },
        { name: 'A_plus', type: 's1615' as const, count: 'n_synapse_types', note: 'additive: × global weight scale; multiplicative: unscaled' },
        { name: 'A_minus', type: 's1615' as const, count: 'n_synapse_types' },
      ],
    }]
    : []),
  {
    id: 9, name: 'NEURON_RECORDING', writtenBy: 'host', codec: 'neuronRecording(nNeurons)',
    fields: [
      { name: 'n_recorded_vars', type: 'u32', note: '3 (v, gsyn_exc, gsyn_inh)' }, { name: 'n_bitfield_vars', type: 'u32', note: '1 (spikes)' },
      { name: 'word_var', type: 'bytes', count: 'n_recorded_vars', note: '{rate, n_neurons_recording, element_size, u16 index[ceil_even(n_neurons)]}' },
      { name: 'bitfield_var', type: 'bytes', count: 'n_bitfield_vars', note: '{rate, n_neurons_recording, u16 index[ceil_even(n_neurons)]}' },
    ],
  },
  { id: 10, name: 'PROVENANCE', writtenBy: 'core', codec: '(not decoded)', fields: [] },
  { id: 15, name: 'RECORDING', writtenBy: 'host+core', codec: 'recordingHeader', fields: RECORDING_HEADER_FIELDS },
  { id: 16, name: 'INITIAL_VALUES', writtenBy: 'core', codec: 'ifCurrExpParams', fields: [], note: 'copy of NEURON_PARAMS at time 0, same layout' },
];

const neuronChannels = [
  { id: 0, name: 'v', record: '{u32 time, n_rec × s1615 V before the update}' },
  { id: 1, name: 'gsyn_exc', record: '{u32 time, n_rec × s1615}' },
  { id: 2, name: 'gsyn_inh', record: '{u32 time, n_rec × s1615}' },
  { id: 3, name: 'spikes', record: '{u32 time, ceil(n_rec/32) bitfield words}, only ticks with a spike' },
  { id: 4, name: 'rewiring', record: 'not used' },
  { id: 5, name: 'packets-per-timestep', record: '{u32 time, u32 count}' },
];

const neuronKeys = 'neuron n of a core sends key_core + (n << n_colour_bits) + (time & colour_mask); n_colour_bits = 4 by default';

const neuronSources = ['neural_modelling/src/neuron/c_main.c', 'neuron.c', 'neuron_impl_standard.h', 'neuron_model_lif_impl.h',
  'synapse_types_exponential_impl.h', 'threshold_type_static.h', 'synapses.c', 'population_table_binary_search_impl.c'];

export const IF_CURR_EXP: BinarySpec = {
  binary: 'IF_curr_exp.aplx', app: 'IF_curr_exp', sources: [...neuronSources, 'synapse_dynamics_static_impl.c'],
  regions: neuronRegions(false), recordingChannels: neuronChannels, keys: neuronKeys, simulationControl: SIMULATION_CONTROL,
};

const stdpSources = (w: string) => [...neuronSources, 'plasticity/stdp/synapse_dynamics_stdp_mad_impl.c', 'timing_dependence/timing_pair_impl.c', w];

export const IF_CURR_EXP_STDP_ADDITIVE: BinarySpec = {
  binary: 'IF_curr_exp_stdp_mad_pair_additive.aplx', app: 'IF_curr_exp_stdp_mad_pair_additive',
  sources: stdpSources('weight_dependence/weight_additive_one_term_impl.c'),
  regions: neuronRegions(true), recordingChannels: neuronChannels, keys: neuronKeys, simulationControl: SIMULATION_CONTROL,
};

export const IF_CURR_EXP_STDP_MULTIPLICATIVE: BinarySpec = {
  binary: 'IF_curr_exp_stdp_mad_pair_multiplicative.aplx', app: 'IF_curr_exp_stdp_mad_pair_multiplicative',
  sources: stdpSources('weight_dependence/weight_multiplicative_impl.c'),
  regions: neuronRegions(true), recordingChannels: neuronChannels, keys: neuronKeys, simulationControl: SIMULATION_CONTROL,
};

export const REVERSE_IPTAG_MULTICAST_SOURCE: BinarySpec = {
  binary: 'reverse_iptag_multicast_source.aplx', app: 'reverse_iptag_multicast_source',
  sources: ['SpiNNFrontEndCommon c_common/models/reverse_iptag_multicast_source/src/reverse_iptag_multicast_source.c'],
  regions: [
    SYSTEM_REGION,
    {
      id: 1, name: 'CONFIGURATION', writtenBy: 'host', codec: 'ssaConfig',
      fields: ['apply_prefix', 'prefix', 'prefix_type', 'check_keys', 'has_key', 'key_space', 'mask', 'buffer_region_size',
        'space_before_data_request', 'return_tag_id', 'return_tag_dest', 'buffered_in_sdp_port', 'tx_offset'].map((name) => ({ name, type: 'u32' as const })),
    },
    { id: 2, name: 'RECORDING', writtenBy: 'host+core', codec: 'recordingHeader', fields: RECORDING_HEADER_FIELDS, note: '1 channel' },
    {
      id: 3, name: 'SEND_BUFFER', writtenBy: 'host', codec: 'encodeSendBuffer / decodeSendBuffer',
      fields: [{ name: 'packets', type: 'bytes', note: 'EIEIO: u16 header (count | 0x3800), u32 timestamp, count × u32 key; ≤ 272 bytes; then 0x4003 STOP if room' }],
    },
    { id: 4, name: 'PROVENANCE', writtenBy: 'core', codec: '(not decoded)', fields: [] },
  ],
  recordingChannels: [{ id: 0, name: 'spike history', record: '{u32 length, u32 time, packet bytes}' }],
  keys: 'atom a at tick t sends base + (a << n_colour_bits) + (t & colour_mask); keys are in the packets, the prefix is the vertex key',
  simulationControl: SIMULATION_CONTROL,
};

export const DELAY_EXTENSION: BinarySpec = {
  binary: 'delay_extension.aplx', app: 'delay_extension', sources: ['neural_modelling/src/delay_extension/delay_extension.c'],
  regions: [
    SYSTEM_REGION,
    {
      id: 1, name: 'DELAY_PARAMS', writtenBy: 'host', codec: 'delayParams',
      fields: [
        { name: 'has_key', type: 'bool32' }, { name: 'key', type: 'u32' }, { name: 'incoming_key', type: 'u32' }, { name: 'incoming_mask', type: 'u32' },
        { name: 'n_atoms', type: 'u32' }, { name: 'n_delay_stages', type: 'u32' }, { name: 'n_delay_in_a_stage', type: 'u32' },
        { name: 'clear_packets', type: 'bool32' }, { name: 'n_colour_bits', type: 'u32' },
      ],
    },
    { id: 2, name: 'PROVENANCE', writtenBy: 'core', codec: '(not decoded)', fields: [] },
    { id: 3, name: 'TDMA', writtenBy: 'host', codec: '(unused)', fields: [] },
  ],
  keys: 'stage d (0-based), neuron n: key + ((d·n_atoms + n) << n_colour_bits) | colour; MCPL with payload = count if count > 1',
  simulationControl: SIMULATION_CONTROL,
};

export const BINARY_SPECS: BinarySpec[] = [
  IF_CURR_EXP, IF_CURR_EXP_STDP_ADDITIVE, IF_CURR_EXP_STDP_MULTIPLICATIVE, REVERSE_IPTAG_MULTICAST_SOURCE, DELAY_EXTENSION,
];
