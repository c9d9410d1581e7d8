/**
 * On-chip s16.15 ("accum") and u0.32 ("unsigned long fract") primitives,
 * exact on raw integers, as the ARM-mode firmware computes them.
 *
 * Every function takes and returns raw values: s16.15 as int32, u0.32 as
 * uint32 (a non-negative JS number below 2^32). No BigInt on these paths:
 * 32×32-bit products are split into 16-bit halves so that every partial
 * product and partial sum stays below 2^53 and is exact in a double.
 */

const TWO16 = 65536;
const TWO32 = 4294967296;

/**
 * accum × accum in ARM mode (GCC `mulsa3`: SMULL then bits [46:15]):
 * floor(a·b / 2^15) wrapped to int32. No rounding, no saturation.
 */
export function mulk(a: number, b: number): number {
  const bh = b >> 16; // signed high half
  const bl = b & 0xffff; // unsigned low half
  // a·b = a·bh·2^16 + a·bl, so floor(a·b / 2^15) = 2·a·bh + floor(a·bl / 2^15).
  // Only the result modulo 2^32 matters, so the first term may wrap (imul);
  // a·bl is exact (< 2^47) and `lo & 0x7fff` is lo mod 2^15 even for lo < 0.
  const lo = a * bl;
  return ((Math.imul(a, bh) << 1) + (lo - (lo & 0x7fff)) / 32768) | 0;
}

/**
 * `decay_s1615(x, d)`: (int64)x · (int64)d >> 32 (arithmetic), as s16.15.
 * x is an s16.15 raw int32, d a u0.32 raw uint32.
 */
export function decayS1615(x: number, d: number): number {
  // x·d = H·2^32 + L. L is exact from Math.imul (low 32 bits of the product,
  // whatever the operands' signedness). The double product x·d is within
  // 2^11 of the truth (|x·d| < 2^63), so (x·d − L) / 2^32 is within 2^-21 of
  // the integer H, and rounding recovers H exactly.
  const L = Math.imul(x, d) >>> 0;
  return Math.round((x * d - L) / TWO32) | 0;
}

/**
 * `decay_s1615_to_u032(x, d)`: ((uint64)(int64)x · d) >> 15, truncated to
 * uint32. Used on chip to derive the exponential synapse's `init` factor.
 */
export function decayS1615ToU032(x: number, d: number): number {
  const dh = d >>> 16;
  const dl = d & 0xffff;
  // Modulo 2^32 the sign extension to 64 bits contributes nothing (2^64/2^15 = 2^49).
  return (2 * (x * dh) + Math.floor((x * dl) / 32768)) >>> 0;
}

/** The value GCC gives the u0.32 literal `1.0ulr`: the maximal value, not 2^32. */
export const U032_ONE = 0xffffffff;

const TWO64 = 1n << 64n;

function toU64(x: number): bigint {
  // (uint64_t)(int32_t)x: sign-extended, then taken modulo 2^64.
  const v = BigInt(x | 0);
  return v < 0n ? v + TWO64 : v;
}

/**
 * `kdivk(a, b)` (sPyNNaker maths-util.h): udiv64((uint64)bits(a) << 15,
 * (uint64)bits(b)) truncated to 32 bits. Floored unsigned division; the
 * firmware only calls it with positive operands. Derivation-time only.
 */
export function kdivk(a: number, b: number): number {
  a |= 0;
  b |= 0;
  if (b === 0) throw new RangeError('kdivk: division by zero (an s16.15 parameter that must be non-zero is 0)');
  if (a >= 0 && b > 0) {
    // a·2^15 < 2^46: the double quotient floors exactly for integers below 2^53.
    return Math.floor((a * 32768) / b) | 0;
  }
  const num = (toU64(a) << 15n) % TWO64;
  return Number(BigInt.asIntN(32, num / toU64(b)));
}

/** `kdivui(a, n)`: udiv64((uint64)bits(a), n), truncated to 32 bits. */
export function kdivui(a: number, n: number): number {
  a |= 0;
  n >>>= 0;
  if (n === 0) throw new RangeError('kdivui: division by zero (n_steps_per_timestep must be at least 1)');
  if (a >= 0) return Math.floor(a / n) | 0;
  return Number(BigInt.asIntN(32, toU64(a) / BigInt(n)));
}

/** `synapse_row_convert_weight_to_input(w, shift)`: kbits((int32)w << shift). */
export function weightToInput(weight: number, leftShift: number): number {
  return (weight << leftShift) | 0;
}

/** `lif_ceil_accum`: ceiling of an s16.15 value as an integer (integer part + (fraction ≠ 0)). */
export function ceilAccum(x: number): number {
  const integer = x >> 15;
  return (x & 0x7fff) > 0 ? integer + 1 : integer;
}
