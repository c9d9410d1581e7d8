import type { SpikeTrains } from '../datasets/spikes.js';
import type { NeuronParams, StdpParams } from './params.js';
import type { Shape3 } from './windowing.js';

/**
 * The narrow interface between SpikingConvNet and whatever runs the spiking
 * networks: the embedded emulator or a real board (through src/network +
 * src/run), or the host-side float reference in prototype/backend.ts.
 * Everything is in PyNN terms: populations of IF_curr_exp cells, a
 * SpikeSourceArray, projections with a weight per (pre, post) pair, 1 ms
 * timestep, every delay 1 ms, run for `durationMs` from a fresh network.
 *
 * Conventions:
 *  - Spike times are integer ms from the start of the run.
 *  - Weight matrices are row-major [post][pre]: w[post * nPre + pre], in nA.
 *    A weight of exactly 0 still means "connected" for plastic projections.
 *  - Feature-map neurons are numbered (y * width + x) * depth + k (map fastest).
 */

/** Layer training: a SpikeSourceArray of nPre sources → K neurons, pair-STDP, plus lateral inhibition. */
export interface LayerTrainingRun {
  /** Spike times of the nPre = kh*kw*C window sources, one window per slot, all slots concatenated. */
  source: SpikeTrains;
  /** The K IF_curr_exp neurons (one per kernel). */
  neurons: { n: number; params: NeuronParams };
  /** All-to-all source → neuron projection with STDPMechanism(SpikePairRule, Additive- or MultiplicativeWeightDependence (default additive)), delay 1. */
  plastic: { stdp: StdpParams; initialWeights: Float32Array; weightDependence?: 'additive' | 'multiplicative' | undefined };
  /** AllToAllConnector(allow_self_connections=False) among the K neurons, static, inhibitory receptor, delay 1. 0 = none. */
  inhibition: number;
  /**
   * Optional window-end gate: one more SpikeSourceArray neuron with these spike
   * times, connected to all K neurons by a static inhibitory projection of this
   * weight (nA), delay 1.
   */
  gate?: { spikes: number[]; weight: number };
  durationMs: number;
  /** What to record besides the final weights (for plots). */
  record?: { spikes?: boolean; voltageOf?: number[] };
}

export interface LayerTrainingResult {
  /** Final weights as read back from the board (quantised there), [post][pre]. */
  weights: Float32Array;
  /** Spikes of the K neurons, if recorded. */
  spikes?: SpikeTrains;
  /** Membrane voltage (mV per ms) of the neurons asked for in record.voltageOf, in that order. */
  voltages?: Float32Array[];
}

/** One trained layer rebuilt with fixed weights over the whole input. */
export interface FixedConvLayer {
  input: Shape3;
  output: Shape3;
  shape: [number, number];
  stride: number;
  /** K × (kh*kw*C) weights, [k][(dy*kw + dx)*C + c]; neuron (oy,ox,k) gets input (oy*s+dy, ox*s+dx, c) with w[k][...]. */
  weights: Float32Array;
  params: NeuronParams;
  /** Static inhibition (nA) between the K maps at one position, delay 1; 0 = none. */
  inhibition: number;
}

/** Inference: the input SpikeSourceArray (flattened image, one image per slot) → fixed conv layers. */
export interface InferenceRun {
  input: { shape: Shape3; spikes: SpikeTrains };
  layers: FixedConvLayer[];
  durationMs: number;
  /** Indices into `layers` whose spikes to return (usually just the last). */
  recordLayers: number[];
  /** Optional voltage recording: layer index and neuron indices (for plots). */
  recordVoltage?: { layer: number; neurons: number[] };
}

export interface InferenceResult {
  /** Per recorded layer (same order as recordLayers), spike trains of all its neurons. */
  spikes: SpikeTrains[];
  voltages?: Float32Array[];
}

export interface BackendProgress {
  (doneMs: number, totalMs: number): void;
}

export interface SpikingBackend {
  readonly name: string;
  trainLayer(run: LayerTrainingRun, progress?: BackendProgress): Promise<LayerTrainingResult>;
  runInference(run: InferenceRun, progress?: BackendProgress): Promise<InferenceResult>;
  close?(): Promise<void>;
}
