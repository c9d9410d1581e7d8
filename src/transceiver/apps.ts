import { APP_FLAG_WAIT, arRequest } from '../protocol/app.js';
import { softwareVersion } from '../protocol/ver.js';
import { ScpCommand } from '../protocol/constants.js';
import { FF_FORWARD, FF_RETRY, type NnpRequest, ffdRequest, floodFillCores, floodFillEnd, floodFillStart, nnpRequest, regionForChip } from '../protocol/floodfill.js';
import { svAddress } from './addresses.js';
import type { ScpConnection } from './connection.js';
import { CoreState, countCoresInState, getCoreStatus, sendSignal, stateName } from './cores.js';
import { readWord, writeMemory } from './memory.js';
import { getVersion } from './version.js';

/** Where to load: chip → virtual cores (never 0, the monitor). */
export type CoreTargets = ReadonlyMap<string, readonly number[]> | readonly { x: number; y: number; cores: readonly number[] }[];

interface ChipCores {
  x: number;
  y: number;
  mask: number;
}

const FLOOD_BLOCK_BYTES = 256;
export { regionForChip };

function normaliseTargets(targets: CoreTargets): ChipCores[] {
  const list: { x: number; y: number; cores: readonly number[] }[] = [];
  if (targets instanceof Map) {
    for (const [k, cores] of targets) {
      const [x, y] = k.split(',').map(Number);
      list.push({ x: x!, y: y!, cores });
    }
  } else list.push(...(targets as readonly { x: number; y: number; cores: readonly number[] }[]));
  return list.map(({ x, y, cores }) => {
    let mask = 0;
    for (const c of cores) {
      if (!Number.isInteger(c) || c < 1 || c > 17) throw new RangeError(`chip (${x},${y}): core ${c} cannot run an application (cores 1..17; 0 is the monitor)`);
      mask |= 1 << c;
    }
    if (!(x >= 0 && x < 256 && y >= 0 && y < 256)) throw new RangeError(`chip (${x},${y}) is not a chip address`);
    return { x, y, mask };
  });
}

/** (region, core mask) pairs for FFCS: chips with the same mask in the same 4×4 group share a region word. */
export function coreSelectPairs(targets: readonly ChipCores[]): { region: number; mask: number }[] {
  const merged = new Map<string, { region: number; mask: number }>();
  for (const t of targets) {
    if (t.mask === 0) continue;
    const r = regionForChip(t.x, t.y);
    const key = `${(r & 0xffff0000) >>> 0}/${t.mask}`;
    const prev = merged.get(key);
    merged.set(key, { region: prev ? (prev.region | r) >>> 0 : r, mask: t.mask });
  }
  // SC&MP ignores FFCS packets that are not in ascending (region << 18 | mask) order.
  return [...merged.values()].sort((a, b) => a.region * 2 ** 18 + a.mask - (b.region * 2 ** 18 + b.mask));
}

let floodId = 0;
/** Flood-fill ids are even, 2..252, as rig counts them. */
function nextFloodId(): number {
  floodId = (floodId % 126) + 1;
  return floodId * 2;
}

/**
 * Flood-fills an APLX image onto the given cores (FFS, FFCS, FFD × blocks, FFE,
 * all through the root chip) and starts it with `appId`; with `wait` the cores
 * hold in WAIT until signalled to start.
 */
export async function floodFill(conn: ScpConnection, aplx: Uint8Array, targets: CoreTargets, appId: number, opts: { wait?: boolean } = {}): Promise<void> {
  if (!Number.isInteger(appId) || appId < 1 || appId > 255) throw new RangeError(`app id must be 1..255 (0 is the system), got ${appId}`);
  if (aplx.length === 0) throw new RangeError('the APLX image is empty');
  const chips = normaliseTargets(targets);
  const pairs = coreSelectPairs(chips);
  if (pairs.length === 0) throw new RangeError('no cores to load onto');
  const padded = new Uint8Array(Math.ceil(aplx.length / 4) * 4);
  padded.set(aplx);
  const nBlocks = Math.ceil(padded.length / FLOOD_BLOCK_BYTES);
  if (nBlocks > 255) throw new RangeError(`the APLX image is ${aplx.length} bytes; flood fill carries at most ${255 * FLOOD_BLOCK_BYTES}`);
  const loadAddress = await readWord(conn, 255, 255, svAddress('sdram_sys'));
  const pid = nextFloodId();
  const nnp = (r: NnpRequest) => conn.request({ x: 255, y: 255, p: 0, cmd: ScpCommand.NNP, args: nnpRequest.encode(r).args });

  // FFS and FFCS must arrive in order; so must FFE, after every block.
  await nnp(floodFillStart(pid, nBlocks));
  for (const { region, mask } of pairs) await nnp(floodFillCores(mask, region));
  const blocks: Promise<unknown>[] = [];
  for (let b = 0; b < nBlocks; b++) {
    const data = padded.subarray(b * FLOOD_BLOCK_BYTES, Math.min(padded.length, (b + 1) * FLOOD_BLOCK_BYTES));
    const body = ffdRequest.encode({ forward: FF_FORWARD, retry: FF_RETRY, pid, block: b, address: loadAddress + b * FLOOD_BLOCK_BYTES, data });
    blocks.push(conn.request({ x: 255, y: 255, p: 0, cmd: ScpCommand.FFD, args: body.args, data: body.data }));
  }
  await Promise.all(blocks);
  await nnp(floodFillEnd(pid, { appId, appFlags: opts.wait ? APP_FLAG_WAIT : 0, coreMask: 0 }));
}

/**
 * Loads an APLX image chip by chip: WRITE it to each target chip's
 * `sv.sdram_sys`, then CMD_AR there with the chip's own core mask. Slower than
 * flood fill for many chips, but exact under SC&MP 4.0.0, whose FFCS ORs
 * every core mask into every chip the flood reaches.
 */
export async function loadByCopy(conn: ScpConnection, aplx: Uint8Array, targets: CoreTargets, appId: number, opts: { wait?: boolean } = {}): Promise<void> {
  if (!Number.isInteger(appId) || appId < 1 || appId > 255) throw new RangeError(`app id must be 1..255 (0 is the system), got ${appId}`);
  if (aplx.length === 0) throw new RangeError('the APLX image is empty');
  const chips = normaliseTargets(targets).filter((t) => t.mask !== 0);
  if (chips.length === 0) throw new RangeError('no cores to load onto');
  await Promise.all(
    chips.map(async (t) => {
      const loadAddress = await readWord(conn, t.x, t.y, svAddress('sdram_sys'));
      await writeMemory(conn, t.x, t.y, 0, loadAddress, aplx);
      const body = arRequest.encode({ appId, appFlags: opts.wait ? APP_FLAG_WAIT : 0, coreMask: t.mask });
      await conn.request({ x: t.x, y: t.y, p: 0, cmd: ScpCommand.AR, args: body.args });
    }),
  );
}

export interface LoadOptions {
  /**
   * 'flood': FFS/FFCS/FFD/FFE through the root; 'copy': per chip WRITE + CMD_AR.
   * 'auto' (default): flood under SC&MP 3.x; under 4.0.0 flood only when every
   * target chip gets the same cores, else copy (4.0.0's FFCS ignores regions).
   */
  method?: 'flood' | 'copy' | 'auto';
  /** The targets cover every chip of the machine (lets 'auto' flood-fill under SC&MP 4.0.0). */
  allChips?: boolean;
  /** Leave the cores in WAIT instead of starting them. */
  wait?: boolean;
  /** Ethernet chips to count cores through (default: the root only). */
  ethernetChips?: readonly { x: number; y: number }[];
  /** How long to wait for every core to reach WAIT, per attempt, in ms. Default 5000. */
  settleMs?: number;
  /** Flood-fill attempts. Default 2 (rig's n_tries). */
  tries?: number;
}

/**
 * Loads an application as rig's load_application does: flood fill with the
 * wait flag, check that every target core reached WAIT (reloading the chips
 * whose cores did not), then send START unless `wait` is asked for.
 */
export async function loadApplication(conn: ScpConnection, aplx: Uint8Array, targets: CoreTargets, appId: number, opts: LoadOptions = {}): Promise<void> {
  let pending = normaliseTargets(targets);
  const expected = pending.reduce((n, t) => n + popcount(t.mask), 0);
  const tries = opts.tries ?? 2;
  let method = opts.method ?? 'auto';
  if (method === 'auto') {
    const v = await getVersion(conn, 255, 255, 0);
    const sameMask = pending.every((t) => t.mask === pending[0]!.mask);
    method = softwareVersion(v).major < 4 || (sameMask && opts.allChips === true) ? 'flood' : 'copy';
  }
  for (let attempt = 1; ; attempt++) {
    const list = pending.map((t) => ({ x: t.x, y: t.y, cores: coresOf(t.mask) }));
    if (method === 'flood') await floodFill(conn, aplx, list, appId, { wait: true });
    else await loadByCopy(conn, aplx, list, appId, { wait: true });
    const reached = await waitForCount(conn, CoreState.WAIT, appId, expected, opts.ethernetChips, opts.settleMs ?? 5000);
    if (reached) break;
    // Find the cores that did not arrive and try again on those only.
    const missing: ChipCores[] = [];
    const notes: string[] = [];
    for (const t of pending) {
      let mask = 0;
      for (const p of coresOf(t.mask)) {
        const s = await getCoreStatus(conn, t.x, t.y, p);
        if (s.state !== CoreState.WAIT || s.appId !== appId) {
          mask |= 1 << p;
          notes.push(`(${t.x},${t.y},${p}) is ${stateName(s.state)}${s.state === CoreState.RTE ? ` (${s.rtError})` : ''}`);
        }
      }
      if (mask) missing.push({ x: t.x, y: t.y, mask });
    }
    if (missing.length === 0) break;
    if (attempt >= tries) {
      throw new Error(`board ${conn.name}: application ${appId} did not reach WAIT on ${notes.length} core(s) after ${attempt} flood fill(s): ${notes.slice(0, 8).join(', ')}${notes.length > 8 ? ', ...' : ''}`);
    }
    pending = missing;
  }
  if (!opts.wait) await sendSignal(conn, 'START', appId);
}

/** Polls the count of `appId` cores in `state` every 100 ms until it reaches `expected` or `timeoutMs` passes. */
export async function waitForCount(
  conn: ScpConnection,
  state: number,
  appId: number,
  expected: number,
  ethernetChips?: readonly { x: number; y: number }[],
  timeoutMs = 5000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await countCoresInState(conn, state, appId, ethernetChips);
    if (n >= expected) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function popcount(m: number): number {
  let n = 0;
  for (; m; m &= m - 1) n++;
  return n;
}

function coresOf(mask: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < 18; p++) if (mask & (1 << p)) out.push(p);
  return out;
}
