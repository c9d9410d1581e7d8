import type { ChipRoutes } from './tables.js';
import { orderedCovering } from './ordered-covering.js';
import { MappingError, type RoutingEntry } from './types.js';

export { covering, generality, orderedCovering } from './ordered-covering.js';

/**
 * Minimise one chip's table by Ordered Covering (see ordered-covering.ts):
 * entries sorted by generality, same-route entries merged into their covering
 * where that changes no packet's route, including packets that pass by default
 * routing (`chip.defaultRouted`, which stay without entries).
 * Returns the entries unchanged when they already fit `target`; otherwise the
 * minimised table in router order, which may still be over `target`.
 */
export function minimiseTable(chip: ChipRoutes, target: number): RoutingEntry[] {
  if (chip.entries.length <= target) return chip.entries;
  return orderedCovering(chip.entries, chip.defaultRouted, target);
}

/** Minimise every chip's table to `target` entries; throws naming the chips that do not fit. */
export function minimiseTables(chips: readonly ChipRoutes[], target: (x: number, y: number) => number): { x: number; y: number; entries: RoutingEntry[] }[] {
  const out = chips.map((c) => ({ x: c.x, y: c.y, entries: minimiseTable(c, target(c.x, c.y)) }));
  const over = out.filter((t) => t.entries.length > target(t.x, t.y));
  if (over.length > 0) {
    const worst = over.reduce((a, b) => (b.entries.length > a.entries.length ? b : a));
    throw new MappingError(
      `routing tables do not fit on ${over.length} chip(s): chip (${worst.x}, ${worst.y}) needs ${worst.entries.length} entries after minimisation and has ${target(worst.x, worst.y)}; ` +
        'spread the network over more chips or reduce its connectivity',
    );
  }
  return out;
}
