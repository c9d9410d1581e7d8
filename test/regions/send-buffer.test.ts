import { describe, expect, it } from 'vitest';
import { EIEIO_KEY32_TIMESTAMP, MAX_KEYS_PER_PACKET, MAX_PACKET_BYTES, decodeSendBuffer, encodeSendBuffer } from '../../src/regions/index.js';

describe('send buffer packet size', () => {
  it('splits a tick of many keys into packets the spike source accepts (at most 272 bytes: 66 keys)', () => {
    expect(MAX_KEYS_PER_PACKET).toBe(66);
    const keys = Array.from({ length: 200 }, (_, i) => 0x10000 + i);
    const buf = encodeSendBuffer([{ tick: 5, keys }], 4096);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const counts: number[] = [];
    for (let pos = 0; dv.getUint16(pos, true) !== 0x4003; ) {
      const h = dv.getUint16(pos, true);
      expect(h & 0xff00).toBe(EIEIO_KEY32_TIMESTAMP);
      const len = 6 + 4 * (h & 0xff);
      expect(len).toBeLessThanOrEqual(MAX_PACKET_BYTES);
      counts.push(h & 0xff);
      pos += len;
    }
    expect(counts).toEqual([66, 66, 66, 2]);
    expect(decodeSendBuffer(buf).packets.flatMap((p) => p.keys)).toEqual(keys);
  });
});
