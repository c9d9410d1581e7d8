import { describe, expect, it } from 'vitest';
import { decodeSsaRecording, encodeSendBuffer, EIEIO_KEY32_TIMESTAMP, RegionFormatError } from '../../src/regions/index.js';

/** One record as the spike-source core writes it: {len rounded up to a word, time, packet, then whatever bytes followed}. */
function record(time: number, keys: number[], padding: number[]): Uint8Array {
  const packet = encodeSendBuffer([{ tick: time, keys }], 6 + 4 * keys.length);
  const len = (packet.length + 3) & ~3;
  const out = new Uint8Array(8 + len);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, len, true);
  dv.setUint32(4, time, true);
  out.set(packet, 8);
  out.set(padding.slice(0, len - packet.length), 8 + packet.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('decodeSsaRecording', () => {
  it('decodes only each packet\'s own keys whatever the padding bytes hold', () => {
    // Padding that looks like a KEY_32 header (0x38ff: 255 keys), a stale key's bytes, and zeros.
    const paddings = [[0xff, EIEIO_KEY32_TIMESTAMP >>> 8], [0x12, 0x34], [0, 0]];
    const expected = [
      { time: 0, keys: [0x10000, 0x10010] },
      { time: 3, keys: [0x10021] },
      { time: 7, keys: [0x10002, 0x10013, 0x10024, 0x10035] },
    ];
    const data = concat(expected.map((r, i) => record(r.time, r.keys, paddings[i]!)));
    expect(decodeSsaRecording(data)).toEqual(expected);
  });

  it('refuses a record whose packet claims more keys than the record holds', () => {
    const r = record(1, [0x10000], [0, 0]);
    r[8] = 5; // count 5 in a 12-byte record
    expect(() => decodeSsaRecording(r)).toThrow(RegionFormatError);
    expect(() => decodeSsaRecording(r)).toThrow(/claims 5 events/);
  });

  it('refuses a record that runs past the recorded bytes', () => {
    const r = record(1, [0x10000, 0x10001], [0, 0]);
    expect(() => decodeSsaRecording(r.subarray(0, r.length - 4))).toThrow(/runs past/);
  });
});
