import { NetworkError } from './errors.js';

export interface SpikePairRule {
  readonly kind: 'SpikePairRule';
  readonly tau_plus: number;
  readonly tau_minus: number;
  readonly A_plus: number;
  readonly A_minus: number;
}

export interface WeightDependence {
  readonly kind: 'Additive' | 'Multiplicative';
  readonly w_min: number;
  readonly w_max: number;
}

/** The pair rule with an additive or multiplicative dependence, as flat PyNN-named numbers. */
export type PairStdpParams = { -readonly [K in 'tau_plus' | 'tau_minus' | 'A_plus' | 'A_minus']: number } & {
  -readonly [K in 'w_min' | 'w_max']: number;
};

export interface StaticSynapse {
  readonly kind: 'static';
  readonly weight?: number;
  readonly delay?: number;
}

export interface STDPMechanism {
  readonly kind: 'STDP';
  readonly timing: SpikePairRule;
  readonly weightDependence: WeightDependence;
  /** Default weight (nA) and delay (ms) of the projection, PyNN-style. */
  readonly weight?: number;
  readonly delay?: number;
}

export type SynapseDynamics = StaticSynapse | STDPMechanism;

function known(what: string, given: object, names: readonly string[]): void {
  for (const k of Object.keys(given)) {
    if (!names.includes(k)) throw new NetworkError(`unknown parameter '${k}' for ${what}; known parameters: ${names.join(', ')}`);
  }
}

function finite(what: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new NetworkError(`${what} parameter '${name}' must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

/** Pair-based STDP timing rule (PyNN defaults: tau 20 ms, A 0.01). */
export function SpikePairRule(p: Partial<Omit<SpikePairRule, 'kind'>> = {}): SpikePairRule {
  known('SpikePairRule', p, ['tau_plus', 'tau_minus', 'A_plus', 'A_minus']);
  const r = {
    kind: 'SpikePairRule' as const,
    tau_plus: finite('SpikePairRule', 'tau_plus', p.tau_plus ?? 20),
    tau_minus: finite('SpikePairRule', 'tau_minus', p.tau_minus ?? 20),
    A_plus: finite('SpikePairRule', 'A_plus', p.A_plus ?? 0.01),
    A_minus: finite('SpikePairRule', 'A_minus', p.A_minus ?? 0.01),
  };
  for (const k of ['tau_plus', 'tau_minus'] as const) {
    if (r[k] <= 0) throw new NetworkError(`SpikePairRule ${k} must be > 0 ms, got ${r[k]}`);
  }
  for (const k of ['A_plus', 'A_minus'] as const) {
    if (r[k] < 0) throw new NetworkError(`SpikePairRule ${k} must be >= 0 (it is a weight step; depression is applied by A_minus), got ${r[k]}`);
  }
  return Object.freeze(r);
}

function weightDependence(kind: 'Additive' | 'Multiplicative', p: { w_min?: number; w_max?: number }): WeightDependence {
  const what = `${kind}WeightDependence`;
  known(what, p, ['w_min', 'w_max']);
  const w_min = finite(what, 'w_min', p.w_min ?? 0);
  const w_max = finite(what, 'w_max', p.w_max ?? 1);
  if (w_min > w_max) throw new NetworkError(`${what}: w_min (${w_min}) must not exceed w_max (${w_max})`);
  if (w_min < 0) throw new NetworkError(`${what}: w_min must be >= 0 nA (the firmware stores unsigned weights), got ${w_min}`);
  return Object.freeze({ kind, w_min, w_max });
}

export function AdditiveWeightDependence(p: { w_min?: number; w_max?: number } = {}): WeightDependence {
  return weightDependence('Additive', p);
}

export function MultiplicativeWeightDependence(p: { w_min?: number; w_max?: number } = {}): WeightDependence {
  return weightDependence('Multiplicative', p);
}

export function StaticSynapse(p: { weight?: number; delay?: number } = {}): StaticSynapse {
  known('StaticSynapse', p, ['weight', 'delay']);
  return Object.freeze({ kind: 'static' as const, ...p });
}

export interface STDPMechanismOptions {
  timing?: SpikePairRule;
  timing_dependence?: SpikePairRule;
  weight_dependence?: WeightDependence;
  weightDependence?: WeightDependence;
  weight?: number;
  delay?: number;
}

export function STDPMechanism(o: STDPMechanismOptions): STDPMechanism {
  known('STDPMechanism', o, ['timing', 'timing_dependence', 'weight_dependence', 'weightDependence', 'weight', 'delay']);
  const timing = o.timing ?? o.timing_dependence;
  const wd = o.weight_dependence ?? o.weightDependence;
  if (!timing || timing.kind !== 'SpikePairRule') throw new NetworkError('STDPMechanism needs timing: SpikePairRule({...}) (the only supported timing rule)');
  if (!wd || (wd.kind !== 'Additive' && wd.kind !== 'Multiplicative')) {
    throw new NetworkError('STDPMechanism needs weight_dependence: AdditiveWeightDependence({...}) or MultiplicativeWeightDependence({...})');
  }
  return Object.freeze({
    kind: 'STDP' as const,
    timing,
    weightDependence: wd,
    ...(o.weight !== undefined ? { weight: o.weight } : {}),
    ...(o.delay !== undefined ? { delay: o.delay } : {}),
  });
}
