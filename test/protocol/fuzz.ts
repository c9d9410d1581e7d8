import fc from 'fast-check';
import { expect } from 'vitest';
import { DecodeError } from '../../src/protocol/errors.js';
import type { ScpBody } from '../../src/protocol/body.js';

/** Calls `decode`; passes if it returns or throws DecodeError, fails on any other throw. */
export function expectOnlyDecodeError(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw new Error(`decoder threw ${String(e)} instead of DecodeError`);
    expect(e).toBeInstanceOf(DecodeError);
  }
}

export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const randomBody: fc.Arbitrary<ScpBody> = fc.record({
  args: fc.array(u32, { maxLength: 3 }),
  data: fc.uint8Array({ maxLength: 300 }),
});

/** Random bytes, and bytes of a valid encoding with some positions overwritten or truncated. */
export function mutatedBytes(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const mutated = fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat())
    .map(([b, edits, cut]) => {
      const out = Uint8Array.from(b);
      for (const [pos, v] of edits) if (out.length) out[pos % out.length] = v;
      return cut % 4 === 0 ? out.subarray(0, cut % (out.length + 1)) : out;
    });
  return fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated);
}

/** A body whose args/data are mutated from a valid one. */
export function mutatedBody(valid: fc.Arbitrary<ScpBody>): fc.Arbitrary<ScpBody> {
  const m = fc.tuple(valid, fc.nat({ max: 3 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([b, nArgs, edits, cut]) => {
    const data = Uint8Array.from(b.data);
    for (const [pos, v] of edits) if (data.length) data[pos % data.length] = v;
    return { args: b.args.slice(0, nArgs), data: cut % 3 === 0 ? data.subarray(0, cut % (data.length + 1)) : data };
  });
  return fc.oneof(randomBody, m);
}
