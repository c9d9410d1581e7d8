/**
 * Loading a run plan onto a board over SCP: one SDRAM block per core
 * (allocated with the app id, so stopping the app frees it), the block's
 * bytes, user0, the routing tables, and the binaries (WAIT, then START);
 * every core must reach PAUSE, ready for CMD_RUNTIME.
 */
import type { MappingResult } from '../mapping/index.js';
import { vcpuAddress, vcpuFieldOffset } from '../protocol/vcpu.js';
import { type SupportedApp, buildCoreBlock, coreBlockSize } from '../regions/index.js';
import { CoreState, type Transceiver, stateName } from '../transceiver/index.js';
import { RunError } from './errors.js';
import { type CorePlan, type RunPlan, type SourceCorePlan, SourceRegions } from './generate.js';
import type { ImageSource } from './images.js';
import type { Progress } from './progress.js';

export interface LoadedCore {
  plan: CorePlan;
  x: number;
  y: number;
  p: number;
  base: number;
  /** Absolute address of each region (0 when absent). */
  pointers: number[];
}

const USER0 = vcpuFieldOffset('user0');

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inBatches<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * `firstSendBuffer(core)` gives each spike source's send buffer for the
 * first run (the core reads it at start; later runs rewrite it).
 */
export async function loadPlan(
  tx: Transceiver, plan: RunPlan, mapping: MappingResult, images: ImageSource, appId: number, progress: Progress,
  firstSendBuffer: (core: SourceCorePlan) => Uint8Array,
): Promise<LoadedCore[]> {
  const loaded: LoadedCore[] = new Array(plan.cores.length);
  const bar = progress.step('load data', plan.cores.length);
  await inBatches(plan.cores, 8, async (core, i) => {
    const { x, y, p } = core.vertex.placement;
    const size = coreBlockSize(core.regions);
    const base = await tx.sdramAlloc(x, y, size, appId);
    const regions = [...core.regions];
    if (core.kind === 'spikeSource') regions[SourceRegions.SEND_BUFFER] = { reserved: core.sendBufferBytes, content: firstSendBuffer(core) };
    const block = buildCoreBlock(base, regions);
    await tx.write(x, y, base, block.bytes);
    const u = new Uint8Array(4);
    new DataView(u.buffer).setUint32(0, base, true);
    await tx.write(x, y, vcpuAddress(p) + USER0, u);
    loaded[i] = { plan: core, x, y, p, base, pointers: block.pointers };
    bar.tick();
  });
  bar.done();

  const tables = mapping.tables.filter((t) => t.entries.length > 0);
  const rbar = progress.step('routes', tables.length);
  await inBatches(tables, 4, async (t) => {
    await tx.loadRoutes(t.x, t.y, t.entries.map((e) => ({ key: e.key >>> 0, mask: e.mask >>> 0, route: e.route })), appId);
    rbar.tick();
  });
  rbar.done();

  const byApp = new Map<SupportedApp, Map<string, number[]>>();
  for (const c of loaded) {
    let chips = byApp.get(c.plan.app);
    if (!chips) byApp.set(c.plan.app, (chips = new Map()));
    const k = `${c.x},${c.y}`;
    chips.set(k, [...(chips.get(k) ?? []), c.p]);
  }
  const abar = progress.step('binaries', byApp.size);
  for (const [app, targets] of byApp) {
    const img = images.image(app);
    try {
      await tx.loadApplication(img.bytes, targets, appId, { wait: true });
    } catch (e) {
      throw new RunError(`loading ${app} failed: ${(e as Error).message}`);
    }
    abar.tick();
  }
  abar.done();
  await tx.sendSignal('START', appId);
  await waitForState(tx, loaded, appId, CoreState.PAUSE, 10000, 'start (read their regions and pause)');
  return loaded;
}

/**
 * Waits until every core is in `state`; on time-out or when a core stops
 * with a run-time error, names the cores that did not get there (with
 * their IOBUF for errors).
 */
export async function waitForState(tx: Transceiver, cores: readonly LoadedCore[], appId: number, state: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    const n = await tx.countCoresInState(state, appId);
    if (n >= cores.length) return;
    const rte = await tx.countCoresInState(CoreState.RTE, appId);
    if (rte > 0 || Date.now() >= deadline) throw await diagnose(tx, cores, state, what, rte > 0);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(100, delay * 2);
  }
}

async function diagnose(tx: Transceiver, cores: readonly LoadedCore[], state: number, what: string, failed: boolean): Promise<RunError> {
  const notes: string[] = [];
  for (const c of cores) {
    const s = await tx.getCoreStatus(c.x, c.y, c.p);
    if (s.state === state) continue;
    let note = `(${c.x},${c.y},${c.p}) ${c.plan.vertex.label} [${c.plan.app}] is ${stateName(s.state)}`;
    if (s.state === CoreState.RTE) {
      note += ` (${s.rtError})`;
      const io = await tx.readIobuf(c.x, c.y, c.p).catch(() => undefined);
      const text = io?.text.trim();
      if (text) note += `: ${text.split('\n').slice(-3).join(' | ')}`;
    }
    notes.push(note);
    if (notes.length >= 8) break;
  }
  return new RunError(`${failed ? 'a core stopped with an error' : 'timed out'} waiting for the cores to ${what}: ${notes.join('; ')}`);
}
