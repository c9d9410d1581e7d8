import { SV_BASE, svFieldAddress, type SvFieldName } from '../protocol/sv.js';
import { VCPU_BASE, VCPU_SIZE } from '../protocol/vcpu.js';
import { P2P_TABLE_BASE, SDRAM_SYS } from '../protocol/memory.js';
import { P2P_NO_ROUTE, P2P_SELF, RTR_ENTRIES, RTR_ENTRY_SIZE } from '../protocol/router.js';

/**
 * Where the client finds things in a chip's memory (scamp-protocol §4). The
 * `sv` struct is read through its unbuffered alias, as rig, ybug and SpiNNMan do.
 */
export { SV_BASE, VCPU_BASE, VCPU_SIZE, P2P_SELF };

export const svAddress = (field: SvFieldName): number => svFieldAddress(field);

/** The P2P routing table: 256 chips (128 bytes) per column x. */
export const P2P_TABLE = P2P_TABLE_BASE;
export const P2P_COLUMN_BYTES = 128;
export const P2P_NONE = P2P_NO_ROUTE;
export const SDRAM_SYS_DEFAULT = SDRAM_SYS;
export const ROUTER_TABLE_SIZE = RTR_ENTRIES;
export const RTR_ENTRY_BYTES = RTR_ENTRY_SIZE;
