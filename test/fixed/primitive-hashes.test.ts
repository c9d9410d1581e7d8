import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulk, decayS1615, decayS1615ToU032, kdivk, expk, expulr } from '../../src/fixed/index.js';

const ref = JSON.parse(readFileSync(new URL('../fixtures/arm-vectors-extra/primitive-hashes-arm.json', import.meta.url), 'utf8'));

class Fnv {
  h = 2166136261;
  add(v: number): void {
    for (let i = 0; i < 4; i++) {
      this.h ^= (v >>> (8 * i)) & 0xff;
      this.h = Math.imul(this.h, 16777619) >>> 0;
    }
  }
}
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

describe('primitives against hashes of the ARM build (exhaustive exp, 10^6 random operands)', () => {
  it('expk and expulr over every input from -340700 to 363410', () => {
    const a = new Fnv(), b = new Fnv();
    for (let n = -340700; n <= 363410; n++) { a.add(expk(n) >>> 0); b.add(expulr(n)); }
    expect(a.h).toBe(ref.expk_fnv);
    expect(b.h).toBe(ref.expulr_fnv);
  });
  it('mulk on 10^6 LCG pairs', () => {
    const r = lcg(1), f = new Fnv();
    for (let i = 0; i < 1e6; i++) { const a = r() | 0, b = r() | 0; f.add(mulk(a, b) >>> 0); }
    expect(f.h).toBe(ref.mulk_fnv);
  });
  it('decay_s1615 and decay_s1615_to_u032 on 10^6 LCG pairs each', () => {
    let r = lcg(2); const f = new Fnv();
    for (let i = 0; i < 1e6; i++) { const x = r() | 0, d = r(); f.add(decayS1615(x, d) >>> 0); }
    expect(f.h).toBe(ref.decay_s1615_fnv);
    r = lcg(3); const g = new Fnv();
    for (let i = 0; i < 1e6; i++) { const x = r() | 0, d = r(); g.add(decayS1615ToU032(x, d)); }
    expect(g.h).toBe(ref.decay_s1615_to_u032_fnv);
  });
  it('kdivk on 2·10^5 positive LCG pairs', () => {
    const r = lcg(4), f = new Fnv();
    for (let i = 0; i < 200000; i++) { const a = r() >>> 1, b = ((r() >>> (1 + (i % 24))) | 1) >>> 0; f.add(kdivk(a, b) >>> 0); }
    expect(f.h).toBe(ref.kdivk_pos_fnv);
  });
});
