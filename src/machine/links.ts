/**
 * Inter-chip links, numbered anticlockwise as the router and SC&MP number them
 * (scamp-protocol §1.5): 0 E, 1 NE, 2 N, 3 W, 4 SW, 5 S.
 */
export const Link = {
  E: 0,
  NE: 1,
  N: 2,
  W: 3,
  SW: 4,
  S: 5,
} as const;
export type Link = 0 | 1 | 2 | 3 | 4 | 5;

export const LINKS: readonly Link[] = [0, 1, 2, 3, 4, 5];

export const LINK_NAMES: readonly string[] = ['E', 'NE', 'N', 'W', 'SW', 'S'];

/** (dx, dy) of a step along each link. */
export const LINK_DELTAS: readonly (readonly [number, number])[] = [
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 0],
  [-1, -1],
  [0, -1],
];

/** The link a packet arrives on at the far end: (l + 3) mod 6. */
export function oppositeLink(link: Link): Link {
  return ((link + 3) % 6) as Link;
}

export function isLink(n: number): n is Link {
  return Number.isInteger(n) && n >= 0 && n <= 5;
}
