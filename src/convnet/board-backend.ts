import type { SpinnConfig } from '../config/index.js';
import type { SpikeTrains } from '../datasets/spikes.js';
import {
  AdditiveWeightDependence, AllToAllConnector, MultiplicativeWeightDependence, ConvolutionConnector, FromListConnector, IF_curr_exp, Network, type Population,
  type Projection, SpikePairRule, SpikeSourceArray, STDPMechanism,
} from '../network/index.js';
import { Simulator } from '../run/index.js';
import type {
  BackendProgress, FixedConvLayer, InferenceResult, InferenceRun, LayerTrainingResult, LayerTrainingRun, SpikingBackend,
} from './backend.js';
import type { NeuronParams } from './params.js';
import type { Shape3 } from './windowing.js';

/**
 * The SpikingBackend on a SpiNNaker board or the embedded emulator, through
 * src/network + src/run: each call builds the PyNN-like network the contract
 * in backend.ts describes, maps, loads and runs it from a fresh state, and
 * reads back spikes, voltages and the plastic weights as the board stores
 * them.
 *
 * Runs are split into chunks of `chunkMs` ticks (one Simulator.run each, so
 * recordings are extracted and send buffers rewritten in between), which is
 * also where progress is reported.
 */
export interface BoardBackendOptions {
  /** "emulator" (default from SPINN_BOARD, then the config) or a board's IP address. */
  board?: string;
  config?: SpinnConfig | string;
  /** Progress bars of the run pipeline itself (load, extract); the backend reports run progress through its callback. */
  progress?: boolean | 'auto';
  /** Ticks per Simulator.run call (default: the run split into ~40 chunks, 1,000..20,000 ticks). */
  chunkMs?: number;
  /** Spikes one SpikeSourceArray call may carry: its send buffers must fit the board's SDRAM (default 4·10⁶). */
  maxSourceSpikes?: number;
  emulatorShape?: string;
}

export class BoardBackendError extends Error {
  override name = 'BoardBackendError';
}

/** Connection and wall-time figures of the last call, for benchmarks. */
export interface BoardCallTimes {
  connectMs: number;
  mapMs: number;
  generateMs: number;
  loadMs: number;
  runMs: number;
  extractMs: number;
  readWeightsMs: number;
  ticks: number;
}

function cellParams(p: NeuronParams): Parameters<typeof IF_curr_exp>[0] {
  return {
    tau_m: p.tau_m, cm: p.cm, v_rest: p.v_rest, v_reset: p.v_reset, v_thresh: p.v_thresh, tau_refrac: p.tau_refrac,
    tau_syn_E: p.tau_syn_E, tau_syn_I: p.tau_syn_I, i_offset: p.i_offset, v: p.v_rest,
  };
}

function countTrains(trains: SpikeTrains): number {
  let n = 0;
  for (const t of trains) n += t.length;
  return n;
}

/**
 * Board numbering of a feature map is map-major ((c·H + y)·W + x, as the
 * ConvolutionConnector numbers neurons); the contract's is map-fastest
 * ((y·W + x)·C + c). These convert spike trains between the two.
 */
export function toMapMajor(trains: SpikeTrains, [H, W, C]: Shape3): SpikeTrains {
  const out: SpikeTrains = new Array(H * W * C);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) out[(c * H + y) * W + x] = trains[(y * W + x) * C + c] ?? [];
  return out;
}

export function fromMapMajor(trains: SpikeTrains, [H, W, C]: Shape3): SpikeTrains {
  const out: SpikeTrains = new Array(H * W * C);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) out[(y * W + x) * C + c] = trains[(c * H + y) * W + x] ?? [];
  return out;
}

/** Kernel weights [k][(dy·kw + dx)·C + c] → the ConvolutionConnector's flat [k][c][dy][dx]. */
function convKernel(l: FixedConvLayer): Float64Array {
  const [kh, kw] = l.shape;
  const C = l.input[2];
  const K = l.output[2];
  const n = kh * kw * C;
  const out = new Float64Array(K * n);
  for (let k = 0; k < K; k++)
    for (let c = 0; c < C; c++)
      for (let dy = 0; dy < kh; dy++) for (let dx = 0; dx < kw; dx++) out[((k * C + c) * kh + dy) * kw + dx] = l.weights[k * n + (dy * kw + dx) * C + c]!;
  return out;
}

export class BoardBackend implements SpikingBackend {
  readonly name: string;
  /** Figures of the last trainLayer / runInference call. */
  lastTimes: BoardCallTimes | undefined;
  /** Called with the figures of every finished call. */
  onCallTimes: ((t: BoardCallTimes) => void) | undefined;

  constructor(private readonly opts: BoardBackendOptions = {}) {
    this.name = `board (${opts.board ?? process.env.SPINN_BOARD ?? 'config'})`;
  }

  private chunk(total: number): number {
    if (this.opts.chunkMs) return this.opts.chunkMs;
    return Math.min(20000, Math.max(1000, Math.ceil(total / 40)));
  }

  private checkSources(what: string, spikes: number): void {
    const max = this.opts.maxSourceSpikes ?? 4_000_000;
    if (spikes > max) {
      throw new BoardBackendError(
        `${what}: ${spikes} input spikes in one run exceed the ${max} its spike-source send buffers may hold; run fewer slots per call (the workflow's batch size)`,
      );
    }
  }

  private async session<T>(network: Network, durationMs: number, progress: BackendProgress | undefined, after: (sim: Simulator) => Promise<T>): Promise<T> {
    if (!Number.isInteger(durationMs) || durationMs < 1) throw new BoardBackendError(`durationMs must be a positive whole number of ms, got ${durationMs}`);
    const t0 = performance.now();
    const chunk = this.chunk(durationMs);
    const sim = await Simulator.connect({
      ...(this.opts.board !== undefined ? { board: this.opts.board } : {}),
      ...(this.opts.config !== undefined ? { config: this.opts.config } : {}),
      ...(this.opts.emulatorShape !== undefined ? { emulatorShape: this.opts.emulatorShape } : {}),
      progress: this.opts.progress ?? false,
      recordingTicks: chunk,
    });
    const connectMs = performance.now() - t0;
    try {
      let done = 0;
      progress?.(0, durationMs);
      while (done < durationMs) {
        const len = Math.min(chunk, durationMs - done);
        if (done === 0) await sim.run(network, len);
        else await sim.run(len);
        done += len;
        progress?.(done, durationMs);
      }
      const t1 = performance.now();
      const result = await after(sim);
      this.lastTimes = { connectMs, ...sim.times, readWeightsMs: performance.now() - t1, ticks: durationMs };
      this.onCallTimes?.(this.lastTimes);
      return result;
    } finally {
      await sim.end();
    }
  }

  /** Nothing to release: every call opens and ends its own Simulator. */
  async close(): Promise<void> {}

  async trainLayer(run: LayerTrainingRun, progress?: BackendProgress): Promise<LayerTrainingResult> {
    const nPre = run.source.length;
    const K = run.neurons.n;
    if (run.plastic.initialWeights.length !== nPre * K) {
      throw new BoardBackendError(`initialWeights has ${run.plastic.initialWeights.length} values; ${K} neurons × ${nPre} sources need ${nPre * K}`);
    }
    this.checkSources('layer training', countTrains(run.source) + (run.gate?.spikes.length ?? 0));
    const { stdp } = run.plastic;
    const net = new Network({ timestep: 1 });
    const src = net.population(nPre, SpikeSourceArray({ spikeTimes: run.source }), { label: 'window' });
    const post = net.population(K, IF_curr_exp(cellParams(run.neurons.params)), { label: 'kernels' });
    if (run.record?.spikes) post.record('spikes');
    if (run.record?.voltageOf?.length) post.record('v');
    const list: number[][] = [];
    for (let j = 0; j < K; j++) {
      for (let i = 0; i < nPre; i++) {
        const w = Math.min(stdp.w_max, Math.max(stdp.w_min, run.plastic.initialWeights[j * nPre + i]!));
        list.push([i, j, w, 1]);
      }
    }
    const plastic = net.projection(src, post, FromListConnector(list), {
      synapse: STDPMechanism({
        timing: SpikePairRule({ tau_plus: stdp.tau_plus, tau_minus: stdp.tau_minus, A_plus: stdp.A_plus, A_minus: stdp.A_minus }),
        weight_dependence: (run.plastic.weightDependence === 'multiplicative' ? MultiplicativeWeightDependence : AdditiveWeightDependence)({ w_min: stdp.w_min, w_max: stdp.w_max }),
      }),
      label: 'plastic',
    });
    if (run.inhibition > 0 && K > 1) {
      net.projection(post, post, AllToAllConnector({ allowSelfConnections: false }), { receptor: 'inhibitory', weight: run.inhibition, delay: 1, label: 'lateral' });
    }
    if (run.gate && run.gate.spikes.length > 0 && run.gate.weight > 0) {
      const gate = net.population(1, SpikeSourceArray({ spikeTimes: [run.gate.spikes] }), { label: 'gate' });
      net.projection(gate, post, AllToAllConnector(), { receptor: 'inhibitory', weight: run.gate.weight, delay: 1, label: 'gate' });
    }
    return this.session(net, run.durationMs, progress, async (sim) => {
      const weights = await readWeights(sim, plastic, nPre, K);
      const out: LayerTrainingResult = { weights };
      if (run.record?.spikes) out.spikes = sim.getSpikes(post);
      if (run.record?.voltageOf?.length) out.voltages = pickVoltages(sim, post, run.record.voltageOf);
      return out;
    });
  }

  async runInference(run: InferenceRun, progress?: BackendProgress): Promise<InferenceResult> {
    const [H, W, C] = run.input.shape;
    if (run.input.spikes.length !== H * W * C) throw new BoardBackendError(`input has ${run.input.spikes.length} spike trains; shape ${run.input.shape.join('×')} needs ${H * W * C}`);
    this.checkSources('inference', countTrains(run.input.spikes));
    const net = new Network({ timestep: 1 });
    let prev: Population = net.population(H * W * C, SpikeSourceArray({ spikeTimes: toMapMajor(run.input.spikes, run.input.shape) }), { label: 'input' });
    let prevShape: Shape3 = run.input.shape;
    const pops: Population[] = [];
    run.layers.forEach((l, i) => {
      if (l.input.join() !== prevShape.join()) throw new BoardBackendError(`layer ${i + 1} expects a ${l.input.join('×')} input but gets ${prevShape.join('×')}`);
      const [H1, W1, K] = l.output;
      const pop = net.population(H1 * W1 * K, IF_curr_exp(cellParams(l.params)), { label: `conv${i + 1}` });
      if (run.recordLayers.includes(i)) pop.record('spikes');
      if (run.recordVoltage?.layer === i) pop.record('v');
      net.projection(prev, pop, ConvolutionConnector({
        inputShape: l.input, outputShape: l.output, kernel: convKernel(l), kernelShape: [K, l.input[2], l.shape[0], l.shape[1]],
        stride: l.stride, skipZeros: true,
      }), { delay: 1, label: `conv${i + 1}` });
      if (l.inhibition > 0 && K > 1) {
        const list: number[][] = [];
        for (let y = 0; y < H1; y++) for (let x = 0; x < W1; x++)
          for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) if (a !== b) list.push([(a * H1 + y) * W1 + x, (b * H1 + y) * W1 + x]);
        net.projection(pop, pop, FromListConnector(list), { receptor: 'inhibitory', weight: l.inhibition, delay: 1, label: `inh${i + 1}` });
      }
      pops.push(pop);
      prev = pop;
      prevShape = l.output;
    });
    return this.session(net, run.durationMs, progress, async (sim) => {
      const out: InferenceResult = { spikes: run.recordLayers.map((i) => fromMapMajor(sim.getSpikes(pops[i]!), run.layers[i]!.output)) };
      if (run.recordVoltage) {
        const [H1, W1, K] = run.layers[run.recordVoltage.layer]!.output;
        // Contract numbering → board numbering of the asked neurons.
        const board = run.recordVoltage.neurons.map((n) => {
          const k = n % K;
          const pos = Math.floor(n / K);
          return (k * H1 + Math.floor(pos / W1)) * W1 + (pos % W1);
        });
        out.voltages = pickVoltages(sim, pops[run.recordVoltage.layer]!, board);
      }
      return out;
    });
  }
}

async function readWeights(sim: Simulator, proj: Projection, nPre: number, K: number): Promise<Float32Array> {
  const w = new Float32Array(nPre * K);
  const seen = new Uint8Array(nPre * K);
  for (const [pre, post, v] of await sim.getWeights(proj)) {
    w[post * nPre + pre] = v;
    seen[post * nPre + pre] = 1;
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new BoardBackendError(`the board returned no weight for synapse ${missing % nPre} → ${Math.floor(missing / nPre)}`);
  return w;
}

function pickVoltages(sim: Simulator, pop: Population, neurons: number[]): Float32Array[] {
  const v = sim.getV(pop);
  return neurons.map((n) => Float32Array.from(v[n] ?? []));
}
