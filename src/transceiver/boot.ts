import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { BOOT_PORT } from '../protocol/constants.js';
import * as bootCodec from '../protocol/boot.js';
import type { Sv } from '../protocol/sv.js';
import type { ScpConnection } from './connection.js';
import { getVersion, type BoardVersion } from './version.js';

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
  /** sv fields (0x00–0x7F) to boot with instead of the defaults, as rig's `boot(**sv_overrides)`. */
  sv?: Partial<Sv>;
}

/**
 * The image with the host's sv block (sark.struct defaults, hw_ver, led0,
 * unix_time = boot_sig = now, root_chip = 1, then `overrides`) at bytes
 * 384..511, as rig writes it: the whole block is replaced, so sv values the
 * image carried there do not survive.
 */
export function prepareBootImage(image: Uint8Array, hwVer: 3 | 5, now = Math.floor(Date.now() / 1000), overrides?: Partial<Sv>): Uint8Array {
  if (image.length === 0) throw new RangeError('the boot image is empty');
  if (image.length > bootCodec.BOOT_IMAGE_MAX) throw new RangeError(`the boot image is ${image.length} bytes; the boot ROM takes at most ${bootCodec.BOOT_IMAGE_MAX}`);
  const padded = new Uint8Array(Math.ceil(image.length / 4) * 4);
  padded.set(image);
  if (padded.length < bootCodec.BOOT_SV_OFFSET + bootCodec.BOOT_SV_BYTES) return padded;
  return bootCodec.withSvBlock(padded, bootCodec.bootSvBlock({ hwVer, unixTime: now, ...(overrides ? { overrides } : {}) }));
}

/** The datagrams that boot a board with `image`: START, BLOCK × n, END. */
export function bootPackets(image: Uint8Array): Uint8Array[] {
  return bootCodec.imagePackets(image).map((p) => bootCodec.encode(p));
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
  const prepared = prepareBootImage(image, opts.hwVer ?? 5, undefined, opts.sv);
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
