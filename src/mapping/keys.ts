import { nBits } from '../network/index.js';
import { MappingError, type KeyMask, type MachineVertex } from './types.js';

/** Colour bits per neuron key (sPyNNaker default, §2.1). */
export const DEFAULT_COLOUR_BITS = 4;

export interface KeyLayout {
  /** Bits for (atom index << colourBits) | colour. */
  readonly atomBits: number;
  readonly colourBits: number;
  /** Bits for the machine-vertex index within its population. */
  readonly machineBits: number;
  /** Bits for the population (application vertex) index. */
  readonly appBits: number;
}

export interface KeyAllocation {
  readonly layout: KeyLayout;
  /** Per machine vertex: base key and mask; neuron n sends key + (n << colourBits) + colour. */
  readonly keys: KeyMask[];
  /** Per population: the key/mask covering all its machine vertices. */
  readonly appKeys: KeyMask[];
}

/**
 * Zoned allocation: key = [population][machine vertex][atom + colour bits],
 * one global layout so that runs of vertices of one population merge well.
 */
export function allocateKeys(vertices: readonly MachineVertex[], colourBits = DEFAULT_COLOUR_BITS): KeyAllocation {
  let maxAtoms = 1;
  let maxApp = -1;
  const perApp = new Map<number, number>();
  for (const v of vertices) {
    maxAtoms = Math.max(maxAtoms, v.hi - v.lo);
    perApp.set(v.app, (perApp.get(v.app) ?? 0) + 1);
    maxApp = Math.max(maxApp, v.app);
  }
  const atomBits = nBits(maxAtoms) + colourBits;
  const machineBits = nBits(Math.max(1, ...perApp.values()));
  const nApps = maxApp + 2; // app -1 (no population) gets the last zone
  const appBits = nBits(nApps);
  if (atomBits + machineBits + appBits > 32) {
    throw new MappingError(`keys need ${atomBits + machineBits + appBits} bits (atoms ${atomBits}, vertices ${machineBits}, populations ${appBits}); only 32 exist`);
  }
  const X = atomBits;
  const M = machineBits;
  const vmask = (~((1 << X) - 1) >>> 0) >>> 0;
  const amask = X + M >= 32 ? 0 : (~((2 ** (X + M)) - 1) >>> 0) >>> 0;
  const counter = new Map<number, number>();
  const keys: KeyMask[] = vertices.map((v) => {
    const app = v.app < 0 ? nApps - 1 : v.app;
    const m = counter.get(app) ?? 0;
    counter.set(app, m + 1);
    return { key: ((app * 2 ** (X + M)) + m * 2 ** X) >>> 0, mask: vmask };
  });
  const appKeys: KeyMask[] = [];
  for (let a = 0; a <= maxApp; a++) appKeys.push({ key: (a * 2 ** (X + M)) >>> 0, mask: amask });
  return { layout: { atomBits, colourBits, machineBits, appBits }, keys, appKeys };
}
