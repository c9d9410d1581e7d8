/**
 * Data generation: the regions of every core, per firmware-specs, from a
 * network and its mapping. Pure (no I/O); the loader lays the regions out
 * with `buildCoreBlock` once it knows each block's SDRAM address.
 */
import type { MappedVertex, MappingResult } from '../mapping/index.js';
import { type Network, type STDPMechanism, delaySteps } from '../network/index.js';
import {
  type Connection, type MasterPopEntry, type RegionContent, type SupportedApp,
  buildSynapticMatrix, coreParams, encodeIfCurrExpNeuron, encodeSendBuffer, encodeWeight, ifCurrExpParams,
  makeCoreParams, makeIfCurrExpRecording, makeRecordingHeader, makeSsaConfig, makeStdpRegion, makeSystemRegion,
  masterPopTable, matrixToBytes, neuronRecording, nextAllowedAddress, recordingHeader, spikeKeysByTick, spikeTimeToTick,
  ssaConfig, stdpRegion, synapseParams, systemRegion, getNBits, bitfieldWords, MAX_KEYS_PER_PACKET, EIEIO_HEADER_BYTES,
  NEURON_REGIONS, SPIKE_SOURCE_REGIONS,
} from '../regions/index.js';
import { roundHalfEven } from '../fixed/encode.js';
import { RunError } from './errors.js';
import { type PostSynapseInfo, N_SYNAPSE_TYPES, postSynapseInfo, synapseTypeOf } from './synapses.js';

export const NeuronRegions = NEURON_REGIONS;
export const SourceRegions = SPIKE_SOURCE_REGIONS;
/** Recording channels of the neuron binaries. */
export const V_CHANNEL = 0;
export const SPIKE_CHANNEL = 3;
const NEURON_CHANNELS = 6;
const PROVENANCE_BYTES = 512;

/** One matrix block of a neuron core: the rows of one projection from one source core. */
export interface MatrixBlock {
  projection: number;
  /** Source machine vertex. */
  source: number;
  /** Byte offset from the start of the SYNAPTIC_MATRIX region. */
  offset: number;
  nRows: number;
  rowLength: number;
  plastic: boolean;
}

export interface NeuronCorePlan {
  kind: 'neuron';
  vertex: MappedVertex;
  app: SupportedApp;
  regions: (RegionContent | undefined)[];
  synapses: PostSynapseInfo;
  blocks: MatrixBlock[];
  matrixBytes: number;
  /** Neurons recorded (all of the slice, or none) per variable. */
  nRecV: number;
  nRecSpikes: number;
}

export interface SourceCorePlan {
  kind: 'spikeSource';
  vertex: MappedVertex;
  app: SupportedApp;
  regions: (RegionContent | undefined)[];
  /** Spike ticks of each atom of the slice. */
  spikeTicks: number[][];
  sendBufferBytes: number;
}

export type CorePlan = NeuronCorePlan | SourceCorePlan;

export interface GenerateOptions {
  /** Ticks each recording channel holds: runs longer than this are split into chunks. */
  recordingTicks: number;
  /** The partition's atoms per core (slices are contiguous runs of this many atoms). */
  maxAtomsPerCore: number;
  timeScaleFactor?: number;
}

export interface RunPlan {
  cores: CorePlan[];
  synapses: (PostSynapseInfo | undefined)[];
  timestepUs: number;
  recordingTicks: number;
}

export function timestepMicros(network: Network): number {
  const us = network.timestep * 1000;
  if (Math.abs(us - Math.round(us)) > 1e-9) {
    throw new RunError(`timestep ${network.timestep} ms is not a whole number of µs; the board's timer counts µs`);
  }
  return Math.round(us);
}

/** Bytes of a send buffer that holds every spike of these atoms, plus the STOP command, rounded to a word. */
function sendBufferBytesFor(spikeTicks: number[][], key: number, colourBits: number): number {
  const timed = spikeKeysByTick(spikeTicks, key, colourBits, 0, 2 ** 32);
  let n = 2;
  for (const t of timed) n += Math.ceil(t.keys.length / MAX_KEYS_PER_PACKET) * EIEIO_HEADER_BYTES + 4 * t.keys.length;
  return Math.max(4, Math.ceil(n / 4) * 4);
}

/** The send buffer of a spike source for ticks [first, end). */
export function sendBufferFor(core: SourceCorePlan, colourBits: number, first: number, end: number): Uint8Array {
  return encodeSendBuffer(spikeKeysByTick(core.spikeTicks, core.vertex.key, colourBits, first, end), core.sendBufferBytes);
}

export function generate(network: Network, mapping: MappingResult, opts: GenerateOptions): RunPlan {
  const timestepUs = timestepMicros(network);
  const tsf = opts.timeScaleFactor ?? 1;
  const maxAtomsPerCore = opts.maxAtomsPerCore;
  const synapses = postSynapseInfo(network, maxAtomsPerCore);
  const colourBits = mapping.keyLayout.colourBits;
  const nSources = mapping.vertices.filter((v) => v.kind === 'spikeSource').length;
  let sourceIndex = 0;

  // Bucket every projection's connections by (post vertex, source vertex).
  const buckets = bucketConnections(network, mapping, maxAtomsPerCore);

  const cores: CorePlan[] = mapping.vertices.map((v) => {
    const pop = network.populations[v.app]!;
    if (v.kind === 'spikeSource') {
      const spikeTicks: number[][] = [];
      for (let a = v.lo; a < v.hi; a++) spikeTicks.push(pop.spikeTimesOf(a).map((t) => spikeTimeToTick(t, timestepUs)));
      const sendBufferBytes = sendBufferBytesFor(spikeTicks, v.key, colourBits);
      const app: SupportedApp = 'reverse_iptag_multicast_source';
      const regions: (RegionContent | undefined)[] = [];
      regions[SourceRegions.SYSTEM] = { content: systemRegion.encode(makeSystemRegion(app, timestepUs, tsf)) };
      regions[SourceRegions.CONFIGURATION] = {
        content: ssaConfig.encode(makeSsaConfig({ key: v.key, mask: v.mask, sendBufferSize: sendBufferBytes, hardwareTimestepUs: timestepUs * tsf, nVertices: nSources, index: sourceIndex++ })),
      };
      regions[SourceRegions.RECORDING] = { content: recordingHeader.encode(makeRecordingHeader([0])) };
      regions[SourceRegions.SEND_BUFFER] = { reserved: sendBufferBytes };
      regions[SourceRegions.PROVENANCE] = { reserved: PROVENANCE_BYTES };
      return { kind: 'spikeSource', vertex: v, app, regions, spikeTicks, sendBufferBytes } satisfies SourceCorePlan;
    }
    const info = synapses[v.app]!;
    const n = v.hi - v.lo;
    const neurons = [];
    const p = (name: string) => pop.paramArray(name);
    const params = Object.fromEntries(['v', 'v_rest', 'v_reset', 'v_thresh', 'tau_m', 'cm', 'tau_refrac', 'i_offset', 'tau_syn_E', 'tau_syn_I'].map((k) => [k, p(k)]));
    for (let i = v.lo; i < v.hi; i++) {
      try {
        neurons.push(encodeIfCurrExpNeuron({
          v: params.v![i]!, v_rest: params.v_rest![i]!, v_reset: params.v_reset![i]!, v_thresh: params.v_thresh![i]!, tau_m: params.tau_m![i]!,
          cm: params.cm![i]!, tau_refrac: params.tau_refrac![i]!, i_offset: params.i_offset![i]!, tau_syn_E: params.tau_syn_E![i]!,
          tau_syn_I: params.tau_syn_I![i]!, isyn_exc: 0, isyn_inh: 0,
        }, network.timestep));
      } catch (e) {
        throw new RunError(`population '${pop.label}' neuron ${i}: ${(e as Error).message}`);
      }
    }
    const neuronParams = ifCurrExpParams.encode({ nStepsPerTimestep: 1, neurons });

    // Synaptic matrix and master population table.
    const blocks: MatrixBlock[] = [];
    const chunks: { offset: number; bytes: Uint8Array }[] = [];
    const entries: MasterPopEntry[] = [];
    let offset = 0;
    const mine = buckets.get(v.index) ?? new Map<number, Map<number, number[]>>();
    for (const s of [...mine.keys()].sort((a, b) => a - b)) {
      const src = mapping.vertices[s]!;
      const byProj = mine.get(s)!;
      const items = [];
      for (const pi of [...byProj.keys()].sort((a, b) => a - b)) {
        const proj = network.projections[pi]!;
        const c = proj.connections();
        const type = synapseTypeOf(proj);
        const scale = info.scales[type]!;
        const conns: Connection[] = byProj.get(pi)!.map((k) => {
          const w = typeof c.weight === 'number' ? c.weight : c.weight[k]!;
          const raw = roundHalfEven(Math.abs(w * scale));
          if (raw > 0xffff) throw new RunError(`projection '${proj.label}': weight ${w} nA does not fit the 16-bit synaptic word at scale ${scale}`);
          return {
            pre: c.pre[k]! - src.lo, post: c.post[k]! - v.lo, type,
            delaySteps: delaySteps(typeof c.delay === 'number' ? c.delay : c.delay[k]!, network.timestep),
            weight: encodeWeight(w, scale),
          };
        });
        const plastic = proj.synapse.kind === 'STDP';
        let m;
        try {
          m = buildSynapticMatrix({ nRows: src.hi - src.lo, connections: conns, layout: info.layout, plastic });
        } catch (e) {
          throw new RunError(`projection '${proj.label}' onto ${v.label}: ${(e as Error).message}`);
        }
        offset = nextAllowedAddress(offset);
        blocks.push({ projection: pi, source: s, offset, nRows: m.nRows, rowLength: m.rowLength, plastic });
        chunks.push({ offset, bytes: matrixToBytes(m) });
        items.push({ address: offset, rowLength: m.rowLength });
        offset += m.words.length * 4;
      }
      entries.push({ key: src.key, mask: src.mask, nColourBits: colourBits, coreMask: 0, maskShift: 0, nNeurons: src.hi - src.lo, items });
    }
    const matrixBytes = Math.ceil(offset / 4) * 4;
    const matrix = new Uint8Array(matrixBytes);
    for (const ch of chunks) matrix.set(ch.bytes, ch.offset);

    const rec = pop.recording;
    const nRecV = rec.has('v') ? n : 0;
    const nRecSpikes = rec.has('spikes') ? n : 0;
    const T = opts.recordingTicks;
    const spaces = new Array<number>(NEURON_CHANNELS).fill(0);
    spaces[V_CHANNEL] = nRecV ? T * (4 + 4 * nRecV) : 0;
    spaces[SPIKE_CHANNEL] = nRecSpikes ? T * (4 + 4 * bitfieldWords(nRecSpikes)) : 0;

    const regions: (RegionContent | undefined)[] = [];
    const R = NeuronRegions;
    regions[R.SYSTEM] = { content: systemRegion.encode(makeSystemRegion(info.app, timestepUs, tsf)) };
    regions[R.CORE_PARAMS] = {
      content: coreParams.encode(makeCoreParams({ baseKey: v.hasOutgoing ? v.key : null, nNeurons: n, maxAtomsPerCore, nColourBits: colourBits, ringBufferShifts: info.shifts })),
    };
    regions[R.NEURON_PARAMS] = { content: neuronParams };
    regions[R.SYNAPSE_PARAMS] = {
      content: synapseParams.encode({
        nNeurons: maxAtomsPerCore, nSynapseTypes: N_SYNAPSE_TYPES, logNNeurons: getNBits(maxAtomsPerCore), logNSynapseTypes: getNBits(N_SYNAPSE_TYPES),
        logMaxDelay: info.delayBits, dropLateSpikes: false, incomingSpikeBufferSize: 256, ringBufferShifts: info.shifts,
      }),
    };
    regions[R.POPULATION_TABLE] = { content: masterPopTable.encode({ entries }) };
    regions[R.SYNAPTIC_MATRIX] = { content: matrix };
    if (info.stdp) {
      const s = info.stdp;
      regions[R.SYNAPSE_DYNAMICS] = {
        content: stdpRegionBytes(network.timestep, s),
      };
    }
    regions[R.NEURON_RECORDING] = { content: neuronRecording(n).encode(makeIfCurrExpRecording(n, { v: nRecV > 0, spikes: nRecSpikes > 0 })) };
    regions[R.PROVENANCE] = { reserved: PROVENANCE_BYTES };
    regions[R.RECORDING] = { content: recordingHeader.encode(makeRecordingHeader(spaces)) };
    regions[R.INITIAL_VALUES] = { reserved: neuronParams.length };
    return { kind: 'neuron', vertex: v, app: info.app, regions, synapses: info, blocks, matrixBytes, nRecV, nRecSpikes } satisfies NeuronCorePlan;
  });
  return { cores, synapses, timestepUs, recordingTicks: opts.recordingTicks };
}


function stdpRegionBytes(timestepMs: number, s: STDPMechanism): Uint8Array {
  try {
    return stdpRegion.encode(makeStdpRegion({
      timestepMs,
      timing: { tau_plus: s.timing.tau_plus, tau_minus: s.timing.tau_minus, A_plus: s.timing.A_plus, A_minus: s.timing.A_minus },
      weight: { kind: s.weightDependence.kind === 'Additive' ? 'additive' : 'multiplicative', w_min: s.weightDependence.w_min, w_max: s.weightDependence.w_max },
      nSynapseTypes: N_SYNAPSE_TYPES,
    }));
  } catch (e) {
    throw new RunError(`STDP parameters: ${(e as Error).message}`);
  }
}

/** post vertex → source vertex → projection index → connection indices. */
function bucketConnections(network: Network, mapping: MappingResult, atomsPerCore: number): Map<number, Map<number, Map<number, number[]>>> {
  const out = new Map<number, Map<number, Map<number, number[]>>>();
  const popIndex = new Map(network.populations.map((p, i) => [p, i]));
  network.projections.forEach((proj, pi) => {
    const preVs = mapping.populationVertices[popIndex.get(proj.pre)!]!;
    const postVs = mapping.populationVertices[popIndex.get(proj.post)!]!;
    const c = proj.connections();
    for (let k = 0; k < c.n; k++) {
      const s = preVs[Math.floor(c.pre[k]! / atomsPerCore)]!;
      const t = postVs[Math.floor(c.post[k]! / atomsPerCore)]!;
      let bySource = out.get(t);
      if (!bySource) out.set(t, (bySource = new Map()));
      let byProj = bySource.get(s);
      if (!byProj) bySource.set(s, (byProj = new Map()));
      let list = byProj.get(pi);
      if (!list) byProj.set(pi, (list = []));
      list.push(k);
    }
  });
  return out;
}
