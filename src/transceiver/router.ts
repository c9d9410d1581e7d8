import { ScpCommand } from '../protocol/constants.js';
import { replyArgCount } from '../protocol/commands.js';
import { type RtrRequest, copyEntryState, decodeTable, encodeRoute, encodeTable, rtrRequest } from '../protocol/router.js';
import { ROUTER_TABLE_SIZE, RTR_ENTRY_BYTES, svAddress } from './addresses.js';
import { routerAlloc } from './alloc.js';
import type { ScpConnection, ScpReply } from './connection.js';
import { readMemory, readWord, writeMemory } from './memory.js';

/**
 * A multicast routing entry. `route` bits [5:0] are links E, NE, N, W, SW, S;
 * bits [23:6] are virtual cores 0..17 (bit 6 + core).
 */
export interface RouterEntry {
  key: number;
  mask: number;
  route: number;
}

export interface InstalledEntry extends RouterEntry {
  index: number;
  appId: number;
  /** The virtual core that installed the entry (0 when installed by the host). */
  core: number;
}

export const routeLinks = (links: number[]): number => encodeRoute({ links, cores: [] });
export const routeCores = (cores: number[]): number => encodeRoute({ links: [], cores });

/** CMD_RTR on (x, y) core 0. */
function rtr(conn: ScpConnection, x: number, y: number, req: RtrRequest): Promise<ScpReply> {
  const { args, data } = rtrRequest.encode(req);
  return conn.request({ x, y, p: 0, cmd: ScpCommand.RTR, args, data, replyArgs: replyArgCount(ScpCommand.RTR, args) });
}

function checkEntry(e: RouterEntry, i: number): void {
  for (const k of ['key', 'mask'] as const) {
    if (!Number.isInteger(e[k]) || e[k] < 0 || e[k] > 0xffffffff) throw new RangeError(`router entry ${i}: ${k} must be a u32, got ${e[k]}`);
  }
  if (!Number.isInteger(e.route) || e.route < 0 || e.route >= 1 << 24) throw new RangeError(`router entry ${i}: route must fit in 24 bits (6 links + 18 cores), got ${e.route}`);
}

/**
 * Loads `entries` into (x, y)'s router for `appId`: allocates a block of
 * entries, stages the table at `sv.sdram_sys` and asks SC&MP to load it (as
 * rig does). Returns the index of the first entry.
 */
export async function loadRoutes(conn: ScpConnection, x: number, y: number, entries: readonly RouterEntry[], appId = 0): Promise<number> {
  entries.forEach(checkEntry);
  if (entries.length === 0) return 0;
  if (entries.length > ROUTER_TABLE_SIZE - 1) throw new RangeError(`a router holds at most ${ROUTER_TABLE_SIZE - 1} entries, got ${entries.length}`);
  const base = await routerAlloc(conn, x, y, entries.length, appId);
  const staging = await readWord(conn, x, y, svAddress('sdram_sys'));
  await writeMemory(conn, x, y, 0, staging, encodeTable(entries.map((e, i) => ({ next: i, free: 0, route: e.route, key: e.key, mask: e.mask }))));
  await rtr(conn, x, y, { op: 'load', appId, address: staging, base, count: entries.length });
  return base;
}

/** Reads the entries in use from SC&MP's copy of the router table (`sv.rtr_copy`), skipping entry 0 (SC&MP's own). */
export async function readRoutes(conn: ScpConnection, x: number, y: number, includeSystem = false): Promise<InstalledEntry[]> {
  const base = await readWord(conn, x, y, svAddress('rtr_copy'));
  const raw = await readMemory(conn, x, y, 0, base, ROUTER_TABLE_SIZE * RTR_ENTRY_BYTES);
  const table = decodeTable(raw);
  const out: InstalledEntry[] = [];
  for (let i = includeSystem ? 0 : 1; i < ROUTER_TABLE_SIZE; i++) {
    const st = copyEntryState(table[i]!);
    if (st.used) out.push({ index: i, route: st.route, key: st.key, mask: st.mask, appId: st.appId, core: st.core });
  }
  return out;
}

/** Clears `count` entries from `first` in (x, y)'s router. */
export async function clearRoutes(conn: ScpConnection, x: number, y: number, first = 1, count = ROUTER_TABLE_SIZE - 1): Promise<void> {
  if (first + count > ROUTER_TABLE_SIZE) throw new RangeError(`entries ${first}..${first + count - 1} run past the ${ROUTER_TABLE_SIZE}-entry table`);
  await rtr(conn, x, y, { op: 'clear', appId: 0, first, count });
}

/** Reads the fixed-route register copy. */
export async function readFixedRoute(conn: ScpConnection, x: number, y: number, appId = 0): Promise<number> {
  const r = await rtr(conn, x, y, { op: 'readFixedRoute', appId });
  if (r.args.length < 1) throw new Error(`board ${conn.name}: the fixed-route reply from chip (${x},${y}) carries no route`);
  return r.args[0]!;
}

export async function setFixedRoute(conn: ScpConnection, x: number, y: number, route: number, appId = 0): Promise<void> {
  await rtr(conn, x, y, { op: 'setFixedRoute', appId, route: route & 0xffffff });
}
