/**
 * FEC `reverse_iptag_multicast_source.c` as a SpikeSourceArray: EIEIO
 * packets read from the send-buffer region, keys sent on the tick their
 * timestamp names, packets recorded as sent. Buffer requests to the host are
 * never sent (the host writes the whole run's spikes before each run and
 * sets space_before_data_request above the buffer size).
 */
import { applicationMagic, SPIKE_SOURCE_REGIONS, ssaConfig, SSA_CONFIG_WORDS, systemRegion, SYSTEM_REGION_WORDS, type SsaConfig } from '../../../regions/index.js';
import { EieioCommand, EIEIO_MAX_BYTES } from '../../../protocol/eieio.js';
import type { CoreApi } from '../app.js';
import { openDataSpec, region, type DataSpecBlock } from '../fec/data-spec.js';
import { FirmwareFault, RTE_API, RTE_SWERR } from '../fec/fault.js';
import { Recorder } from '../fec/recording.js';
import { SimulationApp } from '../fec/simulation.js';

export const SpikeSourceRegion = SPIKE_SOURCE_REGIONS;

const MAX_PACKET_SIZE = EIEIO_MAX_BYTES;
const C = EieioCommand;

export interface SpikeSourceCounters {
  sent: number;
  late: number;
  incorrectKeys: number;
  incorrectPackets: number;
}

/** `calculate_eieio_packet_size`. */
function packetSize(h: number): number {
  if (((h >>> 14) & 3) === 1) {
    switch (h & 0x3fff) {
      case C.EVENT_PADDING: case C.EVENT_STOP: case C.STOP_SENDING_REQUESTS: case C.START_SENDING_REQUESTS: return 2;
      case C.SPINNAKER_REQUEST_BUFFERS: return 12;
      case C.HOST_SEND_SEQUENCED_DATA: return 4;
      case C.SPINNAKER_REQUEST_READ_DATA: return 16;
      case C.HOST_DATA_READ: return 8;
      default: return 0;
    }
  }
  const type = (h >>> 10) & 3;
  const eventSize = type === 0 ? 2 : type === 3 ? 8 : 4;
  let header = 2;
  if (h & 0x8000) header += 2;
  if (h & 0x2000) header += type < 2 ? 2 : 4;
  return (h & 0xff) * eventSize + header;
}

export class SpikeSourceApp extends SimulationApp {
  readonly counters: SpikeSourceCounters = { sent: 0, late: 0, incorrectKeys: 0, incorrectPackets: 0 };
  private block!: DataSpecBlock;
  private config!: SsaConfig;
  private recorder!: Recorder;
  private buffer: Uint8Array = new Uint8Array(0);
  private readPos = 0;
  private writePos = 0;
  private lastWasRead = false;
  private stopped = false;
  private held: Uint8Array = new Uint8Array(MAX_PACKET_SIZE + 4);
  private heldView = new DataView(this.held.buffer);
  private heldLen = 0;
  private inUse = false;
  private nextTime = 0;
  private readonly recordBuf = new Uint8Array(8 + MAX_PACKET_SIZE + 4);
  private readonly recordView = new DataView(this.recordBuf.buffer);

  constructor(api: CoreApi, appName = 'reverse_iptag_multicast_source') {
    super(api, appName);
  }

  protected initialise(): void {
    const api = this.api;
    const block = (this.block = openDataSpec(api));
    const R = SpikeSourceRegion;
    const sys = systemRegion.decode(api.read(region(block, R.SYSTEM, 'system'), 4 * SYSTEM_REGION_WORDS));
    const magic = applicationMagic(this.appName);
    if (sys.applicationMagic !== magic) {
      throw new FirmwareFault(`system region magic 0x${sys.applicationMagic.toString(16)} is not this binary's (0x${magic.toString(16)} = md5("${this.appName}"))`, RTE_API);
    }
    this.config = ssaConfig.decode(api.read(region(block, R.CONFIGURATION, 'configuration'), 4 * SSA_CONFIG_WORDS));
    this.recorder = new Recorder(api, region(block, R.RECORDING, 'recording'));
    this.lastWasRead = this.config.bufferRegionSize === 0;
    this.setupBuffer();
  }

  /** `setup_buffer_region`: both pointers at the start; the host wrote the buffer's contents. */
  private setupBuffer(): void {
    const size = this.config.bufferRegionSize;
    this.buffer = size > 0 ? this.api.read(region(this.block, SpikeSourceRegion.SEND_BUFFER, 'send buffer'), size) : new Uint8Array(0);
    this.readPos = 0;
    this.writePos = 0;
  }

  protected resume(): void {
    this.setupBuffer();
    this.lastWasRead = false;
    this.recorder.reset();
    this.stopped = false;
  }

  private inBuffer(): boolean {
    if (this.buffer.length === 0) return false;
    return this.writePos !== this.readPos || !this.lastWasRead;
  }

  private u16(pos: number): number {
    const b = this.buffer;
    return b[pos % b.length]! | (b[(pos + 1) % b.length]! << 8);
  }

  /** `fetch_and_process_packet`. */
  private fetch(): void {
    this.inUse = false;
    const buf = this.buffer;
    let lastLen = 2;
    while (!this.inUse && this.inBuffer() && lastLen > 0) {
      const h = this.u16(this.readPos);
      if (h === 0x4002) {
        this.readPos += 2;
        if (this.readPos >= buf.length) this.readPos = 0;
        continue;
      }
      const len = packetSize(h);
      lastLen = len;
      if (len > MAX_PACKET_SIZE) throw new FirmwareFault(`send buffer packet at offset ${this.readPos} of ${len} bytes is too big`, RTE_SWERR);
      const rp = this.readPos;
      if (rp + len <= buf.length) this.held.set(buf.subarray(rp, rp + len));
      else for (let i = 0; i < len; i++) this.held[i] = buf[(rp + i) % buf.length]!;
      this.readPos = (this.readPos + len) % buf.length;
      this.lastWasRead = true;
      this.heldLen = len;
      this.nextTime = this.packetTime();
      if (this.nextTime <= this.time) this.handle();
      else this.inUse = true;
    }
  }

  /** `extract_time_from_eieio_msg`. */
  private packetTime(): number {
    const v = this.heldView;
    const h = v.getUint16(0, true);
    if (!(h & 0x8000) && h & 0x4000) return this.time;
    if (!(h & 0x1000)) return this.time;
    let at = 2;
    if (h & 0x8000) at += 2;
    const wide = (h >>> 11) & 1;
    if (h & 0x2000) return wide ? v.getUint32(at, true) : v.getUint16(at, true);
    const type = (h >>> 10) & 3;
    if (!(type & 1)) return this.time;
    return wide ? v.getUint32(at + 4, true) : v.getUint16(at + 2, true);
  }

  /** `packet_handler_selector`. */
  private handle(): void {
    const v = this.heldView;
    const h = v.getUint16(0, true);
    if (((h >>> 14) & 3) === 1) {
      if ((h & 0x3fff) === C.EVENT_STOP) {
        this.stopped = true;
        this.writePos = this.readPos;
      }
      return;
    }
    if (h === 0) return;
    const count = h & 0xff;
    const type = (h >>> 10) & 3;
    const hasPayload = (type & 1) !== 0;
    const is32 = (type & 2) !== 0;
    const timestamp = (h & 0x1000) !== 0;
    let at = 2;
    let keyPrefix = 0;
    if (h & 0x8000) {
      keyPrefix = v.getUint16(at, true);
      if (h & 0x4000) keyPrefix = (keyPrefix << 16) >>> 0;
      at += 2;
    } else if (this.config.applyPrefix) {
      keyPrefix = this.config.prefix;
    }
    let payloadPrefix = 0;
    if (h & 0x2000) {
      payloadPrefix = is32 ? v.getUint32(at, true) : v.getUint16(at, true);
      at += is32 ? 4 : 2;
    }
    if (hasPayload && timestamp && payloadPrefix !== this.time) {
      if (payloadPrefix < this.time) this.counters.late++;
      return;
    }
    if (!is32) throw new FirmwareFault('16-bit EIEIO key packets are not emulated; the toolchain writes 32-bit keys', RTE_SWERR);
    const cfg = this.config;
    for (let i = 0; i < count; i++) {
      const key = (v.getUint32(at, true) | keyPrefix) >>> 0;
      at += 4;
      let payload = 0;
      if (hasPayload) {
        payload = (v.getUint32(at, true) | payloadPrefix) >>> 0;
        at += 4;
      }
      if (!cfg.hasKey) continue;
      if (!cfg.checkKeys || ((key & cfg.mask) >>> 0) === cfg.keySpace) {
        this.counters.sent++;
        this.api.sendMulticast(key, hasPayload && !timestamp ? payload : undefined);
      } else {
        this.counters.incorrectKeys++;
      }
    }
    this.recordPacket();
  }

  /** `record_packet`: {length rounded up to a word, time, packet bytes}. */
  private recordPacket(): void {
    if (!this.recorder.on(0)) return;
    const len = (this.heldLen + 3) & ~3;
    this.recordView.setUint32(0, len, true);
    this.recordView.setUint32(4, this.time, true);
    this.recordBuf.set(this.held.subarray(0, len), 8);
    this.recorder.record(0, this.recordBuf.subarray(0, 8 + len));
  }

  protected timer(): void {
    this.time = (this.time + 1) >>> 0;
    if (this.stopped || this.finished()) {
      this.recorder.finalise();
      this.time = (this.endTick - 1) >>> 0;
      this.endRun();
      return;
    }
    if (!this.inUse) {
      this.fetch();
    } else if (this.nextTime < this.time) {
      this.counters.late++;
      this.fetch();
    } else if (this.nextTime === this.time) {
      this.handle();
      this.fetch();
    }
  }
}
