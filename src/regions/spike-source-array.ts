/**
 * SpikeSourceArray on FEC reverse_iptag_multicast_source: CONFIGURATION
 * region (13 words) and the SEND_BUFFER, a stream of EIEIO packets
 * (32-bit keys with a timestamp payload prefix, ≤ 272 bytes each) ended by
 * an EVENT_STOP command when there is room.
 */
import { type RegionCodec, RegionFormatError, WordReader, bytesToWords, checkU32, wordsToBytes } from './words.js';
import { DecodeError } from '../protocol/errors.js';
import {
  type EieioData, type EieioPacket, EieioCommand, EieioType, EIEIO_MAX_BYTES, MAX_KEYS_PER_TIMED_PACKET, decodeAt, encode, encodingLength, timedKeys32,
} from '../protocol/eieio.js';

export const SSA_CONFIG_WORDS = 13;
export const MAX_PACKET_BYTES = EIEIO_MAX_BYTES;
/** EIEIO header of a KEY_32 data packet with a timestamp payload prefix: count | 0x3800. */
export const EIEIO_KEY32_TIMESTAMP = 0x3800;
export const EIEIO_HEADER_BYTES = 6;
/** 66: (272 − 6) / 4 rounded down; the spike source rejects a longer packet. */
export const MAX_KEYS_PER_PACKET = MAX_KEYS_PER_TIMED_PACKET;
export const EIEIO_EVENT_PADDING = 0x4000 | EieioCommand.EVENT_PADDING;
export const EIEIO_EVENT_STOP = 0x4000 | EieioCommand.EVENT_STOP;
const STOP: EieioPacket = { kind: 'command', command: EieioCommand.EVENT_STOP, data: new Uint8Array(0) };
/** Keys per message the host assumes when sizing the buffer (256-byte UDP minus headers). */
const SIZING_KEYS_PER_MESSAGE = Math.floor((256 - (4 + EIEIO_HEADER_BYTES)) / 4);

export interface SsaConfig {
  applyPrefix: boolean;
  prefix: number;
  /** 0 = lower half word, 1 = upper half word. */
  prefixType: number;
  checkKeys: boolean;
  hasKey: boolean;
  keySpace: number;
  mask: number;
  bufferRegionSize: number;
  spaceBeforeDataRequest: number;
  returnTagId: number;
  returnTagDest: number;
  bufferedInSdpPort: number;
  txOffsetUs: number;
}

export const ssaConfig: RegionCodec<SsaConfig> = {
  encodingLength: () => SSA_CONFIG_WORDS * 4,
  encode(c) {
    const b = (x: boolean) => (x ? 1 : 0);
    return wordsToBytes([
      b(c.applyPrefix), checkU32(c.prefix, 'prefix'), checkU32(c.prefixType, 'prefixType'), b(c.checkKeys), b(c.hasKey),
      checkU32(c.keySpace, 'keySpace'), checkU32(c.mask, 'mask'), checkU32(c.bufferRegionSize, 'bufferRegionSize'),
      checkU32(c.spaceBeforeDataRequest, 'spaceBeforeDataRequest'), checkU32(c.returnTagId, 'returnTagId'),
      checkU32(c.returnTagDest, 'returnTagDest'), checkU32(c.bufferedInSdpPort, 'bufferedInSdpPort'), checkU32(c.txOffsetUs, 'txOffsetUs'),
    ]);
  },
  decode(bytes) {
    const r = new WordReader(bytesToWords(bytes.subarray(0, SSA_CONFIG_WORDS * 4), 'SSA config'), 'SSA config');
    return {
      applyPrefix: r.u32('apply_prefix') !== 0, prefix: r.u32('prefix'), prefixType: r.u32('prefix_type'),
      checkKeys: r.u32('check_keys') !== 0, hasKey: r.u32('has_key') !== 0, keySpace: r.u32('key_space'), mask: r.u32('mask'),
      bufferRegionSize: r.u32('buffer_region_size'), spaceBeforeDataRequest: r.u32('space_before_data_request'),
      returnTagId: r.u32('return_tag_id'), returnTagDest: r.u32('return_tag_dest'), bufferedInSdpPort: r.u32('buffered_in_sdp_port'),
      txOffsetUs: r.u32('tx_offset'),
    };
  },
};

/** tx_offset = (ceil(maxOff/nVertices)·index + ceil(maxOff)) mod 1000, maxOff = timestep_us // 20. */
export function txOffsetUs(hardwareTimestepUs: number, nVertices: number, index: number): number {
  const maxOff = Math.floor(hardwareTimestepUs / 20);
  return (Math.ceil(maxOff / nVertices) * index + Math.ceil(maxOff)) % 1000;
}

/** Configuration the SSA vertex writes (key as the prefix, upper half word; buffer requests disabled). */
export function makeSsaConfig(opts: { key: number; mask: number; sendBufferSize: number; hardwareTimestepUs: number; nVertices?: number; index?: number }): SsaConfig {
  return {
    applyPrefix: true, prefix: opts.key >>> 0, prefixType: 1, checkKeys: false, hasKey: true, keySpace: opts.key >>> 0,
    mask: opts.mask >>> 0, bufferRegionSize: opts.sendBufferSize, spaceBeforeDataRequest: opts.sendBufferSize + 256,
    returnTagId: 0, returnTagDest: 0, bufferedInSdpPort: 1,
    txOffsetUs: txOffsetUs(opts.hardwareTimestepUs, opts.nVertices ?? 1, opts.index ?? 0),
  };
}

/** Spike time in ms → tick: ceil(floor(t·1000) / timestep_us). */
export function spikeTimeToTick(timeMs: number, timestepUs: number): number {
  return Math.ceil(Math.floor(timeMs * 1000) / timestepUs);
}

/** Bytes FEC reserves for the send buffer: per-tick estimate × run ticks. */
export function sendBufferSize(maxKeysPerTick: number, runTicks: number): number {
  const nMessages = Math.ceil(maxKeysPerTick / SIZING_KEYS_PER_MESSAGE);
  return (EIEIO_HEADER_BYTES * nMessages + 4 * maxKeysPerTick) * runTicks;
}

export interface TimedKeys {
  tick: number;
  keys: number[];
}

/**
 * Key of atom a at tick t: base + (a << colour bits) + (t & colour mask).
 * Spike times per atom (in ticks) → per-tick key lists, ticks ascending,
 * keys in atom order, restricted to [firstTick, endTick).
 */
export function spikeKeysByTick(spikeTicks: readonly (readonly number[])[], baseKey: number, nColourBits: number, firstTick: number, endTick: number): TimedKeys[] {
  const byTick = new Map<number, number[]>();
  const cmask = (1 << nColourBits) - 1;
  spikeTicks.forEach((ticks, atom) => {
    for (const t of [...ticks].sort((a, b) => a - b)) {
      if (t < firstTick || t >= endTick) continue;
      let l = byTick.get(t);
      if (!l) byTick.set(t, (l = []));
      l.push((baseKey + atom * 2 ** nColourBits + (t & cmask)) >>> 0);
    }
  });
  return [...byTick.keys()].sort((a, b) => a - b).map((tick) => ({ tick, keys: byTick.get(tick)! }));
}

/** Write the send buffer as the buffer manager does: packets up to 272 bytes, then STOP if ≥ 2 bytes remain. */
export function encodeSendBuffer(timed: readonly TimedKeys[], regionSize: number): Uint8Array {
  if (regionSize % 2 !== 0) throw new RangeError(`send buffer size ${regionSize} must be even`);
  const out = new Uint8Array(regionSize);
  let pos = 0;
  for (const { tick, keys } of timed) {
    for (let k = 0; k < keys.length; k += MAX_KEYS_PER_PACKET) {
      const packet = timedKeys32(tick >>> 0, keys.slice(k, k + MAX_KEYS_PER_PACKET).map((key) => key >>> 0));
      const len = encodingLength(packet);
      if (pos + len > regionSize) {
        throw new RangeError(`send buffer of ${regionSize} bytes is too small for the spikes at tick ${tick} (needs more than ${pos + len})`);
      }
      encode(packet, out, pos);
      pos += len;
    }
  }
  if (regionSize - pos >= 2) {
    encode(STOP, out, pos);
    pos += 2;
  }
  return out.subarray(0, pos);
}

/** Read the send buffer as the core does: packets until STOP or the end; padding is skipped. */
export function decodeSendBuffer(bytes: Uint8Array): { packets: TimedKeys[]; stopped: boolean } {
  const packets: TimedKeys[] = [];
  let pos = 0;
  while (pos + 2 <= bytes.length) {
    let at: ReturnType<typeof decodeAt>;
    try {
      at = decodeAt(bytes, pos);
    } catch (e) {
      throw e instanceof DecodeError ? new RegionFormatError(`send buffer offset ${pos}: ${e.message}`) : e;
    }
    const { packet, length } = at;
    if (packet.kind === 'command' && packet.command === EieioCommand.EVENT_PADDING) { pos += length; continue; }
    if (packet.kind === 'command' && packet.command === EieioCommand.EVENT_STOP) return { packets, stopped: true };
    if (!isTimedKeys32(packet)) {
      const h = bytes[pos]! | (bytes[pos + 1]! << 8);
      throw new RegionFormatError(`send buffer offset ${pos}: header 0x${h.toString(16)} is not a KEY_32 timestamped packet`);
    }
    packets.push({ tick: packet.payloadPrefix!, keys: packet.events.map((e) => e.key) });
    pos += length;
  }
  return { packets, stopped: false };
}

/** Header bits 8..15 exactly 0x38: tag 0, KEY_32, timestamp payload prefix, no key prefix. */
function isTimedKeys32(p: EieioPacket): p is EieioData {
  return p.kind === 'data' && p.type === EieioType.KEY_32 && p.tag === 0 && p.payloadIsTimestamp && p.payloadPrefix !== null && p.keyPrefix === null && !p.prefixUpper;
}

/**
 * Recorded packets of channel 0: {u32 length, u32 time, packet bytes}. The
 * length is the packet's rounded up to a word and the bytes after the packet
 * are whatever the core's packet buffer held (as on the board), so only the
 * packet's own `count` keys are decoded, never the padding.
 */
export function decodeSsaRecording(data: Uint8Array): { time: number; keys: number[] }[] {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: { time: number; keys: number[] }[] = [];
  let pos = 0;
  while (pos + 8 <= data.length) {
    const len = dv.getUint32(pos, true);
    const time = dv.getUint32(pos + 4, true);
    if (pos + 8 + len > data.length) throw new RegionFormatError(`spike-source recording offset ${pos}: record of ${len} bytes runs past the ${data.length} recorded bytes`);
    out.push({ time, keys: eieioKeys(dv, pos + 8, len, pos) });
    pos += 8 + len;
    if (pos % 4 !== 0) pos += 4 - (pos % 4);
  }
  return out;
}

/** The keys (without prefix) of one EIEIO data packet of at most `len` bytes at `at`. */
function eieioKeys(dv: DataView, at: number, len: number, recordAt: number): number[] {
  if (len < 2) throw new RegionFormatError(`spike-source recording offset ${recordAt}: record of ${len} bytes holds no EIEIO header`);
  const h = dv.getUint16(at, true);
  if (((h >>> 14) & 3) === 1) return []; // a command packet carries no keys
  const type = (h >>> 10) & 3;
  const keyBytes = type < 2 ? 2 : 4;
  const eventBytes = type & 1 ? 2 * keyBytes : keyBytes;
  let p = 2;
  if (h & 0x8000) p += 2;
  if (h & 0x2000) p += keyBytes;
  const n = h & 0xff;
  if (p + n * eventBytes > len) {
    throw new RegionFormatError(`spike-source recording offset ${recordAt}: packet header 0x${h.toString(16)} claims ${n} events (${p + n * eventBytes} bytes) but the record holds ${len}`);
  }
  const keys: number[] = [];
  for (let i = 0; i < n; i++, p += eventBytes) keys.push(keyBytes === 4 ? dv.getUint32(at + p, true) : dv.getUint16(at + p, true));
  return keys;
}
