import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StructLayout } from '../../src/protocol/struct.js';
import type { BodyCodec } from '../../src/protocol/body.js';
import { expectOnlyDecodeError, mutatedBody, mutatedBytes } from './fuzz.js';

/** Random value for any struct layout, built from its field table. */
export function arbitraryStruct<T>(layout: StructLayout<T>): fc.Arbitrary<T> {
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of layout.fields) {
    const m = /^(u8|u32|bytes)\[(\d+)\]$/.exec(f.type);
    if (m) {
      const n = Number(m[2]);
      rec[f.name] =
        m[1] === 'bytes'
          ? fc.uint8Array({ minLength: n, maxLength: n })
          : fc.array(fc.integer({ min: 0, max: m[1] === 'u8' ? 255 : 0xffffffff }), { minLength: n, maxLength: n });
    } else if (f.type === 'i32') rec[f.name] = fc.integer({ min: -0x80000000, max: 0x7fffffff });
    else rec[f.name] = fc.integer({ min: 0, max: f.type === 'u8' ? 0xff : f.type === 'u16' ? 0xffff : 0xffffffff });
  }
  return fc.record(rec) as fc.Arbitrary<T>;
}

export function structLaws<T>(layout: StructLayout<T>): void {
  describe(`struct ${layout.name}`, () => {
    it('round-trips random values', () => {
      fc.assert(
        fc.property(arbitraryStruct(layout), (v) => {
          const bytes = layout.encode(v);
          expect(bytes.length).toBe(layout.encodingLength(v));
          expect(layout.decode(bytes)).toEqual(v);
          for (const f of layout.fields) expect(layout.readField(bytes, f.name)).toEqual((v as Record<string, unknown>)[f.name]);
        }),
        { numRuns: 50 },
      );
    });
    it('gives only DecodeError on random and mutated bytes', () => {
      fc.assert(
        fc.property(mutatedBytes(arbitraryStruct(layout).map((v) => layout.encode(v))), fc.nat({ max: 8 }), (b, off) => {
          expectOnlyDecodeError(() => layout.decode(b, off));
        }),
        { numRuns: 300 },
      );
    });
  });
}


/** Round trip, length and fuzz laws for a typed ↔ SCP-body codec. */
export function bodyLaws<T>(name: string, codec: BodyCodec<T>, arb: fc.Arbitrary<T>): void {
  describe(name, () => {
    it('round-trips random values', () => {
      fc.assert(
        fc.property(arb, (v) => {
          const body = codec.encode(v);
          expect(4 * body.args.length + body.data.length).toBe(codec.encodingLength(v));
          expect(codec.decode(body)).toEqual(v);
        }),
        { numRuns: 200 },
      );
    });
    it('gives only DecodeError on random and mutated bodies', () => {
      fc.assert(fc.property(mutatedBody(arb.map((v) => codec.encode(v))), (b) => expectOnlyDecodeError(() => codec.decode(b))), { numRuns: 300 });
    });
  });
}
