/**
 * Host-side generation of the STDP exponential look-up tables, as the pinned
 * release's host writes them (`plasticity/stdp/common.py get_exp_lut_array`):
 * λ = ts/τ, size = ln(2048)/λ rounded up to an even count, value[i] =
 * floor(e^(−i·λ) · 2048) as uint16, preceded by a header half-word pair
 * {size, shift}. The on-chip side only reads these words.
 */
import { STDP_FIXED_POINT_ONE } from './stdp-fixed.js';

export interface ExpLut {
  size: number;
  shift: number;
  values: Uint16Array;
  /** The words as written to SDRAM: header word (size | shift << 16), then the values packed two per word, low half first. */
  words: Uint32Array;
}

export function expLut(timeStepMs: number, tauMs: number, shift = 0): ExpLut {
  if (!(tauMs > 0) || !Number.isFinite(tauMs)) throw new RangeError(`STDP time constant must be a positive number of ms, got ${tauMs}`);
  if (!(timeStepMs > 0)) throw new RangeError(`time step must be positive, got ${timeStepMs}`);
  const lambda = timeStepMs / tauMs;
  const raw = Math.log(STDP_FIXED_POINT_ONE) / lambda / (1 << shift);
  const half = Math.floor(raw / 2);
  const extra = raw - half * 2;
  const size = (half + (extra > 0 ? 1 : 0)) * 2;
  if (size > 0xffff) throw new RangeError(`STDP LUT for tau=${tauMs} ms at ${timeStepMs} ms steps would need ${size} entries (max 65535)`);
  const values = new Uint16Array(size);
  for (let i = 0; i < size; i++) {
    values[i] = Math.floor(Math.exp((i << shift) * -lambda) * STDP_FIXED_POINT_ONE);
  }
  const words = new Uint32Array(1 + size / 2);
  words[0] = (size | (shift << 16)) >>> 0;
  for (let i = 0; i < size; i += 2) words[1 + i / 2] = (values[i]! | (values[i + 1]! << 16)) >>> 0;
  return { size, shift, values, words };
}
