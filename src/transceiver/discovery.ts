import { Machine, type ChipCoords, type ChipSpec, type LinkRef, LINKS, type Link } from '../machine/index.js';
import type { ChipInfo } from '../protocol/info.js';
import { decodeP2pColumn } from '../protocol/router.js';
import { P2P_COLUMN_BYTES, P2P_NONE, P2P_TABLE, svAddress } from './addresses.js';
import type { ScpConnection } from './connection.js';
import { ScpError } from './errors.js';
import { readMemory } from './memory.js';
import { getChipInfo, getVersion, type BoardVersion } from './version.js';

export interface DiscoveredChip extends ChipCoords {
  info: ChipInfo;
  /** Physical → virtual core map (255 = unused), from sv.p2v_map. */
  p2v: number[];
  /** Virtual → physical core map, from sv.v2p_map. */
  v2p: number[];
}

export interface MachineDetails {
  machine: Machine;
  version: BoardVersion;
  /** The root (boot) chip. */
  root: ChipCoords;
  width: number;
  height: number;
  chips: DiscoveredChip[];
  /** Chips the P2P table lists but that did not answer CMD_INFO, with the reason. */
  deadChips: (ChipCoords & { reason: string })[];
  /** Positions inside width × height with no P2P route (outside the boards, or unreachable). */
  unroutable: number;
}

/**
 * Discovers the machine behind a board, as rig's get_system_info and
 * SpiNNMan's get_machine_details do: CMD_VER for the root, sv.p2p_dims for the
 * size, the root's P2P table for the chips that exist, then CMD_INFO and the
 * core maps of every chip (pipelined).
 */
export async function discoverMachine(conn: ScpConnection): Promise<MachineDetails> {
  const version = await getVersion(conn, 255, 255, 0);
  if (version.x === 255 && version.y === 255) {
    throw new Error(`board ${conn.name}: SC&MP answers but has not finished booting (position 255,255); wait a few seconds or run "spinn boot"`);
  }
  const root = { x: version.x, y: version.y };
  const dims = await readMemory(conn, root.x, root.y, 0, svAddress('p2p_dims'), 2);
  const height = dims[0]!;
  const width = dims[1]!;
  if (width === 0 || height === 0) throw new Error(`board ${conn.name}: sv.p2p_dims reports a ${width}x${height} machine`);

  const columnBytes = Math.ceil(height / 8) * 4;
  if (columnBytes > P2P_COLUMN_BYTES) throw new Error(`board ${conn.name}: machine height ${height} exceeds 256`);
  const columns = await Promise.all(
    Array.from({ length: width }, (_, x) => readMemory(conn, root.x, root.y, 0, P2P_TABLE + x * P2P_COLUMN_BYTES, columnBytes)),
  );
  const alive: ChipCoords[] = [];
  let unroutable = 0;
  columns.forEach((col, x) =>
    decodeP2pColumn(col, height).forEach((entry, y) => {
      if (entry === P2P_NONE) unroutable++;
      else alive.push({ x, y });
    }),
  );

  const deadChips: MachineDetails['deadChips'] = [];
  const results = await Promise.all(
    alive.map(async (c): Promise<DiscoveredChip | undefined> => {
      try {
        const [info, maps] = await Promise.all([getChipInfo(conn, c.x, c.y), readMemory(conn, c.x, c.y, 0, svAddress('p2v_map'), 40)]);
        return { ...c, info, p2v: Array.from(maps.subarray(0, 20)), v2p: Array.from(maps.subarray(20, 40)) };
      } catch (e) {
        if (!(e instanceof ScpError)) throw e;
        deadChips.push({ ...c, reason: e.message });
        return undefined;
      }
    }),
  );
  const chips = results.filter((c): c is DiscoveredChip => c !== undefined);
  return { machine: buildMachine(width, height, chips), version, root, width, height, chips, deadChips, unroutable };
}

/** The Machine model for what discovery saw. Virtual core ids: 0..numCpus-1 work, the rest are dead. */
export function buildMachine(width: number, height: number, chips: readonly DiscoveredChip[]): Machine {
  const present = new Set(chips.map((c) => c.x * 256 + c.y));
  const linkUp = (c: DiscoveredChip, l: Link) => (c.info.linkMask & (1 << l)) !== 0;
  // A link leaving the edge that is up means the machine wraps around.
  const wrapX = chips.some((c) => c.x === width - 1 && linkUp(c, 0) && present.has(0 * 256 + c.y)) && width > 1;
  const wrapY = chips.some((c) => c.y === height - 1 && linkUp(c, 2) && present.has(c.x * 256 + 0)) && height > 1;
  const specs: ChipSpec[] = chips.map((c) => {
    const deadCores: number[] = [];
    for (let p = 0; p < 18; p++) if (p >= c.info.numCpus || (p > 0 && c.info.cpuStates[p] === 0)) deadCores.push(p);
    const hasIp = c.info.ethernetUp && c.info.ipAddress !== '0.0.0.0';
    return {
      x: c.x,
      y: c.y,
      nCores: 18,
      deadCores,
      sdram: c.info.largestFreeSdram,
      routerEntries: c.info.largestFreeRouterBlock,
      ethernet: { x: c.info.ethX, y: c.info.ethY },
      ...(hasIp ? { ipAddress: c.info.ipAddress } : {}),
    };
  });
  const probe = new Machine({ width, height, wrapX, wrapY, chips: specs });
  const deadLinks: LinkRef[] = [];
  for (const c of chips) {
    for (const l of LINKS) {
      const n = probe.neighbour(c.x, c.y, l);
      if (n && present.has(n.x * 256 + n.y) && !linkUp(c, l)) deadLinks.push({ x: c.x, y: c.y, link: l });
    }
  }
  return deadLinks.length ? new Machine({ width, height, wrapX, wrapY, chips: specs, deadLinks }) : probe;
}
