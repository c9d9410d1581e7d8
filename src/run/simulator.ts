/**
 * The toolchain proper, PyNN-like: validate → map → generate → load → run
 * → extract, and further runs that continue from the state reached.
 *
 *   const sim = await Simulator.connect({ board: 'emulator' });
 *   await sim.run(network, 100);   // map, load, run 100 ms
 *   await sim.run(50);             // continue to 150 ms
 *   sim.getSpikes(pop); sim.getV(pop); await sim.getWeights(proj);
 *   await sim.end();
 */
import { type SpinnConfig, loadConfig } from '../config/index.js';
import { startEmulator, type EmulatedBoard } from '../emulator/index.js';
import { createFirmwareRegistry } from '../emulator/apps/registry.js';
import { decodeS1615 } from '../fixed/encode.js';
import type { Machine } from '../machine/index.js';
import { type MappingResult, mapNetwork } from '../mapping/index.js';
import { type Network, type Population, type Projection, NetworkError, checkRunTime } from '../network/index.js';
import {
  SimulationCommand, RUNNING_COMMAND_SDP_PORT, bitfieldWords, decodeSpikeRecords, decodeSynapticMatrix, decodeWordRecords,
  recordingHeader, runtimeCommandArgs, ROW_HEADER_WORDS,
} from '../regions/index.js';
import { CoreState, Transceiver, isLoopbackIPv4 } from '../transceiver/index.js';
import { RunError } from './errors.js';
import { type NeuronCorePlan, type RunPlan, type SourceCorePlan, NeuronRegions, SourceRegions, SPIKE_CHANNEL, V_CHANNEL, generate, sendBufferFor, timestepMicros } from './generate.js';
import { ImageSource, binariesDir } from './images.js';
import { type LoadedCore, inBatches, loadPlan, waitForState } from './load.js';
import { type Progress, makeProgress } from './progress.js';

export interface ConnectOptions {
  /** "emulator" (the embedded emulator, started on loopback) or a board's IP address. Default: SPINN_BOARD, else the config's board. */
  board?: string;
  /** A configuration object, or the path of a spinnaker.config.json (default: ./spinnaker.config.json if present). */
  config?: SpinnConfig | string;
  /** Progress bars on stderr: true, false, or 'auto' (only on a terminal; the default). */
  progress?: boolean | 'auto';
  /** Application id used for every core (1..255). Default 30. */
  appId?: number;
  /** Atoms per core (default 256). */
  maxAtomsPerCore?: number;
  /** Ticks each recording buffer holds at least; longer runs are split into runs of this length. Default 1000. */
  recordingTicks?: number;
  /** Recording bytes one core may reserve (caps recordingTicks). Default 8 MiB. */
  recordingBudgetBytes?: number;
  /** Wall-clock allowance per tick when waiting for a run to end, as a multiple of the timestep. Default 50. */
  timeoutFactor?: number;
  /** Shape of the embedded emulator (default from the config, spinn-5). */
  emulatorShape?: string;
}

export interface StepTimes {
  mapMs: number;
  generateMs: number;
  loadMs: number;
  runMs: number;
  extractMs: number;
}

interface PopRecord {
  /** Spike ticks per neuron. */
  spikes: number[][];
  /** Raw s16.15 V per neuron, one per recorded tick. */
  v: number[][];
}

/** The emulator binds IPv4 loopback only, so these are the addresses it can be at. */
const isEmulatorAddress = (a: string) => isLoopbackIPv4(a) || a === 'localhost';

export class Simulator {
  private network: Network | undefined;
  private mapping: MappingResult | undefined;
  private plan: RunPlan | undefined;
  private cores: LoadedCore[] = [];
  private tick = 0;
  private runs = 0;
  private failed: Error | undefined;
  private records = new Map<Population, PopRecord>();
  private readonly progress: Progress;
  readonly times: StepTimes = { mapMs: 0, generateMs: 0, loadMs: 0, runMs: 0, extractMs: 0 };

  private constructor(
    readonly tx: Transceiver,
    readonly config: SpinnConfig,
    readonly label: string,
    private readonly target: 'emulator' | 'board',
    private readonly emulator: EmulatedBoard | undefined,
    private readonly opts: ConnectOptions,
  ) {
    this.progress = makeProgress(opts.progress);
  }

  /** Opens the board (starting the embedded emulator for "emulator"). */
  static async connect(opts: ConnectOptions = {}): Promise<Simulator> {
    const config = typeof opts.config === 'object' ? opts.config : loadConfig(opts.config);
    const board = opts.board ?? process.env.SPINN_BOARD ?? config.board;
    let emulator: EmulatedBoard | undefined;
    let address = board;
    let port = config.transceiver.port;
    if (board === 'emulator') {
      emulator = await startEmulator({
        listen: config.emulator.listen, shape: opts.emulatorShape ?? config.emulator.shape, port: 0, bootPort: 0,
        scamp: config.emulator.scamp, registry: createFirmwareRegistry(),
      });
      address = emulator.address;
      port = emulator.port;
    }
    try {
      const tx = await Transceiver.open({ address, port, window: config.transceiver.window, timeoutMs: config.transceiver.timeoutMs, tries: config.transceiver.tries });
      const label = emulator ? `emulator (${opts.emulatorShape ?? config.emulator.shape} on ${address}:${port})` : address;
      return new Simulator(tx, config, label, emulator || isEmulatorAddress(address) ? 'emulator' : 'board', emulator, opts);
    } catch (e) {
      await emulator?.close().catch(() => {});
      throw e;
    }
  }

  get appId(): number {
    return this.opts.appId ?? 30;
  }

  /** Simulated time so far, in ms. */
  get timeMs(): number {
    return this.network ? this.tick * this.network.timestep : 0;
  }

  get mappingResult(): MappingResult | undefined {
    return this.mapping;
  }

  get runPlan(): RunPlan | undefined {
    return this.plan;
  }

  /** The embedded emulator, when this simulator started one. */
  get embedded(): EmulatedBoard | undefined {
    return this.emulator;
  }

  /**
   * First call: `run(network, ms)` validates, maps, loads and runs. Later
   * calls: `run(ms)` (or the same network again) continue from the state reached.
   */
  async run(networkOrMs: Network | number, ms?: number): Promise<void> {
    if (this.failed) throw new RunError(`an earlier run failed (${this.failed.message}); end this simulator and start again`);
    let network: Network;
    let runMs: number;
    if (typeof networkOrMs === 'number') {
      if (!this.network) throw new RunError('the first run needs the network: sim.run(network, ms)');
      network = this.network;
      runMs = networkOrMs;
    } else {
      network = networkOrMs;
      if (this.network && this.network !== network) throw new RunError('this simulator already runs another network; call end() and connect again for a new one');
      if (ms === undefined) throw new RunError('run(network, ms) needs the run time in ms');
      runMs = ms;
    }
    const ticks = toUserError(() => checkRunTime(runMs, network.timestep));
    if (!this.network) await this.setUp(network, ticks);
    try {
      await this.runTicks(ticks);
    } catch (e) {
      this.failed = e as Error;
      throw e;
    }
  }

  private async setUp(network: Network, firstTicks: number): Promise<void> {
    const maxAtomsPerCore = this.opts.maxAtomsPerCore ?? 256;
    const t0 = performance.now();
    const machine: Machine = await this.tx.getMachine();
    timestepMicros(network);
    const mapping = toUserError(() => mapNetwork(network, machine, { maxAtomsPerCore, limits: { delayExtensions: false } }));
    const t1 = performance.now();
    const recordingTicks = this.recordingTicks(network, firstTicks, maxAtomsPerCore);
    const plan = toUserError(() => generate(network, mapping, { recordingTicks, maxAtomsPerCore }));
    const images = new ImageSource(binariesDir(this.config), this.target);
    for (const app of new Set(plan.cores.map((c) => c.app))) images.image(app);
    const t2 = performance.now();
    this.times.mapMs += t1 - t0;
    this.times.generateMs += t2 - t1;
    // Nothing has been sent to the board before this point.
    this.network = network;
    this.mapping = mapping;
    this.plan = plan;
    for (const p of network.populations) this.records.set(p, { spikes: Array.from({ length: p.size }, () => []), v: Array.from({ length: p.size }, () => []) });
    const colourBits = mapping.keyLayout.colourBits;
    const firstEnd = Math.min(firstTicks, recordingTicks);
    try {
      this.cores = await loadPlan(this.tx, plan, mapping, images, this.appId, this.progress, (c) => sendBufferFor(c, colourBits, 0, firstEnd));
    } catch (e) {
      this.failed = e as Error;
      throw e;
    }
    this.times.loadMs += performance.now() - t2;
  }

  /** Ticks per run chunk: at least the first run (or opts.recordingTicks), within the per-core recording budget. */
  private recordingTicks(network: Network, firstTicks: number, maxAtoms: number): number {
    let perTick = 0;
    for (const p of network.populations) {
      const n = Math.min(p.size, maxAtoms);
      let b = 0;
      if (p.recording.has('v')) b += 4 + 4 * n;
      if (p.recording.has('spikes') && p.cell.kind === 'IF_curr_exp') b += 4 + 4 * bitfieldWords(n);
      perTick = Math.max(perTick, b);
    }
    const want = Math.max(firstTicks, this.opts.recordingTicks ?? 1000);
    if (perTick === 0) return want;
    const budget = this.opts.recordingBudgetBytes ?? 8 * 1024 * 1024;
    return Math.max(1, Math.min(want, Math.floor(budget / perTick)));
  }

  private async runTicks(ticks: number): Promise<void> {
    const plan = this.plan!;
    const net = this.network!;
    let remaining = ticks;
    const colourBits = this.mapping!.keyLayout.colourBits;
    while (remaining > 0) {
      const len = Math.min(remaining, plan.recordingTicks);
      const start = this.tick;
      const end = start + len;
      const t0 = performance.now();
      if (this.runs > 0) {
        const sources = this.cores.filter((c) => c.plan.kind === 'spikeSource');
        await inBatches(sources, 8, async (c) => {
          await this.tx.write(c.x, c.y, c.pointers[SourceRegions.SEND_BUFFER]!, sendBufferFor(c.plan as SourceCorePlan, colourBits, start, end));
        });
      }
      const cmd = runtimeCommandArgs({ endTick: end, infinite: false, startTick: start, syncSteps: 0 });
      await inBatches(this.cores, 8, async (c) => {
        await this.tx.conn.request({ x: c.x, y: c.y, p: c.p, port: RUNNING_COMMAND_SDP_PORT, cmd: SimulationCommand.RUNTIME, args: [cmd.arg1, cmd.arg2, cmd.arg3], data: cmd.data });
      });
      const sync1 = this.runs % 2 === 1;
      await waitForState(this.tx, this.cores, this.appId, sync1 ? CoreState.SYNC1 : CoreState.SYNC0, 10000, 'take the run command');
      await this.tx.sendSignal(sync1 ? 'SYNC1' : 'SYNC0', this.appId);
      const timeout = 10000 + len * net.timestep * (this.opts.timeoutFactor ?? 50);
      await waitForState(this.tx, this.cores, this.appId, CoreState.WAIT, timeout, `finish ticks ${start}..${end - 1}`);
      const t1 = performance.now();
      this.times.runMs += t1 - t0;
      await this.extract();
      this.times.extractMs += performance.now() - t1;
      this.tick = end;
      this.runs++;
      remaining -= len;
    }
  }

  /** Reads this run's recordings (headers, then data) and appends them. */
  private async extract(): Promise<void> {
    const net = this.network!;
    const neuronCores = this.cores.filter((c) => c.plan.kind === 'neuron' && (c.plan.nRecV > 0 || c.plan.nRecSpikes > 0));
    const bar = this.progress.step('extract', neuronCores.length);
    await inBatches(neuronCores, 8, async (c) => {
      const plan = c.plan as NeuronCorePlan;
      const pop = net.populations[plan.vertex.app]!;
      const rec = this.records.get(pop)!;
      const hdrAddr = c.pointers[NeuronRegions.RECORDING]!;
      const header = recordingHeader.decode(await this.tx.read(c.x, c.y, hdrAddr, 4 + 12 * 6));
      const channel = async (i: number) => {
        const ch = header.channels[i]!;
        if (ch.missing) throw new RunError(`${plan.vertex.label}: recording channel ${i} overflowed its ${ch.space} bytes; recording data was lost`);
        return ch.size > 0 ? this.tx.read(c.x, c.y, ch.dataPointer, ch.size) : new Uint8Array(0);
      };
      if (plan.nRecV > 0) {
        for (const r of decodeWordRecords(await channel(V_CHANNEL), plan.nRecV)) {
          for (let i = 0; i < plan.nRecV; i++) rec.v[plan.vertex.lo + i]!.push(r.values[i]!);
        }
      }
      if (plan.nRecSpikes > 0) {
        for (const s of decodeSpikeRecords(await channel(SPIKE_CHANNEL), plan.nRecSpikes)) rec.spikes[plan.vertex.lo + s.neuron]!.push(s.time);
      }
      bar.tick();
    });
    bar.done();
  }

  private popRecord(pop: Population): PopRecord {
    const r = this.records.get(pop);
    if (!r) throw new RunError(`population '${pop.label}' is not part of the network this simulator ran`);
    return r;
  }

  /** Spike times (ms) per neuron. For a SpikeSourceArray: the spikes it sent so far (tick-aligned). */
  getSpikes(pop: Population): number[][] {
    const r = this.popRecord(pop);
    const ts = this.network!.timestep;
    if (pop.cell.kind === 'SpikeSourceArray') {
      const plan = this.plan!;
      const out: number[][] = Array.from({ length: pop.size }, () => []);
      for (const c of plan.cores) {
        if (c.kind !== 'spikeSource' || this.network!.populations[c.vertex.app] !== pop) continue;
        c.spikeTicks.forEach((ticks, a) => {
          out[c.vertex.lo + a] = [...ticks].sort((x, y) => x - y).filter((t) => t < this.tick).map((t) => t * ts);
        });
      }
      return out;
    }
    if (!pop.recording.has('spikes')) throw new RunError(`population '${pop.label}' does not record spikes; call record(['spikes']) before the first run`);
    return r.spikes.map((ticks) => ticks.map((t) => t * ts));
  }

  /** Membrane voltage (mV) per neuron, one value per tick, exactly the recorded s16.15 values. */
  getV(pop: Population): number[][] {
    return this.getVRaw(pop).map((vs) => vs.map(decodeS1615));
  }

  /** The recorded raw s16.15 words of V per neuron. */
  getVRaw(pop: Population): number[][] {
    const r = this.popRecord(pop);
    if (!pop.recording.has('v')) throw new RunError(`population '${pop.label}' does not record v; call record(['v']) before the first run`);
    return r.v;
  }

  /**
   * The synapses of a projection as stored on the board now: raw 16-bit
   * weights, the weight scale of their synapse type, delays in timesteps.
   * Sorted by (pre, post), row order within.
   */
  async getSynapses(proj: Projection): Promise<{ pre: number; post: number; raw: number; scale: number; delaySteps: number }[]> {
    const net = this.network;
    if (!net || !this.plan) throw new RunError('nothing has run yet');
    const pi = net.projections.indexOf(proj);
    if (pi < 0) throw new RunError(`projection '${proj.label}' is not part of the network this simulator ran`);
    const out: { pre: number; post: number; raw: number; scale: number; delaySteps: number }[] = [];
    const cores = this.cores.filter((c) => c.plan.kind === 'neuron' && c.plan.blocks.some((b) => b.projection === pi));
    await inBatches(cores, 8, async (c) => {
      const plan = c.plan as NeuronCorePlan;
      const bytes = await this.tx.read(c.x, c.y, c.pointers[NeuronRegions.SYNAPTIC_MATRIX]!, plan.matrixBytes);
      const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      for (const b of plan.blocks) {
        if (b.projection !== pi) continue;
        const src = this.mapping!.vertices[b.source]!;
        const m = decodeSynapticMatrix(words.subarray(b.offset / 4, b.offset / 4 + b.nRows * (b.rowLength + ROW_HEADER_WORDS)), b.nRows, b.rowLength, plan.synapses.layout);
        for (const s of m.connections) {
          out.push({ pre: src.lo + s.pre, post: plan.vertex.lo + s.post, raw: s.weight, scale: plan.synapses.scales[s.type]!, delaySteps: s.delaySteps });
        }
      }
    });
    // Stable: rows keep their synapse order.
    return out.sort((a, b) => a.pre - b.pre || a.post - b.post);
  }

  /** [pre, post, weight (nA)] read back from the board: stored value / weight scale (exact; the scale is a power of two). */
  async getWeights(proj: Projection): Promise<[number, number, number][]> {
    return (await this.getSynapses(proj)).map((s) => [s.pre, s.post, s.raw / s.scale]);
  }

  /** [pre, post, delay (ms)] as stored on the board. */
  async getDelays(proj: Projection): Promise<[number, number, number][]> {
    const ts = this.network?.timestep ?? 1;
    return (await this.getSynapses(proj)).map((s) => [s.pre, s.post, s.delaySteps * ts]);
  }

  /** Stops the application (freeing its SDRAM, routes and cores) and closes the board or emulator. */
  async end(): Promise<void> {
    try {
      if (this.cores.length > 0) await this.tx.sendSignal('STOP', this.appId).catch(() => {});
    } finally {
      await this.tx.close().catch(() => {});
      await this.emulator?.close().catch(() => {});
    }
  }
}

function toUserError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NetworkError || e instanceof RunError) throw e;
    if (e instanceof Error && (e.name === 'MappingError' || e instanceof RangeError)) throw new RunError(e.message);
    throw e;
  }
}
