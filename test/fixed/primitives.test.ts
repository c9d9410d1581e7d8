import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  mulk, kdivk, kdivui, decayS1615, decayS1615ToU032, expk, expulr, ceilAccum,
  stdpFixedMul16x16, mulAccumFixed, U032_ONE, expLut,
} from '../../src/fixed/index.js';
import { loadVectors } from '../fixtures/arm-vectors/load.js';

const lif = loadVectors('lif-if_curr_exp-arm.json');
const stdp = loadVectors('stdp-pair-arm.json');

// BigInt references, written straight from the C semantics.
const B64 = 1n << 64n;
const u64 = (x: number) => { const v = BigInt(x | 0); return v < 0n ? v + B64 : v; };
const refMulk = (a: number, b: number) => Number(BigInt.asIntN(32, (BigInt(a) * BigInt(b)) >> 15n));
const refDecay = (x: number, d: number) => Number(BigInt.asIntN(32, (BigInt(x) * BigInt(d >>> 0)) >> 32n));
const refDecayU = (x: number, d: number) => Number(BigInt.asUintN(32, BigInt.asUintN(64, u64(x) * BigInt(d >>> 0)) >> 15n));
const refKdivk = (a: number, b: number) => Number(BigInt.asIntN(32, BigInt.asUintN(64, u64(a) << 15n) / u64(b)));
const refKdivui = (a: number, n: number) => Number(BigInt.asIntN(32, u64(a) / BigInt(n)));

const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const edges = [0, 1, -1, 2, -2, 32767, 32768, -32768, 65535, 65536, -65536, 0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff];

describe('mulk (ARM-mode accum multiply)', () => {
  it('matches every accum_mul vector', () => {
    for (const v of lif.primitive_vectors.accum_mul) expect(mulk(v.a, v.b)).toBe(v.mulk);
  });
  it('matches the BigInt reference on edge cases', () => {
    for (const a of edges) for (const b of edges) expect(mulk(a, b)).toBe(refMulk(a, b));
  });
  it('matches the BigInt reference on random int32 pairs', () => {
    fc.assert(fc.property(int32, int32, (a, b) => mulk(a, b) === refMulk(a, b)), { numRuns: 20000 });
  });
});

describe('decay_s1615 and decay_s1615_to_u032', () => {
  it('match the BigInt references on edges and random inputs', () => {
    const uedges = [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0xffff, 0x10000];
    for (const x of edges) for (const d of uedges) {
      expect(decayS1615(x, d)).toBe(refDecay(x, d));
      expect(decayS1615ToU032(x, d)).toBe(refDecayU(x, d));
    }
    fc.assert(fc.property(int32, uint32, (x, d) => decayS1615(x, d) === refDecay(x, d) && decayS1615ToU032(x, d) === refDecayU(x, d)), { numRuns: 20000 });
  });
});

describe('kdivk and kdivui', () => {
  it('match the BigInt references, including negative operands', () => {
    fc.assert(fc.property(int32, int32.filter((b) => b !== 0), (a, b) => kdivk(a, b) === refKdivk(a, b)), { numRuns: 20000 });
    fc.assert(fc.property(int32, fc.integer({ min: 1, max: 0xffffffff }), (a, n) => kdivui(a, n) === refKdivui(a, n)), { numRuns: 20000 });
    for (const a of edges) for (const b of edges.filter((e) => e !== 0)) expect(kdivk(a, b)).toBe(refKdivk(a, b));
  });
  it('refuses division by zero with a message naming it', () => {
    expect(() => kdivk(1, 0)).toThrow(/division by zero/);
    expect(() => kdivui(1, 0)).toThrow(/n_steps_per_timestep/);
  });
});

describe('expk and expulr', () => {
  it('match every expk_expulr vector (saturation included)', () => {
    for (const v of lif.primitive_vectors.expk_expulr) {
      expect([v.x, expk(v.x)]).toEqual([v.x, v.expk]);
      expect([v.x, expulr(v.x)]).toEqual([v.x, v.expulr]);
    }
  });
  it('derive every kdivk/expk/expulr/decay/init vector as the exp synapse does', () => {
    for (const v of lif.primitive_vectors.kdivk_exp_init) {
      const tsOverTau = kdivk(v.ts_raw, v.tau_raw);
      expect(tsOverTau).toBe(v.kdivk_ts_tau);
      expect(expk(-tsOverTau)).toBe(v.expk_neg);
      const decay = expulr(-tsOverTau);
      expect(decay).toBe(v.expulr_neg);
      expect(decay).toBe(v.decay_u032);
      const tauOverTs = kdivk(v.tau_raw, v.ts_raw);
      expect(tauOverTs).toBe(v.kdivk_tau_ts);
      expect(decayS1615ToU032(tauOverTs, (U032_ONE - decay) >>> 0)).toBe(v.init_u032);
    }
  });
  it('is monotone non-decreasing over the whole unsaturated input range (sampled)', () => {
    let prevK = -1;
    for (let n = -340695; n <= 363408; n += 97) {
      const k = expk(n);
      expect(k).toBeGreaterThanOrEqual(prevK);
      prevK = k;
    }
  });
});

describe('ceilAccum (lif_ceil_accum)', () => {
  it('rounds up any fraction', () => {
    expect(ceilAccum(32768)).toBe(1);
    expect(ceilAccum(32769)).toBe(2);
    expect(ceilAccum(3277 * 32768 / 3277)).toBe(1);
    expect(ceilAccum(0)).toBe(0);
    expect(ceilAccum(-32769)).toBe(-1);
  });
});

describe('STDP fixed point', () => {
  it('STDP_FIXED_MUL_16X16 uses the signed low half-words (SMULBB) then >> 11', () => {
    const ref = (a: number, b: number) => (((a << 16) >> 16) * ((b << 16) >> 16)) >> 11;
    fc.assert(fc.property(int32, int32, (a, b) => stdpFixedMul16x16(a, b) === ref(a, b)), { numRuns: 5000 });
    expect(stdpFixedMul16x16(2048, 1948)).toBe(1948);
    expect(stdpFixedMul16x16(-32768, -32768)).toBe(524288);
    expect(stdpFixedMul16x16(0x12340800, 0x800)).toBe(2048);
  });
  it('mul_accum_fixed converts s?.11 to s16.15 by << 4 before the accum multiply', () => {
    expect(mulAccumFixed(328, 2048)).toBe(328);
    expect(mulAccumFixed(393, 1948)).toBe(refMulk(393, 1948 << 4));
  });
});

describe('host STDP LUT generation', () => {
  it('reproduces every LUT vector (size, shift, values)', () => {
    for (const v of stdp.lut_vectors) {
      const lut = expLut(v.ts_ms, v.tau_ms);
      expect([v.tau_ms, lut.size, lut.shift]).toEqual([v.tau_ms, v.size, v.shift]);
      expect(Array.from(lut.values)).toEqual(v.values);
    }
  });
  it('packs the words the host writes (as in the STDP region of the vectors)', () => {
    const c = stdp.cases[0];
    const lut = expLut(c.params.timestep_ms, c.params.tau_plus_ms);
    const region = c.host.stdp_region.map((w: string) => parseInt(w, 16) >>> 0);
    expect(Array.from(lut.words)).toEqual(region.slice(1, 1 + lut.words.length));
  });
});
