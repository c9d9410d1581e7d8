import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { BOOT_PORT } from '../protocol/constants.js';
import { SV } from './addresses.js';
import type { ScpConnection } from './connection.js';
import { getVersion, type BoardVersion } from './version.js';

/** Boot-ROM op codes (scamp-protocol §8.1). */
const BootOp = { START: 1, BLOCK: 3, END: 5 } as const;
const BOOT_BLOCK_BYTES = 1024;
const BOOT_MAX_BYTES = 32 * 1024;
/** The sv defaults live at bytes 384..511 of the boot image. */
const SV_IN_IMAGE = 384;

export interface BootOptions {
  /** Board version written into sv.hw_ver: 3 (SpiNN-3) or 5 (SpiNN-5). Default 5. */
  hwVer?: 3 | 5;
  /** Boot-ROM UDP port (54321 on a board). */
  bootPort?: number;
  /** Gap between boot packets in ms. Default 10 (ybug). */
  gapMs?: number;
  /** How long to wait for SC&MP to report its position after the image is sent, in ms. Default 15000. */
  readyTimeoutMs?: number;
  /** Send the image even if SC&MP already answers. */
  force?: boolean;
}

/** One boot packet: version 1, op code, three operands and the data words, all big-endian. */
export function bootPacket(op: number, op1: number, op2: number, op3: number, data?: Uint8Array): Uint8Array {
  const words = data ? Math.ceil(data.length / 4) : 0;
  const out = new Uint8Array(18 + 4 * words);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, 1, false);
  dv.setUint32(2, op, false);
  dv.setUint32(6, op1 >>> 0, false);
  dv.setUint32(10, op2 >>> 0, false);
  dv.setUint32(14, op3 >>> 0, false);
  if (data) {
    const padded = new Uint8Array(4 * words);
    padded.set(data);
    const src = new DataView(padded.buffer);
    for (let i = 0; i < words; i++) dv.setUint32(18 + 4 * i, src.getUint32(4 * i, true), false);
  }
  return out;
}

/** The image with the host's sv overrides (hw_ver, led0, unix_time, boot_sig, root_chip), as rig writes them. */
export function prepareBootImage(image: Uint8Array, hwVer: 3 | 5, now = Math.floor(Date.now() / 1000)): Uint8Array {
  if (image.length === 0) throw new RangeError('the boot image is empty');
  if (image.length > BOOT_MAX_BYTES) throw new RangeError(`the boot image is ${image.length} bytes; the boot ROM takes at most ${BOOT_MAX_BYTES}`);
  const out = new Uint8Array(Math.ceil(image.length / 4) * 4);
  out.set(image);
  if (out.length >= SV_IN_IMAGE + 128) {
    const dv = new DataView(out.buffer, SV_IN_IMAGE, 128);
    dv.setUint8(SV.hw_ver, hwVer);
    dv.setUint32(SV.led0, hwVer === 3 ? 0x502 : 0x1, true);
    dv.setUint32(SV.unix_time, now, true);
    dv.setUint32(SV.boot_sig, now, true);
    dv.setUint8(SV.root_chip, 1);
  }
  return out;
}

/** The datagrams that boot a board with `image`: START, BLOCK × n, END. */
export function bootPackets(image: Uint8Array): Uint8Array[] {
  const n = Math.ceil(image.length / BOOT_BLOCK_BYTES);
  const packets = [bootPacket(BootOp.START, 0, 0, n - 1)];
  for (let b = 0; b < n; b++) {
    packets.push(bootPacket(BootOp.BLOCK, (255 << 8) | b, 0, 0, image.subarray(b * BOOT_BLOCK_BYTES, (b + 1) * BOOT_BLOCK_BYTES)));
  }
  packets.push(bootPacket(BootOp.END, 1, 0, 0));
  return packets;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Boots a board (unless SC&MP already answers and `force` is not set): sends
 * the image to the boot ROM, then polls CMD_VER until SC&MP reports its real
 * position. Returns the version of the booted SC&MP and whether a boot happened.
 */
export async function boot(conn: ScpConnection, image: Uint8Array, opts: BootOptions = {}): Promise<{ booted: boolean; version: BoardVersion }> {
  if (!opts.force) {
    const v = await getVersion(conn, 255, 255, 0, { tries: 1, timeoutMs: 300 }).catch(() => undefined);
    if (v && !(v.x === 255 && v.y === 255)) return { booted: false, version: v };
  }
  const prepared = prepareBootImage(image, opts.hwVer ?? 5);
  const sock = dgram.createSocket(isIPv6(conn.address) ? 'udp6' : 'udp4');
  sock.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.connect(opts.bootPort ?? BOOT_PORT, conn.address, () => resolve());
    });
    for (const pkt of bootPackets(prepared)) {
      await new Promise<void>((resolve) => sock.send(pkt, () => resolve()));
      await sleep(opts.gapMs ?? 10);
    }
  } finally {
    sock.close();
  }
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15000);
  for (;;) {
    const v = await getVersion(conn, 255, 255, 0, { tries: 1, timeoutMs: 250 }).catch(() => undefined);
    if (v && !(v.x === 255 && v.y === 255)) return { booted: true, version: v };
    if (Date.now() >= deadline) {
      throw new Error(
        `board ${conn.address}: sent the boot image (${prepared.length} bytes) to port ${opts.bootPort ?? BOOT_PORT}, but SC&MP ` +
          `${v ? 'still reports no position (255,255)' : 'never answered CMD_VER'} after ${(opts.readyTimeoutMs ?? 15000) / 1000} s: ` +
          'check the image is an SC&MP boot image and the board is powered',
      );
    }
    await sleep(100);
  }
}
