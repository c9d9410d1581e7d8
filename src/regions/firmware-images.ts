/**
 * Which firmware a core runs. Real images of the pinned release are
 * recognised by file name or by the app name string embedded in the image;
 * stand-in images are tiny APLX files built here for development without
 * the real binaries. A stand-in must never reach a real board.
 */
import { createHash } from 'node:crypto';
import { APLX_RECORD_BYTES, encodeTable } from '../protocol/aplx.js';

export const SUPPORTED_APPS = [
  'IF_curr_exp',
  'IF_curr_exp_stdp_mad_pair_additive',
  'IF_curr_exp_stdp_mad_pair_multiplicative',
  'reverse_iptag_multicast_source',
  'delay_extension',
] as const;
export type SupportedApp = (typeof SUPPORTED_APPS)[number];
export type AppId = SupportedApp | 'unknown';

export interface ImageIdentity {
  app: AppId;
  standIn: boolean;
  /** How it was recognised. */
  by: 'stand-in-magic' | 'file-name' | 'embedded-name' | 'none';
  sha256: string;
}

/** 16 bytes right after the first payload word of every stand-in image. */
export const STAND_IN_MAGIC = 'SPINN-TS STANDIN';
export const STAND_IN_VERSION = 1;
/** The record table padded to four records, so the payload starts at a fixed offset. */
const APLX_HEADER_BYTES = 4 * APLX_RECORD_BYTES;
/** `B .` : a harmless endless loop should the payload ever be executed. */
const ARM_BRANCH_TO_SELF = 0xeafffffe;
const NAME_FIELD = 48;

export class StandInImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StandInImageError';
  }
}

/**
 * A valid APLX image: RCOPY the payload to ITCM 0, EXEC 0, END. The
 * payload is [B .][magic:16][version u32][app name, NUL-padded to 48]
 * ["not for hardware" note].
 */
export function buildStandInImage(appName: string): Uint8Array {
  if (!/^[A-Za-z0-9_]{1,47}$/.test(appName)) {
    throw new RangeError(`stand-in app name ${JSON.stringify(appName)} must be 1-47 letters, digits or underscores`);
  }
  const note = new TextEncoder().encode('stand-in image built by the toolchain; not for hardware\0');
  const payloadLen = Math.ceil((4 + 16 + 4 + NAME_FIELD + note.length) / 32) * 32;
  const out = new Uint8Array(APLX_HEADER_BYTES + payloadLen);
  const dv = new DataView(out.buffer);
  out.set(encodeTable([
    { op: 'rcopy', dest: 0, srcOffset: APLX_HEADER_BYTES, length: payloadLen },
    { op: 'exec', entry: 0 },
    { op: 'end', code: 0xff },
  ]));
  let p = APLX_HEADER_BYTES;
  dv.setUint32(p, ARM_BRANCH_TO_SELF, true);
  out.set(new TextEncoder().encode(STAND_IN_MAGIC), p + 4);
  dv.setUint32(p + 20, STAND_IN_VERSION, true);
  out.set(new TextEncoder().encode(appName), p + 24);
  out.set(note, p + 24 + NAME_FIELD);
  p += payloadLen;
  return out;
}

function standInName(bytes: Uint8Array): string | null {
  const p = APLX_HEADER_BYTES;
  if (bytes.length < p + 24 + NAME_FIELD) return null;
  const magic = new TextDecoder().decode(bytes.subarray(p + 4, p + 20));
  if (magic !== STAND_IN_MAGIC) return null;
  const field = bytes.subarray(p + 24, p + 24 + NAME_FIELD);
  const end = field.indexOf(0);
  return new TextDecoder().decode(field.subarray(0, end < 0 ? field.length : end));
}

export function isStandIn(bytes: Uint8Array): boolean {
  return standInName(bytes) !== null;
}

function appFromName(name: string): AppId {
  return (SUPPORTED_APPS as readonly string[]).includes(name) ? (name as SupportedApp) : 'unknown';
}

/** Find a supported app name stored as a NUL-terminated string in the image (longest first). */
function embeddedName(bytes: Uint8Array): AppId {
  const hay = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const byLength = [...SUPPORTED_APPS].sort((a, b) => b.length - a.length);
  for (const name of byLength) {
    const needle = Buffer.from(`${name}\0`, 'latin1');
    let at = hay.indexOf(needle);
    while (at >= 0) {
      const before = at === 0 ? 0 : hay[at - 1]!;
      // a whole string: preceded by NUL or the start, not by another identifier character
      if (at === 0 || before === 0) return name;
      at = hay.indexOf(needle, at + 1);
    }
  }
  return 'unknown';
}

/**
 * Identify an image: stand-in magic first, then the file name stem (when
 * given), then an app name embedded as a NUL-terminated string.
 */
export function identifyImage(bytes: Uint8Array, fileName?: string): ImageIdentity {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const s = standInName(bytes);
  if (s !== null) return { app: appFromName(s), standIn: true, by: 'stand-in-magic', sha256 };
  if (fileName) {
    const base = fileName.replace(/^.*[\\/]/, '').replace(/\.aplx$/i, '');
    const app = appFromName(base);
    if (app !== 'unknown') return { app, standIn: false, by: 'file-name', sha256 };
  }
  const app = embeddedName(bytes);
  return { app, standIn: false, by: app === 'unknown' ? 'none' : 'embedded-name', sha256 };
}

/** Call before sending an image to a target; throws for a stand-in bound for a real board. */
export function assertImageAllowed(bytes: Uint8Array, target: 'emulator' | 'board'): void {
  if (target === 'board' && isStandIn(bytes)) {
    throw new StandInImageError(
      `refusing to load stand-in image "${standInName(bytes)}" onto a real board: it carries no firmware. ` +
      'Point "firmware.binaries" in spinnaker.config.json at the real sPyNNaker 7.1.1 binaries (see docs/firmware-and-regions.md).',
    );
  }
}

/** The APLX file name of an app. */
export const aplxFileName = (app: SupportedApp) => `${app}.aplx`;
