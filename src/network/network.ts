import { type CellType, type ParamValue, paramAt } from './cells.js';
import { type Connections, type Connector, expandConnector, requiredSizes } from './connectors.js';
import { NetworkError } from './errors.js';
import { DEFAULT_LIMITS, type NetworkLimits, delayLimits, delaySteps } from './limits.js';
import type { SynapseDynamics } from './synapses.js';

export type Recordable = 'spikes' | 'v';
export const RECORDABLES: readonly Recordable[] = ['spikes', 'v'];
export type Receptor = 'excitatory' | 'inhibitory';

export interface PopulationOptions {
  label?: string;
}

export class Population {
  readonly size: number;
  readonly cell: CellType;
  private _label: string | undefined;
  private _network: Network | undefined;
  private readonly _recording = new Set<Recordable>();

  constructor(size: number, cell: CellType, opts: PopulationOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new NetworkError(`population size must be a positive integer, got ${size}`);
    if (!cell || (cell.kind !== 'IF_curr_exp' && cell.kind !== 'SpikeSourceArray')) {
      throw new NetworkError(`unknown cell type ${JSON.stringify((cell as { kind?: unknown })?.kind)}; supported: IF_curr_exp, SpikeSourceArray`);
    }
    this.size = size;
    this.cell = cell;
    this._label = opts.label;
    const where = opts.label ? `population '${opts.label}'` : 'population';
    if (cell.kind === 'IF_curr_exp') {
      for (const [k, v] of Object.entries(cell.params)) {
        if (typeof v !== 'number' && v.length !== size) throw new NetworkError(`${where}: parameter '${k}' has ${v.length} values for ${size} neurons`);
      }
    } else if (cell.spikeTimes.length > 0 && Array.isArray(cell.spikeTimes[0]) && cell.spikeTimes.length !== size) {
      throw new NetworkError(`${where}: spike_times has ${cell.spikeTimes.length} lists for ${size} neurons`);
    }
  }

  get label(): string {
    return this._label ?? `population ${this._network ? this._network.populations.indexOf(this) : '?'}`;
  }

  get network(): Network | undefined {
    return this._network;
  }

  /** @internal */
  attach(net: Network, index: number): void {
    if (this._network && this._network !== net) throw new NetworkError(`population '${this.label}' already belongs to another network`);
    this._network = net;
    this._label ??= `population${index}`;
  }

  /** Record variables ('spikes', 'v'). Calls accumulate. */
  record(vars: Recordable | readonly Recordable[]): this {
    for (const v of typeof vars === 'string' ? [vars] : vars) {
      if (!RECORDABLES.includes(v)) throw new NetworkError(`population '${this.label}': cannot record '${v}'; recordable: ${RECORDABLES.join(', ')}`);
      if (v === 'v' && this.cell.kind !== 'IF_curr_exp') throw new NetworkError(`population '${this.label}': a ${this.cell.kind} has no membrane voltage to record`);
      this._recording.add(v);
    }
    return this;
  }

  get recording(): ReadonlySet<Recordable> {
    return this._recording;
  }

  /** A cell parameter of every neuron (IF_curr_exp only). */
  paramArray(name: string): Float64Array {
    if (this.cell.kind !== 'IF_curr_exp') throw new NetworkError(`population '${this.label}' is a ${this.cell.kind} and has no parameter '${name}'`);
    const v = (this.cell.params as Record<string, ParamValue>)[name];
    if (v === undefined) throw new NetworkError(`IF_curr_exp has no parameter '${name}'`);
    const out = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = paramAt(v, i);
    return out;
  }

  /** Spike times (ms) of neuron i of a SpikeSourceArray. */
  spikeTimesOf(i: number): readonly number[] {
    if (this.cell.kind !== 'SpikeSourceArray') throw new NetworkError(`population '${this.label}' is not a SpikeSourceArray`);
    const st = this.cell.spikeTimes;
    if (st.length > 0 && Array.isArray(st[0])) return (st as readonly (readonly number[])[])[i] ?? [];
    return st as readonly number[];
  }
}

export interface ProjectionOptions {
  receptor?: Receptor;
  /** nA; a negative weight is allowed only on an inhibitory projection (its magnitude is used). */
  weight?: number;
  /** ms; default one timestep. */
  delay?: number;
  synapse?: SynapseDynamics;
  label?: string;
}

export class Projection {
  readonly pre: Population;
  readonly post: Population;
  readonly connector: Connector;
  readonly receptor: Receptor;
  readonly synapse: SynapseDynamics;
  /** The projection-wide weight (nA) and delay (ms); the connector may override per connection. */
  readonly weight: number;
  readonly delay: number;
  readonly label: string;
  readonly network: Network;
  private cached: Connections | undefined;

  constructor(pre: Population, post: Population, connector: Connector, opts: ProjectionOptions = {}) {
    const net = pre.network;
    if (!net || !post.network) throw new NetworkError(`projection ${pre.label} -> ${post.label}: add both populations to a Network first`);
    if (net !== post.network) {
      throw new NetworkError(`projection ${pre.label} -> ${post.label}: the populations belong to different networks; a projection must stay inside one network`);
    }
    this.network = net;
    this.pre = pre;
    this.post = post;
    this.connector = connector;
    const name = opts.label ?? `${pre.label}->${post.label}`;
    this.label = name;
    const where = `projection '${name}'`;
    const receptor = opts.receptor ?? 'excitatory';
    if (receptor !== 'excitatory' && receptor !== 'inhibitory') throw new NetworkError(`${where}: receptor must be 'excitatory' or 'inhibitory', got '${receptor}'`);
    this.receptor = receptor;
    if (post.cell.kind === 'SpikeSourceArray') throw new NetworkError(`${where}: the post population '${post.label}' is a SpikeSourceArray, which takes no input`);
    this.synapse = opts.synapse ?? { kind: 'static' };
    const weight = opts.weight ?? this.synapse.weight ?? 0;
    const delay = opts.delay ?? this.synapse.delay ?? net.timestep;
    if (!Number.isFinite(weight)) throw new NetworkError(`${where}: weight must be a finite number (nA), got ${weight}`);
    if (!Number.isFinite(delay) || delay < 0) throw new NetworkError(`${where}: delay must be a number >= 0 ms, got ${delay}`);
    this.weight = weight;
    this.delay = delay;
    const req = requiredSizes(connector);
    if (req.pre !== undefined && req.pre !== pre.size) throw new NetworkError(`${where}: the connector needs ${req.pre} pre neurons, '${pre.label}' has ${pre.size}`);
    if (req.post !== undefined && req.post !== post.size) throw new NetworkError(`${where}: the connector needs ${req.post} post neurons, '${post.label}' has ${post.size}`);
    if ((connector.kind === 'OneToOne') && pre.size !== post.size) {
      throw new NetworkError(`${where}: OneToOneConnector needs equal sizes, got ${pre.size} -> ${post.size}`);
    }
    if (connector.kind === 'Convolution' && opts.weight !== undefined) throw new NetworkError(`${where}: the convolution kernel gives the weights; do not also give 'weight'`);
    net.register(this);
  }

  /** Explicit connections, expanded once and cached. Weights in nA (magnitudes), delays in ms. */
  connections(): Connections {
    if (this.cached) return this.cached;
    const e = expandConnector(this.connector, {
      preSize: this.pre.size,
      postSize: this.post.size,
      samePopulation: this.pre === this.post,
      seed: this.network.seed + this.network.projections.indexOf(this),
    });
    let weight: number | Float64Array = e.weight ?? this.weight;
    if (this.receptor === 'inhibitory') weight = typeof weight === 'number' ? Math.abs(weight) : weight.map(Math.abs);
    this.cached = { n: e.n, pre: e.pre, post: e.post, weight, delay: e.delay ?? this.delay };
    this.checkConnections(this.cached);
    return this.cached;
  }

  private checkConnections(c: Connections): void {
    const where = `projection '${this.label}'`;
    const each = (v: number | Float64Array, f: (x: number, i: number) => void): void => {
      if (typeof v === 'number') {
        if (c.n > 0) f(v, 0);
      } else v.forEach(f);
    };
    const rawNegative = this.receptor === 'excitatory';
    each(c.weight, (w, i) => {
      if (!Number.isFinite(w)) throw new NetworkError(`${where}: weight of connection ${i} is not a finite number`);
      if (rawNegative && w < 0) throw new NetworkError(`${where}: negative weight ${w} nA on an excitatory projection; use receptor 'inhibitory' for inhibition`);
    });
    each(c.delay, (d, i) => {
      if (!Number.isFinite(d) || d < 0) throw new NetworkError(`${where}: delay ${d} ms of connection ${i} is negative; delays must be >= 0 ms`);
    });
    if (this.synapse.kind === 'STDP') {
      const { w_min, w_max } = this.synapse.weightDependence;
      each(c.weight, (w, i) => {
        if (w < w_min || w > w_max) throw new NetworkError(`${where}: weight ${w} nA of connection ${i} lies outside the STDP range [w_min ${w_min}, w_max ${w_max}]`);
      });
    }
  }

  /** Largest delay in ms over all connections. */
  maxDelay(): number {
    const d = this.connections().delay;
    if (typeof d === 'number') return this.connections().n > 0 ? d : 0;
    let m = 0;
    for (const x of d) if (x > m) m = x;
    return m;
  }
}

export interface NetworkOptions {
  /** ms per tick (default 1.0). */
  timestep?: number;
  /** Seed for connectors without their own (default 1). */
  seed?: number;
}

/** Owns populations and projections; the unit that gets mapped and run. */
export class Network {
  readonly timestep: number;
  readonly seed: number;
  private readonly _pops: Population[] = [];
  private readonly _projs: Projection[] = [];

  constructor(opts: NetworkOptions = {}) {
    const ts = opts.timestep ?? 1.0;
    if (!Number.isFinite(ts) || ts <= 0) throw new NetworkError(`timestep must be a positive number of ms, got ${ts}`);
    this.timestep = ts;
    this.seed = opts.seed ?? 1;
  }

  get populations(): readonly Population[] {
    return this._pops;
  }

  get projections(): readonly Projection[] {
    return this._projs;
  }

  add(pop: Population): Population {
    if (this._pops.includes(pop)) return pop;
    if (pop.network && pop.network !== this) throw new NetworkError(`population '${pop.label}' already belongs to another network`);
    const label = (pop as unknown as { _label?: string })._label;
    if (label !== undefined && this._pops.some((p) => p.label === label)) throw new NetworkError(`two populations are labelled '${label}'; labels must be unique`);
    pop.attach(this, this._pops.length);
    this._pops.push(pop);
    return pop;
  }

  population(size: number, cell: CellType, opts: PopulationOptions = {}): Population {
    return this.add(new Population(size, cell, opts));
  }

  projection(pre: Population, post: Population, connector: Connector, opts: ProjectionOptions = {}): Projection {
    for (const p of [pre, post]) {
      if (p.network !== this) throw new NetworkError(`projection ${pre.label} -> ${post.label}: population '${p.label}' is not part of this network`);
    }
    return new Projection(pre, post, connector, opts);
  }

  /** @internal called by the Projection constructor. */
  register(p: Projection): void {
    if (p.label && this._projs.some((q) => q.label === p.label)) throw new NetworkError(`two projections are labelled '${p.label}'; labels must be unique`);
    this._projs.push(p);
  }

  getPopulation(label: string): Population {
    const p = this._pops.find((q) => q.label === label);
    if (!p) throw new NetworkError(`no population labelled '${label}'; populations: ${this._pops.map((q) => q.label).join(', ')}`);
    return p;
  }

  /**
   * Check everything that needs the firmware's limits: delays, STDP receptors,
   * and (by expanding) every connection. Throws a NetworkError naming the problem.
   */
  validate(limits: Partial<NetworkLimits> = {}): void {
    const lim = { ...DEFAULT_LIMITS, ...limits };
    const dl = delayLimits(lim);
    if (this._pops.length === 0) throw new NetworkError('the network has no populations');
    for (const proj of this._projs) {
      const where = `projection '${proj.label}'`;
      if (proj.synapse.kind === 'STDP' && proj.receptor === 'inhibitory' && !lim.stdpInhibitory) {
        throw new NetworkError(`${where}: STDP on an inhibitory projection is not supported by the firmware in use; make it static or excitatory`);
      }
      const maxSteps = delaySteps(proj.maxDelay(), this.timestep);
      if (maxSteps > dl.maxSteps) {
        throw new NetworkError(
          `${where}: delay ${proj.maxDelay()} ms (${maxSteps} timesteps) is beyond what is supported: ` +
            `a neuron core's ring buffer holds ${dl.perCoreSteps} timesteps (${dl.perCoreSteps * this.timestep} ms at ${lim.maxAtomsPerCore} atoms per core), ` +
            (lim.delayExtensions
              ? `and delay extensions reach ${dl.maxSteps} timesteps (${dl.maxSteps * this.timestep} ms)`
              : 'and delay extensions are not available'),
        );
      }
    }
  }
}
