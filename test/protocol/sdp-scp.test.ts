import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as sdp from '../../src/protocol/sdp.js';
import * as scp from '../../src/protocol/scp.js';
import { DecodeError } from '../../src/protocol/errors.js';

const header = fc.record({
  flags: fc.integer({ min: 0, max: 255 }),
  tag: fc.integer({ min: 0, max: 255 }),
  destPort: fc.integer({ min: 0, max: 7 }),
  destCpu: fc.integer({ min: 0, max: 31 }),
  srcePort: fc.integer({ min: 0, max: 7 }),
  srceCpu: fc.integer({ min: 0, max: 31 }),
  destX: fc.integer({ min: 0, max: 255 }),
  destY: fc.integer({ min: 0, max: 255 }),
  srceX: fc.integer({ min: 0, max: 255 }),
  srceY: fc.integer({ min: 0, max: 255 }),
});

describe('SDP', () => {
  it('matches the ybug sver capture byte for byte', () => {
    const scpBytes = scp.encode({ cmdRc: 0, seq: 1, args: [0, 0, 0], data: new Uint8Array() });
    const bytes = sdp.encode({
      header: { flags: 0x87, tag: 0xff, destPort: 0, destCpu: 0, srcePort: 7, srceCpu: 31, destX: 0, destY: 0, srceX: 0, srceY: 0 },
      payload: scpBytes,
    });
    expect(Buffer.from(bytes).toString('hex')).toBe('000087ff00ff00000000' + '00000100' + '00'.repeat(12));
  });

  it('round-trips random messages', () => {
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 272 }), (h, payload) => {
        const msg = { header: h, payload };
        const bytes = sdp.encode(msg);
        expect(bytes.length).toBe(sdp.encodingLength(msg));
        const back = sdp.decode(bytes);
        expect(back.header).toEqual(h);
        expect(Array.from(back.payload)).toEqual(Array.from(payload));
      }),
    );
  });

  it('gives a typed error, never a crash, on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          sdp.decode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
    );
  });

  it('swaps addresses and ports for a reply', () => {
    const h = { flags: 0x87, tag: 9, destPort: 0, destCpu: 3, srcePort: 7, srceCpu: 31, destX: 1, destY: 2, srceX: 0, srceY: 0 };
    expect(sdp.replyHeader(h)).toEqual({ flags: 0x07, tag: 9, destPort: 7, destCpu: 31, srcePort: 0, srceCpu: 3, destX: 0, destY: 0, srceX: 1, srceY: 2 });
  });
});

describe('SCP', () => {
  it('round-trips random packets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 3 }),
        fc.uint8Array({ maxLength: 256 }),
        (cmdRc, seq, args, data) => {
          const p = { cmdRc, seq, args, data };
          const back = scp.decode(scp.encode(p), args.length);
          expect(back.cmdRc).toBe(cmdRc);
          expect(back.seq).toBe(seq);
          expect(back.args).toEqual(args);
          expect(Array.from(back.data)).toEqual(Array.from(data));
        },
      ),
    );
  });

  it('rejects a request shorter than three args', () => {
    expect(() => scp.decodeRequest(new Uint8Array(10))).toThrow(DecodeError);
  });
});
