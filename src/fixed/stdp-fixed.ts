/**
 * The STDP code's own fixed point (`stdp_typedefs.h`, `maths.h`): traces and
 * look-up-table values are s?.11 (2048 = 1.0) held in int16 / int32.
 */
import { mulk } from './accum.js';

export const STDP_FIXED_POINT = 11;
export const STDP_FIXED_POINT_ONE = 1 << STDP_FIXED_POINT;
/** s?.11 → s16.15 is a left shift by this much (`S1615_TO_STDP_RIGHT_SHIFT`). */
export const S1615_TO_STDP_SHIFT = 4;

/**
 * `STDP_FIXED_MUL_16X16(a, b)`: SMULBB (signed low half-words of a and b
 * multiplied) then an arithmetic shift right by 11.
 */
export function stdpFixedMul16x16(a: number, b: number): number {
  return Math.imul((a << 16) >> 16, (b << 16) >> 16) >> STDP_FIXED_POINT;
}

/** `mul_accum_fixed(a, s)`: accum a × kbits(s << 4), with the ARM-mode truncating multiply. */
export function mulAccumFixed(a: number, stdpFixed: number): number {
  return mulk(a, (stdpFixed << S1615_TO_STDP_SHIFT) | 0);
}

/** int32 → int16 wrap, as a C cast to `int16_t`. */
export function toInt16(x: number): number {
  return (x << 16) >> 16;
}
