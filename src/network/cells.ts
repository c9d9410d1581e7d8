import { NetworkError } from './errors.js';

/** A parameter value: one for all neurons, or one per neuron. */
export type ParamValue = number | readonly number[];

/** IF_curr_exp parameters, PyNN names and units (ms, nF, mV, nA). `v` is the initial membrane voltage. */
export interface IFCurrExpParams {
  tau_m: number;
  cm: number;
  v_rest: number;
  v_reset: number;
  v_thresh: number;
  tau_syn_E: number;
  tau_syn_I: number;
  tau_refrac: number;
  i_offset: number;
  v: number;
}

export const IF_CURR_EXP_DEFAULTS: Readonly<IFCurrExpParams> = Object.freeze({
  tau_m: 20.0,
  cm: 1.0,
  v_rest: -65.0,
  v_reset: -65.0,
  v_thresh: -50.0,
  tau_syn_E: 5.0,
  tau_syn_I: 5.0,
  tau_refrac: 0.1,
  i_offset: 0.0,
  v: -65.0,
});

export const IF_CURR_EXP_UNITS: Readonly<Record<keyof IFCurrExpParams, string>> = {
  tau_m: 'ms',
  cm: 'nF',
  v_rest: 'mV',
  v_reset: 'mV',
  v_thresh: 'mV',
  tau_syn_E: 'ms',
  tau_syn_I: 'ms',
  tau_refrac: 'ms',
  i_offset: 'nA',
  v: 'mV',
};

const POSITIVE: readonly (keyof IFCurrExpParams)[] = ['tau_m', 'cm', 'tau_syn_E', 'tau_syn_I'];
const NON_NEGATIVE: readonly (keyof IFCurrExpParams)[] = ['tau_refrac'];

export interface IFCurrExp {
  readonly kind: 'IF_curr_exp';
  readonly params: Readonly<Record<keyof IFCurrExpParams, ParamValue>>;
}

export interface SpikeSourceArray {
  readonly kind: 'SpikeSourceArray';
  /** One sorted list of spike times (ms) for all neurons, or one list per neuron. */
  readonly spikeTimes: readonly number[] | readonly (readonly number[])[];
}

export type CellType = IFCurrExp | SpikeSourceArray;
export type CellKind = CellType['kind'];

function checkValue(cell: string, name: string, v: unknown): void {
  const values = Array.isArray(v) ? v : [v];
  for (const x of values) {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new NetworkError(`${cell} parameter '${name}' must be a finite number or an array of them, got ${JSON.stringify(x)}`);
    }
  }
}

/** An IF_curr_exp cell type; unspecified parameters take PyNN's defaults. */
export function IF_curr_exp(params: Partial<Record<keyof IFCurrExpParams, ParamValue>> = {}): IFCurrExp {
  const known = Object.keys(IF_CURR_EXP_DEFAULTS);
  for (const [k, v] of Object.entries(params)) {
    if (!known.includes(k)) {
      throw new NetworkError(`unknown parameter '${k}' for IF_curr_exp; known parameters: ${known.join(', ')}`);
    }
    if (v === undefined) continue;
    checkValue('IF_curr_exp', k, v);
    const values = Array.isArray(v) ? (v as number[]) : [v as number];
    if (POSITIVE.includes(k as keyof IFCurrExpParams) && values.some((x) => x <= 0)) {
      throw new NetworkError(`IF_curr_exp parameter '${k}' must be > 0 ${IF_CURR_EXP_UNITS[k as keyof IFCurrExpParams]}, got ${values.find((x) => x <= 0)}`);
    }
    if (NON_NEGATIVE.includes(k as keyof IFCurrExpParams) && values.some((x) => x < 0)) {
      throw new NetworkError(`IF_curr_exp parameter '${k}' must be >= 0 ms, got ${values.find((x) => x < 0)}`);
    }
  }
  const merged = { ...IF_CURR_EXP_DEFAULTS } as Record<keyof IFCurrExpParams, ParamValue>;
  for (const [k, v] of Object.entries(params)) if (v !== undefined) merged[k as keyof IFCurrExpParams] = Array.isArray(v) ? Object.freeze([...v]) : v;
  return { kind: 'IF_curr_exp', params: Object.freeze(merged) };
}

/** A SpikeSourceArray: `spikeTimes` in ms, one list shared by all neurons or one list per neuron. */
export function SpikeSourceArray(opts: { spikeTimes?: readonly number[] | readonly (readonly number[])[]; spike_times?: readonly number[] | readonly (readonly number[])[] } = {}): SpikeSourceArray {
  for (const k of Object.keys(opts)) {
    if (k !== 'spikeTimes' && k !== 'spike_times') throw new NetworkError(`unknown parameter '${k}' for SpikeSourceArray; known parameters: spike_times (spikeTimes)`);
  }
  const raw = opts.spikeTimes ?? opts.spike_times ?? [];
  const nested = raw.length > 0 && Array.isArray(raw[0]);
  const check = (list: readonly unknown[], where: string): number[] => {
    const out: number[] = [];
    for (const t of list) {
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
        throw new NetworkError(`SpikeSourceArray spike time ${JSON.stringify(t)}${where} must be a finite number >= 0 ms`);
      }
      out.push(t);
    }
    return out.sort((a, b) => a - b);
  };
  const spikeTimes = nested
    ? (raw as readonly unknown[]).map((l, i) => {
        if (!Array.isArray(l)) throw new NetworkError(`SpikeSourceArray spike_times[${i}] must be a list of times`);
        return Object.freeze(check(l, ` of neuron ${i}`));
      })
    : check(raw as readonly unknown[], '');
  return { kind: 'SpikeSourceArray', spikeTimes: Object.freeze(spikeTimes) as SpikeSourceArray['spikeTimes'] };
}

/** A cell's parameter for neuron i. */
export function paramAt(v: ParamValue, i: number): number {
  return typeof v === 'number' ? v : v[i]!;
}
