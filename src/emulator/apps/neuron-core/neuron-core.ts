/**
 * The IF_curr_exp neuron core (static, or with pair STDP) as a CoreApp:
 * sPyNNaker's c_main.c / neuron.c / spike_processing.c / synapses.c around
 * the bit-exact kernels of `../neuron/` and `../stdp/`, reading everything
 * from the bytes the host loaded. See docs/emulated-execution.md.
 */
import { applicationMagic, coreParams, NEURON_REGIONS, systemRegion, SYSTEM_REGION_WORDS } from '../../../regions/index.js';
import type { CoreApi } from '../app.js';
import { openDataSpec, readWords, region, regionExtent, wordBytes, type DataSpecBlock } from '../fec/data-spec.js';
import { FirmwareFault, RTE_API } from '../fec/fault.js';
import { Recorder } from '../fec/recording.js';
import { SimulationApp } from '../fec/simulation.js';
import {
  FirmwareError, IfCurrExpCore, RingBuffers, neuronParamWords, processSynapticRow, readSynapseParams,
  SYNAPSE_PARAMS_HEADER_WORDS,
} from '../neuron/index.js';
import { StdpPairCore, type WeightDependence } from '../stdp/index.js';
import { NeuronRecording, PACKETS_CHANNEL } from './neuron-recording.js';
import { PopTable } from './pop-table.js';

export const NeuronRegion = NEURON_REGIONS;

export interface NeuronCoreOptions {
  /** The binary's name: its md5 must match the system region's magic. */
  appName: string;
  /** Pair-STDP weight dependence, or undefined for the static binary. */
  plasticity?: WeightDependence;
}

/** Counters the firmware keeps (its provenance), for tests and benchmarks. */
export interface NeuronCoreCounters {
  packetsReceived: number;
  /** Keys that matched no master population table entry. */
  ghostKeys: number;
  rowsProcessed: number;
  spikesSent: number;
  neuronUpdates: number;
}

export class NeuronCoreApp extends SimulationApp {
  readonly counters: NeuronCoreCounters = { packetsReceived: 0, ghostKeys: 0, rowsProcessed: 0, spikesSent: 0, neuronUpdates: 0 };
  kernel!: IfCurrExpCore;
  ring!: RingBuffers;
  stdp: StdpPairCore | undefined;
  private block!: DataSpecBlock;
  private nNeurons = 0;
  private hasKey = false;
  private keys: Uint32Array = new Uint32Array(0);
  private colourMask = 0;
  private paramWords: Uint32Array = new Uint32Array(0);
  private pop!: PopTable;
  private matrixAddr = 0;
  private matrix: Uint32Array = new Uint32Array(0);
  private matrixBytes: Uint8Array = new Uint8Array(0);
  private recorder!: Recorder;
  private recording!: NeuronRecording;
  private queue: Uint32Array = new Uint32Array(256);
  private queued = 0;
  private packetsThisTick = 0;
  private readonly packetRecord = new Uint32Array(2);
  private readonly packetBytes = new Uint8Array(this.packetRecord.buffer);

  constructor(api: CoreApi, private readonly opts: NeuronCoreOptions) {
    super(api, opts.appName);
  }

  protected initialise(): void {
    const api = this.api;
    const block = (this.block = openDataSpec(api));
    const R = NeuronRegion;

    const sys = systemRegion.decode(api.read(region(block, R.SYSTEM, 'system'), 4 * SYSTEM_REGION_WORDS));
    const magic = applicationMagic(this.appName);
    if (sys.applicationMagic !== magic) {
      throw new FirmwareFault(`system region magic 0x${sys.applicationMagic.toString(16)} is not this binary's (0x${magic.toString(16)} = md5("${this.appName}")): the core block was written for another binary`, RTE_API);
    }

    const cpAddr = region(block, R.CORE_PARAMS, 'core params');
    const head = readWords(api, cpAddr, 5);
    const cp = coreParams.decode(api.read(cpAddr, 4 * (5 + head[4]! + head[1]!)));
    this.nNeurons = cp.nNeurons;
    this.hasKey = cp.hasKey;
    this.keys = Uint32Array.from(cp.keys);
    this.colourMask = (1 << cp.nColourBits) - 1;

    const spAddr = region(block, R.SYNAPSE_PARAMS, 'synapse params');
    const nTypes = api.readU32(spAddr + 4);
    if (nTypes > 16) throw new FirmwareFault(`synapse params claim ${nTypes} synapse types`, RTE_API);
    const sp = readSynapseParams(readWords(api, spAddr, SYNAPSE_PARAMS_HEADER_WORDS + nTypes));
    if (sp.ringBufferShifts.some((s, i) => s !== cp.ringBufferShifts[i])) {
      api.print(`[WARNING] ${this.appName}: ring-buffer shifts differ between core params (${cp.ringBufferShifts}) and synapse params (${sp.ringBufferShifts}); using the synapse params'\n`);
    }
    this.ring = new RingBuffers(sp);
    if (this.nNeurons > this.ring.nNeuronsPeak) {
      throw new FirmwareFault(`${this.nNeurons} neurons do not fit the ${this.ring.nNeuronsPeak} neuron indices of the synaptic words (log_n_neurons ${sp.logNNeurons})`, RTE_API);
    }

    this.paramWords = readWords(api, region(block, R.NEURON_PARAMS, 'neuron params'), neuronParamWords(this.nNeurons)).slice();
    this.kernel = new IfCurrExpCore(this.nNeurons, this.paramWords);
    this.saveInitialValues(0);

    const ptAddr = region(block, R.POPULATION_TABLE, 'population table');
    const ptHead = readWords(api, ptAddr, 2);
    this.pop = new PopTable(readWords(api, ptAddr, 2 + 5 * ptHead[0]! + ptHead[1]!));
    this.matrixAddr = block.pointers[R.SYNAPTIC_MATRIX] ?? 0;
    this.loadMatrix();

    if (this.opts.plasticity) {
      this.stdp = new StdpPairCore({
        regionWords: this.readStdpRegion(region(block, R.SYNAPSE_DYNAMICS, 'synapse dynamics (STDP)'), sp.nSynapseTypes),
        weightDependence: this.opts.plasticity, nNeurons: this.nNeurons, ring: this.ring,
      });
    }

    this.recording = new NeuronRecording(this.nNeurons);
    this.loadRecordingMetadata();
    this.kernel.recordValues = this.recording.anyWord;
    this.recorder = new Recorder(api, region(block, R.RECORDING, 'recording'));
  }

  private readStdpRegion(addr: number, nTypes: number): Uint32Array {
    const api = this.api;
    const plusSize = api.readU32(addr + 4) & 0xffff;
    const minusAt = 2 + ((plusSize + 1) >>> 1);
    const minusSize = api.readU32(addr + 4 * minusAt) & 0xffff;
    return readWords(api, addr, minusAt + 1 + ((minusSize + 1) >>> 1) + 4 * nTypes);
  }

  private loadRecordingMetadata(): void {
    const addr = region(this.block, NeuronRegion.NEURON_RECORDING, 'neuron recording');
    const m = this.nNeurons + (this.nNeurons & 1);
    this.recording.load(this.api.read(addr, 4 * (2 + 3 * (3 + m / 2) + (2 + m / 2))));
  }

  /** The copy of the synaptic matrix the core reads rows from (re-read on every resume). */
  private loadMatrix(): void {
    if (this.matrixAddr === 0) {
      this.matrix = new Uint32Array(0);
      this.matrixBytes = new Uint8Array(0);
      return;
    }
    let bytes = this.pop.reach();
    const extent = regionExtent(this.block, NeuronRegion.SYNAPTIC_MATRIX);
    if (extent !== undefined) bytes = Math.min(bytes, extent);
    this.matrix = readWords(this.api, this.matrixAddr, bytes >>> 2);
    this.matrixBytes = wordBytes(this.matrix);
  }

  /** At time 0 the firmware copies the neuron parameters into INITIAL_VALUES (when present). */
  private saveInitialValues(time: number): void {
    const iv = this.block.pointers[NeuronRegion.INITIAL_VALUES] ?? 0;
    if (time === 0 && iv !== 0) this.api.write(iv, wordBytes(this.paramWords));
  }

  protected resume(): void {
    const next = (this.time + 1) >>> 0;
    this.recorder.reset();
    this.loadRecordingMetadata();
    this.paramWords = readWords(this.api, region(this.block, NeuronRegion.NEURON_PARAMS, 'neuron params'), neuronParamWords(this.nNeurons)).slice();
    this.kernel.load(this.paramWords);
    this.kernel.recordValues = this.recording.anyWord;
    this.saveInitialValues(next);
    if (next === 0) this.ring.clearAll();
    this.loadMatrix();
  }

  onMulticast(key: number, payload: number | undefined): void {
    const n = payload === undefined ? 1 : payload >>> 0;
    this.packetsThisTick++;
    for (let i = 0; i < n; i++) {
      if (this.queued === this.queue.length) {
        const bigger = new Uint32Array(this.queue.length * 2);
        bigger.set(this.queue);
        this.queue = bigger;
      }
      this.queue[this.queued++] = key;
    }
  }

  /** Every spike received since the previous tick, in arrival order, at the current `time`. */
  private processSpikes(): void {
    const n = this.queued;
    if (n === 0) return;
    this.queued = 0;
    this.counters.packetsReceived += n;
    const pop = this.pop, ring = this.ring, matrix = this.matrix, stdp = this.stdp, time = this.time;
    for (let q = 0; q < n; q++) {
      const key = this.queue[q]!;
      const e = pop.find(key);
      if (e < 0) {
        this.counters.ghostKeys++;
        continue;
      }
      const cb = pop.colourBits[e]!;
      const maskShift = pop.maskShift[e]!;
      const coreMask = pop.coreMask[e]!;
      let local = (key & ~(pop.masks[e]! | (coreMask << maskShift))) >>> 0;
      const colour = local & ((1 << cb) - 1);
      local >>>= cb;
      const rowIndex = ((key >>> maskShift) & coreMask) * pop.nNeurons[e]! + local;
      const colourMask = (1 << cb) - 1;
      for (let j = pop.start[e]!, end = j + pop.count[e]!; j < end; j++) {
        const base = pop.itemWord[j]!;
        if (base < 0) continue;
        const stride = pop.itemStride[j]!;
        const rowStart = base + rowIndex * stride;
        if (rowStart + stride > matrix.length) {
          throw new FirmwareFault(`key 0x${key.toString(16)}: row ${rowIndex} at word ${rowStart} (+${stride}) lies outside the ${matrix.length}-word synaptic matrix`);
        }
        this.counters.rowsProcessed++;
        if (processSynapticRow(ring, matrix, rowStart, time, colour, colourMask, stdp)) {
          const plastic = matrix[rowStart]!;
          this.api.write(this.matrixAddr + 4 * (rowStart + 1), this.matrixBytes.subarray(4 * (rowStart + 1), 4 * (rowStart + 1 + plastic)));
        }
      }
    }
  }

  protected timer(): void {
    this.processSpikes();
    const time = (this.time = (this.time + 1) >>> 0);
    if (this.recorder.on(PACKETS_CHANNEL)) {
      this.packetRecord[0] = time;
      this.packetRecord[1] = this.packetsThisTick;
      this.recorder.record(PACKETS_CHANNEL, this.packetBytes);
    }
    this.packetsThisTick = 0;

    const kernel = this.kernel;
    kernel.transfer(time, this.ring);
    if (this.finished()) {
      kernel.store(this.paramWords);
      this.api.write(region(this.block, NeuronRegion.NEURON_PARAMS, 'neuron params'), wordBytes(this.paramWords));
      this.recorder.finalise();
      this.time = (time - 1) >>> 0;
      this.endRun();
      return;
    }

    const rec = this.recording;
    rec.setupForNext();
    // Neurons whose last update changed nothing and that got no input are skipped (identical results, see updateActive).
    const nSpikes = kernel.updateActive(time);
    this.counters.neuronUpdates += this.nNeurons;
    if (nSpikes > 0) {
      const spikes = kernel.spikes, stdp = this.stdp, keys = this.keys, colour = time & this.colourMask;
      for (let s = 0; s < nSpikes; s++) {
        const n = spikes[s]!;
        rec.spike(n);
        stdp?.processPostEvent(time, n);
        if (this.hasKey) {
          this.api.sendMulticast((keys[n]! | colour) >>> 0);
          this.counters.spikesSent++;
        }
      }
    }
    rec.setValues(0, kernel.recordedV);
    rec.setValues(1, kernel.recordedExc);
    rec.setValues(2, kernel.recordedInh);
    rec.record(time, this.recorder);
  }

  /** The firmware error type of the kernels is re-exported for callers matching on it. */
  static readonly FirmwareError = FirmwareError;
}
