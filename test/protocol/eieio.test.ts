import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as eieio from '../../src/protocol/eieio.js';
import { expectOnlyDecodeError, mutatedBytes } from './fuzz.js';

const dataPacket: fc.Arbitrary<eieio.EieioData> = fc.integer({ min: 0, max: 3 }).chain((type) => {
  const max = type >= 2 ? 0xffffffff : 0xffff;
  const v = fc.integer({ min: 0, max });
  const payload = type === 1 || type === 3;
  return fc
    .record({
      type: fc.constant(type),
      tag: fc.integer({ min: 0, max: 3 }),
      payloadIsTimestamp: fc.boolean(),
      keyPrefix: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: null }),
      payloadPrefix: fc.option(v, { nil: null }),
      events: fc.array(payload ? fc.record({ key: v, payload: v }) : fc.record({ key: v }), { maxLength: 40 }),
      upper: fc.boolean(),
    })
    .map(({ upper, ...r }) => ({ kind: 'data' as const, ...r, prefixUpper: upper && r.keyPrefix !== null }));
});
const commandPacket: fc.Arbitrary<eieio.EieioCommandPacket> = fc.record({
  kind: fc.constant('command' as const),
  command: fc.integer({ min: 0, max: 0x3fff }),
  data: fc.uint8Array({ maxLength: 40 }),
});
const packet = fc.oneof(dataPacket, commandPacket);

describe('EIEIO', () => {
  it('round-trips random data and command packets', () => {
    fc.assert(
      fc.property(packet, (p) => {
        const b = eieio.encode(p);
        expect(b.length).toBe(eieio.encodingLength(p));
        expect(eieio.decode(b)).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('gives only DecodeError on random and mutated bytes', () => {
    fc.assert(
      fc.property(mutatedBytes(packet.map((p) => eieio.encode(p))), (b) => {
        expectOnlyDecodeError(() => eieio.decode(b));
        expectOnlyDecodeError(() => eieio.decodeSendBuffer(b));
      }),
      { numRuns: 500 },
    );
  });

  it('spike-source packets: header count | 0x3800, u32 time, u32 keys (6-byte header)', () => {
    const b = eieio.encode(eieio.timedKeys32(7, [0x10000, 0x10001]));
    expect(Buffer.from(b).toString('hex')).toBe('0238' + '07000000' + '00000100' + '01000100');
    expect(6 + 4 * eieio.MAX_KEYS_PER_TIMED_PACKET).toBeLessThanOrEqual(eieio.EIEIO_MAX_BYTES);
    expect(eieio.MAX_KEYS_PER_TIMED_PACKET).toBe(66);
  });

  it('reads a send buffer: skips 0x4002 padding, stops at 0x4003', () => {
    const a = eieio.encode(eieio.timedKeys32(1, [5]));
    const c = eieio.encode(eieio.timedKeys32(3, [6, 7]));
    const pad = Uint8Array.of(0x02, 0x40);
    const stop = Uint8Array.of(0x03, 0x40);
    const junk = eieio.encode(eieio.timedKeys32(9, [9]));
    const buf = Uint8Array.from([...a, ...pad, ...c, ...stop, ...junk]);
    expect(eieio.decodeSendBuffer(buf).map((p) => [p.payloadPrefix, p.events.map((e) => e.key)])).toEqual([
      [1, [5]],
      [3, [6, 7]],
    ]);
    expect(Buffer.from(eieio.encode({ kind: 'command', command: eieio.EieioCommand.EVENT_STOP, data: new Uint8Array() })).toString('hex')).toBe('0340');
  });
});
