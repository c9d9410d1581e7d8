import { DecodeError } from './errors.js';
import { type ScpBody, bits, field, ipFromBytes, ipToBytes, pack, requireArgs } from './body.js';

/**
 * CMD_INFO reply (digest §3.2): 3 args, then 18 cpu_state bytes, eth_addr
 * (y, x), IPv4 (4 bytes) and, from SC&MP 3.4.1 on, a u16 "link towards the
 * root" (N = 38; 36 in 3.1.0).
 */
export interface ChipInfo {
  numCpus: number; // arg1[4:0]
  linkMask: number; // arg1[13:8]
  largestFreeRouterBlock: number; // arg1[24:14]
  ethernetUp: boolean; // arg1[25]
  largestFreeSdram: number; // arg2
  largestFreeSysram: number; // arg3
  cpuStates: number[]; // 18 × u8, by virtual core
  ethX: number;
  ethY: number;
  ipAddress: string;
  /** P2P link towards p2p_root (7 on the root); null in the 3.1.0 36-byte form. */
  parentLink: number | null;
}

export const INFO_CORES = 18;
const CODEC = 'CMD_INFO reply';
const DATA_36 = 18 + 2 + 4;

export function encodingLength(v: ChipInfo): number {
  return 12 + DATA_36 + (v.parentLink === null ? 0 : 2);
}

export function encode(v: ChipInfo): ScpBody {
  const arg1 = pack(
    [field(CODEC, 'numCpus', v.numCpus, 5), 0],
    [field(CODEC, 'linkMask', v.linkMask, 6), 8],
    [field(CODEC, 'largestFreeRouterBlock', v.largestFreeRouterBlock, 11), 14],
    [v.ethernetUp ? 1 : 0, 25],
  );
  if (v.cpuStates.length !== INFO_CORES) throw new RangeError(`${CODEC}: cpuStates must have ${INFO_CORES} entries, got ${v.cpuStates.length}`);
  const data = new Uint8Array(encodingLength(v) - 12);
  v.cpuStates.forEach((s, i) => (data[i] = field(CODEC, `cpuStates[${i}]`, s, 8)));
  data[18] = field(CODEC, 'ethY', v.ethY, 8);
  data[19] = field(CODEC, 'ethX', v.ethX, 8);
  data.set(ipToBytes(v.ipAddress), 20);
  if (v.parentLink !== null) {
    const p = field(CODEC, 'parentLink', v.parentLink, 16);
    data[24] = p & 0xff;
    data[25] = p >> 8;
  }
  return {
    args: [arg1, field(CODEC, 'largestFreeSdram', v.largestFreeSdram, 32), field(CODEC, 'largestFreeSysram', v.largestFreeSysram, 32)],
    data,
  };
}

export function decode(body: ScpBody): ChipInfo {
  const [a1, a2, a3] = requireArgs(CODEC, body, 3);
  const d = body.data;
  if (d.length < DATA_36) throw new DecodeError(CODEC, `needs at least ${DATA_36} data bytes after the args, got ${d.length}`);
  return {
    numCpus: bits(a1, 0, 5),
    linkMask: bits(a1, 8, 6),
    largestFreeRouterBlock: bits(a1, 14, 11),
    ethernetUp: bits(a1, 25, 1) === 1,
    largestFreeSdram: a2,
    largestFreeSysram: a3,
    cpuStates: Array.from(d.subarray(0, INFO_CORES)),
    ethY: d[18],
    ethX: d[19],
    ipAddress: ipFromBytes(d.subarray(20, 24)),
    parentLink: d.length >= DATA_36 + 2 ? d[24] | (d[25] << 8) : null,
  };
}
