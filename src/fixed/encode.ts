/**
 * Host-side conversion between physical values and the firmware's fixed-point
 * raw integers. The host rounds half to even, as numpy.round / Python's round
 * do in the upstream host code.
 */

/** Round half to even (banker's rounding) of a finite number. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export const S1615_ONE = 32768;
export const S1615_MAX = 0x7fffffff;
export const S1615_MIN = -0x80000000;

/** Physical value → s16.15 raw int32 (round half to even). Throws on overflow. */
export function encodeS1615(value: number, what = 'value'): number {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite number, got ${value}`);
  const raw = roundHalfEven(value * S1615_ONE);
  if (raw > S1615_MAX || raw < S1615_MIN) {
    throw new RangeError(`${what} = ${value} does not fit s16.15 (range -65536 .. 65535.99997)`);
  }
  return raw;
}

/** s16.15 raw int32 → physical value (exact). */
export function decodeS1615(raw: number): number {
  return (raw | 0) / S1615_ONE;
}

/** Physical value in [0, 1) → u0.32 raw uint32 (round half to even, saturating at 0xFFFFFFFF). */
export function encodeU032(value: number, what = 'value'): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite non-negative number, got ${value}`);
  const raw = roundHalfEven(value * 2 ** 32);
  return Math.min(raw, 0xffffffff);
}

export function decodeU032(raw: number): number {
  return (raw >>> 0) / 2 ** 32;
}
