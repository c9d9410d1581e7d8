import type { FieldSpec, RegionSpec } from './types.js';

export const PINNED = {
  sPyNNaker: { commit: 'f905ce88645756cecccfa2e32f4d343f2ed622b7', version: '1!7.1.1', nearestTag: '7.1.0' },
  SpiNNFrontEndCommon: { commit: '454694e0f7ac996582780bb99d9728b2451f153e', version: '1!7.1.1', nearestTag: '7.1.0' },
  SpiNNMan: { tag: '7.1.0' },
  spinnaker_tools: { tag: '7.1.0', scamp: '3.4.2' },
} as const;

export const DSG_HEADER_FIELDS: FieldSpec[] = [
  { name: 'magic', type: 'u32', note: '0xAD130AD6' },
  { name: 'version', type: 'u32', note: '0x00010000' },
  { name: 'regions', type: 'bytes', count: '32', note: 'each {pointer u32, checksum u32 (wrapped word sum), n_words u32}' },
];

export const SYSTEM_REGION: RegionSpec = {
  id: 0, name: 'SYSTEM', writtenBy: 'host', codec: 'systemRegion',
  fields: [
    { name: 'application_magic', type: 'u32', note: 'first 8 hex digits of md5(binary stem) as an integer' },
    { name: 'timer_period', type: 'u32', unit: 'us', note: 'timestep_us × time_scale_factor' },
    { name: 'control_sdp_port', type: 'u32', note: '1 (RUNNING_COMMAND_SDP_PORT)' },
  ],
  note: 'Run length is not here: it arrives by SDP CMD_RUNTIME (7).',
};

export const RECORDING_HEADER_FIELDS: FieldSpec[] = [
  { name: 'n_regions', type: 'u32' },
  { name: 'space', type: 'u32', count: 'n_regions (interleaved)', unit: 'bytes' },
  { name: 'size_missing', type: 'bitfield32', count: 'n_regions (interleaved)', bits: [['size', 0, 31], ['missing', 31, 1]] },
  { name: 'data', type: 'u32', count: 'n_regions (interleaved)', note: 'SDRAM pointer set by the core' },
];

export const SIMULATION_CONTROL =
  'SDP to port 1 of the core, SCP cmd_rc: CMD_RUNTIME 7 (arg1 = end tick, arg2 = infinite flag, arg3 = first tick, ' +
  'data[0] = sync steps; time := arg3 − 1; finishes when time >= arg1), then signal SYNC0 (first run) / SYNC1 alternately; ' +
  'after a run the core pauses (CPU state PAUSED); CMD_STOP 6 exits; PROVENANCE 8 stores provenance and exits; IOBUF_CLEAR 9.';
