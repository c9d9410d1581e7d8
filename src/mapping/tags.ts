import type { ChipCoords, Machine } from '../machine/index.js';
import { MappingError, type MachineVertex, type Placement } from './types.js';

/** IP tags 1..7 exist on each Ethernet chip (tag 0 is SC&MP's). */
export const FIRST_IP_TAG = 1;
export const LAST_IP_TAG = 7;

export interface IpTagAllocation {
  readonly vertex: number;
  readonly tag: number;
  /** The Ethernet chip whose tag table holds it (the vertex's board). */
  readonly board: ChipCoords;
}

export function allocateIpTags(vertices: readonly MachineVertex[], placements: readonly Placement[], machine: Machine): IpTagAllocation[] {
  const next = new Map<string, number>();
  const out: IpTagAllocation[] = [];
  for (const v of vertices) {
    if (v.ipTags === 0) continue;
    const p = placements[v.index]!;
    const eth = machine.chip(p.x, p.y).ethernet;
    const k = `${eth.x},${eth.y}`;
    for (let i = 0; i < v.ipTags; i++) {
      const tag = next.get(k) ?? FIRST_IP_TAG;
      if (tag > LAST_IP_TAG) {
        throw new MappingError(`board (${eth.x}, ${eth.y}) has ${LAST_IP_TAG - FIRST_IP_TAG + 1} IP tags; its vertices need more (${v.label} asked for ${v.ipTags})`);
      }
      next.set(k, tag + 1);
      out.push({ vertex: v.index, tag, board: { x: eth.x, y: eth.y } });
    }
  }
  return out;
}
