import { DecodeError } from './errors.js';
import { type ScpBody, bits, field, pack, requireArgs } from './body.js';

/**
 * CMD_VER reply (digest §3.1).
 * arg1 = p2p_addr<<16 | phys_cpu<<8 | virt_cpu (on the wire: virt, phys, y, x)
 * arg2 = versionHigh<<16 | buffer size (versionHigh 0xFFFF = "semantic version in data")
 * arg3 = build date (Unix seconds)
 * data = "<name>/<hardware>\0" then, from SC&MP 2.0.0 on, "<x.y.z>\0".
 */
export interface VersionInfo {
  x: number;
  y: number;
  physCpu: number;
  virtCpu: number;
  /** 0xFFFF from 2.0.0 on; major*100+minor before. */
  versionHigh: number;
  bufferSize: number;
  buildDate: number;
  /** e.g. "SC&MP/SpiNNaker" or "SARK/SpiNNaker". */
  idString: string;
  /** e.g. "4.0.0"; null when the reply carries only the id string (pre-2.0.0). */
  versionString: string | null;
}

export const VERSION_HIGH_SEMANTIC = 0xffff;
export const SCAMP_ID = 'SC&MP/SpiNNaker';
export const SARK_ID = 'SARK/SpiNNaker';
const CODEC = 'CMD_VER reply';

function latin1(s: string, what: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0xff) throw new RangeError(`${CODEC}: ${what} must be Latin-1 without NUL, got ${JSON.stringify(s)}`);
    out.push(c);
  }
  return out;
}

function dataOf(v: VersionInfo): Uint8Array {
  const bytes = [...latin1(v.idString, 'idString'), 0];
  if (v.versionString !== null) bytes.push(...latin1(v.versionString, 'versionString'), 0);
  return Uint8Array.from(bytes);
}

export function encode(v: VersionInfo): ScpBody {
  const arg1 = pack(
    [field(CODEC, 'x', v.x, 8), 24],
    [field(CODEC, 'y', v.y, 8), 16],
    [field(CODEC, 'physCpu', v.physCpu, 8), 8],
    [field(CODEC, 'virtCpu', v.virtCpu, 8), 0],
  );
  const arg2 = pack([field(CODEC, 'versionHigh', v.versionHigh, 16), 16], [field(CODEC, 'bufferSize', v.bufferSize, 16), 0]);
  return { args: [arg1, arg2, field(CODEC, 'buildDate', v.buildDate, 32)], data: dataOf(v) };
}

export function encodingLength(v: VersionInfo): number {
  return 12 + dataOf(v).length;
}

/**
 * Decodes a CMD_VER reply. Strings end at NUL; a missing final NUL is
 * tolerated (the last string runs to the end of the data).
 */
export function decode(body: ScpBody): VersionInfo {
  const [a1, a2, a3] = requireArgs(CODEC, body, 3);
  if (body.data.length === 0) throw new DecodeError(CODEC, 'no id string after the three args');
  const strings: string[] = [];
  let start = 0;
  const d = body.data;
  while (start < d.length && strings.length < 2) {
    let end = d.indexOf(0, start);
    if (end < 0) end = d.length;
    strings.push(String.fromCharCode(...d.subarray(start, end)));
    start = end + 1;
  }
  return {
    x: bits(a1, 24, 8),
    y: bits(a1, 16, 8),
    physCpu: bits(a1, 8, 8),
    virtCpu: bits(a1, 0, 8),
    versionHigh: bits(a2, 16, 16),
    bufferSize: bits(a2, 0, 16),
    buildDate: a3,
    idString: strings[0],
    versionString: strings.length > 1 ? strings[1] : null,
  };
}

/** The software version as numbers: from the version string, or major*100+minor before 2.0.0. */
export function softwareVersion(v: VersionInfo): { major: number; minor: number; patch: number; label: string } {
  if (v.versionHigh !== VERSION_HIGH_SEMANTIC || v.versionString === null) {
    return { major: Math.floor(v.versionHigh / 100), minor: v.versionHigh % 100, patch: 0, label: '' };
  }
  const m = /^(\d+)\.(\d+)\.(\d+)(.*)$/.exec(v.versionString);
  if (!m) throw new DecodeError(CODEC, `version string ${JSON.stringify(v.versionString)} is not x.y.z`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), label: m[4] };
}

/** "SC&MP" from "SC&MP/SpiNNaker". */
export function kernelName(v: VersionInfo): string {
  return v.idString.split('/')[0];
}

/** The reply SC&MP 4.0.0 gives (x,y = 255,255 until boot completes). */
export function scampReply(opts: { x: number; y: number; physCpu: number; buildDate?: number; version?: string }): VersionInfo {
  return {
    x: opts.x,
    y: opts.y,
    physCpu: opts.physCpu,
    virtCpu: 0,
    versionHigh: VERSION_HIGH_SEMANTIC,
    bufferSize: 256,
    buildDate: opts.buildDate ?? 0,
    idString: SCAMP_ID,
    versionString: opts.version ?? '4.0.0',
  };
}
