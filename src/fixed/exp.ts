/**
 * spinn_common's fixed-point exponential (`stdfix-exp.c`), exact on raw
 * integers: `expk` (s16.15 → s16.15) and `expulr` (s16.15 → u0.32). They run
 * once per neuron at initialisation, but are still BigInt-free.
 *
 * The core computes e^x · 2^32 as a uint64 from a table of e^k·2^32 for
 * integer k, one 16-entry table of e^(-j/16) − 1 terms, and a short series
 * for the remaining 11 fraction bits. All intermediate values stay below
 * 2^50, so doubles hold them exactly; only 32×32-bit products need splitting.
 */

const EXP_HI = [
  9708, 26389, 71733, 194991, 530041, 1440801, 3916503, 10646160, 28939262, 78665070, 213833830,
  581260615, 1580030169, 4294967296, 11674931555, 31735754293, 86266724208, 234497268814,
  637429664642, 1732713474316, 4710003551159, 12803117065094, 34802480465680, 94602950235157,
  257157480542844, 699026506411923,
];

const EXPM1_MID = [
  0, 260218914, 504671961, 734314346, 950043403, 1152702096, 1343082321, 1521927990, 1689937949,
  1847768698, 1996036966, 2135322113, 2266168400, 2389087112, 2504558555, 2613033936,
];

const SER0 = 5294;
const SER1 = 4293434720;
const SER2 = 2081624032;

const TWO32 = 4294967296;
const INT32_MAX = 0x7fffffff;
/** Inputs above this saturate (expk → INT32_MAX, expulr → 0x7FFFFFFF). */
export const EXP_MAX_INPUT = 363408;
/** Inputs below this give 0. */
export const EXP_MIN_INPUT = -340695;

// Result of umul32: the 64-bit product of two uint32 as two uint32 halves.
let prodHi = 0;
let prodLo = 0;

function umul32(a: number, b: number): void {
  const ah = a >>> 16;
  const al = a & 0xffff;
  const bh = b >>> 16;
  const bl = b & 0xffff;
  const mid = ah * bl + al * bh; // < 2^33
  const low = mid * 65536 + al * bl; // < 2^50, exact
  const carry = Math.floor(low / TWO32);
  prodLo = low - carry * TWO32;
  prodHi = ah * bh + carry;
}

/** uint32 × uint32 → high 32 bits (`coef_mult`). */
function coefMult(c: number, x: number): number {
  umul32(c, x);
  return prodHi;
}

/** `scale64(x, y)` = round64(lo32(x)·y) + hi32(x)·y, x < 2^53. */
function scale64(x: number, y: number): number {
  const hi = Math.floor(x / TWO32);
  const lo = x - hi * TWO32;
  umul32(lo, y);
  const rounded = prodHi + (prodLo >= INT32_MAX ? 1 : 0);
  return rounded + hi * y; // hi < 2^21 here, so hi·y < 2^53
}

function expSeries(y: number): number {
  let t = (SER1 - coefMult(SER2, y)) >>> 0;
  t = coefMult(t, y);
  return (t + SER0) >>> 0;
}

/** `__expi64(n)`: e^(n/2^15) · 2^32 as an exact integer (a double below 2^50). */
function expi64(n: number): number {
  let z = n >> 15;
  let f = n - z * 32768;
  if (f > 0) {
    z += 1;
    f = 32768 - f;
    let t = EXP_HI[13 + z]!;
    t -= scale64(t, EXPM1_MID[f >> 11]!);
    const y = ((f & 0x7ff) << 17) >>> 0;
    t -= scale64(t, expSeries(y));
    return t;
  }
  return EXP_HI[13 + z]!;
}

/** `expk(x)`: e^x for an s16.15 raw x, as s16.15 raw int32. */
export function expk(x: number): number {
  const n = x | 0;
  if (n > EXP_MAX_INPUT) return INT32_MAX;
  if (n < EXP_MIN_INPUT) return 0;
  return Math.floor(expi64(n) / 131072) | 0;
}

/**
 * `expulr(x)`: e^x as u0.32 raw uint32 (the low 32 bits of e^x·2^32, so
 * expulr(0) wraps to 0 and positive x gives meaningless bits, as on chip).
 */
export function expulr(x: number): number {
  const n = x | 0;
  if (n > EXP_MAX_INPUT) return INT32_MAX;
  if (n < EXP_MIN_INPUT) return 0;
  return expi64(n) >>> 0;
}
