import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChipMemory, MemoryFault } from '../../src/emulator/memory.js';

const SDRAM = 0x60000000;
const UNBUF = 0x70000000;
const SIZE = 128 * 1024 * 1024;
const PAGE = 65536;

/** Offsets near page edges and the ends of SDRAM, where the single-page fast path must hand over. */
const offset = fc.oneof(
  fc.integer({ min: 0, max: SIZE - 1 }),
  fc.tuple(fc.integer({ min: 0, max: SIZE / PAGE - 1 }), fc.integer({ min: -8, max: 8 })).map(([p, d]) => Math.min(SIZE - 1, Math.max(0, p * PAGE + d))),
  fc.integer({ min: SIZE - 16, max: SIZE - 1 }),
);

describe('chip memory SDRAM paths', () => {
  it('writes and reads (bytes and words, both aliases, within and across pages) agree with a byte model', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ off: offset, unbuf: fc.boolean(), bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }), word: fc.option(fc.nat()) }), { minLength: 1, maxLength: 30 }),
        (ops) => {
          const m = new ChipMemory();
          const model = new Map<number, number>();
          for (const op of ops) {
            const base = op.unbuf ? UNBUF : SDRAM;
            if (op.word !== null) {
              if (op.off + 4 > SIZE) {
                expect(() => m.writeU32(base + op.off, op.word!)).toThrow(MemoryFault);
                continue;
              }
              m.writeU32(base + op.off, op.word);
              for (let i = 0; i < 4; i++) model.set(op.off + i, (op.word >>> (8 * i)) & 255);
            } else {
              if (op.off + op.bytes.length > SIZE) {
                expect(() => m.write(base + op.off, op.bytes)).toThrow(MemoryFault);
                continue;
              }
              m.write(base + op.off, op.bytes);
              op.bytes.forEach((b, i) => model.set(op.off + i, b));
            }
          }
          for (const op of ops) {
            const n = Math.min(op.bytes.length + 4, SIZE - op.off);
            const expected = Array.from({ length: n }, (_, i) => model.get(op.off + i) ?? 0);
            expect([...m.read(SDRAM + op.off, n)]).toEqual(expected);
            expect([...m.read(UNBUF + op.off, n)]).toEqual(expected);
            if (op.off + 4 <= SIZE) {
              const w = (expected[0]! | (expected[1]! << 8) | (expected[2]! << 16) | (expected[3]! << 24)) >>> 0;
              expect(m.readU32(SDRAM + op.off)).toBe(w);
              expect(m.readU32(UNBUF + op.off)).toBe(w);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('faults outside SDRAM and keeps the other regions on their own path', () => {
    const m = new ChipMemory();
    for (const a of [SDRAM - 4, SDRAM + SIZE, UNBUF - 4, UNBUF + SIZE, 0x50000000, 0x80000000]) {
      expect(() => m.writeU32(a, 1)).toThrow(MemoryFault);
      expect(() => m.readU32(a)).toThrow(MemoryFault);
      expect(() => m.write(a, Uint8Array.of(1))).toThrow(MemoryFault);
    }
    m.writeU32(0xe5000010, 0xdeadbeef);
    expect(m.readU32(0xf5000010)).toBe(0xdeadbeef);
    expect(m.sysram[0x10]).toBe(0xef);
    expect(() => m.writeU32(0xf6000000, 1)).toThrow(MemoryFault);
  });

  it('reads never-written SDRAM as zeros', () => {
    const m = new ChipMemory();
    expect(m.readU32(SDRAM + 12345 * 4)).toBe(0);
    expect([...m.read(UNBUF + PAGE - 2, 4)]).toEqual([0, 0, 0, 0]);
  });
});

describe('chip memory SDRAM residency', () => {
  it('reads do not allocate pages; writes allocate only the pages they touch', () => {
    const m = new ChipMemory();
    m.read(SDRAM, 3 * PAGE);
    m.readU32(UNBUF + 5 * PAGE);
    expect(m.sdramResidentBytes).toBe(0);
    m.writeU32(UNBUF + 5 * PAGE + 8, 7);
    m.write(SDRAM + 2 * PAGE - 2, Uint8Array.of(1, 2, 3, 4));
    expect(m.sdramResidentBytes).toBe(3 * PAGE);
    expect(m.readU32(SDRAM + 5 * PAGE + 8)).toBe(7);
  });
});
