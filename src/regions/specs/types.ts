/** Shapes of the machine-readable firmware specs (exported to firmware-specs/*.json). */
export type FieldType = 'u32' | 'i32' | 's1615' | 'u032' | 'u16' | 'i16' | 'bool32' | 'bitfield32' | 'bytes';

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Repeat count, as an expression over earlier fields or core facts (e.g. "n_neurons"). */
  count?: string;
  unit?: string;
  /** For bitfield words: [name, lsb, width] from the least significant bit. */
  bits?: [string, number, number][];
  note?: string;
}

export interface RegionSpec {
  id: number;
  name: string;
  writtenBy: 'host' | 'core' | 'host+core';
  /** Codec in src/regions that reads and writes it. */
  codec: string;
  fields: FieldSpec[];
  note?: string;
}

export interface BinarySpec {
  binary: string;
  app: string;
  /** sPyNNaker / FEC source of the binary in the pinned release. */
  sources: string[];
  regions: RegionSpec[];
  recordingChannels?: { id: number; name: string; record: string }[];
  keys: string;
  simulationControl: string;
}
