/**
 * SYNAPSE_DYNAMICS (region 7) of the STDP binaries with the pair rule:
 * [backprop_delay][tau+ LUT][tau− LUT][per synapse type {w_min, w_max, A+, A−} S1615].
 * LUT = header word (size | shift << 16), then size uint16 values packed two per word.
 */
import { encodeS1615 } from '../fixed/encode.js';
import { type RegionCodec, RegionFormatError, WordReader, bytesToWords, checkUInt, wordsToBytes } from './words.js';

export const STDP_FIXED_POINT = 11;
export const STDP_FIXED_POINT_ONE = 1 << STDP_FIXED_POINT;

export interface ExpLut {
  shift: number;
  /** uint16 values; the length is always even. */
  values: number[];
}

export interface WeightDependenceRaw {
  /** S1615 raw words. */
  wMin: number;
  wMax: number;
  aPlus: number;
  aMinus: number;
}

export interface StdpRegion {
  backpropDelay: boolean;
  lutPlus: ExpLut;
  lutMinus: ExpLut;
  /** One per synapse type. */
  weights: WeightDependenceRaw[];
}

/**
 * The host's exponential LUT: λ = ts/τ; size = ln(2048)/λ rounded up to an
 * even count (after dividing by 2^shift); value[i] = floor(exp(−(i<<shift)·λ)·2048).
 */
export function expLut(timestepMs: number, tauMs: number, shift = 0): ExpLut {
  if (!(tauMs > 0) || !Number.isFinite(tauMs)) throw new RangeError(`STDP time constant ${tauMs} ms must be a positive number`);
  if (!(timestepMs > 0)) throw new RangeError(`timestep ${timestepMs} ms must be positive`);
  const lambda = timestepMs / tauMs;
  const raw = Math.log(STDP_FIXED_POINT_ONE) / lambda / 2 ** shift;
  // divmod(raw, 2) then (q + (r > 0)) * 2
  const q = Math.floor(raw / 2);
  const r = raw - 2 * q;
  const size = (q + (r > 0 ? 1 : 0)) * 2;
  if (size > 0xffff) throw new RangeError(`STDP LUT for tau ${tauMs} ms at ${timestepMs} ms has ${size} entries, more than 65535`);
  const values: number[] = [];
  for (let i = 0; i < size; i++) values.push(Math.floor(Math.exp((i * 2 ** shift) * -lambda) * STDP_FIXED_POINT_ONE) & 0xffff);
  return { shift, values };
}

function lutWords(l: ExpLut): number[] {
  if (l.values.length % 2 !== 0) throw new RangeError(`LUT length ${l.values.length} must be even`);
  const out = [(checkUInt(l.values.length, 16, 'LUT size') | (checkUInt(l.shift, 16, 'LUT shift') << 16)) >>> 0];
  for (let i = 0; i < l.values.length; i += 2) {
    out.push((checkUInt(l.values[i]!, 16, 'LUT value') | (checkUInt(l.values[i + 1]!, 16, 'LUT value') << 16)) >>> 0);
  }
  return out;
}

function readLut(r: WordReader, what: string): ExpLut {
  const h = r.u32(`${what} header`);
  const size = h & 0xffff;
  if (size % 2 !== 0) throw new RegionFormatError(`${what}: odd LUT size ${size}`);
  const words = r.array(size / 2, what);
  const values: number[] = [];
  for (const w of words) values.push(w & 0xffff, w >>> 16);
  return { shift: h >>> 16, values };
}

export const stdpRegion: RegionCodec<StdpRegion> = {
  encodingLength: (s) => 4 * (1 + 1 + s.lutPlus.values.length / 2 + 1 + s.lutMinus.values.length / 2 + 4 * s.weights.length),
  encode(s) {
    const w: number[] = [s.backpropDelay ? 1 : 0, ...lutWords(s.lutPlus), ...lutWords(s.lutMinus)];
    for (const p of s.weights) w.push(p.wMin, p.wMax, p.aPlus, p.aMinus);
    return wordsToBytes(w);
  },
  decode(bytes) {
    const r = new WordReader(bytesToWords(bytes, 'STDP region'), 'STDP region');
    const backpropDelay = r.u32('backprop_delay') !== 0;
    const lutPlus = readLut(r, 'tau+ LUT');
    const lutMinus = readLut(r, 'tau− LUT');
    if (r.remaining % 4 !== 0) throw new RegionFormatError(`STDP region: ${r.remaining} words left is not 4 × n_synapse_types`);
    const weights: WeightDependenceRaw[] = [];
    while (r.remaining > 0) {
      const [wMin, wMax, aPlus, aMinus] = r.array(4, 'weight dependence').map((x) => x | 0);
      weights.push({ wMin: wMin!, wMax: wMax!, aPlus: aPlus!, aMinus: aMinus! });
    }
    return { backpropDelay, lutPlus, lutMinus, weights };
  },
};

export interface PairRule { tau_plus: number; tau_minus: number; A_plus: number; A_minus: number }
export interface WeightDependence { kind: 'additive' | 'multiplicative'; w_min: number; w_max: number }

export function validateStdp(t: PairRule, w: WeightDependence): void {
  if (!(t.tau_plus > 0) || !(t.tau_minus > 0)) throw new RangeError(`SpikePairRule needs positive tau_plus and tau_minus, got ${t.tau_plus} and ${t.tau_minus}`);
  if (!(t.A_plus >= 0) || !(t.A_minus >= 0)) throw new RangeError(`SpikePairRule A_plus and A_minus must be non-negative, got ${t.A_plus} and ${t.A_minus}`);
  if (!(w.w_min <= w.w_max)) throw new RangeError(`weight dependence w_min ${w.w_min} > w_max ${w.w_max}`);
}

/**
 * Weight-dependence words per synapse type, as the host writes them: w_min,
 * w_max (× global weight scale); A± × scale for additive, unscaled for
 * multiplicative. Every synapse type gets the same parameters.
 */
export function weightDependenceRaw(t: PairRule, w: WeightDependence, nSynapseTypes: number, globalWeightScale = 1): WeightDependenceRaw[] {
  validateStdp(t, w);
  const aScale = w.kind === 'additive' ? globalWeightScale : 1;
  const one: WeightDependenceRaw = {
    wMin: encodeS1615(w.w_min * globalWeightScale, 'w_min'),
    wMax: encodeS1615(w.w_max * globalWeightScale, 'w_max'),
    aPlus: encodeS1615(t.A_plus * aScale, 'A_plus'),
    aMinus: encodeS1615(t.A_minus * aScale, 'A_minus'),
  };
  return Array.from({ length: nSynapseTypes }, () => ({ ...one }));
}

export function makeStdpRegion(opts: {
  timestepMs: number; timing: PairRule; weight: WeightDependence; nSynapseTypes: number; globalWeightScale?: number; backpropDelay?: boolean;
}): StdpRegion {
  return {
    backpropDelay: opts.backpropDelay ?? true,
    lutPlus: expLut(opts.timestepMs, opts.timing.tau_plus),
    lutMinus: expLut(opts.timestepMs, opts.timing.tau_minus),
    weights: weightDependenceRaw(opts.timing, opts.weight, opts.nSynapseTypes, opts.globalWeightScale ?? 1),
  };
}
