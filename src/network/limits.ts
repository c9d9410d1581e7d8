import { NetworkError } from './errors.js';

/** What the pinned firmware and the run layer support; network validation checks against it. */
export interface NetworkLimits {
  /** Atoms per neuron core (default 256, the master population table's row limit). */
  maxAtomsPerCore: number;
  /** Whether delay-extension cores may be used for delays beyond a core's ring buffer. */
  delayExtensions: boolean;
  /** Whether STDP may act on inhibitory synapses (the pinned STDP binaries keep per-receptor parameters). */
  stdpInhibitory: boolean;
}

export const DEFAULT_LIMITS: Readonly<NetworkLimits> = Object.freeze({
  maxAtomsPerCore: 256,
  delayExtensions: true,
  stdpInhibitory: true,
});

/** Ring buffers hold at most 2^14 entries (sPyNNaker `MAX_RING_BUFFER_BITS`). */
export const MAX_RING_BUFFER_BITS = 14;
/** Delay-extension stages (sPyNNaker `MAX_SLOTS`). */
export const MAX_DELAY_STAGES = 8;
/** Synapse types of IF_curr_exp (excitatory, inhibitory). */
export const N_SYNAPSE_TYPES = 2;

/** Bits needed to hold values 0..n-1 (upstream `get_n_bits`). */
export function nBits(n: number): number {
  if (n <= 1) return n <= 0 ? 0 : 1;
  return Math.ceil(Math.log2(n));
}

export interface DelayLimits {
  /** Largest delay (timesteps) a neuron core's ring buffer holds. */
  perCoreSteps: number;
  /** Largest delay (timesteps) with delay extensions, or perCoreSteps without. */
  maxSteps: number;
}

export function delayLimits(limits: NetworkLimits): DelayLimits {
  const atomBits = nBits(limits.maxAtomsPerCore);
  const typeBits = nBits(N_SYNAPSE_TYPES);
  const perCoreSteps = 2 ** (MAX_RING_BUFFER_BITS - atomBits - typeBits);
  return { perCoreSteps, maxSteps: limits.delayExtensions ? perCoreSteps * (1 + MAX_DELAY_STAGES) : perCoreSteps };
}

/** Delay in timesteps as the host writes it: rint(delay / timestep), at least 1. */
export function delaySteps(delayMs: number, timestep: number): number {
  return Math.max(1, roundHalfEven(delayMs / timestep));
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function checkRunTime(ms: number, timestep: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new NetworkError(`run time must be a positive number of ms, got ${ms}; a run of 0 ms does nothing`);
  }
  const ticks = Math.round(ms / timestep);
  if (ticks < 1) throw new NetworkError(`run time ${ms} ms is shorter than one timestep (${timestep} ms)`);
  return ticks;
}
