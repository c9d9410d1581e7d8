import type { Machine } from '../machine/index.js';
import * as alloc from './alloc.js';
import * as apps from './apps.js';
import { boot, type BootOptions } from './boot.js';
import { ScpConnection, type ConnectionOptions } from './connection.js';
import * as cores from './cores.js';
import { discoverMachine, type MachineDetails } from './discovery.js';
import * as iptags from './iptags.js';
import * as memory from './memory.js';
import * as router from './router.js';
import { getChipInfo, getVersion } from './version.js';

/**
 * A board, as the rest of the toolchain sees it: one windowed SCP connection
 * and every operation on top. Chip (255, 255) means the root chip.
 */
export class Transceiver {
  private details?: MachineDetails;

  private constructor(readonly conn: ScpConnection) {}

  static async open(options: ConnectionOptions): Promise<Transceiver> {
    return new Transceiver(await ScpConnection.open(options));
  }

  get name(): string {
    return this.conn.name;
  }

  close(): Promise<void> {
    return this.conn.close();
  }

  getVersion(x = 255, y = 255, p = 0) {
    return getVersion(this.conn, x, y, p);
  }
  getChipInfo(x: number, y: number) {
    return getChipInfo(this.conn, x, y);
  }

  boot(image: Uint8Array, opts?: BootOptions) {
    return boot(this.conn, image, opts);
  }

  /** Discovers the machine (and remembers it for operations that span boards). */
  async discover(): Promise<MachineDetails> {
    this.details = await discoverMachine(this.conn);
    return this.details;
  }
  async getMachine(): Promise<Machine> {
    return (this.details ?? (await this.discover())).machine;
  }

  read(x: number, y: number, address: number, length: number, p = 0) {
    return memory.readMemory(this.conn, x, y, p, address, length);
  }
  write(x: number, y: number, address: number, data: Uint8Array, p = 0) {
    return memory.writeMemory(this.conn, x, y, p, address, data);
  }
  fill(x: number, y: number, address: number, word: number, length: number, p = 0) {
    return memory.fillMemory(this.conn, x, y, p, address, word, length);
  }
  readWord(x: number, y: number, address: number) {
    return memory.readWord(this.conn, x, y, address);
  }

  sdramAlloc(x: number, y: number, size: number, appId = 0, tag = 0) {
    return alloc.sdramAlloc(this.conn, x, y, size, appId, tag);
  }
  sdramFree(x: number, y: number, pointer: number) {
    return alloc.sdramFree(this.conn, x, y, pointer);
  }
  sdramFreeApp(x: number, y: number, appId: number) {
    return alloc.sdramFreeApp(this.conn, x, y, appId);
  }
  sdramSpace(x: number, y: number) {
    return alloc.sdramSpace(this.conn, x, y);
  }
  sdramTagPointer(x: number, y: number, appId: number, tag: number) {
    return alloc.sdramTagPointer(this.conn, x, y, appId, tag);
  }

  routerAlloc(x: number, y: number, count: number, appId = 0) {
    return alloc.routerAlloc(this.conn, x, y, count, appId);
  }
  routerFreeApp(x: number, y: number, appId: number) {
    return alloc.routerFreeApp(this.conn, x, y, appId);
  }
  loadRoutes(x: number, y: number, entries: readonly router.RouterEntry[], appId = 0) {
    return router.loadRoutes(this.conn, x, y, entries, appId);
  }
  readRoutes(x: number, y: number, includeSystem = false) {
    return router.readRoutes(this.conn, x, y, includeSystem);
  }
  clearRoutes(x: number, y: number, first?: number, count?: number) {
    return router.clearRoutes(this.conn, x, y, first, count);
  }

  setIpTag(tag: number, ip: string, port: number, opts?: { strip?: boolean; x?: number; y?: number }) {
    return iptags.setIpTag(this.conn, tag, ip, port, opts);
  }
  setReverseIpTag(tag: number, rxPort: number, dest: { x: number; y: number; cpu: number; sdpPort?: number }, opts?: { x?: number; y?: number }) {
    return iptags.setReverseIpTag(this.conn, tag, rxPort, dest, opts);
  }
  getIpTag(tag: number, opts?: { x?: number; y?: number }) {
    return iptags.getIpTag(this.conn, tag, opts);
  }
  getIpTags(opts?: { x?: number; y?: number }) {
    return iptags.getIpTags(this.conn, opts);
  }
  clearIpTag(tag: number, opts?: { x?: number; y?: number }) {
    return iptags.clearIpTag(this.conn, tag, opts);
  }

  floodFill(aplx: Uint8Array, targets: apps.CoreTargets, appId: number, opts?: { wait?: boolean }) {
    return apps.floodFill(this.conn, aplx, targets, appId, opts);
  }
  async loadApplication(aplx: Uint8Array, targets: apps.CoreTargets, appId: number, opts: apps.LoadOptions = {}) {
    return apps.loadApplication(this.conn, aplx, targets, appId, { ethernetChips: await this.ethernetChips(), ...opts });
  }
  sendSignal(signal: number | cores.SignalName, appId: number) {
    return cores.sendSignal(this.conn, signal, appId);
  }
  async countCoresInState(state: number | string, appId: number) {
    return cores.countCoresInState(this.conn, state, appId, await this.ethernetChips());
  }
  async waitForCoresInState(state: number | string, appId: number, expected: number, timeoutMs = 5000) {
    return apps.waitForCount(this.conn, cores.parseState(state), appId, expected, await this.ethernetChips(), timeoutMs);
  }
  getCoreStatus(x: number, y: number, p: number) {
    return cores.getCoreStatus(this.conn, x, y, p);
  }
  getChipCoreStatus(x: number, y: number, nCores?: number) {
    return cores.getChipCoreStatus(this.conn, x, y, nCores);
  }
  readIobuf(x: number, y: number, p: number) {
    return cores.readIobuf(this.conn, x, y, p);
  }
  setLeds(x: number, y: number, leds: Record<number, boolean | 'toggle'>) {
    return cores.setLeds(this.conn, x, y, leds);
  }

  /** Ethernet chips to count through: from discovery when done, else the root. */
  private async ethernetChips(): Promise<{ x: number; y: number }[]> {
    const eth = this.details?.machine.ethernetChips();
    return eth && eth.length ? eth.map((c) => ({ x: c.x, y: c.y })) : [{ x: 255, y: 255 }];
  }
}
