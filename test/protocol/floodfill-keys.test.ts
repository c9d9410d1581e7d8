import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ff from '../../src/protocol/floodfill.js';
import { u32 } from './fuzz.js';

describe('flood-fill block keys and NN memory-write keys', () => {
  it('round-trips FBS / FBD / FBE keys', () => {
    const key = fc.record({
      cmd: fc.constantFrom(ff.NnCmd.FBS, ff.NnCmd.FBD, ff.NnCmd.FBE),
      block: fc.integer({ min: 0, max: 255 }),
      field: fc.integer({ min: 0, max: 255 }),
      id: fc.integer({ min: 0, max: 127 }),
    });
    fc.assert(
      fc.property(key, (k) => {
        expect(ff.decodeFfBlockKey(ff.ffBlockKey(k))).toEqual({ cmd: k.cmd, block: k.block, field: k.field, id: k.id });
      }),
    );
  });

  it('packs a CMD_FFD block the way SC&MP does: cmd<<24 | block<<16 | words-1<<8 | (pid & 0xFE)', () => {
    const pid = 0x2b;
    expect(ff.ffBlockKey({ cmd: ff.NnCmd.FBS, block: 3, field: 63, id: ff.floodFillId(pid) })).toBe(((12 << 24) | (3 << 16) | (63 << 8) | (pid & 0xfe)) >>> 0);
    expect(() => ff.ffBlockKey({ cmd: 16, block: 0, field: 0, id: 0 })).toThrow(RangeError);
  });

  it('takes apart the SIG1 key that nnMemWriteRequest builds', () => {
    const args = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 255 }), u32);
    fc.assert(
      fc.property(args, ([op, type, offset, value]) => {
        const { key } = ff.nnMemWriteRequest(op, type, offset, value);
        expect(ff.nnKeyCommand(key)).toBe(ff.NnCmd.SIG1);
        expect(ff.decodeNnMemWriteKey(key)).toEqual({ sub: 0, type, op, offset });
      }),
    );
    expect(ff.decodeNnMemWriteKey(0x04f00000).sub).toBe(15);
  });
});
