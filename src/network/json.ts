import { z } from 'zod';
import { IF_curr_exp, SpikeSourceArray, type CellType } from './cells.js';
import {
  AllToAllConnector,
  ConvolutionConnector,
  FixedProbabilityConnector,
  FromListConnector,
  OneToOneConnector,
  type Connector,
} from './connectors.js';
import { NetworkError } from './errors.js';
import { checkRunTime } from './limits.js';
import { Network, type Recordable } from './network.js';
import {
  AdditiveWeightDependence,
  MultiplicativeWeightDependence,
  STDPMechanism,
  SpikePairRule,
  type SynapseDynamics,
} from './synapses.js';

const num = z.number().refine(Number.isFinite, 'must be a finite number');
const shape3 = z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]);

const connectorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('AllToAll'), allow_self_connections: z.boolean().optional() }),
  z.strictObject({ type: z.literal('OneToOne') }),
  z.strictObject({
    type: z.literal('FixedProbability'),
    p: num.min(0).max(1),
    allow_self_connections: z.boolean().optional(),
    seed: z.number().int().optional(),
  }),
  z.strictObject({ type: z.literal('FromList'), connections: z.array(z.array(num).min(2).max(4)) }),
  z.strictObject({
    type: z.literal('Convolution'),
    input_shape: shape3,
    output_shape: shape3.optional(),
    kernel: z.array(z.any()),
    kernel_shape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]).optional(),
    stride: z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])]).optional(),
    padding: z.number().int().min(0).optional(),
    skip_zeros: z.boolean().optional(),
  }),
]);

const synapseSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('static'), weight: num.optional(), delay: num.optional() }),
  z.strictObject({
    type: z.literal('STDP'),
    timing: z.strictObject({
      type: z.literal('SpikePairRule'),
      tau_plus: num.optional(),
      tau_minus: num.optional(),
      A_plus: num.optional(),
      A_minus: num.optional(),
    }),
    weight_dependence: z.strictObject({
      type: z.enum(['Additive', 'Multiplicative']),
      w_min: num.optional(),
      w_max: num.optional(),
    }),
    weight: num.optional(),
    delay: num.optional(),
  }),
]);

export const networkJsonSchema = z.strictObject({
  timestep: num.positive().optional(),
  run: num.optional(),
  seed: z.number().int().optional(),
  populations: z
    .array(
      z.strictObject({
        label: z.string().min(1),
        size: z.number().int().positive(),
        cell: z.enum(['IF_curr_exp', 'SpikeSourceArray']),
        params: z.record(z.string(), z.any()).optional(),
        record: z.array(z.enum(['spikes', 'v'])).optional(),
      }),
    )
    .min(1),
  projections: z
    .array(
      z.strictObject({
        pre: z.string(),
        post: z.string(),
        connector: connectorSchema,
        receptor: z.enum(['excitatory', 'inhibitory']).optional(),
        weight: num.optional(),
        delay: num.optional(),
        label: z.string().min(1).optional(),
        synapse: synapseSchema.optional(),
      }),
    )
    .optional(),
});

export type NetworkJson = z.infer<typeof networkJsonSchema>;

export interface ParsedNetwork {
  network: Network;
  /** Run time in ms, if the description gives one. */
  runMs?: number;
}

function pathString(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s || '(top level)';
}

function at<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NetworkError) throw new NetworkError(`${path}: ${e.message}`);
    throw e;
  }
}

function cellFrom(cell: 'IF_curr_exp' | 'SpikeSourceArray', params: Record<string, unknown>): CellType {
  if (cell === 'IF_curr_exp') return IF_curr_exp(params as Parameters<typeof IF_curr_exp>[0]);
  return SpikeSourceArray(params as Parameters<typeof SpikeSourceArray>[0]);
}

function connectorFrom(c: NetworkJson['projections'] extends (infer P)[] | undefined ? (P extends { connector: infer C } ? C : never) : never): Connector {
  switch (c.type) {
    case 'AllToAll':
      return AllToAllConnector({ allowSelfConnections: c.allow_self_connections ?? true });
    case 'OneToOne':
      return OneToOneConnector();
    case 'FixedProbability':
      return FixedProbabilityConnector(c.p, { allowSelfConnections: c.allow_self_connections ?? true, ...(c.seed !== undefined ? { seed: c.seed } : {}) });
    case 'FromList':
      return FromListConnector(c.connections);
    case 'Convolution':
      return ConvolutionConnector({
        inputShape: c.input_shape,
        ...(c.output_shape ? { outputShape: c.output_shape } : {}),
        kernel: c.kernel as never,
        ...(c.kernel_shape ? { kernelShape: c.kernel_shape } : {}),
        ...(c.stride !== undefined ? { stride: c.stride } : {}),
        ...(c.padding !== undefined ? { padding: c.padding } : {}),
        ...(c.skip_zeros !== undefined ? { skipZeros: c.skip_zeros } : {}),
      });
  }
}

function synapseFrom(s: z.infer<typeof synapseSchema>): SynapseDynamics {
  if (s.type === 'static') return { kind: 'static', ...(s.weight !== undefined ? { weight: s.weight } : {}), ...(s.delay !== undefined ? { delay: s.delay } : {}) };
  const { type: _t, ...timing } = s.timing;
  const { type: wdType, ...wd } = s.weight_dependence;
  return STDPMechanism({
    timing: at('timing', () => SpikePairRule(timing)),
    weight_dependence: at('weight_dependence', () => (wdType === 'Additive' ? AdditiveWeightDependence(wd) : MultiplicativeWeightDependence(wd))),
    ...(s.weight !== undefined ? { weight: s.weight } : {}),
    ...(s.delay !== undefined ? { delay: s.delay } : {}),
  });
}

/**
 * Parse a JSON network description (text or parsed value) into a Network.
 * Every error names the offending key and its path.
 */
export function parseNetworkJson(input: string | unknown): ParsedNetwork {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new NetworkError(`network description is not valid JSON: ${(e as Error).message}`);
    }
  }
  const r = networkJsonSchema.safeParse(value);
  if (!r.success) {
    const msgs = r.error.issues.map((i) => {
      const keys = (i as { keys?: string[] }).keys;
      const extra = i.code === 'unrecognized_keys' && keys ? ` (unknown key${keys.length > 1 ? 's' : ''}: ${keys.map((k) => `'${k}'`).join(', ')})` : '';
      return `${pathString(i.path)}: ${i.message}${extra}`;
    });
    throw new NetworkError(`invalid network description:\n  ${msgs.join('\n  ')}`);
  }
  const d = r.data;
  const net = new Network({ ...(d.timestep !== undefined ? { timestep: d.timestep } : {}), ...(d.seed !== undefined ? { seed: d.seed } : {}) });
  d.populations.forEach((p, i) => {
    const path = `populations[${i}] ('${p.label}')`;
    const cell = at(`${path}.params`, () => cellFrom(p.cell, p.params ?? {}));
    const pop = at(path, () => net.population(p.size, cell, { label: p.label }));
    if (p.record) at(`${path}.record`, () => pop.record(p.record as Recordable[]));
  });
  (d.projections ?? []).forEach((p, i) => {
    const path = `projections[${i}]${p.label ? ` ('${p.label}')` : ''}`;
    const pre = at(`${path}.pre`, () => net.getPopulation(p.pre));
    const post = at(`${path}.post`, () => net.getPopulation(p.post));
    const connector = at(`${path}.connector`, () => connectorFrom(p.connector));
    const synapse = p.synapse ? at(`${path}.synapse`, () => synapseFrom(p.synapse!)) : undefined;
    const proj = at(path, () =>
      net.projection(pre, post, connector, {
        ...(p.receptor ? { receptor: p.receptor } : {}),
        ...(p.weight !== undefined ? { weight: p.weight } : {}),
        ...(p.delay !== undefined ? { delay: p.delay } : {}),
        ...(p.label ? { label: p.label } : {}),
        ...(synapse ? { synapse } : {}),
      }),
    );
    at(path, () => proj.connections());
  });
  if (d.run !== undefined) at('run', () => checkRunTime(d.run!, net.timestep));
  return { network: net, ...(d.run !== undefined ? { runMs: d.run } : {}) };
}
